"""Accounts, sessions, CSRF, and the add-a-document flow through the test client (logged in and out)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from aidatlas import auth
from aidatlas.cli.main import app as cli_app
from aidatlas.registry import open_store
from aidatlas.roles import grant_role
from aidatlas.web.app import create_app

SHEET = """Naziv projekta: Čista voda za Prijedor <script>alert('x')</script>

Donator: Evropska unija

Podnosilac: Udruženje "Zeleni" Prijedor

Budžet projekta: 45.000,00 EUR

Trajanje: 01.03.2022. – 28.02.2023.
""".encode()


def test_passwords_are_hashed_with_scrypt():
    stored = auth.hash_password("correct horse battery")
    assert stored.startswith("scrypt$16384$8$1$") and "correct" not in stored
    assert auth.verify_password("correct horse battery", stored)
    assert not auth.verify_password("wrong horse battery", stored)
    assert not auth.verify_password("x", "not-a-hash")
    assert auth.hash_password("same password") != auth.hash_password("same password")  # salted


def test_users_sessions_and_csrf(sqlite_settings):
    store = open_store(sqlite_settings)
    user = auth.add_user(store.engine, "ana", "long enough password")
    with pytest.raises(auth.AuthError):
        auth.add_user(store.engine, "ana", "another long password")
    with pytest.raises(auth.AuthError, match="10 characters"):
        auth.add_user(store.engine, "bob", "short")
    with pytest.raises(auth.AuthError):
        auth.add_user(store.engine, "bad name!", "long enough password")
    assert auth.authenticate(store.engine, "ana", "long enough password") == user
    assert auth.authenticate(store.engine, "ana", "wrong password!!") is None
    assert auth.authenticate(store.engine, "nobody", "long enough password") is None
    token = auth.create_session(store.engine, user)
    assert auth.session_user(store.engine, token) == user
    assert auth.session_user(store.engine, token + "x") is None
    auth.end_session(store.engine, token)
    assert auth.session_user(store.engine, token) is None
    expired = auth.create_session(store.engine, user, seconds=-1)
    assert auth.session_user(store.engine, expired) is None
    seed = auth.new_csrf_seed()
    good = auth.csrf_token("secret", seed, "session")
    assert auth.check_csrf("secret", seed, "session", good)
    assert not auth.check_csrf("secret", seed, "other session", good)
    assert not auth.check_csrf("other secret", seed, "session", good)
    assert not auth.check_csrf("secret", None, "session", good)
    store.close()


def test_cli_user_add(sqlite_settings, tmp_path):
    db = str(tmp_path / "registry.db")
    result = CliRunner().invoke(cli_app, ["user", "add", "mira", "--db", db, "--password-stdin"],
                                input="a good long password\n")
    assert result.exit_code == 0, result.output
    again = CliRunner().invoke(cli_app, ["user", "add", "mira", "--db", db, "--password-stdin"],
                               input="a good long password\n")
    assert again.exit_code == 1 and "exists already" in again.output
    store = open_store(sqlite_settings)
    assert auth.authenticate(store.engine, "mira", "a good long password") is not None
    store.close()


@pytest.fixture
def web(sqlite_settings) -> Iterator[TestClient]:
    store = open_store(sqlite_settings)
    user = auth.add_user(store.engine, "ana", "long enough password")
    grant_role(store.engine, user.id, "editor")  # adding documents needs the editor role (aidatlas.web.access)
    with TestClient(create_app(sqlite_settings, store)) as client:
        yield client
    store.close()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def login(client: TestClient, password: str = "long enough password") -> object:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": "ana", "password": password, "csrf": token,
                                       "next": "/documents/new"}, follow_redirects=False)


def test_login_sets_a_safe_cookie_and_logout_ends_it(web):
    wrong = login(web, "not the password")
    assert wrong.status_code == 401 and "wrong" in wrong.text
    ok = login(web)
    assert ok.status_code == 303 and ok.headers["location"] == "/documents/new"
    cookie = next(h for h in ok.headers.get_list("set-cookie") if h.startswith("aidatlas_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = web.get("/documents/new")
    assert page.status_code == 200 and "Logged in as" in page.text
    assert web.post("/logout", data={"csrf": "forged"}).status_code == 403
    web.post("/logout", data={"csrf": csrf_of(page.text)})
    assert web.get("/documents/new", follow_redirects=False).status_code == 303


def test_login_needs_csrf_and_is_throttled(web):
    web.get("/login")
    assert web.post("/login", data={"username": "ana", "password": "long enough password"}).status_code == 403
    token = csrf_of(web.get("/login").text)
    for _ in range(10):
        web.post("/login", data={"username": "ana", "password": "nope", "csrf": token})
    blocked = web.post("/login", data={"username": "ana", "password": "long enough password", "csrf": token})
    assert blocked.status_code == 429


def test_open_redirects_are_refused(web):
    token = csrf_of(web.get("/login").text)
    response = web.post("/login", data={"username": "ana", "password": "long enough password", "csrf": token,
                                        "next": "//evil.example/"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_logged_out_upload_is_refused(web):
    assert web.get("/documents/new", follow_redirects=False).headers["location"] == "/login?next=%2Fdocuments%2Fnew"
    refused = web.post("/documents/new", files={"file": ("sheet.txt", SHEET, "text/plain")})
    assert refused.status_code == 401 and "Log in" in refused.text
    assert web.get("/api/activities").json()["total"] == 0


def test_upload_limits(web, sqlite_settings):
    login(web)
    token = csrf_of(web.get("/documents/new").text)
    assert web.post("/documents/new", data={"csrf": "forged"},
                    files={"file": ("sheet.txt", SHEET, "text/plain")}).status_code == 403
    wrong_type = web.post("/documents/new", data={"csrf": token}, files={"file": ("sheet.exe", b"MZ", "x/y")})
    assert wrong_type.status_code == 415 and "aidatlas reads" in wrong_type.text
    fake_pdf = web.post("/documents/new", data={"csrf": token}, files={"file": ("a.pdf", b"hello", "application/pdf")})
    assert fake_pdf.status_code == 415
    big = b"x" * (sqlite_settings.max_upload_bytes + 10)
    assert web.post("/documents/new", data={"csrf": token},
                    files={"file": ("big.txt", big, "text/plain")}).status_code == 413
    empty = web.post("/documents/new", data={"csrf": token}, files={"file": ("empty.txt", b"  \n", "text/plain")})
    assert empty.status_code == 400 and "empty" in empty.text


def test_upload_correct_save(web):
    login(web)
    token = csrf_of(web.get("/documents/new").text)
    sent = web.post("/documents/new", data={"csrf": token}, files={"file": ("sheet.txt", SHEET, "text/plain")},
                    follow_redirects=False)
    assert sent.status_code == 303
    preview = web.get(sent.headers["location"])
    assert preview.status_code == 200
    assert "&lt;script&gt;" in preview.text and "<script>alert" not in preview.text
    assert "<mark" in preview.text and 'name="r0.budget_value" type="text" inputmode="decimal" value="45000.00"' in \
        preview.text
    form = dict(re.findall(r'name="(r0\.[a-z_.A-Z-]+)" type="text"[^>]*value="([^"]*)"', preview.text))
    form |= {"csrf": csrf_of(preview.text), "r0.keep": "yes", "r0.kind": "project"}
    save_url = sent.headers["location"] + "/save"
    bad = web.post(save_url, data=form | {"r0.start": "March 2022"})
    assert bad.status_code == 422 and "YYYY-MM" in bad.text and 'value="March 2022"' in bad.text
    assert web.post(save_url, data=form | {"csrf": "forged"}).status_code == 403
    saved = web.post(save_url, data=form | {"r0.budget_value": "46,500.50", "r0.countries": "BA"},
                     follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].startswith("/documents/")
    found = web.get("/api/activities", params={"q": "Приједор"}).json()
    assert found["total"] == 1
    record = found["records"][0]
    assert record["budget"] == {"value": 46500.5, "currency": "EUR"} and record["countries"] == ["BA"]
    assert web.get(sent.headers["location"]).status_code == 404  # the upload is gone once saved
