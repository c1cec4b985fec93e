"""Full-text ids from the driver: compact arrays, title matches flagged in one statement, kept per generation."""

from __future__ import annotations

import numpy as np

from aidatlas.db.search import Searcher, SearchQuery, fts_ids, terms_of
from aidatlas.records import Activity, Source, stable_id
from aidatlas.registry import open_store


def _activity(i: int, title: str, description: str) -> Activity:
    return Activity(id=stable_id("txt", i), kind="project", title={"en": title},
                    description={"en": description}, source=Source(document="t.txt"))


def _save(store, activities, name):
    from aidatlas.ingest.documents import load_bytes
    store.save_document(load_bytes(name, f"text of {name}\n".encode()), activities)


def test_text_and_title_matches_come_back_as_int64_arrays(sqlite_settings):
    store = open_store(sqlite_settings)
    _save(store, [_activity(1, "Beekeeping cooperative", "honey"), _activity(2, "Honey market", "beekeeping"),
                  _activity(3, "Roads", "asphalt")], "a.txt")
    searcher = Searcher(store.engine)
    searcher.ensure_indexed()
    with store.engine.connect() as conn:
        docs, (titles, fields) = searcher._text_docs(conn, terms_of("beekeeping"), tiers=True)
        plain = fts_ids(conn, "SELECT rowid FROM search_fts WHERE search_fts MATCH ?", ('"asphalt"',))
    assert docs.dtype == titles.dtype == fields.dtype == np.int64
    assert len(docs) == 2 and len(titles) == 1 and set(titles) <= set(fields) <= set(docs)
    assert len(plain) == 1 and plain.dtype == np.int64
    result = searcher.search(SearchQuery(q="beekeeping"))
    assert result.ids == [stable_id("txt", 1), stable_id("txt", 2)]  # the title match first
    store.close()


def test_a_kept_text_result_does_not_outlive_a_write(sqlite_settings):
    store = open_store(sqlite_settings)
    _save(store, [_activity(1, "Beekeeping cooperative", "honey")], "a.txt")
    searcher = Searcher(store.engine)
    assert searcher.search(SearchQuery(q="honey")).total == 1
    assert searcher.search(SearchQuery(q="honey")).total == 1  # from the kept masks
    _save(store, [_activity(2, "Honey market", "stalls")], "b.txt")
    assert searcher.search(SearchQuery(q="honey")).total == 2
    store.close()
