"""Search: filters (facets) + full text + facet counts + sort + pages, one query for the HTML pages and the API.

Full text runs on folded text (Latin script, no diacritics, lower case; see `normalize.script.fold`), built
when an activity is indexed and applied to the query too, so `Prijedor` finds `Приједор` and `Zvecan` finds
`Zvečan`: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL. Query syntax: words (all must occur),
"a phrase" in double quotes, and `word*` for a prefix.

Facets are AND across facets and OR within one facet (`country=BA&country=RS`: either). Counts are those of
the current result. Sorts: relevance (full-text rank; newest first when there are no words), newest, oldest,
title, budget (by the EUR value of the budget).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    and_,
    column,
    func,
    intersect,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.sql.elements import ColumnElement

from aidatlas.db.search_index import DOCS, FACETS, POSTINGS, TERMS, generation, index_pending, pending_count
from aidatlas.errors import AidatlasError
from aidatlas.normalize.script import fold

SORTS: dict[str, str] = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first",
                         "title": "Title A–Z", "budget": "Largest budget"}
MAX_PER_PAGE = 200
_FTS = table("search_fts", column("rowid"), column("rank"))
_TSV = literal_column("search_docs.tsv")
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


class QueryError(AidatlasError):
    """A search the registry cannot run: unknown facet or sort, page out of range."""


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    def __post_init__(self) -> None:
        unknown = sorted(set(self.filters) - set(FACETS))
        if unknown:
            raise QueryError(f"unknown filter {unknown[0]!r}; filters are {', '.join(FACETS)}")
        if self.sort not in SORTS:
            raise QueryError(f"unknown sort {self.sort!r}; sorts are {', '.join(SORTS)}")
        if self.page < 1 or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"page must be ≥ 1 and per_page between 1 and {MAX_PER_PAGE}")
        object.__setattr__(self, "filters", {k: tuple(dict.fromkeys(v)) for k, v in self.filters.items() if v})

    @property
    def is_everything(self) -> bool:
        return not self.filters and not terms_of(self.q)


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
    """Runs searches on one engine; caches the figures of the whole registry until the index changes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._lock = threading.Lock()
        self._cache: dict[Any, Any] = {}

    # -------------------------------------------------------------- index upkeep
    def ensure_indexed(self) -> int:
        """Index activities written since the last search (by any process); cheap when there are none."""
        with self.engine.connect() as conn:
            if not pending_count(conn):
                return 0
        with self._lock, self.engine.begin() as conn:
            return index_pending(conn)

    def cached(self, conn: Connection, key: Any, compute: Any) -> Any:
        gen = generation(conn)
        hit = self._cache.get(key)
        if hit is not None and hit[0] == gen:
            return hit[1]
        value = compute()
        if len(self._cache) > 256:
            self._cache.clear()
        self._cache[key] = (gen, value)
        return value

    # -------------------------------------------------------------- the query
    def matches(self, conn: Connection, query: SearchQuery) -> Select[Any] | None:
        """Doc ids matching `query`, as a subquery; None when it matches everything."""
        parts: list[Select[Any]] = []
        for facet, values in sorted(query.filters.items()):
            parts.append(select(POSTINGS.c.doc).join(TERMS, TERMS.c.term == POSTINGS.c.term)
                         .where(TERMS.c.facet == facet, TERMS.c.value.in_(values)))
        terms = terms_of(query.q)
        if terms:
            if self.dialect == "postgresql":
                parts.append(select(DOCS.c.doc).where(_TSV.op("@@")(func.to_tsquery("simple", _tsquery(terms)))))
            else:
                parts.append(select(_FTS.c.rowid.label("doc")).select_from(_FTS)
                             .where(text("search_fts MATCH :fts").bindparams(fts=_fts5_query(terms))))
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0].distinct() if len(next(iter(query.filters.values()), ())) > 1 else parts[0]
        return select(intersect(*parts).subquery().c[0])

    def _order(self, query: SearchQuery) -> list[ColumnElement[Any]]:
        sort = query.sort
        if sort == "relevance" and not terms_of(query.q):
            sort = "newest"
        key = {"newest": (DOCS.c.start_date, True), "oldest": (DOCS.c.start_date, False),
               "title": (DOCS.c.title_key, False), "budget": (DOCS.c.budget_eur, True)}.get(sort)
        if key is None:  # relevance with words: ordered in page_ids
            return []
        col, desc = key
        tiebreak = DOCS.c.doc.desc() if desc else DOCS.c.doc.asc()
        if self.dialect == "postgresql":
            return [col.desc().nulls_last() if desc else col.asc().nulls_last(), tiebreak]
        return [col.desc(), tiebreak] if desc else [col.is_(None), col.asc(), tiebreak]

    def ordered(self, query: SearchQuery, matches: Select[Any] | None) -> Select[Any]:
        stmt = select(DOCS.c.activity_id)
        if matches is not None:
            stmt = stmt.where(DOCS.c.doc.in_(matches))
        order = self._order(query)
        if order:
            return stmt.order_by(*order)
        terms = terms_of(query.q)
        if self.dialect == "postgresql":
            rank = func.ts_rank(_TSV, func.to_tsquery("simple", _tsquery(terms)))
            return stmt.order_by(rank.desc(), DOCS.c.doc)
        ranked = (select(_FTS.c.rowid.label("doc"), _FTS.c.rank.label("rank")).select_from(_FTS)
                  .where(text("search_fts MATCH :fts2").bindparams(fts2=_fts5_query(terms))).subquery())
        return stmt.join(ranked, ranked.c.doc == DOCS.c.doc).order_by(ranked.c.rank, DOCS.c.doc)

    def count(self, conn: Connection, matches: Select[Any] | None) -> int:
        if matches is None:
            return int(self.cached(conn, "total", lambda: conn.execute(
                select(func.count()).select_from(DOCS)).scalar_one()))
        return int(conn.execute(select(func.count()).select_from(matches.subquery())).scalar_one())

    def facet_counts(self, conn: Connection, query: SearchQuery, matches: Select[Any] | None,
                     limit: int = 12) -> dict[str, list[FacetValue]]:
        def compute() -> list[Any]:
            counts = select(POSTINGS.c.term, func.count().label("n"))
            if matches is not None:
                counts = counts.where(POSTINGS.c.doc.in_(matches))
            sub = counts.group_by(POSTINGS.c.term).subquery()
            return list(conn.execute(select(TERMS.c.facet, TERMS.c.value, TERMS.c.label, sub.c.n)
                                     .join(sub, sub.c.term == TERMS.c.term)))

        rows = self.cached(conn, "facets", compute) if matches is None else compute()
        by_facet: dict[str, list[FacetValue]] = {f: [] for f in FACETS}
        for r in rows:
            selected = r.value in query.filters.get(r.facet, ())
            by_facet[r.facet].append(FacetValue(r.value, r.label, r.n, selected))
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

    def search(self, query: SearchQuery, *, facets: bool = True, facet_limit: int = 12) -> SearchResult:
        self.ensure_indexed()
        with self.engine.connect() as conn:
            matches = self.matches(conn, query)
            total = self.count(conn, matches)
            offset = (query.page - 1) * query.per_page
            ids = list(conn.execute(self.ordered(query, matches).limit(query.per_page).offset(offset)).scalars())
            found = self.facet_counts(conn, query, matches, facet_limit) if facets else {}
        return SearchResult(query, total, ids, found)

    def iter_ids(self, query: SearchQuery, batch_size: int = 500) -> Iterator[list[str]]:
        """Every matching activity id in the query's order, in batches (for exports)."""
        self.ensure_indexed()
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch_size).execute(
                self.ordered(query, self.matches(conn, query)))
            for part in result.scalars().partitions(batch_size):
                yield list(part)

    # -------------------------------------------------------------- aggregates
    def aggregate(self, query: SearchQuery, by: str) -> list[dict[str, Any]]:
        """Per value of facet `by` within the result: activities, EUR total, and sums in original currencies."""
        if by not in FACETS:
            raise QueryError(f"unknown facet {by!r}")
        self.ensure_indexed()
        with self.engine.connect() as conn:
            matches = self.matches(conn, query)

            def compute() -> list[dict[str, Any]]:
                stmt = (select(TERMS.c.value, TERMS.c.label, DOCS.c.budget_currency, func.count().label("n"),
                               func.sum(DOCS.c.budget_value).label("original"),
                               func.sum(DOCS.c.budget_eur).label("eur"), func.count(DOCS.c.budget_eur).label("converted"))
                        .select_from(POSTINGS).join(TERMS, TERMS.c.term == POSTINGS.c.term)
                        .join(DOCS, DOCS.c.doc == POSTINGS.c.doc).where(TERMS.c.facet == by))
                if matches is not None:
                    stmt = stmt.where(POSTINGS.c.doc.in_(matches))
                stmt = stmt.group_by(TERMS.c.value, TERMS.c.label, DOCS.c.budget_currency)
                return _fold_currencies(conn.execute(stmt))

            if matches is None:
                return list(self.cached(conn, ("aggregate", by), compute))
            return compute()

    def totals(self, query: SearchQuery) -> dict[str, Any]:
        """Activities, EUR total and sums in original currencies of the whole result."""
        self.ensure_indexed()
        with self.engine.connect() as conn:
            matches = self.matches(conn, query)
            stmt = select(literal_column("'all'").label("value"), literal_column("'all'").label("label"),
                          DOCS.c.budget_currency, func.count().label("n"),
                          func.sum(DOCS.c.budget_value).label("original"), func.sum(DOCS.c.budget_eur).label("eur"),
                          func.count(DOCS.c.budget_eur).label("converted"))
            if matches is not None:
                stmt = stmt.where(DOCS.c.doc.in_(matches))
            rows = _fold_currencies(conn.execute(stmt.group_by(DOCS.c.budget_currency)))
        return rows[0] if rows else {"value": "all", "label": "all", "activities": 0, "eur": 0.0,
                                     "by_currency": {}, "unconverted": 0}

    def activity_ids_where(self, query: SearchQuery, extra: ColumnElement[bool] | None = None) -> Select[Any]:
        """`select(activity_id)` of the matching activities, for joins in page-specific queries."""
        stmt = select(DOCS.c.activity_id)
        with self.engine.connect() as conn:
            matches = self.matches(conn, query)
        conditions = [c for c in (DOCS.c.doc.in_(matches) if matches is not None else None, extra) if c is not None]
        return stmt.where(and_(*conditions)) if conditions else stmt


def _fold_currencies(rows: Any) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        item = out.setdefault(r.value, {"value": r.value, "label": r.label, "activities": 0, "eur": 0.0,
                                        "by_currency": {}, "unconverted": 0})
        item["activities"] += r.n
        if r.budget_currency:
            item["by_currency"][r.budget_currency] = item["by_currency"].get(r.budget_currency, 0.0) + (r.original or 0)
            item["eur"] += r.eur or 0.0
            item["unconverted"] += r.n - r.converted
    return sorted(out.values(), key=lambda i: (-i["eur"], -i["activities"], str(i["label"]).casefold()))
