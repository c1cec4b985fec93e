"""Search in PostgreSQL (`db/search_pg.py`) gives what the SQLite snapshot gives on the same data: pages, totals,
facet counts, sums, flows, exports — for words, phrases, prefixes, facets, ranges and every sort."""

from __future__ import annotations

import math
from typing import Any

import pytest

from aidatlas.db.search import Searcher, SearchQuery
from aidatlas.ingest.documents import load_bytes
from aidatlas.records import Activity, Dates, Money, Participant, Place, Source, Transaction, stable_id
from aidatlas.registry import open_store
from aidatlas.settings import Settings
from aidatlas.synthetic import synthetic_activities


def _activities() -> list[Activity]:
    out = []
    for i, a in enumerate(synthetic_activities(160, seed=11)):
        a.id = stable_id("pg", i)
        if a.budget and i % 3:
            a.transactions = [Transaction(type="2", date=a.dates.start, value=a.budget.value,
                                          currency=a.budget.currency),
                              Transaction(type="3" if i % 2 else "4", date=a.dates.end, value=a.budget.value / 2,
                                          currency=a.budget.currency if i % 5 else "XXX")]
        if i % 17 == 0:
            a.budget = None
        if i % 23 == 0:
            a.dates = Dates()
        out.append(a)
    out.append(Activity(id=stable_id("pg", "cyr"), kind="project", title={"sr-Cyrl": "Водоснабдијевање у Приједору"},
                        countries=["BA"], locations=[Place(name="Приједор", country="BA")],
                        participants=[Participant(name="Evropska unija", role="funder")],
                        budget=Money(value=195583, currency="BAM"), dates=Dates(start="2021-03"),
                        source=Source(document="c.txt")))
    return out


def _fill(settings: Settings) -> Searcher:
    store = open_store(settings)
    activities = _activities()
    for n in range(0, len(activities), 40):  # several documents, several index batches
        part = [a.model_copy(deep=True) for a in activities[n:n + 40]]
        store.save_document(load_bytes(f"d{n}.txt", f"document {n}\n".encode()), part)
    return Searcher(store.engine)


@pytest.fixture(scope="module")
def trio(tmp_path_factory: pytest.TempPathFactory, pg_template_module: str) -> tuple[Searcher, Searcher, Searcher]:
    """SQLite's searcher, PostgreSQL's, and the snapshot searcher on the PostgreSQL data (same doc ids, so ties in
    the orders are broken alike: doc ids are given in indexing order, which differs between the databases)."""
    lite = _fill(Settings(database_url=Settings.sqlite_url(tmp_path_factory.mktemp("lite") / "r.db")))
    pg = _fill(Settings(database_url=pg_template_module))
    snapshot = Searcher(pg.engine)
    snapshot._pg = None
    assert pg._pg is not None and lite._pg is None
    return lite, pg, snapshot


@pytest.fixture(scope="module")
def pg_template_module() -> Any:
    """A PostgreSQL database of this module's own, dropped afterwards (skips without a server)."""
    import uuid

    from conftest import PG_URL, _pg_admin, _pg_database_url, _pg_reachable

    if not _pg_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}: search in PostgreSQL is not checked")
    name = f"aidatlas_searchpg_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_database_url(name)
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def same(a: Any, b: Any) -> bool:
    """Equal, floats to 1e-9 relative (sums may be added in another order)."""
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


QUERIES = [
    SearchQuery(),
    SearchQuery(q="water"),
    SearchQuery(q="improving water supply", sort="relevance"),
    SearchQuery(q='"water supply"', filters={"country": ("BA",)}),
    SearchQuery(q="zve*"),
    SearchQuery(q="prijedor"),
    SearchQuery(q="no-such-word-anywhere"),
    SearchQuery(filters={"kind": ("project", "event"), "country": ("BA", "RS")}),
    SearchQuery(filters={"funder": ("nobody",)}),
    SearchQuery(filters={"year": ("2015",)}, sort="budget"),
    SearchQuery(sort="title", per_page=50, page=2),
    SearchQuery(sort="oldest", per_page=7, page=3),
    SearchQuery(sort="budget", per_page=100),
    SearchQuery(min_eur=100_000, max_eur=900_000, sort="budget"),
    SearchQuery(date_from="2015", date_to="2018-06", sort="oldest"),
    SearchQuery(q="youth", min_eur=1, date_from="2010-01-01", filters={"kind": ("project",)}),
    SearchQuery(q="water", filters={"year": ("none", "2015"), "country": ("BA",)}),
    SearchQuery(filters={"year": ("none",), "kind": ("project",), "country": ("BA", "RS", "XK")}),
    SearchQuery(q="water", filters={"country": ("BA",), "funder": ("nobody",), "kind": ("project",)}),
    SearchQuery(filters={"country": ("RS",), "kind": ("event",)}, min_eur=1, date_from="2012"),
]
"""the last four: facet counts of several chosen facets from one pass (`search_pg_facets._counted_together`)"""


