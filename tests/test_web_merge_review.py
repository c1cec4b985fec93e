"""The merge review page: editors see candidate pairs, decide them, undo; the log names who and why."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from aidatlas import auth
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.registry import open_store
from aidatlas.roles import grant_role
from aidatlas.settings import Settings
from aidatlas.web.app import create_app


def _sheet(title: str, implementer: str) -> tuple:
    text = f"Project title: {title}\n\nDonor: European Union\n\nImplementing organisation: {implementer}\n\n" \
           "Location: Banja Luka\n"
    document = load_bytes(f"{title}.txt", text.encode("utf-8"))
    return document, Extractor().extract(document)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def test_editor_reviews_merges_and_undoes(tmp_path):
    settings = Settings(database_url=Settings.sqlite_url(tmp_path / "r.db"), secret_key="k" * 32)
    store = open_store(settings)
    for sheet in (_sheet("Clean rivers", "Kariza Foundation for Civic Initiatives"),
                  _sheet("Čiste rijeke", "Fondacija Kariza")):
        store.save_document(*sheet)
    editor = auth.add_user(store.engine, "urednica", "a long enough password")
    grant_role(store.engine, editor.id, "editor")
    auth.add_user(store.engine, "reader", "a long enough password")
    client = TestClient(create_app(settings, store))

    assert client.get("/review", follow_redirects=False).status_code == 303      # logged out: to the login
    login = client.get("/login")
    client.post("/login", data={"username": "reader", "password": "a long enough password",
                                "csrf": _csrf(login.text), "next": "/"})
    assert client.get("/review").status_code == 403                                # no editor role
    client.cookies.clear()
    login = client.get("/login")
    client.post("/login", data={"username": "urednica", "password": "a long enough password",
                                "csrf": _csrf(login.text), "next": "/"})
    page = client.get("/review")
    assert page.status_code == 200 and "Kariza Foundation for Civic Initiatives" in page.text
    pair = client.get("/api/review").json()["organisations"][0]
    token = _csrf(page.text)
    no_csrf = client.post("/review/organisations", data={"a": pair["a"], "b": pair["b"], "action": "merge"})
    assert no_csrf.status_code == 403
    no_reason = client.post("/review/organisations", data={"a": pair["a"], "b": pair["b"], "action": "merge",
                                                            "reason": "  ", "csrf": token})
    assert no_reason.status_code == 400 and "a merge needs a reason" in no_reason.text
    done = client.post("/review/organisations", data={"a": pair["a"], "b": pair["b"], "action": "merge",
                                                       "reason": "same foundation", "csrf": token},
                       follow_redirects=False)
    assert done.status_code == 303
    assert "Your decision is recorded" in client.get(done.headers["location"]).text
    log = client.get("/api/review").json()["decisions"]
    assert log[0]["actor"] == "urednica" and log[0]["reason"] == "same foundation"
    merged = client.get(f"/organisations/{pair['b']}", follow_redirects=False)
    kept = log[0]["a"]
    assert merged.status_code == 301 if pair["b"] != kept else merged.status_code == 200
    undo = client.post(f"/review/decisions/{log[0]['id']}/undo", data={"reason": "too quick", "csrf": token},
                       follow_redirects=False)
    assert undo.status_code == 303
    assert client.get("/api/review").json()["decisions"][0]["action"] == "undo"
