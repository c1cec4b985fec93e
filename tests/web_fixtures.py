"""Shared by the web tests: a registry with one real extracted document and synthetic activities."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from aidatlas.db.store import Store
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.records import Activity, stable_id
from aidatlas.registry import open_store
from aidatlas.synthetic import synthetic_activities
from aidatlas.web.app import create_app

DOC = b"""Project title: <script>alert('x')</script> Clean water for Tuzla

Donor: European Union

Applicant: Centar za razvoj <b>Tuzla</b>

Budget: EUR 120,000
"""


def fill(store: Store, synthetic: int = 60) -> list[Activity]:
    document = load_bytes("sheet.txt", DOC)
    activities = Extractor().extract(document)
    store.save_document(document, activities)
    if synthetic:
        extra = list(synthetic_activities(synthetic))
        for i, a in enumerate(extra):
            a.id = stable_id("syn", i)
        store.save_document(load_bytes("synthetic.txt", b"synthetic activities\n"), extra)
    return activities


@pytest.fixture(name="client")
def client_fixture(sqlite_settings) -> Iterator[tuple[TestClient, list[Activity]]]:
    """The app over one extracted document (as the first web tests had it)."""
    store = open_store(sqlite_settings)
    activities = fill(store, synthetic=0)
    with TestClient(create_app(sqlite_settings, store)) as c:
        yield c, activities
    store.close()


@pytest.fixture(name="rich")
def rich_fixture(sqlite_settings) -> Iterator[tuple[TestClient, list[Activity]]]:
    """The same with 60 synthetic activities beside it."""
    store = open_store(sqlite_settings)
    activities = fill(store)
    with TestClient(create_app(sqlite_settings, store)) as c:
        yield c, activities
    store.close()


@pytest.fixture(name="any_client")
def any_client_fixture(store: Store) -> Iterator[tuple[TestClient, list[Activity]]]:
    """The app on SQLite and on PostgreSQL."""
    from aidatlas.settings import Settings

    activities = fill(store)
    with TestClient(create_app(Settings(database_url=str(store.engine.url)), store)) as c:
        yield c, activities
