"""The minimal web app: list page, activity page, JSON twins, errors, and escaping of document text."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from aidatlas.db.store import Store
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.web.app import create_app

DOC = b"""Project title: <script>alert('x')</script> Clean water for Tuzla

Donor: European Union

Applicant: Centar za razvoj <b>Tuzla</b>

Budget: EUR 120,000
"""


@pytest.fixture
def client(sqlite_settings):
    store = Store.open(sqlite_settings)
    document = load_bytes("sheet.txt", DOC)
    activities = Extractor().extract(document)
    store.save_document(document, activities)
    with TestClient(create_app(sqlite_settings, store)) as c:
        yield c, activities


def test_list_and_activity_pages(client):
    c, activities = client
    page = c.get("/")
    assert page.status_code == 200
    assert "&lt;script&gt;" in page.text and "<script>alert" not in page.text
    one = c.get(f"/activities/{activities[0].id}")
    assert one.status_code == 200 and "European Union" in one.text
    assert "<b>Tuzla</b>" not in one.text


def test_json_twins(client):
    c, activities = client
    listing = c.get("/api/activities").json()
    assert listing["records"][0]["id"] == activities[0].id
    record = c.get(f"/api/activities/{activities[0].id}").json()
    assert record["budget"] == {"value": 120000.0, "currency": "EUR"}


def test_not_found_is_json_on_the_api(client):
    c, _ = client
    response = c.get("/api/activities/act-missing")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert c.get("/activities/act-missing").status_code == 404
