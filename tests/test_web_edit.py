"""The edit pages (editors): plain forms per field with CSRF and a reason, the registry as the organisation
picker, the history with diffs and reverts, and the choice when a source changed under an edit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_fixtures import DOC, fill

from aidatlas import auth
from aidatlas.curation import edits
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.registry import open_store
from aidatlas.roles import grant_role
from aidatlas.web.app import create_app

PASSWORD = "long enough password"


@pytest.fixture
def world(sqlite_settings) -> Iterator[dict[str, Any]]:
    store = open_store(sqlite_settings)
    record = fill(store, synthetic=3)[0]
    grant_role(store.engine, auth.add_user(store.engine, "ana", PASSWORD).id, "editor")
    grant_role(store.engine, auth.add_user(store.engine, "bob", PASSWORD).id, "applicant")
    with TestClient(create_app(sqlite_settings, store)) as client:
        yield {"client": client, "store": store, "id": record.id}
    store.close()


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def login(client: TestClient, name: str) -> str:
    client.post("/login", data={"username": name, "password": PASSWORD, "csrf": csrf(client.get("/login").text)})
    return csrf(client.get("/").text)


def test_only_editors_edit_and_every_post_needs_csrf_and_a_reason(world):
    client, store, aid = world["client"], world["store"], world["id"]
    assert client.get(f"/activities/{aid}/edit", follow_redirects=False).headers["location"].startswith("/login")
    assert "Edit this record" not in client.get(f"/activities/{aid}").text
    token = login(client, "bob")
    assert client.get(f"/activities/{aid}/edit").status_code == 403
    assert client.post(f"/activities/{aid}/edit/kind", data={"csrf": token, "kind": "event",
                                                              "reason": "x"}).status_code == 403
    client.cookies.clear()
    token = login(client, "ana")
    assert "Edit this record" in client.get(f"/activities/{aid}").text
    assert client.post(f"/activities/{aid}/edit/kind", data={"kind": "event", "reason": "x"}).status_code == 403
    no_reason = client.post(f"/activities/{aid}/edit/kind", data={"csrf": token, "kind": "event", "reason": " "})
    assert no_reason.status_code == 400 and "every edit needs a reason" in no_reason.text
    bad = client.post(f"/activities/{aid}/edit/sectors", data={"csrf": token, "code": "99999", "percentage": "",
                                                                "reason": "x"})
    assert bad.status_code == 400 and "Sectors: row 1" in bad.text
    assert client.post(f"/activities/{aid}/edit/source", data={"csrf": token, "reason": "x"}).status_code == 400
    assert edits.history(store, aid) == []


def test_untouched_forms_change_nothing(world):
    client, store, aid = world["client"], world["store"], world["id"]
    token = login(client, "ana")
    page = client.get(f"/activities/{aid}/edit").text
    for field in ("title", "participants", "locations", "budget", "countries", "dates"):
        form = page[page.index(f'id="form-{field}"'):]
        form = form[:form.index("</form>")]
        data: dict[str, list[str]] = {}
        for name, value in re.findall(r'<input name="([a-z_]+)" value="([^"]*)"', form):
            data.setdefault(name, []).append(value.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"')
                                             .replace("&amp;", "&"))
        for name, text in re.findall(r'<textarea name="([a-z_]+)"[^>]*>([^<]*)</textarea>', form):
            data.setdefault(name, []).append(text.replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'")
                                             .replace("&amp;", "&"))
        for name, chosen in re.findall(r'<select name="([a-z_]+)"[^>]*>(.*?)</select>', form, re.S):
            picked = re.search(r'<option value="([^"]*)" selected>', chosen)
            data.setdefault(name, []).append(picked.group(1) if picked else "")
        response = client.post(f"/activities/{aid}/edit/{field}", data={**data, "csrf": token, "reason": "check"})
        assert "Nothing changed" in response.text, field
    assert edits.history(store, aid) == []


def test_picker_fills_country_and_ref_from_the_registry_and_new_organisations_are_filed(world):
    client, aid = world["client"], world["id"]
    token = login(client, "ana")
    page = client.get(f"/activities/{aid}/edit").text
    assert '<datalist id="org-choices">' in page and '<option value="European Union">' in page
    assert '<option value="14030">' in page and '<option value="Nikšić">' in page
    saved = client.post(f"/activities/{aid}/edit/participants", data={
        "csrf": token, "name": ["European Union", "Centar za razvoj <b>Tuzla</b>", "Zeta Novi Fond", "Sida"],
        "role": ["funder", "funder", "implementer", "funder"], "country": ["", "", "ME", ""],
        "org_id": ["", "", "", ""],
        "reason": "the agreement lists three"})
    assert "Your edit is saved" in saved.text
    shown = client.get(f"/api/activities/{aid}").json()["participants"]
    assert shown[1] == {"name": "Centar za razvoj <b>Tuzla</b>", "role": "funder", "country": "BA"}
    assert shown[2]["name"] == "Zeta Novi Fond"
    assert shown[3] == {"name": "Sida", "role": "funder", "country": "SE"}  # the curated table knows Sida
    links = re.findall(r'<a href="/organisations/(org-[0-9a-f]+)">Zeta Novi Fond</a>', saved.text)
    assert links and client.get(f"/organisations/{links[0]}").status_code == 200
    implementers = client.get("/api/activities", params={"implementer": links[0]}).json()
    assert [r["id"] for r in implementers["records"]] == [aid]


def test_history_diff_revert_and_the_source_changed_choice(world):
    client, store, aid = world["client"], world["store"], world["id"]
    token = login(client, "ana")
    client.post(f"/activities/{aid}/edit/budget", data={"csrf": token, "value": "125,000", "currency": "EUR",
                                                          "value_date": "", "reason": "the contract"})
    document = load_bytes("sheet.txt", DOC.replace(b"EUR 120,000", b"EUR 150,000"))
    store.save_document(document, Extractor().extract(document))
    newer = store.activity_ids(document_id=document.sha256)[0]
    assert client.get("/api/work").json()["counts"]["source_changed"] == 1
    page = client.get(f"/activities/{newer}/edit").text
    assert "The source changed under your edits" in page and "150000" in page and "125000" in page
    edit_id = edits.in_force(store, newer)["budget"].id
    kept = client.post(f"/edits/{edit_id}/keep", data={"csrf": token})
    assert "kept against the source" in kept.text
    assert client.get("/api/work").json()["counts"]["source_changed"] == 0
    history = client.get(f"/activities/{newer}/history")
    assert '<span class="del">- &#34;value&#34;: 120000.0' in history.text
    assert '<span class="add">+ &#34;value&#34;: 125000.0' in history.text
    assert client.post(f"/edits/{edit_id}/revert", data={"csrf": token, "reason": ""}).status_code == 400
    reverted = client.post(f"/edits/{edit_id}/revert", data={"csrf": token, "reason": "the source is right"})
    assert "The edit is reverted" in reverted.text and "Reverted by ana" in reverted.text
    assert client.get(f"/api/activities/{newer}").json()["budget"]["value"] == 150000
    assert client.post(f"/edits/{edit_id}/revert", data={"csrf": token, "reason": "again"}).status_code == 409
