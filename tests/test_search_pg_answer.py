"""One statement answers a search page on PostgreSQL (`db/search_pg_answer.py`), with what the readers of
`search_pg.py` give one by one: size, page, facet counts, budget and flow totals."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from test_search_pg import same

from aidatlas.db.search import Searcher, SearchQuery
from aidatlas.db.search_index import FACETS
from aidatlas.db.search_pg_answer import answer
from aidatlas.db.search_pg_facets import facet_counts, facet_values
from aidatlas.ingest.documents import load_bytes
from aidatlas.records import Transaction, stable_id
from aidatlas.registry import open_store
from aidatlas.settings import Settings
from aidatlas.synthetic import synthetic_activities

QUERIES = [
    SearchQuery(q="water"),
    SearchQuery(q="water supply", sort="relevance", page=2, per_page=5),
    SearchQuery(q="water", filters={"country": ("BA",)}, sort="budget"),
    SearchQuery(filters={"country": ("BA", "RS"), "kind": ("project",)}, sort="title"),
    SearchQuery(q="social", filters={"year": ("none", "2009", "2011"), "country": ("BA", "RS")}),
    SearchQuery(filters={"funder": ("nobody",), "country": ("BA",)}),
    SearchQuery(min_eur=50_000, date_from="2012", sort="oldest"),
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from conftest import PG_URL, _pg_admin, _pg_database_url, _pg_reachable

    if not _pg_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}: the one-statement answer is not checked")
    import uuid

    name = f"aidatlas_answer_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        store = open_store(Settings(database_url=_pg_database_url(name)))
        activities = list(synthetic_activities(120, seed=5))
        for i, a in enumerate(activities):
            a.id = stable_id("answer", i)
            if a.budget and i % 2:
                a.transactions = [Transaction(type="2", date=a.dates.start, value=a.budget.value,
                                              currency=a.budget.currency)]
        store.save_document(load_bytes("a.txt", b"a document\n"), activities)
        yield Searcher(store.engine)
        store.engine.dispose()
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sorted(facets: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {f: sorted(values, key=lambda v: v.value) for f, values in facets.items()}  # unsorted: `top` sorts


@pytest.mark.parametrize("query", QUERIES, ids=[repr(q)[:70] for q in QUERIES])
def test_the_answer_equals_the_readers_one_by_one(searcher: Searcher, query: SearchQuery):
    pg = searcher._pg
    assert pg is not None
    with searcher._pg_view() as conn:
        got = answer(pg, conn, query, searcher._pg_result(conn, query), facets=True, totals=True)
        result = searcher._pg_result(conn, query)
        assert got.ids == pg.page(conn, query, result)
        assert got.size == pg.count(conn, query, result)
        assert _sorted(facet_values(query, got.counts, got.size, got.widened, FACETS)) == \
            _sorted(facet_counts(pg, conn, query, searcher._pg_result(conn, query), FACETS))
        assert same(got.budgets, pg.sums(conn, query, result, None))  # floats added in another order
        assert same(got.flows, pg.flow_totals(conn, query, result))
    assert got.ids or query.filters.get("funder") == ("nobody",)  # not vacuous


def test_a_search_page_finds_its_result_once(searcher: Searcher):
    """Counts, totals and page from one pass over the documents, not one per reader."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(searcher.engine, "before_cursor_execute", note)
    try:
        searcher.search(SearchQuery(q="water", filters={"country": ("BA",), "kind": ("project",)}), totals=True)
        searcher.search(SearchQuery(q="water"), totals=True)
    finally:
        event.remove(searcher.engine, "before_cursor_execute", note)
    assert sum("search_facets" in s for s in seen) == 2
