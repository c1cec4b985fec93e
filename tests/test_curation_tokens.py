"""Personal API tokens: created and revoked on the account page, stored hashed, scoped. `PATCH
/api/activities/{id}` takes a write token of an editor and applies the same validation and overlay as the form;
a revoked, unknown or missing token gets 401, a read-only token or an account without the editor role 403."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_fixtures import fill

from aidatlas import auth
from aidatlas.curation import tokens
from aidatlas.registry import open_store
from aidatlas.roles import grant_role
from aidatlas.web.app import create_app

PASSWORD = "long enough password"


@pytest.fixture
def world(sqlite_settings) -> Iterator[dict[str, Any]]:
    store = open_store(sqlite_settings)
    record = fill(store, synthetic=0)[0]
    editor = auth.add_user(store.engine, "ana", PASSWORD)
    grant_role(store.engine, editor.id, "editor")
    applicant = auth.add_user(store.engine, "bob", PASSWORD)
    grant_role(store.engine, applicant.id, "applicant")
    with TestClient(create_app(sqlite_settings, store)) as client:
        yield {"client": client, "store": store, "id": record.id, "editor": editor, "applicant": applicant}
    store.close()


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def login(client: TestClient, name: str) -> None:
    token = csrf(client.get("/login").text)
    assert client.post("/login", data={"username": name, "password": PASSWORD, "csrf": token},
                       follow_redirects=False).status_code == 303


def patch(client: TestClient, activity_id: str, token: str | None, **body: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = body or {"reason": "the contract names the programme", "changes": {"programme": "Zeta Programme"}}
    return client.patch(f"/api/activities/{activity_id}", json=body, headers=headers)


def test_account_page_creates_a_token_shown_once_and_stored_hashed(world):
    client, store = world["client"], world["store"]
    login(client, "ana")
    page = client.get("/account/tokens").text
    created = client.post("/account/tokens", data={"name": "my script", "scope": "write", "csrf": csrf(page)})
    assert created.status_code == 200
    plain = re.search(r'<code id="new-token">(aat_[^<]+)</code>', created.text)
    assert plain and "not shown again" in created.text
    with store.engine.connect() as conn:
        stored = conn.execute(select(tokens.TOKENS.c.token_hash)).scalars().all()
    assert stored == [hashlib.sha256(plain.group(1).encode()).hexdigest()]
    assert plain.group(1) not in client.get("/account/tokens").text

    response = patch(client, world["id"], plain.group(1))
    assert response.status_code == 200, response.text
    assert response.json()["activity"]["programme"] == "Zeta Programme"
    assert [e["field"] for e in response.json()["edits"]] == ["programme"]
    assert client.get(f"/api/activities/{world['id']}").json()["programme"] == "Zeta Programme"


def test_revoked_unknown_and_missing_tokens_get_401(world):
    client, store = world["client"], world["store"]
    token, plain = tokens.create(store.engine, world["editor"], "ci", "write")
    assert patch(client, world["id"], plain).status_code == 200
    login(client, "ana")
    page = client.get("/account/tokens").text
    assert client.post(f"/account/tokens/{token.id}/revoke", data={"csrf": csrf(page)}).status_code == 200
    client.cookies.clear()
    for bad in (plain, "aat_" + "x" * 40, None):
        response = patch(client, world["id"], bad, reason="again", changes={"programme": "Other"})
        assert response.status_code == 401, bad
        assert response.json()["error"] == "invalid_token"
    assert client.get(f"/api/activities/{world['id']}").json()["programme"] == "Zeta Programme"


def test_read_only_token_and_non_editor_get_403(world):
    client, store = world["client"], world["store"]
    _, read_only = tokens.create(store.engine, world["editor"], "reader", "read")
    response = patch(client, world["id"], read_only)
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    history = client.get(f"/api/activities/{world['id']}/history", headers={"Authorization": f"Bearer {read_only}"})
    assert history.status_code == 200 and history.json()["edits"] == []
    _, not_editor = tokens.create(store.engine, world["applicant"], "bob's", "write")
    assert patch(client, world["id"], not_editor).status_code == 403
    assert "programme" not in client.get(f"/api/activities/{world['id']}").json()


def test_patch_validates_like_the_form_and_history_lists_the_edit(world):
    client, store = world["client"], world["store"]
    _, plain = tokens.create(store.engine, world["editor"], "ci", "write")
    bad = patch(client, world["id"], plain, reason="x", changes={"countries": ["QQ"]})
    assert bad.status_code == 400 and "country code" in bad.json()["detail"]
    assert patch(client, world["id"], plain, reason="", changes={"kind": "event"}).status_code == 422
    assert patch(client, world["id"], plain, reason="x", changes={"source": {}}).status_code == 400
    good = patch(client, world["id"], plain, reason="two sectors per the site",
                 changes={"sectors": [{"code": "14030"}, {"code": "14031"}]})
    assert good.status_code == 200
    history = client.get(f"/api/activities/{world['id']}/history",
                         headers={"Authorization": f"Bearer {plain}"}).json()["edits"]
    assert [(e["field"], e["actor"], e["reason"]) for e in history] == [("sectors", "ana", "two sectors per the site")]
    assert any('"14031"' in line for line in history[0]["diff"])
    assert client.get(f"/api/activities/{world['id']}/history").status_code == 401
