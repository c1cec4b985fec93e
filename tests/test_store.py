"""Store on a real SQLite file and a real PostgreSQL server: idempotent, transactional, faithful."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from aidatlas.db.store import Store
from aidatlas.errors import NotFound, StoreError
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.records import Activity, stable_id
from aidatlas.registry import open_store
from aidatlas.synthetic import synthetic_activities


def _doc(text: str = "Project X\nDonor: European Union\n", name: str = "sheet.txt"):
    return load_bytes(name, text.encode("utf-8"))


def _activities(document, n: int = 3) -> list[Activity]:
    out = []
    for i, a in enumerate(synthetic_activities(n)):
        a.id = stable_id("act", document.sha256, i)
        a.source.document = document.name
        out.append(a)
    return out


def test_roundtrip_keeps_every_field(store: Store):
    document = _doc()
    activities = _activities(document)
    assert store.save_document(document, activities) == "new"
    for original in activities:
        loaded = store.get_activity(original.id)
        expected = original.to_json() | {"source": loaded.to_json()["source"]}
        assert loaded.to_json() == expected


def test_extraction_confidence_is_stored_and_read_back(store: Store):
    document = _doc("Rural roads for Kolašin\nDonor: European Union\nBudget: EUR 120.000\n")
    (activity,) = Extractor().extract(document)
    assert activity.confidence is not None
    store.save_document(document, [activity])
    loaded = store.get_activity(activity.id or "")
    assert loaded.confidence == activity.confidence
    assert loaded.to_json()["confidence"]["fields"]["budget"] == activity.confidence.fields["budget"]


def test_ingesting_twice_changes_nothing(store: Store):
    document = _doc()
    store.save_document(document, _activities(document))
    before = store.counts()
    ids = store.activity_ids()
    assert store.save_document(document, _activities(document)) == "unchanged"
    assert store.counts() == before
    assert store.activity_ids() == ids


def test_new_version_of_a_document_replaces_the_old(store: Store):
    old = _doc("Version one of the sheet\n")
    store.save_document(old, _activities(old, 3))
    new = _doc("Version two of the sheet\n")
    assert store.save_document(new, _activities(new, 2)) == "updated"
    assert store.counts()["documents"] == 1
    assert store.counts()["activities"] == 2


def test_a_document_that_fails_halfway_leaves_nothing(store: Store):
    first = _doc("kept document\n", "kept.txt")
    store.save_document(first, _activities(first, 2))
    before = store.counts()
    broken = _doc("broken document\n", "broken.txt")
    activities = _activities(broken, 3)
    activities[2].id = activities[0].id  # a duplicate primary key fails the third insert
    with pytest.raises(IntegrityError):
        store.save_document(broken, activities)
    assert store.counts() == before


def test_organisations_are_get_or_create(store: Store):
    document = _doc()
    activities = _activities(document, 20)
    store.save_document(document, activities)
    funders = {p.name for a in activities for p in a.participants if p.role == "funder"}
    counts = store.counts()
    assert counts["participations"] == 40
    with store.engine.connect() as conn:   # known funders bring their parents (an agency's ministry …)
        parents = conn.exec_driver_sql("SELECT count(*) FROM organisations WHERE id IN "
                                       "(SELECT parent_id FROM organisations)").scalar_one()
    assert counts["organisations"] <= 20 + len(funders) + parents


def test_import_by_iati_identifier(store: Store):
    activities = list(synthetic_activities(3))
    for i, a in enumerate(activities):
        a.id = None
        a.iati_identifier = f"XM-TEST-{i}"
        a.last_updated = "2024-01-01T00:00:00"
    counts = store.import_activities(activities, source_name="a.xml")
    assert (counts.new, counts.updated, counts.unchanged) == (3, 0, 0)
    counts = store.import_activities(activities, source_name="a.xml")
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 3)
    newer = activities[0].model_copy(update={"last_updated": "2025-01-01T00:00:00",
                                             "title": {"en": "Renamed"}})
    counts = store.import_activities([newer], source_name="b.xml")
    assert counts.updated == 1
    assert store.get_activity(stable_id("iati", "XM-TEST-0")).title == {"en": "Renamed"}
    assert store.counts()["activities"] == 3


def test_missing_activity_is_not_found(store: Store):
    with pytest.raises(NotFound):
        store.get_activity("act-nope")


def test_out_of_date_schema_is_refused_without_migration(empty_sqlite_settings):
    with pytest.raises(StoreError, match="db upgrade"):
        open_store(empty_sqlite_settings, migrate=False)


def test_known_organisations_are_one_organisation_in_every_language(store: Store):
    from aidatlas.records import Participant

    document = _doc("three spellings of one donor\n", "donors.txt")
    activities = _activities(document, 3)
    for activity, name in zip(activities, ["European Union", "Europska unija", "EU"], strict=True):
        activity.participants = [Participant(name=name, role="funder")]
    store.save_document(document, activities)
    from sqlalchemy import select

    from aidatlas.db.tables import ParticipationRow

    with store.engine.connect() as conn:
        ids = set(conn.execute(select(ParticipationRow.organisation_id)).scalars())
    assert len(ids) == 1
