"""Authorization: every route of the app has a rule in `aidatlas.web.access.ROUTES`, and the MATRIX — every
(persona × route) pair requested with realistic path parameters — answers as the table says.

Allowed: anything but a refusal (a 2xx, a redirect elsewhere than the login form, or the handler's own 400/409/
422 on the minimal form the matrix posts). Refused: 401, 403, 404 or a redirect to the login form. Each route
runs on a fresh copy of the world's database, so what one persona's POST changes cannot hide another's result.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from web_grants_fixtures import PASSWORD, PERSONAS, World, client_for, login_as

from aidatlas.settings import Settings
from aidatlas.web import access
from aidatlas.web.app import create_app

TALLY: Counter[str] = Counter()


@pytest.fixture(scope="module")
def world(grants_web_world: World) -> World:
    return grants_web_world


@pytest.fixture(scope="module")
def app_keys(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    settings = Settings(database_url=Settings.sqlite_url(tmp_path_factory.mktemp("routes") / "r.db"))
    return access.table_keys(create_app(settings))


def test_every_route_has_a_rule(app_keys):
    missing = [f"{m} {p}" for m, p in app_keys if (m, p) not in access.ROUTES]
    assert not missing, f"routes without an entry in aidatlas.web.access.ROUTES: {missing}"


def test_no_rule_without_a_route(app_keys):
    stale = [f"{m} {p}" for m, p in access.ROUTES if (m, p) not in set(app_keys)]
    assert not stale, f"entries of aidatlas.web.access.ROUTES that match no route: {stale}"


def test_an_unmapped_route_is_refused(tmp_path, monkeypatch):
    settings = Settings(database_url=Settings.sqlite_url(tmp_path / "r.db"))
    from fastapi.testclient import TestClient

    monkeypatch.delitem(access.ROUTES, ("GET", "/overview"))
    monkeypatch.delitem(access.ROUTES, ("GET", "/openapi.json"))
    with TestClient(create_app(settings)) as client:
        assert client.get("/overview").status_code == 500
        assert client.get("/openapi.json").status_code == 500
        assert client.get("/activities").status_code == 200


def expected_allowed(rule: access.Rule, persona: str) -> bool:
    """The table read as a specification (independently of `access.check`)."""
    held = PERSONAS[persona]
    if rule.kind == "public":
        return True
    if persona == "anonymous":
        return False
    if rule.kind == "logged_in":
        return True
    if rule.kind == "roles":
        return "admin" in held or bool(held & rule.roles)
    if rule.kind == "owner":
        return persona == "applicant_a"
    if rule.kind == "owner_or_staff":
        return persona in ("applicant_a", "officer", "admin", "reviewer_assigned")
    if rule.kind == "assigned_reviewer":
        return persona == "reviewer_assigned"
    if rule.kind == "token_write":
        return False  # personas have sessions, not API tokens (tests/test_curation_tokens.py has tokens)
    if rule.kind == "editor_or_token":
        return "admin" in held or "editor" in held
    raise AssertionError(f"no expectation for rule {rule}")


def path_for(world: World, template: str, persona: str, extra: dict[str, str]) -> str:
    """The route's path with realistic parameters: A's applications and attachments, the demo call …"""
    application = world.a_sub
    if "/edit/" in template or template.endswith("/submit") or template.endswith("/attachments"):
        application = world.a_draft
    if template.endswith(("/report", "/complete")) or "{report_id}" in template or "{tranche_id}" in template:
        application = world.a_awarded
    values = {
        "application_id": str(application), "attachment_id": str(world.attachment_sub), "step": "applicant",
        "call_id": str(world.demo.followup_call), "alumnus_id": str(world.alumnus),
        "user_id": str(world.users["applicant_b"].id), "upload_id": world.uploads.get(persona, world.uploads["editor"]),
        "activity_id": world.activity_id, "decision_id": "1", "field": "title", "edit_id": "1",
        "token_id": "1", "facet": "country", "organisation_id": str(world.extra["pending_org"]),
        "report_id": str(world.extra["report_id"]), "tranche_id": str(world.extra["tranche_id"]),
        **extra}
    path = template
    for key, value in values.items():
        path = path.replace("{" + key + "}", value)
    assert "{" not in path, f"no sample value for a parameter of {template}"
    return path


def verdict(response: Any) -> str:
    if response.status_code in (401, 403, 404):
        return "refused"
    if response.status_code in (301, 302, 303, 307) and response.headers["location"].startswith("/login"):
        return "refused"
    if response.status_code >= 500:
        return "error"
    return "allowed" if response.status_code < 400 else "handler-refused"


ROUTE_IDS = [f"{m} {p}" for m, p in access.ROUTES]
NO_SAMPLE = {("POST", "/review/decisions/{decision_id}/undo"), ("POST", "/edits/{edit_id}/keep"),
             ("POST", "/account/tokens/{token_id}/revoke")}
"""Routes whose object the world does not hold (no merge decision): 404 is what an allowed persona gets."""


@pytest.mark.parametrize("key", list(access.ROUTES), ids=ROUTE_IDS)
def test_matrix(key: tuple[str, str], world: World, tmp_path: Path):
    method, template = key
    rule = access.ROUTES[key]
    client, store = client_for(world, tmp_path)
    extra: dict[str, str] = {}
    mismatches = []
    with client:
        if any(k in template for k in ("{document_id}", "{org_id}", "{code}", "{name}")):
            record = client.get(f"/api/activities/{world.activity_id}").json()
            extra = {"document_id": world.extra["document_id"], "code": record["countries"][0],
                     "name": (record.get("locations") or [{"name": "Bijeljina"}])[0]["name"],
                     "org_id": client.get("/api/organisations").json()["organisations"][0]["id"]}
        # refused personas first: a refusal must change nothing the allowed ones then see
        order = sorted(PERSONAS, key=lambda p: expected_allowed(rule, p))
        for persona in order:
            token = login_as(client, world, persona)
            url = path_for(world, template, persona, extra)
            if template == "/static":
                url = "/static/app.css"
            if method == "GET":
                response = client.get(url, follow_redirects=False)
            elif method == "PATCH":
                response = client.patch(url, json={"reason": "r", "changes": {"kind": "event"}})
            else:
                data = {"csrf": token}
                if template == "/login":
                    data |= {"username": "applicant-a", "password": PASSWORD}
                response = client.post(url, data=data, follow_redirects=False)
            got = verdict(response)
            allowed = expected_allowed(rule, persona)
            TALLY["pairs"] += 1
            if not allowed and got in ("allowed",):
                TALLY["unexpected_2xx"] += 1
            ok = got == "refused" if not allowed else got in ("allowed", "handler-refused") or (
                key in NO_SAMPLE and response.status_code == 404)
            if not ok:
                mismatches.append(f"{persona}: {response.status_code} {response.headers.get('location', '')} "
                                  f"(rule {rule}, expected {'allowed' if allowed else 'refused'})")
    store.close()
    assert not mismatches, f"{method} {template}: " + "; ".join(mismatches)


def test_matrix_had_no_unexpected_success():
    """Runs after the matrix (same module): every pair was requested and none succeeded against the table."""
    if TALLY["pairs"] == 0:
        pytest.skip("the matrix did not run in this session (select it together with this test)")
    assert TALLY["pairs"] == len(access.ROUTES) * len(PERSONAS)
    assert TALLY["unexpected_2xx"] == 0
    print(f"authorization matrix: {TALLY['pairs']} (persona × route) pairs, "
          f"{TALLY['unexpected_2xx']} unexpected 2xx")
