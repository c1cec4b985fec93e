"""Saved snapshots: mapped back with the same answers, one folder per generation, rebuilt after a write."""

from __future__ import annotations

import numpy as np

from aidatlas.db import snapshot_files
from aidatlas.db.search import Searcher, SearchQuery
from aidatlas.registry import open_store
from aidatlas.synthetic import synthetic_activities


def _store(settings, n=40, start=0):
    store = open_store(settings)
    batch = list(synthetic_activities(n))
    for i, a in enumerate(batch):
        a.iati_identifier, a.id = f"XI-SNAP-{start + i}", None
    store.import_activities(batch, source_name="snapshot test")
    return store


QUERIES = [SearchQuery(), SearchQuery(q="water"), SearchQuery(sort="budget", per_page=50),
           SearchQuery(sort="title", page=2, per_page=7), SearchQuery(filters={"kind": ("project",)}, sort="oldest")]


def _answers(searcher):
    out = []
    for q in QUERIES:
        r = searcher.search(q, totals=True)
        out.append((r.total, r.ids, {f: [(v.value, v.count) for v in vs] for f, vs in r.facets.items()}, r.totals))
    return out


def test_a_saved_snapshot_answers_as_the_built_one(sqlite_settings):
    store = _store(sqlite_settings)
    built = Searcher(store.engine)
    folder = snapshot_files.folder_of(store.engine)
    assert folder is not None
    first = _answers(built)
    saved = list(folder.iterdir())
    assert len(saved) == 1
    mapped = Searcher(store.engine)  # a second process, starting: maps the saved folder
    snap = mapped.snapshot()
    assert isinstance(snap.docs, np.memmap)
    assert _answers(mapped) == first
    assert list(snap.activity_ids) == list(built.snapshot().activity_ids)
    store.close()


def test_a_write_makes_a_new_folder_and_drops_the_old(sqlite_settings):
    store = _store(sqlite_settings, 20)
    searcher = Searcher(store.engine)
    before = searcher.search(SearchQuery()).total
    folder = snapshot_files.folder_of(store.engine)
    old = {p.name for p in folder.iterdir()}
    more = list(synthetic_activities(5))
    for i, a in enumerate(more):
        a.iati_identifier, a.id = f"XI-SNAP-NEW-{i}", None
    store.import_activities(more, source_name="more")
    assert searcher.search(SearchQuery()).total == before + 5
    now = {p.name for p in folder.iterdir()}
    assert len(now) == 1 and now != old
    store.close()


def test_no_files_for_postgresql_or_memory(pg_settings):
    store = open_store(pg_settings)
    assert snapshot_files.folder_of(store.engine) is None
    store.close()


def test_strings_column_round_trips_unicode():
    column = snapshot_files.Strings.of(["a", "Приједор-1", ""])
    assert list(column) == ["a", "Приједор-1", ""] and column[1] == "Приједор-1" and column[0:2] == ["a", "Приједор-1"]
