"""The after-write stages read a write's own rows (`Written.rows`) instead of fetching them back: what they build
from those rows must be exactly what they would build from the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from aidatlas.db.activity_records import record_json
from aidatlas.db.search_index import index_activities
from aidatlas.db.stages import Stage, Written
from aidatlas.db.store import Store
from aidatlas.iati_import import import_file
from aidatlas.ingest.documents import load_path
from aidatlas.ingest.pipeline import Extractor
from aidatlas.resolve.activities import ActivityMatcher
from aidatlas.synthetic import synthetic_activities

REAL_IATI = Path(__file__).resolve().parents[2] / "shared" / "data" / "iati" / "es-maec-indonesia.xml"
DOCS = Path(__file__).parent / "data" / "docs"


class _Compare(Stage):
    """Runs last, inside the write's transaction: the rows handed over against the rows stored."""

    def __init__(self) -> None:
        self.checked = self.indexed = self.flows = 0

    def written(self, conn: Connection, written: Written) -> None:
        ids = written.activity_ids
        assert set(written.rows.activities) == set(ids)
        stored = [record_json(a) for a in Store.read_activities(conn, ids)]
        assert [record_json(a) for a in Store.read_activities(conn, ids, given=written.rows)] == stored
        matcher = ActivityMatcher(conn)
        assert matcher.facts(ids, written.rows) == matcher.facts(ids)
        indexed = _index(conn, set(ids))
        index_activities(conn, ids)  # again, from the database this time
        assert _index(conn, set(ids)) == indexed
        self.checked += len(ids)
        self.indexed += len(indexed["docs"])
        self.flows += len(indexed.get("flows", ()))


def _fill(store: Store) -> list[str]:
    """Synthetic IATI records with transactions, a real IATI file, documents in five languages (of which
    several records of one document, and a record linked to an IATI record's activity)."""
    activities = list(synthetic_activities(40, seed=5))
    for i, a in enumerate(activities):
        a.iati_identifier, a.id = f"XI-STAGES-{i}", None
    store.import_activities(activities, source_name="synthetic", commit_every=15)
    if REAL_IATI.exists():
        assert import_file(store, REAL_IATI, store.settings).error is None
    extractor = Extractor()
    for path in sorted(DOCS.glob("*"))[:8]:
        if path.suffix in (".md", ".txt", ".html"):
            document = load_path(path)
            store.save_document(document, extractor.extract(document))
    return store.activity_ids()


def _index(conn: Connection, ids: set[str]) -> dict[str, Any]:
    """The search index and the stored records of `ids`, keyed by activity (document numbers differ between
    builds)."""
    def rows(sql: str) -> list[tuple[Any, ...]]:
        return sorted(tuple(r) for r in conn.execute(text(sql)) if r[0] in ids)

    out = {
        "records": rows("SELECT activity_id, json FROM activity_records"),
        "docs": rows("SELECT activity_id, text, title_text, doc_text, title_key, start_date, budget_value, "
                     "budget_currency, budget_eur FROM search_docs"),
        "postings": rows("SELECT d.activity_id, t.facet, t.value FROM search_postings p "
                         "JOIN search_docs d ON d.doc = p.doc JOIN search_terms t ON t.term = p.term"),
    }
    if conn.dialect.name == "postgresql":
        out["facets"] = rows("SELECT d.activity_id, array_to_string(ARRAY(SELECT t.facet || '=' || t.value FROM "
                             "unnest(f.terms) u JOIN search_terms t ON t.term = u ORDER BY 1), '|'), f.first_day, "
                             "f.last_day FROM search_facets f JOIN search_docs d ON d.doc = f.doc")
        out["flows"] = rows("SELECT d.activity_id, w.measure, w.currency, w.value, w.eur, w.year FROM search_flows w "
                            "JOIN search_docs d ON d.doc = w.doc")
        out["organisations"] = rows("SELECT d.activity_id, o.org, array_to_string(o.roles, '|'), "
                                    "array_to_string(o.countries, '|'), o.start_date, o.currency, o.value, o.eur "
                                    "FROM search_org_docs o JOIN search_docs d ON d.doc = o.doc")
    return out


def test_stages_see_from_the_written_rows_what_the_database_holds(store: Store):
    """Checked inside every write: the records, the matching facts and the search index (with the PostgreSQL
    facet and flow columns) built from the handed-over rows equal those built from the stored rows."""
    compare = _Compare()
    store.stages.append(compare)
    ids = _fill(store)
    assert compare.checked == len(ids) > 60
    assert compare.indexed > 60
    assert store.engine.dialect.name != "postgresql" or compare.flows > 20
