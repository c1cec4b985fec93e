"""Search on PostgreSQL, in the database: full text, filters, facet counts, sorts, sums — no snapshot.

The SQLite path (`search.py` with `search_snapshot.py`) holds the whole index in numpy arrays, ~20 MB per
100,000 activities in every web process. On PostgreSQL the same answers come from SQL, so a web process's
memory does not grow with the registry: the result is one set of documents (the tsvector match on
`search_text`, facet filters as `terms && ARRAY[…]` on the GIN-indexed `search_facets.terms`, ranges on its
day columns and on `search_docs.budget_eur`), from which the page, the count, the facet counts (`unnest` of the
terms), the budget sums and the flows (`search_flows`) are read. Orders and ties are those of the snapshot
(code-point order for titles: `COLLATE "C"`), so both databases give the same pages and counts.

Whole-registry answers (the overview, the search page without words or filters) are kept per index generation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, text

from aidatlas.db.facet_counts import NO_VALUE, NO_VALUE_LABELS
from aidatlas.db.search_index import FACETS, generation
from aidatlas.db.search_pg_columns import MEASURE_NAMES
from aidatlas.db.search_ranges import NO_DAY, day_number


class SearchQuery(Protocol):
    """What this module reads of `search.SearchQuery` (a protocol: `search.py` imports this module)."""

    @property
    def filters(self) -> Mapping[str, tuple[str, ...]]: ...
    @property
    def sort(self) -> str: ...
    @property
    def page(self) -> int: ...
    @property
    def per_page(self) -> int: ...
    @property
    def min_eur(self) -> float | None: ...
    @property
    def max_eur(self) -> float | None: ...
    @property
    def date_from(self) -> str | None: ...
    @property
    def date_to(self) -> str | None: ...
    @property
    def is_everything(self) -> bool: ...


_ORDERS = {
    "newest": "(d.start_date IS NULL OR d.start_date = '') ASC, d.start_date COLLATE \"C\" DESC, d.doc DESC",
    "oldest": "(d.start_date IS NULL OR d.start_date = '') ASC, d.start_date COLLATE \"C\" ASC, d.doc ASC",
    "title": "d.title_key COLLATE \"C\" ASC, d.doc ASC",
    "budget": "(d.budget_eur IS NULL) ASC, d.budget_eur DESC, CASE WHEN d.budget_eur IS NULL THEN d.doc "
              "ELSE -d.doc END ASC",
}
_CACHED = 64
WALK_ABOVE = 50_000
"""a result larger than this is paged by walking the sort order's index (its rows are dense there); a smaller
one is gathered first and its top rows sorted out"""


class Result:
    """One query's set of documents as SQL (`sql` selects doc and the columns the readers need) with its
    parameters; `empty` when a filter names no known value (nothing can match)."""

    def __init__(self, sql: str, params: dict[str, Any], empty: bool, with_title: bool, page_sql: str,
                 facet_conditions: dict[str, str] | None = None, base_from: str = "",
                 base_conditions: list[str] | None = None,
                 chosen_terms: list[int] | None = None, docs_sql: str = "", any_chosen: bool = False) -> None:
        self.sql, self.params, self.empty, self.with_title = sql, params, empty, with_title
        self.page_sql = page_sql
        """the same documents without their terms: no join to `search_facets` when nothing filters on it, so
        a page of everything is read from an order's index"""
        self.facet_conditions = facet_conditions or {}
        """each filtering facet's condition on `f.terms`, as `sql` has them"""
        self.base_from = base_from
        """`FROM …` of the documents, from `search_facets f` (joined to `search_docs d` only for a budget range)"""
        self.base_conditions = base_conditions or []
        """the conditions on them but the facets' (words, ranges)"""
        self.docs_sql = docs_sql
        """`SELECT f.doc, f.terms` of the result, from the fewest tables (counts and flows need no more)"""
        self.any_chosen = any_chosen
        """every facet filter asks for one of its terms (no "no value"): a document that passes all filters
        but one has one of `chosen_terms`, which the GIN index finds"""
        self.size: int | None = None
        """how many documents, once counted"""
        self.chosen_terms = chosen_terms or []
        """the term ids of the filters' values"""


