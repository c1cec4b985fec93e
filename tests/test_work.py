"""The editors' work page counts what waits: low-confidence records, sources changed under edits, open merge
proposals, open public reports — each count checked against the registry itself."""

from __future__ import annotations

from sqlalchemy import update
from web_fixtures import DOC, fill

from aidatlas.curation import edits, reports
from aidatlas.curation.work import work
from aidatlas.db.store import ACTIVITIES
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.registry import open_store
from aidatlas.resolve import decisions as dec


def test_counts_and_lists(sqlite_settings):
    store = open_store(sqlite_settings)
    record = fill(store, synthetic=5)[0]
    empty = work(store.engine)
    assert empty.counts == {"needs_review": 0, "source_changed": 0, "merge_proposals": 0, "reports": 0}

    unsure = next(i for i in store.activity_ids() if i.startswith("syn-"))
    with store.engine.begin() as conn:
        conn.execute(update(ACTIVITIES).where(ACTIVITIES.c.id == unsure).values(needs_review=True, confidence=0.4))
        dec.set_candidate(conn, dec.ORG, "org-a", "org-b", "open", score=0.85, evidence="test pair")
    edits.edit(store, record.id or "", {"budget": {"value": 1, "currency": "EUR"}}, actor="ana", reason="x")
    document = load_bytes("sheet.txt", DOC.replace(b"EUR 120,000", b"EUR 130,000"))
    store.save_document(document, Extractor().extract(document))
    newer = store.activity_ids(document_id=document.sha256)[0]
    reports.submit(store.engine, store.settings, newer, "The budget looks wrong to me.", address="10.0.0.9")

    found = work(store.engine)
    assert found.counts == {"needs_review": 1, "source_changed": 1, "merge_proposals": 1, "reports": 1}
    assert [r["id"] for r in found.source_changed] == [newer]
    assert [(r["id"], r["confidence"]) for r in found.needs_review] == [(unsure, 0.4)]
    assert found.source_changed[0]["title"] == store.get_activity(newer).primary_title()
    assert found.to_json()["reports"][0]["message"] == "The budget looks wrong to me."
    store.close()
