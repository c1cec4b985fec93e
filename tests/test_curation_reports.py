"""Public error reports: a form on every activity page, no account needed. 100 posts from one address within a
minute store at most `Settings.report_limit` reports and answer the rest 429; the honeypot stores nothing; no
report is ever shown publicly; an editor resolves one by editing or dismisses it with a reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_fixtures import fill

from aidatlas import auth
from aidatlas.curation import reports
from aidatlas.registry import open_store
from aidatlas.roles import grant_role
from aidatlas.web.app import create_app

PASSWORD = "long enough password"
LIMIT = 3


@pytest.fixture
def world(sqlite_settings) -> Iterator[dict[str, Any]]:
    settings = replace(sqlite_settings, report_limit=LIMIT)
    store = open_store(settings)
    records = fill(store, synthetic=2)
    grant_role(store.engine, auth.add_user(store.engine, "ana", PASSWORD).id, "editor")
    with TestClient(create_app(settings, store)) as client:
        yield {"client": client, "store": store, "id": records[0].id, "settings": settings}
    store.close()


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def report(client: TestClient, activity_id: str, token: str, n: int, **extra: str) -> Any:
    data = {"csrf": token, "message": f"The budget is wrong, the contract says {n} EUR.", "field": "budget",
            "contact": "", "website": "", **extra}
    return client.post(f"/activities/{activity_id}/report", data=data, follow_redirects=False)


def test_hundred_posts_from_one_address_store_the_limit_and_429_the_rest(world):
    client, store, aid = world["client"], world["store"], world["id"]
    page = client.get(f"/activities/{aid}")
    assert 'action="/activities/' in page.text and 'name="website"' in page.text
    token = csrf(page.text)
    statuses = [report(client, aid, token, n).status_code for n in range(100)]
    assert statuses.count(303) == LIMIT
    assert statuses.count(429) == 100 - LIMIT
    stored = reports.reports(store.engine)
    assert len(stored) == LIMIT
    public = [client.get(f"/activities/{aid}").text, client.get(f"/api/activities/{aid}").text,
              client.get("/activities.csv").text, client.get("/activities.json").text, client.get("/activities").text]
    assert not any("the contract says" in text for text in public), "reports are never shown publicly"
    assert client.get("/work", follow_redirects=False).status_code in (303, 401)
    assert client.get("/api/work").status_code == 401


def test_another_address_and_a_later_minute_are_counted_apart(world):
    store, settings, aid = world["store"], world["settings"], world["id"]
    for n in range(LIMIT):
        reports.submit(store.engine, settings, aid, f"wrong date number {n}", address="10.0.0.1", now=1000)
    with pytest.raises(Exception, match="at most 3 reports a minute"):
        reports.submit(store.engine, settings, aid, "one more wrong date", address="10.0.0.1", now=1030)
    assert reports.submit(store.engine, settings, aid, "wrong date again", address="10.0.0.2", now=1030)
    assert reports.submit(store.engine, settings, aid, "wrong date later", address="10.0.0.1", now=1061)


def test_honeypot_and_length_limits(world):
    client, store, aid = world["client"], world["store"], world["id"]
    token = csrf(client.get(f"/activities/{aid}").text)
    assert report(client, aid, token, 1, website="http://spam.example").status_code == 303
    assert reports.reports(store.engine) == []
    assert report(client, aid, token, 1, message="short").status_code == 400
    assert report(client, aid, token, 1, message="x" * (reports.MAX_MESSAGE + 1)).status_code == 400
    assert report(client, aid, token, 1, contact="c" * (reports.MAX_CONTACT + 1)).status_code == 400
    assert client.post(f"/activities/{aid}/report", data={"message": "no csrf token at all here"}).status_code == 403
    assert report(client, "act-none", token, 1).status_code == 404
    assert reports.reports(store.engine) == []


def test_editor_sees_reports_on_the_work_page_and_dismisses_or_resolves_them(world):
    client, store, aid = world["client"], world["store"], world["id"]
    token = csrf(client.get(f"/activities/{aid}").text)
    assert report(client, aid, token, 1).status_code == 303
    assert report(client, aid, token, 2).status_code == 303
    assert "Thank you" in client.get(f"/activities/{aid}?done=reported").text
    login = csrf(client.get("/login").text)
    client.post("/login", data={"username": "ana", "password": PASSWORD, "csrf": login})
    page = client.get("/work")
    assert "the contract says 1 EUR" in page.text and "Error reports</a>: <strong>2</strong>" in page.text
    first, second = sorted(r.id for r in reports.reports(store.engine))
    token = csrf(page.text)
    refused = client.post(f"/reports/{first}/close", data={"csrf": token, "status": "dismissed", "reason": ""})
    assert refused.status_code == 400
    done = client.post(f"/reports/{first}/close", data={"csrf": token, "status": "dismissed", "reason": "duplicate"})
    assert "The report is closed." in done.text
    edit_page = client.get(f"/activities/{aid}/edit?report={second}")
    assert f"resolves the error report #{second}" in edit_page.text
    saved = client.post(f"/activities/{aid}/edit/budget", data={
        "csrf": csrf(edit_page.text), "report": str(second), "value": "1", "currency": "EUR", "value_date": "",
        "reason": "the contract"})
    assert "Your edit is saved" in saved.text
    closed = {r.id: (r.status, r.resolution) for r in reports.reports(store.engine, status=None)}
    assert closed[first] == ("dismissed", "duplicate")
    assert closed[second][0] == "resolved" and "the contract" in (closed[second][1] or "")
    assert client.get("/api/work").json()["counts"]["reports"] == 0
