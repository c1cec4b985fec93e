"""Search: filters (facets) + full text + facet counts + sort + pages, one query for the HTML pages and the API.

Full text runs on folded text (Latin script, no diacritics, lower case; see `normalize.script.fold`), built
when an activity is indexed and applied to the query too, so `Prijedor` finds `Приједор` and `Zvecan` finds
`Zvečan`: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL. Query syntax: words (all must occur),
"a phrase" in double quotes, and `word*` for a prefix.

Facets are AND across facets and OR within one facet (`country=BA&country=RS`: either). Counts are those of
the current result. Sorts: relevance (activities whose title has the words first, then the others; newest
first within each, and newest first when there are no words), newest, oldest, title, budget (by the EUR
value of the budget; see `reference/rates.py`).

On SQLite the database answers the full-text part; filters, counts, sums and sort orders run on a columnar
snapshot of the index (`search_snapshot.py`), reloaded when the index changes. On PostgreSQL all of it runs in
the database (`search_pg.py`), so a web process's memory does not grow with the registry.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, column, func, select, table, text

from aidatlas.db.search_index import FACETS, generation, index_pending, pending_count
from aidatlas.db.search_pg import PgSearch
from aidatlas.db.search_ranges import check_ranges
from aidatlas.db.search_snapshot import Mask, Snapshot, load_snapshot
from aidatlas.db.tables import batched
from aidatlas.errors import QueryError
from aidatlas.normalize.script import fold

SORTS: dict[str, str] = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first",
                         "title": "Title A–Z", "budget": "Largest budget"}
MAX_PER_PAGE = 200
_FTS = table("search_fts", column("rowid"), column("rank"))
_TEXT = table("search_text", column("doc"), column("tsv"), column("title_tsv"))  # PostgreSQL only
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    min_eur: float | None = None
    max_eur: float | None = None
    """the budget in EUR (by the one conversion rule) within these bounds, inclusive"""
    date_from: str | None = None
    date_to: str | None = None
    """the activity's period overlaps [date_from, date_to] (ISO dates of any precision)"""

    def __post_init__(self) -> None:
        check_ranges(self.min_eur, self.max_eur, self.date_from, self.date_to)
        unknown = sorted(set(self.filters) - set(FACETS))
        if unknown:
            raise QueryError(f"unknown filter {unknown[0]!r}; filters are {', '.join(FACETS)}")
        if self.sort not in SORTS:
            raise QueryError(f"unknown sort {self.sort!r}; sorts are {', '.join(SORTS)}")
        if self.page < 1 or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"page must be ≥ 1 and per_page between 1 and {MAX_PER_PAGE}")
        object.__setattr__(self, "filters", {k: tuple(dict.fromkeys(v)) for k, v in self.filters.items() if v})

    @property
    def has_ranges(self) -> bool:
        return any(v is not None for v in (self.min_eur, self.max_eur, self.date_from, self.date_to))

    @property
    def is_everything(self) -> bool:
        return not self.filters and not terms_of(self.q) and not self.has_ranges


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    query: SearchQuery
    total: int
    ids: list[str]
    facets: dict[str, list[FacetValue]]
    totals: dict[str, Any] | None = None
    """budget, committed and disbursed of the whole result (`Searcher.totals`), when asked for"""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


@dataclass(frozen=True)
class Term:
    """One word or phrase of a query, folded; `prefix` for `word*`."""

    words: tuple[str, ...]
    prefix: bool = False


def terms_of(q: str) -> list[Term]:
    out = []
    for phrase, word in _TOKEN.findall(q or ""):
        prefix = bool(word) and word.endswith("*")
        words = tuple(fold(phrase or word).split())
        if words:
            out.append(Term(words, prefix))
    return out


def _fts5_query(terms: Sequence[Term]) -> str:
    return " ".join('"' + " ".join(t.words) + '"' + ("*" if t.prefix else "") for t in terms)


def _tsquery(terms: Sequence[Term]) -> str:
    return " & ".join("(" + " <-> ".join(t.words) + (":*" if t.prefix else "") + ")" for t in terms)