@pytest.mark.parametrize("query", QUERIES, ids=[repr(q)[:80] for q in QUERIES])
def test_search_pages_counts_and_facets_equal_sqlite(trio: tuple[Searcher, Searcher, Searcher], query: SearchQuery):
    lite, pg, snapshot = trio
    a, b = lite.search(query, totals=True, facet_limit=5), pg.search(query, totals=True, facet_limit=5)
    assert b.total == a.total
    assert b.ids == snapshot.search(query, facets=False).ids
    everything = SearchQuery(q=query.q, filters=query.filters, sort=query.sort, per_page=200, min_eur=query.min_eur,
                             max_eur=query.max_eur, date_from=query.date_from, date_to=query.date_to)
    assert set(pg.search(everything, facets=False).ids) == set(lite.search(everything, facets=False).ids)
    assert b.facets == a.facets
    assert same(a.totals, b.totals)


@pytest.mark.parametrize("query", QUERIES[:9], ids=[repr(q)[:80] for q in QUERIES[:9]])
def test_sums_breakdown_values_and_exports_equal_sqlite(trio: tuple[Searcher, Searcher, Searcher],
                                                        query: SearchQuery):
    lite, pg, snapshot = trio
    for facet in ("country", "funder", "year", "municipality"):
        assert same(lite.aggregate(query, facet), pg.aggregate(query, facet))
        assert lite.facet_values(query, facet) == pg.facet_values(query, facet)
        assert lite.facet_all(query, facet) == pg.facet_all(query, facet)
    assert same(lite.breakdown(query), pg.breakdown(query))
    assert same(lite.totals(query), pg.totals(query))
    exported = [i for batch in pg.iter_ids(query, 17) for i in batch]
    assert exported == [i for batch in snapshot.iter_ids(query, 17) for i in batch]
    assert sorted(exported) == sorted(i for batch in lite.iter_ids(query, 17) for i in batch)


def test_the_postgresql_searcher_holds_no_snapshot(trio: tuple[Searcher, Searcher, Searcher]):
    pg = trio[1]
    pg.search(SearchQuery(q="water"), totals=True)
    pg.breakdown(SearchQuery())
    assert pg._snapshot is None
    assert pg.generation() >= 1


def test_postgresql_keeps_facet_terms_once_and_migration_0012_moves_old_postings(pg_settings: Settings):
    """No postings on PostgreSQL (the terms array is the index); the migration empties what older versions wrote,
    and its downgrade writes them back from the arrays."""
    from alembic import command
    from sqlalchemy import text

    from aidatlas.db.engine import alembic_config, upgrade

    searcher = _fill(pg_settings)
    engine = searcher.engine

    def counts() -> tuple[int, int]:
        with engine.connect() as conn:
            return (conn.execute(text("SELECT count(*) FROM search_postings")).scalar_one(),
                    conn.execute(text("SELECT count(*) FROM search_facets, unnest(terms)")).scalar_one())

    postings, terms = counts()
    assert postings == 0 and terms > 100
    command.downgrade(alembic_config(engine), "0011")
    assert counts() == (terms, terms)
    upgrade(engine)
    assert counts() == (0, terms)
    assert searcher.search(SearchQuery(q="water"), facets=True).facets


def test_concurrent_index_writers_do_not_queue_on_the_generation_and_0013_folds_its_slots(pg_settings: Settings):
    """Two import workers each write to the index in their own open transaction: before migration 0013 the
    second waited on the one generation row until the first committed; now each bumps its own slot and the
    generation (the slots' sum) still counts both writes; the downgrade folds the slots back into one row."""
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from aidatlas.db.engine import alembic_config, upgrade
    from aidatlas.db.search_index import generation

    engine = _fill(pg_settings).engine
    write = text("DELETE FROM search_docs WHERE activity_id = 'none'")  # its statement trigger bumps the generation

    def second_writer_waits() -> bool:
        with engine.connect() as first, engine.connect() as second:
            first.execute(write)
            second.execute(text("SET lock_timeout = '1s'"))
            try:
                second.execute(write)
            except OperationalError:
                return True
            finally:
                first.commit()
            second.commit()
            return False

    with engine.connect() as conn:
        before = generation(conn)
    assert not second_writer_waits()
    with engine.connect() as conn:
        assert generation(conn) == before + 2
        slots = conn.execute(text("SELECT count(*) FROM search_meta WHERE key LIKE 'generation:%'")).scalar_one()
    assert slots >= 1
    command.downgrade(alembic_config(engine), "0012")
    with engine.connect() as conn:
        assert generation(conn) == before + 2
        assert conn.execute(text("SELECT count(*) FROM search_meta")).scalar_one() == 1
    assert second_writer_waits()  # the single row: what 0013 removed
    upgrade(engine)
