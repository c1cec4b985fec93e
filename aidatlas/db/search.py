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

The database answers the full-text part; filters, counts, sums and sort orders run on a columnar snapshot of
the index (`search_snapshot.py`), reloaded when the index changes.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Engine, case, column, func, select, table

from aidatlas.db import snapshot_files
from aidatlas.db.facet_counts import FacetCounter, FacetValue, both, ordered, top
from aidatlas.db.search_index import FACETS, generation, index_pending, pending_count, place_variants
from aidatlas.db.search_ranges import check_ranges
from aidatlas.db.search_snapshot import Mask, Snapshot, load_snapshot
from aidatlas.db.search_suggest import Suggestions, Vocabulary, corrections, relaxed
from aidatlas.db.tables import batched
from aidatlas.errors import QueryError
from aidatlas.normalize.script import fold
from aidatlas.normalize.stem import stem
from aidatlas.normalize.variants import Variants

SORTS: dict[str, str] = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first",
                         "title": "Title A–Z", "budget": "Largest budget"}
MAX_PER_PAGE = 200
TEXT_CACHE_SIZE = 64
"""full-text results kept per process (a few masks each: 100 kB apiece at 100,000 activities)"""
_TEXT = table("search_text", column("doc"), column("tsv"), column("title_tsv"), column("fields_tsv"))  # PostgreSQL
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_FLAGGED_FTS = ("SELECT rowid * 4 + 2 * (rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?2)) "
                "+ (rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?3)) "
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


def _split_flagged(flagged: NDArray[np.int64]) -> tuple[NDArray[np.int64], list[NDArray[np.int64]]]:
    """Ids encoded as id * 4 + 2 (a title match) + 1 (a field match) → (every id, [title ids, field ids])."""
    ids = flagged >> 2
    return ids, [ids[(flagged & 2).astype(bool)], ids[(flagged & 1).astype(bool)]]


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


@dataclass(frozen=True)
class Phrase:
    """A word or phrase of a query, folded and stemmed; `prefix` for `word*`."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Term:
    """One condition of a query: any of its phrases (`a OR b`, or a place's other names) must occur."""

    phrases: tuple[Phrase, ...]


def terms_of(q: str) -> list[Term]:
    """The query's terms: words and "phrases", folded and stemmed; `OR` between two joins them into one term."""
    out: list[Term] = []
    join = False
    for phrase, word in _TOKEN.findall(q or ""):
        if word == "OR" and out:
            join = True
            continue
        prefix = bool(word) and word.endswith("*")
        words = tuple(stem(w) for w in fold(phrase or word).split())
        if not words:
            continue
        if join:
            out[-1] = Term((*out[-1].phrases, Phrase(words, prefix)))
        else:
            out.append(Term((Phrase(words, prefix),)))
        join = False
    return out


def with_variants(terms: list[Term], variants: Variants) -> list[Term]:
    """Terms whose words name a place or country also match its other names; adjacent words that together
    name one (`novi sad`, `bosna i hercegovina`) become one term: that name or one of its variants."""
    out: list[Term] = []
    run: list[Term] = []

    def named(own: tuple[str, ...], names: frozenset[tuple[str, ...]]) -> Term:
        return Term((Phrase(own), *(Phrase(n) for n in sorted(names) if n != own)))

    def flush() -> None:
        words = [t.phrases[0].words[0] for t in run]
        spans = {start: (end, names) for start, end, names in variants.spans(words)}
        j = 0
        while j < len(words):
            if j in spans:
                end, names = spans[j]
                out.append(named(tuple(words[j:end]), names))
                j = end
            else:
                out.append(run[j])
                j += 1
        run.clear()

    for term in terms:
        plain = len(term.phrases) == 1 and not term.phrases[0].prefix
        if plain and len(term.phrases[0].words) == 1:
            run.append(term)
            continue
        flush()
        names = variants.of(term.phrases[0].words) if plain else frozenset()
        out.append(named(term.phrases[0].words, names) if names else term)
    flush()
    return out


def _fts5_phrase(p: Phrase) -> str:
    return '"' + " ".join(p.words) + '"' + ("*" if p.prefix else "")


def _fts5_query(terms: Sequence[Term]) -> str:
    return " AND ".join("(" + " OR ".join(_fts5_phrase(p) for p in t.phrases) + ")" for t in terms)


def _tsquery(terms: Sequence[Term]) -> str:
    return " & ".join("(" + " | ".join("(" + " <-> ".join(p.words) + (":*" if p.prefix else "") + ")"
                                       for p in t.phrases) + ")" for t in terms)


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
                   tiers: bool) -> tuple[NDArray[np.int64], list[NDArray[np.int64]]]:
        """Doc ids whose text has the words and, when asked, those whose title has them and those whose
        title or other fields have them (the rest have them only in their source document)."""
        if self.dialect == "postgresql":
            tsq = func.to_tsquery("simple", _tsquery(terms))
            matching = _TEXT.c.tsv.op("@@")(tsq)
            if not tiers:
                return _ids(conn.execute(select(_TEXT.c.doc).where(matching)).all()), []
            rows = conn.execute(select(_TEXT.c.doc * 4 + case((_TEXT.c.title_tsv.op("@@")(tsq), 2), else_=0)
                                       + case((_TEXT.c.fields_tsv.op("@@")(tsq), 1), else_=0))
                                .where(matching)).all()
            return _split_flagged(_ids(rows))
        fts = _fts5_query(terms)
        if not tiers:
            return fts_ids(conn, "SELECT rowid FROM search_fts WHERE search_fts MATCH ?", (fts,)), []
        # one statement: each match's id times four, plus two when its title has the words, one for its fields
        return _split_flagged(fts_ids(conn, _FLAGGED_FTS,
                                      (fts, "title_text : (" + fts + ")", "{title_text text} : (" + fts + ")")))

    def variants(self) -> Variants:
        return place_variants()

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
        terms = terms_of(query.q)
        tiers: list[Mask] = []
        if terms:
            terms = with_variants(terms, self.variants())
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
        suggestions = self.suggest(snap, query) if not len(order) and terms_of(query.q) else None
        return SearchResult(query, len(order), ids, found, summed, sizes, suggestions)

    # -------------------------------------------------------------- an empty result
    def suggest(self, snap: Snapshot, query: SearchQuery, limit: int = 3) -> Suggestions:
        """Corrected queries from the index's own words that find something (with the same filters), and
        the query with any of its words (`a OR b`) when that finds something."""
        def found(q: str) -> int:
            mask = self.mask(snap, replace(query, q=q, page=1, sort="newest"))[0]
            return snap.size if mask is None else int(mask.sum())

        vocabulary = self.vocabulary(snap)
        fixed = [q for q in corrections(query.q, vocabulary, limit * 2) if found(q)][:limit]
        any_words = relaxed(query.q)
        total = found(any_words) if any_words else 0
        return Suggestions(fixed, any_words if total else None, total)

    def vocabulary(self, snap: Snapshot) -> Vocabulary:
        """The words of the index's titles and facet values (built on the first empty result of a generation)."""
        current = self._vocabulary
        if current is None or current.generation != snap.generation:
            with self.engine.connect() as conn:
                titles: list[str] = list(conn.execute(select(column("title_key"))
                                                      .select_from(table("search_docs"))).scalars())
                current = self._vocabulary = Vocabulary.build(snap.generation, titles, snap.term_label)
        return current

    def iter_ids(self, query: SearchQuery, batch_size: int = 500) -> Iterator[list[str]]:
        """Every matching activity id in the query's order, in batches (for exports)."""
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

    def facet_all(self, query: SearchQuery, facet: str) -> list[FacetValue]:
        """Every value of one facet that clicking would make a difference with, counted as the search page's
        facets are (`facet_counts.py`), in the facet's order, chosen values included (the "more" page)."""
        if facet not in FACETS:
            raise QueryError(f"unknown facet {facet!r}; facets are {', '.join(FACETS)}")
        snap = self.snapshot()
        base, filters, _tiers = self.parts(snap, query)
        values = self.counter(snap).count(base, filters, query.filters, facets=[facet])[facet]
        chosen = query.filters.get(facet, ())
        shown = {v.value for v in values}
        return ordered(facet, values) + [FacetValue(v, v, 0, True) for v in chosen if v not in shown]

    def facet_values(self, query: SearchQuery, facet: str) -> list[FacetValue]:
        """Every value of one facet in the result, with counts, largest first (for maps and full lists)."""
        snap = self.snapshot()
        counts = snap.term_counts(self.mask(snap, query)[0])
        fid = snap.facets.index(facet)
        found = [FacetValue(snap.term_value[t], snap.term_label[t], int(counts[t]))
                 for t in np.flatnonzero(counts) if snap.term_facet[t] == fid]
        return sorted(found, key=lambda v: (-v.count, v.label.casefold()))