class Searcher:
    """Runs searches on one engine: one per process (the web app holds one), safe to share between threads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._pg = PgSearch(engine) if self.dialect == "postgresql" else None
        """PostgreSQL: every answer from the database, no snapshot"""

    # -------------------------------------------------------------- index upkeep
    def ensure_indexed(self) -> int:
        """Index activities written since the last search (by any process); cheap when there are none."""
        with self.engine.connect() as conn:
            if not pending_count(conn):
                return 0
        with self._lock, self.engine.begin() as conn:
            return index_pending(conn)

    def generation(self) -> int:
        """The index's generation after indexing pending activities (caches of whole-registry figures key on it)."""
        if self._pg is None:
            return self.snapshot().generation
        self.ensure_indexed()
        with self.engine.connect() as conn:
            return generation(conn)

    def _pg_view(self) -> Any:
        """One consistent view of the index for the several queries of one PostgreSQL answer."""
        self.ensure_indexed()
        return self.engine.connect().execution_options(isolation_level="REPEATABLE READ")

    def snapshot(self) -> Snapshot:
        """The current snapshot of the index, indexing pending activities and reloading first when needed."""
        self.ensure_indexed()
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":  # one view of the index for all the loader's queries
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            gen = generation(conn)
            current = self._snapshot
            if current is not None and current.generation == gen:
                return current
            with self._lock:
                current = self._snapshot
                if current is None or current.generation != gen:
                    current = self._snapshot = load_snapshot(conn, gen)
            return current

    # -------------------------------------------------------------- the query
    def _text_docs(self, conn: Connection, terms: list[Term], titles: bool) -> tuple[list[int], list[int] | None]:
        """Doc ids whose text has the words and, when asked, those whose title has them."""
        if self.dialect == "postgresql":
            tsq = func.to_tsquery("simple", _tsquery(terms))
            matching = _TEXT.c.tsv.op("@@")(tsq)
            if not titles:
                return list(conn.execute(select(_TEXT.c.doc).where(matching)).scalars()), None
            rows = conn.execute(select(_TEXT.c.doc, _TEXT.c.title_tsv.op("@@")(tsq)).where(matching)).all()
            return [r[0] for r in rows], [r[0] for r in rows if r[1]]
        fts = _fts5_query(terms)
        match = select(_FTS.c.rowid).select_from(_FTS)
        docs = list(conn.execute(match.where(text("search_fts MATCH :fts").bindparams(fts=fts))).scalars())
        if not titles:
            return docs, None
        title = "title_key : (" + fts + ")"
        return docs, list(conn.execute(match.where(text("search_fts MATCH :fts").bindparams(fts=title))).scalars())

    def mask(self, snap: Snapshot, query: SearchQuery) -> tuple[Mask | None, Mask | None]:
        """The result as a mask over the snapshot (None: everything) and, with words, the title matches."""
        mask: Mask | None = None
        for facet, values in query.filters.items():
            part = snap.mask_of_terms(facet, values)
            mask = part if mask is None else mask & part
        if query.has_ranges:
            within = snap.ranges.mask(snap.eur, query.min_eur, query.max_eur, query.date_from, query.date_to)
            if within is not None:
                mask = within if mask is None else mask & within
        terms = terms_of(query.q)
        titles: Mask | None = None
        if terms:
            with self.engine.connect() as conn:
                docs, title_docs = self._text_docs(conn, terms, titles=query.sort == "relevance")
            part = snap.mask_of_docs(docs)
            titles = None if title_docs is None else snap.mask_of_docs(title_docs)
            mask = part if mask is None else mask & part
        return mask, titles

    def search(self, query: SearchQuery, *, facets: bool = True, facet_limit: int = 12,
               totals: bool = False) -> SearchResult:
        if self._pg is not None:
            with self._pg_view() as conn:
                result = self._pg.result(conn, query, terms_of(query.q))
                found = facet_lists(self._pg.term_counts(conn, query, result), query, facet_limit) if facets else {}
                summed = {**(self._pg.sums(conn, query, result, None) or [_NO_BUDGETS])[0],
                          **self._pg.flow_totals(conn, query, result)} if totals else None
                count = summed["activities"] if summed else self._pg.count(conn, query, result)  # one query less
                return SearchResult(query, count, self._pg.page(conn, query, result), found, summed)
        snap = self.snapshot()
        mask, titles = self.mask(snap, query)
        order = snap.ordered(mask, "newest" if query.sort == "relevance" else query.sort, titles)
        offset = (query.page - 1) * query.per_page
        ids = [snap.activity_ids[p] for p in order[offset:offset + query.per_page]]
        found = self._facets(snap, query, mask, facet_limit) if facets else {}
        summed = {**snap.total(mask), **snap.flows.totals(mask)} if totals else None
        return SearchResult(query, len(order), ids, found, summed)

    def _facets(self, snap: Snapshot, query: SearchQuery, mask: Mask | None,
                limit: int) -> dict[str, list[FacetValue]]:
        counts = snap.term_counts(mask)
        return facet_lists(((snap.facets[snap.term_facet[t]], snap.term_value[t], snap.term_label[t], int(counts[t]))
                            for t in np.flatnonzero(counts)), query, limit)

    def iter_ids(self, query: SearchQuery, batch_size: int = 500) -> Iterator[list[str]]:
        """Every matching activity id in the query's order, in batches (for exports)."""
        if self._pg is not None:
            with self._pg_view() as conn:
                result = self._pg.result(conn, query, terms_of(query.q))
            yield from self._pg.iter_ids(query, result, batch_size)
            return
        snap = self.snapshot()
        mask, titles = self.mask(snap, query)
        order = snap.ordered(mask, "newest" if query.sort == "relevance" else query.sort, titles)
        for chunk in batched(order.tolist(), batch_size):
            yield [snap.activity_ids[p] for p in chunk]

    # -------------------------------------------------------------- aggregates
    def aggregate(self, query: SearchQuery, by: str) -> list[dict[str, Any]]:
        """Per value of facet `by` within the result: activities, EUR total, sums in original currencies."""
        if by not in FACETS:
            raise QueryError(f"unknown facet {by!r}; facets are {', '.join(FACETS)}")
        if self._pg is not None:
            with self._pg_view() as conn:
                return self._pg.sums(conn, query, self._pg.result(conn, query, terms_of(query.q)), by)
        snap = self.snapshot()
        return snap.sums(self.mask(snap, query)[0], by)

    def totals(self, query: SearchQuery) -> dict[str, Any]:
        """Activities, EUR total and sums in original currencies of the whole result's budgets, and its
        `committed` and `disbursed` transactions likewise (`db.flow_totals`)."""
        if self._pg is not None:
            with self._pg_view() as conn:
                result = self._pg.result(conn, query, terms_of(query.q))
                return {**(self._pg.sums(conn, query, result, None) or [_NO_BUDGETS])[0],
                        **self._pg.flow_totals(conn, query, result)}
        snap = self.snapshot()
        mask = self.mask(snap, query)[0]
        return {**snap.total(mask), **snap.flows.totals(mask)}

    def breakdown(self, query: SearchQuery, limit: int = 10) -> dict[str, Any]:
        """What the money charts of a result draw: per year the budgets (by start year) and the EUR committed
        and disbursed (by the transactions' own years); budgets by sector, funder and country (top `limit`)."""
        if self._pg is not None:
            with self._pg_view() as conn:
                result = self._pg.result(conn, query, terms_of(query.q))
                pg = self._pg
                return _breakdown(lambda facet: pg.sums(conn, query, result, facet),
                                  pg.flows_by_year(conn, query, result), limit)
        snap = self.snapshot()
        mask = self.mask(snap, query)[0]
        return _breakdown(lambda facet: snap.sums(mask, facet), snap.flows.by_year(mask), limit)

    def facet_values(self, query: SearchQuery, facet: str) -> list[FacetValue]:
        """Every value of one facet in the result, with counts, largest first (for maps and full lists)."""
        if self._pg is not None:
            with self._pg_view() as conn:
                rows = self._pg.term_counts(conn, query, self._pg.result(conn, query, terms_of(query.q)), facet)
            found = [FacetValue(value, label, n) for _f, value, label, n in rows]
        else:
            snap = self.snapshot()
            counts = snap.term_counts(self.mask(snap, query)[0])
            fid = snap.facets.index(facet)
            found = [FacetValue(snap.term_value[t], snap.term_label[t], int(counts[t]))
                     for t in np.flatnonzero(counts) if snap.term_facet[t] == fid]
        return sorted(found, key=lambda v: (-v.count, v.label.casefold()))