class PgSearch:
    """The PostgreSQL side of `Searcher`: same inputs, same outputs, answered by the database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._cache: dict[tuple[int, str], Any] = {}

    # -------------------------------------------------------------- the result as SQL
    def result(self, conn: Connection, query: SearchQuery, tsq: str) -> Result:
        """The documents of a query; `tsq` is its words as a tsquery (`search.pg_tsquery`; "" for none)."""
        params: dict[str, Any] = {}
        joins = ["JOIN search_facets f ON f.doc = d.doc"]
        where: list[str] = []
        facet_conditions: dict[str, str] = {}
        chosen_terms: list[int] = []
        empty = False
        with_title = bool(tsq) and query.sort == "relevance"
        if query.filters:
            wanted = [(facet, value) for facet, values in query.filters.items() for value in values]
            rows = conn.execute(text("SELECT term, facet, value FROM search_terms WHERE (facet, value) IN "
                                     "(SELECT * FROM unnest(CAST(:f AS text[]), CAST(:v AS text[])))"),
                                {"f": [w[0] for w in wanted], "v": [w[1] for w in wanted]}).all()
            by_facet: dict[str, list[int]] = {}
            for term, facet, _value in rows:
                by_facet.setdefault(facet, []).append(term)
                chosen_terms.append(term)
            for i, facet in enumerate(query.filters):
                params[f"t{i}"] = sorted(by_facet.get(facet, []))
                condition = f"f.terms && CAST(:t{i} AS integer[])"
                if facet in NO_VALUE_LABELS and NO_VALUE in query.filters[facet]:  # "No year": no term of it
                    condition = (f"({condition} OR NOT f.terms && ARRAY(SELECT term FROM search_terms "
                                 f"WHERE facet = :n{i}))")
                    params[f"n{i}"] = facet
                elif facet not in by_facet:
                    empty = True
                facet_conditions[facet] = condition
        if query.min_eur is not None:
            where.append("d.budget_eur >= :min_eur")
            params["min_eur"] = query.min_eur
        if query.max_eur is not None:
            where.append("d.budget_eur <= :max_eur")
            params["max_eur"] = query.max_eur
        if query.date_from is not None or query.date_to is not None:
            where.append(f"f.first_day <> {NO_DAY}")
            if query.date_from is not None:
                where.append("f.last_day >= :day_from")
                params["day_from"] = day_number(query.date_from, end=False)
            if query.date_to is not None:
                where.append("f.first_day <= :day_to")
                params["day_to"] = day_number(query.date_to, end=True)
        title = fields = "false"
        if tsq:
            joins.append("JOIN search_text x ON x.doc = d.doc AND x.tsv @@ to_tsquery('simple', :tsq)")
            params["tsq"] = tsq
            if with_title:  # the three tiers: title, other fields, only the source document
                title = "x.title_tsv @@ to_tsquery('simple', :tsq)"
                fields = "x.fields_tsv @@ to_tsquery('simple', :tsq)"
        columns = "d.doc, d.activity_id, d.start_date, d.title_key, d.budget_eur, d.budget_value, d.budget_currency"
        narrow = "FROM search_facets f" + (" JOIN search_text x ON x.doc = f.doc AND x.tsv @@ to_tsquery('simple', "
                                           ":tsq)" if tsq else "") + \
            (" JOIN search_docs d ON d.doc = f.doc" if query.min_eur is not None or query.max_eur is not None else "")
        every = [*facet_conditions.values(), *where]
        filters = " WHERE " + " AND ".join(every) if every else ""
        docs_sql = f"SELECT f.doc, f.terms {narrow}{filters}"
        tiers = f"{title} AS in_title, {fields} AS in_fields"
        sql = f"SELECT {columns}, f.terms, {tiers} FROM search_docs d {' '.join(joins)}{filters}"
        facets_needed = bool(query.filters) or query.date_from is not None or query.date_to is not None
        page_sql = sql if facets_needed else (f"SELECT {columns}, {tiers} FROM search_docs d "
                                              f"{' '.join(joins[1:])}{filters}")
        plain = not any(NO_VALUE in query.filters.get(facet, ()) for facet in NO_VALUE_LABELS)
        return Result(sql, params, empty, with_title, page_sql, facet_conditions, narrow, where,
                      sorted(chosen_terms), docs_sql, plain)

    def order_by(self, query: SearchQuery, result: Result) -> str:
        """The ORDER BY terms of the query's sort over rows aliased `r` (relevance: the tiers first)."""
        sort = "newest" if query.sort == "relevance" else query.sort
        return ("in_title DESC, in_fields DESC, " if result.with_title else "") + _ORDERS[sort].replace("d.", "r.")

    def _cached(self, conn: Connection, query: SearchQuery, what: str, compute: Any) -> Any:
        """Answers about the whole registry, once per index generation."""
        if not query.is_everything:
            return compute()
        key = (generation(conn), what)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._lock:
            if len(self._cache) >= _CACHED:
                self._cache.clear()
            self._cache[key] = value
        return value

    # -------------------------------------------------------------- readers
    def page(self, conn: Connection, query: SearchQuery, result: Result) -> list[str]:
        if result.empty:
            return []
        offset = (query.page - 1) * query.per_page
        order = f"ORDER BY {self.order_by(query, result)} LIMIT {int(query.per_page)} OFFSET {int(offset)}"
        if query.is_everything or (result.size or 0) > WALK_ABOVE:
            sql = f"SELECT r.activity_id FROM ({result.page_sql}) r {order}"
        else:  # the result first, then its top rows: walking an order's index in search of filtered rows can
            # read most of the index when they sit at its far end (a year's activities, newest first: 185 ms)
            sql = f"WITH r AS MATERIALIZED ({result.page_sql}) SELECT r.activity_id FROM r {order}"
        return list(conn.execute(text(sql), result.params).scalars())

    def count(self, conn: Connection, query: SearchQuery, result: Result) -> int:
        if result.empty:
            return 0
        if result.size is None:
            result.size = self._cached(conn, query, "count", lambda: int(
                conn.execute(text(f"SELECT count(*) FROM ({result.docs_sql}) r"), result.params).scalar_one()))
        return result.size

    def term_counts(self, conn: Connection, query: SearchQuery, result: Result,
                    facet: str | None = None) -> list[tuple[str, str, str, int]]:
        """(facet, value, label, count) of every term in the result (of one facet, when given)."""
        if result.empty:
            return []
        only = " WHERE t.facet = :facet" if facet else ""
        sql = (f"SELECT t.facet, t.value, t.label, c.n FROM (SELECT u.term, count(*) AS n FROM ({result.docs_sql}) r, "
               f"unnest(r.terms) AS u(term) GROUP BY u.term) c JOIN search_terms t ON t.term = c.term{only}")
        params = {**result.params, **({"facet": facet} if facet else {})}
        rows = self._cached(conn, query, f"terms:{facet}", lambda: [
            (r[0], r[1], r[2], int(r[3])) for r in conn.execute(text(sql), params)])
        return [r for r in rows if r[0] in FACETS]

    def sums(self, conn: Connection, query: SearchQuery, result: Result, facet: str | None) -> list[dict[str, Any]]:
        """Per value of `facet` (None: the whole result): activities, EUR total, sums in original currencies
        and how many budgets have no EUR value — `Snapshot.sums` and `Snapshot.total` in SQL."""
        if result.empty:
            return []
        if facet is None:
            sql = (f"SELECT 'all', 'all', r.budget_currency, count(*), sum(r.budget_value), sum(r.budget_eur), "
                   f"count(r.budget_eur) FROM ({result.page_sql}) r GROUP BY r.budget_currency")
        else:
            sql = (f"SELECT t.value, t.label, r.budget_currency, count(*), sum(r.budget_value), sum(r.budget_eur), "
                   f"count(r.budget_eur) FROM ({result.sql}) r, unnest(r.terms) AS u(term) JOIN search_terms t "
                   f"ON t.term = u.term WHERE t.facet = :facet GROUP BY t.term, t.value, t.label, r.budget_currency")
        params = {**result.params, "facet": facet}
        rows = self._cached(conn, query, f"sums:{facet}", lambda: conn.execute(text(sql), params).all())
        return budget_sums(rows)

    def flow_totals(self, conn: Connection, query: SearchQuery, result: Result) -> dict[str, dict[str, Any]]:
        """`FlowColumns.totals` in SQL: per measure the EUR total, sums by currency, transactions, unconverted."""
        rows = [] if result.empty else self._cached(conn, query, "flows", lambda: conn.execute(text(
            f"SELECT w.measure, w.currency, count(*), sum(w.value), sum(w.eur), count(w.eur) "
            f"FROM ({result.docs_sql}) r "
            f"JOIN search_flows w ON w.doc = r.doc GROUP BY w.measure, w.currency"), result.params).all())
        return flow_sums(rows)

    def flows_by_year(self, conn: Connection, query: SearchQuery, result: Result) -> dict[int, dict[str, float]]:
        rows = [] if result.empty else self._cached(conn, query, "flow_years", lambda: conn.execute(text(
            f"SELECT w.year, w.measure, sum(w.eur) FROM ({result.docs_sql}) r JOIN search_flows w ON w.doc = r.doc "
            f"WHERE w.eur IS NOT NULL AND w.year > 0 GROUP BY w.year, w.measure"), result.params).all())
        out: dict[int, dict[str, float]] = {}
        for year, measure, eur in rows:
            if eur:
                out.setdefault(int(year), {n: 0.0 for n in MEASURE_NAMES})[MEASURE_NAMES[measure]] = float(eur)
        return dict(sorted(out.items()))

    def iter_ids(self, query: SearchQuery, result: Result, batch_size: int) -> Iterator[list[str]]:
        """Every id of the result in order, streamed from a server-side cursor."""
        if result.empty:
            return
        sql = f"SELECT r.activity_id FROM ({result.page_sql}) r ORDER BY {self.order_by(query, result)}"
        with self.engine.connect() as conn:
            rows = conn.execution_options(yield_per=batch_size).execute(text(sql), result.params)
            for part in rows.partitions(batch_size):
                yield [r[0] for r in part]


