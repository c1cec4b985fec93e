"""The web part of the bad-input corpus: hostile uploads, form posts and API parameters, on SQLite and
PostgreSQL. Each gets a clear 4xx answer naming what was wrong — never a 500 or a traceback — and the good
upload sent after them is still accepted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from bad_inputs import _flat_html, looping_pdf, text_pdf
from fastapi.testclient import TestClient
from test_auth import csrf_of

from aidatlas import auth
from aidatlas.db.store import Store
from aidatlas.registry import store_on
from aidatlas.roles import grant_role
from aidatlas.settings import Settings
from aidatlas.web.app import create_app

GOOD = b"The European Union will fund a EUR 2 million project to improve water supply in Tuzla.\n"

#: (file name, content, status, words the answer must hold)
UPLOADS = [
    ("big.txt", b"x" * 3000, 413, "too large"),
    ("sheet.exe", b"MZ", 415, "aidatlas reads"),
    ("fake.pdf", b"hello", 415, "does not look like a PDF"),
    ("empty.txt", b" \n ", 400, "empty.txt: is empty"),
    ("binary.txt", bytes(range(256)) * 4, 400, "binary.txt: looks like a binary file"),
    ("tags.html", _flat_html(200).encode(), 400, "tags.html: has 202 HTML elements, more than the limit of 100"),
    ("loop.pdf", looping_pdf(), 400, "loop.pdf: page 1 cannot be read (a broken or looping page tree)"),
    ("ctl\x1b[2J.txt", b"", 400, "ctl\\x1b[2J.txt: is empty"),
    ("long_line.txt", GOOD + b"y" * 2100, 400, "AIDATLAS_MAX_LINE_CHARS"),
    ("pages.pdf", text_pdf(["EU project"], pages=4), 400, "AIDATLAS_MAX_PDF_PAGES"),
]
#: (path, words the answer must hold) for GET requests whose parameters are wrong
PARAMETERS = [
    ("/api/activities?page=-1", ""),
    ("/api/activities?page=100000000000000000000", ""),
    ("/api/activities?sort=nonsense", "sort"),
    ("/api/activities?country=%00", "NUL character"),
    ("/api/activities?q=%00", "NUL character"),
    ("/activities?q=a%00", "NUL character"),
    ("/api/activities?q=" + "x" * 5000, ""),
    ("/api/activities/" + "a" * 300, ""),
    ("/api/activities/a%00b", "NUL character"),
    ("/api/organisations/%00", "NUL character"),
    ("/api/places/%00", "NUL character"),
    ("/api/countries/ZZZZ", ""),
    ("/api/documents/%00", "NUL character"),
    ("/activities?page=abc", ""),
]


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    settings = replace(Settings(database_url=str(store.engine.url)), max_upload_bytes=2500, max_line_chars=2000,
                       max_pdf_pages=3, max_html_elements=100)
    user = auth.add_user(store.engine, "ana", "long enough password")
    grant_role(store.engine, user.id, "editor")
    with TestClient(create_app(settings, store_on(store.engine, settings)), raise_server_exceptions=False) as c:
        yield c


def _login(client: TestClient) -> str:
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"username": "ana", "password": "long enough password", "csrf": token})
    return csrf_of(client.get("/documents/new").text)


def test_hostile_uploads_are_refused_one_by_one_and_a_good_one_lands(client: TestClient) -> None:
    token = _login(client)
    for name, content, status, words in UPLOADS:
        answer = client.post("/documents/new", data={"csrf": token}, files={"file": (name, content, "text/plain")},
                             follow_redirects=False)
        assert answer.status_code == status and words in answer.text.replace("&#39;", "'"), (name, answer.text[-600:])
    good = client.post("/documents/new", data={"csrf": token}, files={"file": ("good.txt", GOOD, "text/plain")},
                       follow_redirects=False)
    assert good.status_code == 303
    no_file = client.post("/documents/new", data={"csrf": token})
    assert no_file.status_code == 400 and "Choose a file" in no_file.text


@pytest.mark.parametrize("form", [
    {"username": "ana", "password": "long enough password"},                    # no CSRF token
    {"username": "a" * 5000, "password": "x", "csrf": "{csrf}"},                 # over-long user name
    {"username": "an\x00a", "password": "long enough password", "csrf": "{csrf}"},  # NUL in a form field
    {"username": "ana", "password": "p" * 100_000, "csrf": "{csrf}"},           # over-long password
], ids=["no-csrf", "long-name", "nul", "long-password"])
def test_hostile_login_forms_get_a_clear_refusal(client: TestClient, form: dict[str, str]) -> None:
    token = csrf_of(client.get("/login").text)
    data = {k: v.replace("{csrf}", token) for k, v in form.items()}
    answer = client.post("/login", data=data, follow_redirects=False)
    assert 400 <= answer.status_code < 500 and "Traceback" not in answer.text
    assert "aidatlas_session" not in answer.headers.get("set-cookie", "")


@pytest.mark.parametrize(("path", "words"), PARAMETERS, ids=[p[:40] for p, _ in PARAMETERS])
def test_hostile_parameters_get_a_clear_4xx(client: TestClient, path: str, words: str) -> None:
    answer = client.get(path)
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
    assert "Traceback" not in answer.text and words in answer.text


def test_a_hundred_wrong_passwords_are_throttled_after_ten_and_the_lock_ends(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from aidatlas.web import auth as web_auth

    now = [1000.0]
    monkeypatch.setattr(web_auth.time, "monotonic", lambda: now[0])
    token = csrf_of(client.get("/login").text)
    statuses = []
    for _ in range(100):
        statuses.append(client.post("/login", data={"username": "ana", "password": "wrong", "csrf": token},
                                    follow_redirects=False).status_code)
        now[0] += 0.5  # 100 attempts in 50 seconds
    assert statuses[: web_auth.MAX_FAILURES] == [401] * web_auth.MAX_FAILURES
    assert set(statuses[web_auth.MAX_FAILURES:]) == {429}
    right = {"username": "ana", "password": "long enough password", "csrf": token}
    assert client.post("/login", data=right, follow_redirects=False).status_code == 429
    now[0] += web_auth.WINDOW  # refused attempts do not extend the lock: it ends a window after the 10th failure
    assert client.post("/login", data=right, follow_redirects=False).status_code == 303


def test_a_busy_database_is_a_503_with_retry_after(tmp_path, sqlite_template) -> None:
    import sqlite3

    from conftest import copy_database

    path = copy_database(sqlite_template, tmp_path / "busy.db")
    settings = Settings(database_url=Settings.sqlite_url(path), web_busy_timeout=0.2)
    from aidatlas.registry import open_store

    store = open_store(settings)
    auth.add_user(store.engine, "ana", "long enough password")
    store.close()
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        token = csrf_of(c.get("/login").text)
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # another process is writing
        try:
            answer = c.post("/login", data={"username": "ana", "password": "long enough password", "csrf": token},
                            follow_redirects=False)
            assert c.get("/api/activities").status_code == 200  # reading goes on (WAL)
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
        assert "busy" in answer.text
        again = c.post("/login", data={"username": "ana", "password": "long enough password", "csrf": token},
                       follow_redirects=False)
        assert again.status_code == 303
