"""Stored record JSON: filled when indexed, served only while current, and the same as reading the rows."""

from __future__ import annotations

import json

from sqlalchemy import insert

from aidatlas.curation.edits import edit
from aidatlas.db.activity_records import RECORDS, stored_json
from aidatlas.db.search import Searcher
from aidatlas.db.search_index import PENDING
from aidatlas.synthetic import synthetic_activities


def _imported(store, n=12):
    activities = list(synthetic_activities(n))
    for i, a in enumerate(activities):
        a.iati_identifier, a.id = f"XI-REC-{i}", None
    store.import_activities(activities, source_name="records test")
    Searcher(store.engine).ensure_indexed()
    return store.activity_ids()


def test_records_are_the_rows_as_readers_see_them(store):
    ids = _imported(store)
    with store.engine.connect() as conn:
        stored = stored_json(conn, ids)
    assert set(stored) == set(ids)
    full = store.get_activities(ids)
    assert [a.to_json() for a in store.get_records(ids)] == [a.to_json() for a in full]
    assert json.loads(store.record_json(ids[0])) == full[0].to_json()


def test_a_queued_activity_is_read_from_its_rows_until_indexed(store):
    ids = _imported(store, 3)
    with store.engine.begin() as conn:
        conn.execute(RECORDS.update().where(RECORDS.c.activity_id == ids[0]).values(json='{"stale": true}'))
        conn.execute(insert(PENDING).values(activity_id=ids[0]))
    assert "stale" not in json.loads(store.record_json(ids[0]))
    assert store.get_records([ids[0]])[0].to_json() == store.get_activity(ids[0]).to_json()


def test_an_edit_rewrites_the_stored_record(store):
    ids = _imported(store, 3)
    edit(store, ids[1], {"title": {"en": "Corrected title of the record"}}, actor="editor", reason="typo")
    Searcher(store.engine).ensure_indexed()
    with store.engine.connect() as conn:
        stored = json.loads(stored_json(conn, [ids[1]])[ids[1]])
    assert stored["title"] == {"en": "Corrected title of the record"}


def test_a_deleted_activity_has_no_record(store):
    ids = _imported(store, 2)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM activities WHERE id = " + ("%s" if store.engine.dialect.name ==
                                                                      "postgresql" else "?"), (ids[0],))
    assert [a.id for a in store.get_records(ids)] == ids[1:]