def budget_sums(rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Rows of (value, label, currency, activities, sum of the budgets, of their EUR values, how many have one)
    → per value: activities, EUR total, sums by currency and budgets without an EUR value; largest first."""
    out: dict[str, dict[str, Any]] = {}
    for value, label, currency, n, original, eur, converted in rows:
        item = out.setdefault(value, {"value": value, "label": label, "activities": 0, "eur": 0.0,
                                      "by_currency": {}, "unconverted": 0})
        item["activities"] += int(n)
        if currency:
            item["by_currency"][currency] = float(original or 0.0)
            item["eur"] += float(eur or 0.0)
            item["unconverted"] += int(n) - int(converted)
    return sorted(out.values(), key=lambda i: (-i["eur"], -i["activities"], str(i["label"]).casefold()))


def flow_sums(rows: Iterable[Sequence[Any]]) -> dict[str, dict[str, Any]]:
    """Rows of (measure, currency, transactions, sum, EUR sum, how many have one) → per measure the EUR total,
    sums by currency, transactions and those without an EUR value."""
    out: dict[str, dict[str, Any]] = {name: {"eur": 0.0, "by_currency": {}, "transactions": 0, "unconverted": 0}
                                      for name in MEASURE_NAMES}
    for measure, currency, n, original, eur, converted in rows:
        item = out[MEASURE_NAMES[measure]]
        item["by_currency"][currency or "(none)"] = float(original or 0.0)
        item["eur"] += float(eur or 0.0)
        item["transactions"] += int(n)
        item["unconverted"] += int(n) - int(converted)
    for item in out.values():
        item["by_currency"] = dict(sorted(item["by_currency"].items()))
    return out
