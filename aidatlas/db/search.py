"""Search: filters (facets) + full text + facet counts + sort + pages, one query for the HTML pages and the API.

Full text runs on folded, stemmed text (Latin script, no diacritics, lower case, case endings off; see
`normalize.script.fold` and `normalize.stem`), built when an activity is indexed and applied to the query
too, so `Prijedor` finds `Приједор`, `Zvecan` finds `Zvečan` and `Bosna` finds `Bosni`: FTS5 on SQLite, a
tsvector with a GIN index on PostgreSQL. A query word or phrase that names a place or country also matches
the place's other names (`normalize.variants`: `Pristina` finds `Prishtinë` and `Приштина`). Query syntax:
words (all must occur), "a phrase" in double quotes, `word*` for a prefix, `a OR b` for either. Relevance
ranks in three tiers: the words in a title, then in the record's other fields, then only in its source
document's text (see docs/search.md). A query that finds nothing comes with suggestions
(`search_suggest.py`).

Facets are AND across facets and OR within one facet (`country=BA&country=RS`: either); `year=none` is the
activities without a start year. Counts say what clicking a value would give (`facet_counts.py`): within the
result for a facet with no choice, "+n added" for the other values of a facet with one.

Sorts: relevance (the three tiers above; newest first within each, and newest first when there are no words),
newest, oldest, title, budget (by the EUR
value of the budget; see `reference/rates.py`).

On SQLite the database answers the full-text part; filters, counts, sums and sort orders run on a columnar
snapshot of the index (`search_snapshot.py`), reloaded when the index changes. On PostgreSQL all of it runs in
the database (`search_pg.py`), so a web process's memory does not grow with the registry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Engine, case, column, func, select, table

from aidatlas.db import snapshot_files
from aidatlas.db.facet_counts import FacetCounter, FacetValue, both, ordered, top
from aidatlas.db.search_index import FACETS, generation, index_pending, pending_count, place_variants
from aidatlas.db.search_pg import PgSearch
from aidatlas.db.search_pg_answer import answer as pg_answer
from aidatlas.db.search_pg_facets import facet_counts as pg_facet_counts
from aidatlas.db.search_pg_facets import facet_values
from aidatlas.db.search_ranges import check_ranges
from aidatlas.db.search_snapshot import Mask, Snapshot, load_snapshot
from aidatlas.db.search_suggest import Suggestions, Vocabulary, corrections, relaxed
from aidatlas.db.search_text import (
    FLAGGED_FTS,
    Term,
    fts5_query,
    fts_ids,
    ids_of,
    split_flagged,
    terms_of,
    tsquery,
    with_variants,
)
from aidatlas.db.tables import batched
from aidatlas.errors import QueryError
from aidatlas.normalize.variants import Variants

SORTS: dict[str, str] = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first",
                         "title": "Title A–Z", "budget": "Largest budget"}
MAX_PER_PAGE = 200
TEXT_CACHE_SIZE = 64
"""full-text results kept per process (a few masks each: 100 kB apiece at 100,000 activities)"""
_TEXT = table("search_text", column("doc"), column("tsv"), column("title_tsv"), column("fields_tsv"))  # PostgreSQL
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


@dataclass
class SearchResult:
    query: SearchQuery
    total: int
    ids: list[str]
    facets: dict[str, list[FacetValue]]
    totals: dict[str, Any] | None = None
    """budget, committed and disbursed of the whole result (`Searcher.totals`), when asked for"""
    facet_sizes: dict[str, int] = field(default_factory=dict)
    """how many values each facet has to offer (`facets` holds the top ones; `Searcher.facet_all` every one)"""
    suggestions: Suggestions | None = None
    """for words that found nothing: corrected queries and the query with any of the words"""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


class Searcher:
    """Runs searches on one engine: one per process (the web app holds one), safe to share between threads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._vocabulary: Vocabulary | None = None
        self._counter: FacetCounter | None = None
        self._text_cache: OrderedDict[tuple[int, tuple[Term, ...], bool], tuple[Mask, list[Mask]]] = OrderedDict()
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
                    current = self._snapshot = self._load(conn, gen)
            return current

    def _load(self, conn: Connection, gen: int) -> Snapshot:
        """The snapshot of generation `gen`: mapped from its saved files when a SQLite file has them, else
        built from the index (and saved, for the next start and the other processes)."""
        folder = snapshot_files.folder_of(self.engine)
        if folder is None:
            return load_snapshot(conn, gen)
        saved = folder / snapshot_files.key_of(conn, gen, folder.with_name(folder.name.removesuffix(".snapshot")))
        found = snapshot_files.load(saved)
        if found is not None:
            return found
        built = load_snapshot(conn, gen)
        try:
            snapshot_files.save(built, saved)
        except OSError:  # a read-only folder: serve from memory
            return built
        return snapshot_files.load(saved) or built

    # -------------------------------------------------------------- the query
    def _text_docs(self, conn: Connection, terms: list[Term],
                   tiers: bool) -> tuple[NDArray[np.int64], list[NDArray[np.int64]]]:
        """Doc ids whose text has the words and, when asked, those whose title has them and those whose
        title or other fields have them (the rest have them only in their source document)."""
        if self.dialect == "postgresql":
            tsq = func.to_tsquery("simple", tsquery(terms))
            matching = _TEXT.c.tsv.op("@@")(tsq)
            if not tiers:
                return ids_of(conn.execute(select(_TEXT.c.doc).where(matching)).all()), []
            rows = conn.execute(select(_TEXT.c.doc * 4 + case((_TEXT.c.title_tsv.op("@@")(tsq), 2), else_=0)
                                       + case((_TEXT.c.fields_tsv.op("@@")(tsq), 1), else_=0))
                                .where(matching)).all()
            return split_flagged(ids_of(rows))
        fts = fts5_query(terms)
        if not tiers:
            return fts_ids(conn, "SELECT rowid FROM search_fts WHERE search_fts MATCH ?", (fts,)), []
        # one statement: each match's id times four, plus two when its title has the words, one for its fields
        return split_flagged(fts_ids(conn, FLAGGED_FTS,
                                      (fts, "title_text : (" + fts + ")", "{title_text text} : (" + fts + ")")))

    def variants(self) -> Variants:
        return place_variants()

    def _pg_result(self, conn: Connection, query: SearchQuery) -> Any:
        assert self._pg is not None
        return self._pg.result(conn, query, tsquery(self.terms(query.q)))

    def terms(self, q: str) -> list[Term]:
        """The query's words, each with the other names of the place it names."""
        return with_variants(terms_of(q), self.variants())

    def counter(self, snap: Snapshot) -> FacetCounter:
        """The facet counter of this snapshot (made again when the snapshot is)."""
        counter = self._counter
        if counter is None or counter.snap is not snap:
            counter = self._counter = FacetCounter(snap)
        return counter

    def parts(self, snap: Snapshot, query: SearchQuery) -> tuple[Mask | None, dict[str, Mask], list[Mask]]:
        """The result in parts: the words and ranges (None: everything), each chosen facet's mask, and, with
        words sorted by relevance, the masks of the better tiers (title matches, then field matches)."""
        base: Mask | None = None
        if query.has_ranges:
            base = snap.ranges.mask(snap.eur, query.min_eur, query.max_eur, query.date_from, query.date_to)
        terms = self.terms(query.q)
        tiers: list[Mask] = []
        if terms:
            part, kept_tiers = self._text_masks(snap, terms, tiers=query.sort == "relevance")
            base = part.copy() if base is None else base & part  # the kept masks stay read-only, callers' are theirs
            tiers = [t.copy() for t in kept_tiers]
        counter = self.counter(snap)
        filters = {facet: counter.filter_mask(facet, values) for facet, values in query.filters.items()}
        return base, filters, tiers

    def mask(self, snap: Snapshot, query: SearchQuery) -> tuple[Mask | None, list[Mask]]:
        """The result as a mask over the snapshot (None: everything) and, with words, its better tiers."""
        mask, filters, tiers = self.parts(snap, query)
        for part in filters.values():
            mask = both(mask, part)
        return mask, tiers

    def _text_masks(self, snap: Snapshot, terms: list[Term], tiers: bool) -> tuple[Mask, list[Mask]]:
        """The full-text matches (and, when asked, the better tiers) as masks over the snapshot, kept for the
        snapshot's generation: a common word costs its transfer from the database once, then a look-up."""
        key = (snap.generation, tuple(terms), tiers)
        with self._lock:
            found = self._text_cache.get(key)
            if found is not None:
                self._text_cache.move_to_end(key)
                return found
        with self.engine.connect() as conn:
            docs, tier_docs = self._text_docs(conn, terms, tiers=tiers)
        found = snap.mask_of_docs(docs), [snap.mask_of_docs(t) for t in tier_docs]
        for mask in (found[0], *found[1]):
            mask.flags.writeable = False
        with self._lock:
            self._text_cache[key] = found
            for stale in [k for k in self._text_cache if k[0] != snap.generation]:
                del self._text_cache[stale]
            while len(self._text_cache) > TEXT_CACHE_SIZE:
                self._text_cache.popitem(last=False)
        return found

    def search(self, query: SearchQuery, *, facets: bool = True, facet_limit: int = 12,
               totals: bool = False) -> SearchResult:
        if self._pg is not None:
            return self._pg_search(self._pg, query, facets, facet_limit, totals)
        snap = self.snapshot()
        base, filters, tiers = self.parts(snap, query)
        mask = base
        for part in filters.values():
            mask = both(mask, part)
        order = snap.ordered(mask, "newest" if query.sort == "relevance" else query.sort, tiers)
        offset = (query.page - 1) * query.per_page
        ids = [snap.activity_ids[int(p)] for p in order[offset:offset + query.per_page]]
        found: dict[str, list[FacetValue]] = {}
        sizes: dict[str, int] = {}
        if facets:
            counted = self.counter(snap).count(base, filters, query.filters)
            found = {f: top(f, values, facet_limit, query.filters.get(f, ())) for f, values in counted.items()}
            sizes = {f: len(values) for f, values in counted.items()}
        summed = {**snap.total(mask), **snap.flows.totals(mask)} if totals else None
        suggestions = None
        if not len(order) and terms_of(query.q):
            def count(q: SearchQuery) -> int:
                mask = self.mask(snap, q)[0]
                return snap.size if mask is None else int(mask.sum())
            suggestions = self.suggest(query, count, snap.generation, lambda: snap.term_label)
        return SearchResult(query, len(order), ids, found, summed, sizes, suggestions)

    def _pg_search(self, pg: PgSearch, query: SearchQuery, facets: bool, facet_limit: int,
                   totals: bool) -> SearchResult:
        with self._pg_view() as conn:
            result = self._pg_result(conn, query)
            found: dict[str, list[FacetValue]] = {}
            sizes: dict[str, int] = {}
            if query.is_everything:  # the readers keep whole-registry answers per index generation
                counted = pg_facet_counts(pg, conn, query, result, FACETS) if facets else {}
                summed = {**(pg.sums(conn, query, result, None) or [_NO_BUDGETS])[0],
                          **pg.flow_totals(conn, query, result)} if totals else None
                count, ids = pg.count(conn, query, result), pg.page(conn, query, result)
            else:  # the result found once for everything asked of it
                got = pg_answer(pg, conn, query, result, facets=facets, totals=totals)
                counted = facet_values(query, got.counts, got.size, got.widened, FACETS) if facets else {}
                summed = {**(got.budgets or [_NO_BUDGETS])[0], **got.flows} if totals else None
                count, ids = got.size, got.ids
            if facets:
                found = {f: top(f, values, facet_limit, query.filters.get(f, ())) for f, values in counted.items()}
                sizes = {f: len(values) for f, values in counted.items()}
            suggestions = None
            if not count and terms_of(query.q):
                labels: Any = select(column("label")).select_from(table("search_terms"))
                suggestions = self.suggest(query, lambda q: pg.count(conn, q, self._pg_result(conn, q)),
                                           generation(conn), lambda: conn.execute(labels).scalars())
            return SearchResult(query, count, ids, found, summed, sizes, suggestions)

    # -------------------------------------------------------------- an empty result
    def suggest(self, query: SearchQuery, count: Callable[[SearchQuery], int], gen: int,
                labels: Callable[[], Iterable[str]], limit: int = 3) -> Suggestions:
        """Corrected queries from the index's own words that find something (with the same filters), and
        the query with any of its words (`a OR b`) when that finds something; `count` answers a query's size."""
        def found(q: str) -> int:
            return count(replace(query, q=q, page=1, sort="newest"))

        vocabulary = self.vocabulary(gen, labels)
        fixed = [q for q in corrections(query.q, vocabulary, limit * 2) if found(q)][:limit]
        any_words = relaxed(query.q)
        total = found(any_words) if any_words else 0
        return Suggestions(fixed, any_words if total else None, total)

    def vocabulary(self, gen: int, labels: Callable[[], Iterable[str]]) -> Vocabulary:
        """The words of the index's titles and facet values (built on the first empty result of a generation)."""
        current = self._vocabulary
        if current is None or current.generation != gen:
            with self.engine.connect() as conn:
                titles: list[str] = list(conn.execute(select(column("title_key"))
                                                      .select_from(table("search_docs"))).scalars())
            current = self._vocabulary = Vocabulary.build(gen, titles, labels())
        return current

    def iter_ids(self, query: SearchQuery, batch_size: int = 500) -> Iterator[list[str]]:
        """Every matching activity id in the query's order, in batches (for exports)."""
        if self._pg is not None:
            with self._pg_view() as conn:
                result = self._pg_result(conn, query)
            yield from self._pg.iter_ids(query, result, batch_size)
            return
        snap = self.snapshot()
        mask, tiers = self.mask(snap, query)
        order = snap.ordered(mask, "newest" if query.sort == "relevance" else query.sort, tiers)
        for chunk in batched(order.tolist(), batch_size):
            yield [snap.activity_ids[int(p)] for p in chunk]

    # -------------------------------------------------------------- aggregates
    def aggregate(self, query: SearchQuery, by: str) -> list[dict[str, Any]]:
        """Per value of facet `by` within the result: activities, EUR total, sums in original currencies."""
        if by not in FACETS:
            raise QueryError(f"unknown facet {by!r}; facets are {', '.join(FACETS)}")
        if self._pg is not None:
            with self._pg_view() as conn:
                return self._pg.sums(conn, query, self._pg_result(conn, query), by)
        snap = self.snapshot()
        return snap.sums(self.mask(snap, query)[0], by)

    def totals(self, query: SearchQuery) -> dict[str, Any]:
        """Activities, EUR total and sums in original currencies of the whole result's budgets, and its
        `committed` and `disbursed` transactions likewise (`db.flow_totals`)."""
        if self._pg is not None:
            with self._pg_view() as conn:
                result = self._pg_result(conn, query)
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
                result = self._pg_result(conn, query)
                pg = self._pg
                return _breakdown(lambda facet: pg.sums(conn, query, result, facet),
                                  pg.flows_by_year(conn, query, result), limit)
        snap = self.snapshot()
        mask = self.mask(snap, query)[0]
        return _breakdown(lambda facet: snap.sums(mask, facet), snap.flows.by_year(mask), limit)

    def facet_all(self, query: SearchQuery, facet: str) -> list[FacetValue]:
        """Every value of one facet that clicking would make a difference with, counted as the search page's
        facets are (`facet_counts.py`), in the facet's order, chosen values included (the "more" page)."""
        if facet not in FACETS:
            raise QueryError(f"unknown facet {facet!r}; facets are {', '.join(FACETS)}")
        if self._pg is not None:
            with self._pg_view() as conn:
                values = pg_facet_counts(self._pg, conn, query, self._pg_result(conn, query), [facet])[facet]
        else:
            snap = self.snapshot()
            base, filters, _tiers = self.parts(snap, query)
            values = self.counter(snap).count(base, filters, query.filters, facets=[facet])[facet]
        chosen = query.filters.get(facet, ())
        shown = {v.value for v in values}
        return ordered(facet, values) + [FacetValue(v, v, 0, True) for v in chosen if v not in shown]

    def facet_values(self, query: SearchQuery, facet: str) -> list[FacetValue]:
        """Every value of one facet in the result, with counts, largest first (for maps and full lists)."""
        if self._pg is not None:
            with self._pg_view() as conn:
                rows = self._pg.term_counts(conn, query, self._pg_result(conn, query), facet)
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