_NO_BUDGETS: dict[str, Any] = {"value": "all", "label": "all", "activities": 0, "eur": 0.0, "by_currency": {},
                               "unconverted": 0}


def _breakdown(sums: Any, flows_by_year: dict[int, dict[str, float]], limit: int) -> dict[str, Any]:
    years: dict[int, dict[str, float]] = {}
    for row in sums("year"):
        years.setdefault(int(row["value"]), {"budget": 0.0, "committed": 0.0, "disbursed": 0.0})["budget"] = \
            row["eur"]
    for year, flow_sums in flows_by_year.items():
        years.setdefault(year, {"budget": 0.0, "committed": 0.0, "disbursed": 0.0}).update(flow_sums)
    return {"by_year": [{"year": y, **v} for y, v in sorted(years.items()) if any(v.values())],
            **{f"by_{facet}": sums(facet)[:limit] for facet in ("sector", "funder", "country")}}


def facet_lists(counts: Iterable[tuple[str, str, str, int]], query: SearchQuery,
                limit: int) -> dict[str, list[FacetValue]]:
    """Each facet's values from (facet, value, label, count): years newest first, the others largest first;
    the top `limit`, plus the selected ones (with 0 when the result has none)."""
    by_facet: dict[str, list[FacetValue]] = {f: [] for f in FACETS}
    for facet, value, label, count in counts:
        if facet in by_facet:
            by_facet[facet].append(FacetValue(value, label, count, value in query.filters.get(facet, ())))
    for facet, values in by_facet.items():
        if facet == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label.casefold()))
        kept = values[:limit] + [v for v in values[limit:] if v.selected]
        shown = {v.value for v in kept}
        missing = [FacetValue(v, v, 0, True) for v in query.filters.get(facet, ()) if v not in shown]
        by_facet[facet] = kept + missing
    return by_facet
