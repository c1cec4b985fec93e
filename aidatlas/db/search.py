"""Search: filters (facets) + full text + facet counts + sort + pages, one query for the HTML pages and the API.

Full text runs on folded text (Latin script, no diacritics, lower case; see `normalize.script.fold`), built
when an activity is indexed and applied to the query too, so `Prijedor` finds `Приједор` and `Zvecan` finds
`Zvečan`: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL. Query syntax: words (all must occur),
"a phrase" in double quotes, and `word*` for a prefix.

Facets are AND across facets and OR within one facet (`country=BA&country=RS`: either). Counts are those of
the current result. Sorts: relevance (activities whose title has the words first, then the others; newest
first within each, and newest first when there are no words), newest, oldest, title, budget (by the EUR
value of the budget; see `reference/rates.py`).

The database answers the full-text part; filters, counts, sums and sort orders run on a columnar snapshot of
the index (`search_snapshot.py`), reloaded when the index changes.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Engine, case, column, func, select, table

from aidatlas.db import snapshot_files
from aidatlas.db.search_index import FACETS, generation, index_pending, pending_count
from aidatlas.db.search_ranges import check_ranges
from aidatlas.db.search_snapshot import Mask, Snapshot, load_snapshot
from aidatlas.db.tables import batched
from aidatlas.errors import QueryError
from aidatlas.normalize.script import fold

SORTS: dict[str, str] = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first",
                         "title": "Title A–Z", "budget": "Largest budget"}
MAX_PER_PAGE = 200
TEXT_CACHE_SIZE = 64
"""full-text results kept per process (two masks each: 200 kB at 100,000 activities)"""
_TEXT = table("search_text", column("doc"), column("tsv"), column("title_tsv"))  # PostgreSQL only
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_FLAGGED_FTS = ("SELECT rowid * 2 + (rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?2)) "
                "FROM search_fts WHERE search_fts MATCH ?1")


def fts_ids(conn: Connection, sql: str, params: tuple[Any, ...]) -> NDArray[np.int64]:
    """The integers of a one-column SQLite query, straight from the driver's cursor into an int64 array:
    no SQLAlchemy row objects, so 100,000 matches cost one `fetchall` and one `fromiter`."""
    cursor = conn.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
    try:
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return _ids(rows)


def _ids(rows: Sequence[Any]) -> NDArray[np.int64]:
    return np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows))


def _split_flagged(flagged: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Ids encoded as id * 2 + flag → (every id, the flagged ones)."""
    return flagged >> 1, flagged[(flagged & 1).astype(bool)] >> 1


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
        self._text_cache: OrderedDict[tuple[int, tuple[Term, ...], bool], tuple[Mask, Mask | None]] = OrderedDict()

    # -------------------------------------------------------------- index upkeep
    def ensure_indexed(self) -> int:
        """Index activities written since the last search (by any process); cheap when there are none."""
        with self.engine.connect() as conn:
            if not pending_count(conn):
                return 0
        with self._lock, self.engine.begin() as conn:
            return index_pending(conn)

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
                   titles: bool) -> tuple[NDArray[np.int64], NDArray[np.int64] | None]:
        """Doc ids whose text has the words and, when asked, those whose title has them."""
        if self.dialect == "postgresql":
            tsq = func.to_tsquery("simple", _tsquery(terms))
            matching = _TEXT.c.tsv.op("@@")(tsq)
            if not titles:
                return _ids(conn.execute(select(_TEXT.c.doc).where(matching)).all()), None
            rows = conn.execute(select(_TEXT.c.doc * 2 + case((_TEXT.c.title_tsv.op("@@")(tsq), 1), else_=0))
                                .where(matching)).all()
            return _split_flagged(_ids(rows))
        fts = _fts5_query(terms)
        if not titles:
            return fts_ids(conn, "SELECT rowid FROM search_fts WHERE search_fts MATCH ?", (fts,)), None
        # one statement: each match's id doubled, plus one when its title has the words too
        return _split_flagged(fts_ids(conn, _FLAGGED_FTS, (fts, "title_key : (" + fts + ")")))

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
            part, kept_titles = self._text_masks(snap, terms, titles=query.sort == "relevance")
            mask = part.copy() if mask is None else mask & part  # the kept masks stay read-only, callers' are theirs
            titles = None if kept_titles is None else kept_titles.copy()
        return mask, titles

    def _text_masks(self, snap: Snapshot, terms: list[Term], titles: bool) -> tuple[Mask, Mask | None]:
        """The full-text matches as masks over the snapshot, kept for the snapshot's generation: a common word
        (every activity) costs its transfer from the database once, then a dictionary look-up."""
        key = (snap.generation, tuple(terms), titles)
        with self._lock:
            found = self._text_cache.get(key)
            if found is not None:
                self._text_cache.move_to_end(key)
                return found
        with self.engine.connect() as conn:
            docs, title_docs = self._text_docs(conn, terms, titles=titles)
        found = snap.mask_of_docs(docs), None if title_docs is None else snap.mask_of_docs(title_docs)
        found[0].flags.writeable = False
        if found[1] is not None:
            found[1].flags.writeable = False
        with self._lock:
            self._text_cache[key] = found
            for stale in [k for k in self._text_cache if k[0] != snap.generation]:
                del self._text_cache[stale]
            while len(self._text_cache) > TEXT_CACHE_SIZE:
                self._text_cache.popitem(last=False)
        return found

    def search(self, query: SearchQuery, *, facets: bool = True, facet_limit: int = 12,
               totals: bool = False) -> SearchResult:
        snap = self.snapshot()
        mask, titles = self.mask(snap, query)
        order = snap.ordered(mask, "newest" if query.sort == "relevance" else query.sort, titles)
        offset = (query.page - 1) * query.per_page
        ids = [snap.activity_ids[int(p)] for p in order[offset:offset + query.per_page]]
        found = self._facets(snap, query, mask, facet_limit) if facets else {}
        summed = {**snap.total(mask), **snap.flows.totals(mask)} if totals else None
        return SearchResult(query, len(order), ids, found, summed)

    def _facets(self, snap: Snapshot, query: SearchQuery, mask: Mask | None,
                limit: int) -> dict[str, list[FacetValue]]:
        counts = snap.term_counts(mask)
        by_facet: dict[str, list[FacetValue]] = {f: [] for f in FACETS}
        for t in np.flatnonzero(counts):
            facet = snap.facets[snap.term_facet[t]]
            value = snap.term_value[t]
            by_facet[facet].append(FacetValue(value, snap.term_label[t], int(counts[t]),
                                              value in query.filters.get(facet, ())))
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

    def iter_ids(self, query: SearchQuery, batch_size: int = 500) -> Iterator[list[str]]:
        """Every matching activity id in the query's order, in batches (for exports)."""
        snap = self.snapshot()
        mask, titles = self.mask(snap, query)
        order = snap.ordered(mask, "newest" if query.sort == "relevance" else query.sort, titles)
        for chunk in batched(order.tolist(), batch_size):
            yield [snap.activity_ids[int(p)] for p in chunk]

    # -------------------------------------------------------------- aggregates
    def aggregate(self, query: SearchQuery, by: str) -> list[dict[str, Any]]:
        """Per value of facet `by` within the result: activities, EUR total, sums in original currencies."""
        if by not in FACETS:
            raise QueryError(f"unknown facet {by!r}; facets are {', '.join(FACETS)}")
        snap = self.snapshot()
        return snap.sums(self.mask(snap, query)[0], by)

    def totals(self, query: SearchQuery) -> dict[str, Any]:
        """Activities, EUR total and sums in original currencies of the whole result's budgets, and its
        `committed` and `disbursed` transactions likewise (`db.flow_totals`)."""
        snap = self.snapshot()
        mask = self.mask(snap, query)[0]
        return {**snap.total(mask), **snap.flows.totals(mask)}

    def breakdown(self, query: SearchQuery, limit: int = 10) -> dict[str, Any]:
        """What the money charts of a result draw: per year the budgets (by start year) and the EUR committed
        and disbursed (by the transactions' own years); budgets by sector, funder and country (top `limit`)."""
        snap = self.snapshot()
        mask = self.mask(snap, query)[0]
        years: dict[int, dict[str, float]] = {}
        for row in snap.sums(mask, "year"):
            years.setdefault(int(row["value"]), {"budget": 0.0, "committed": 0.0, "disbursed": 0.0})["budget"] = \
                row["eur"]
        for year, sums in snap.flows.by_year(mask).items():
            years.setdefault(year, {"budget": 0.0, "committed": 0.0, "disbursed": 0.0}).update(sums)
        return {"by_year": [{"year": y, **v} for y, v in sorted(years.items()) if any(v.values())],
                **{f"by_{facet}": snap.sums(mask, facet)[:limit] for facet in ("sector", "funder", "country")}}

    def facet_values(self, query: SearchQuery, facet: str) -> list[FacetValue]:
        """Every value of one facet in the result, with counts, largest first (for maps and full lists)."""
        snap = self.snapshot()
        counts = snap.term_counts(self.mask(snap, query)[0])
        fid = snap.facets.index(facet)
        found = [FacetValue(snap.term_value[t], snap.term_label[t], int(counts[t]))
                 for t in np.flatnonzero(counts) if snap.term_facet[t] == fid]
        return sorted(found, key=lambda v: (-v.count, v.label.casefold()))
