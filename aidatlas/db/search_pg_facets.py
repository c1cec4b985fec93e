"""Facet counts on PostgreSQL by the same rule as `facet_counts.py` (what a click gives), from the database.

For a facet with a choice, what clicking a further value adds is the activities that pass every other filter
and have the value but none of the chosen ones: the value's count without the facet's filter less its count
with it. The start year is one value per activity, so "No year" is the result's size less the years' counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text

from aidatlas.db.facet_counts import NO_VALUE, NO_VALUE_LABELS, FacetValue
from aidatlas.db.search_index import FACETS
from aidatlas.db.search_pg import PgSearch, Result

Counts = dict[tuple[str, str], tuple[str, int]]
"""(facet, value) → (label, count)"""


def facet_counts(pg: PgSearch, conn: Any, query: Any, result: Result,
                 facets: Iterable[str]) -> dict[str, list[FacetValue]]:
    """Every value with a count, per facet (unsorted), as `FacetCounter.count` gives on SQLite."""
    if result.facet_conditions:
        sql = (f"WITH {counting_ctes(result)} SELECT {count_columns(result)} "
               "FROM c LEFT JOIN search_terms t ON t.term = c.term")
        full, size, widened = read_counts(conn.execute(text(sql), {**result.params,
                                                                   "chosen_terms": result.chosen_terms}), result)
        result.size = size
    else:
        full, size, widened = _counts(pg, conn, query, result), pg.count(conn, query, result), {}
    return facet_values(query, full, size, widened, facets)


def facet_values(query: Any, full: Counts, size: int, widened: dict[str, tuple[Counts, int]],
                 facets: Iterable[str]) -> dict[str, list[FacetValue]]:
    """The values of each facet with what clicking them gives, from the result's counts (`full`, `size`)
    and, for each filtering facet, those of the result without its filter (`widened`)."""
    out: dict[str, list[FacetValue]] = {}
    for facet in facets:
        chosen = query.filters.get(facet, ())
        if not chosen:
            values = [FacetValue(v, label, n) for (f, v), (label, n) in full.items() if f == facet and n]
            if facet in NO_VALUE_LABELS and (none := _none(full, facet, size)):
                values.append(FacetValue(NO_VALUE, NO_VALUE_LABELS[facet], none))
            out[facet] = values
            continue
        wider, wider_size = widened[facet]
        values = []
        for (f, v), (label, n) in wider.items():
            if f != facet:
                continue
            in_result = full.get((f, v), (label, 0))[1]
            if v in chosen:
                values.append(FacetValue(v, label, in_result, True))
            elif n - in_result:
                values.append(FacetValue(v, label, n - in_result, False, True))
        if facet in NO_VALUE_LABELS:
            none_in = _none(full, facet, size)
            if NO_VALUE in chosen:
                values.append(FacetValue(NO_VALUE, NO_VALUE_LABELS[facet], none_in, True))
            elif added := _none(wider, facet, wider_size) - none_in:
                values.append(FacetValue(NO_VALUE, NO_VALUE_LABELS[facet], added, False, True))
        out[facet] = values
    return out


def count_columns(result: Result) -> str:
    """A row of the counts (`c` of `counting_ctes`, joined to `search_terms t`): the term's facet, value and
    label, its id, its count in the result and, per filtering facet, in the result without that facet's filter
    (the term NULL: the sizes)."""
    return ", ".join(["t.facet, t.value, t.label, c.term, c.n",
                      *(f"c.w{i}" for i in range(len(result.facet_conditions)))])


def counting_ctes(result: Result, tiers: str = "", carry: Sequence[str] = ()) -> str:
    """`r`: the documents that pass the words and ranges, with a flag per facet filter; `s`: those of them
    that miss at most one facet filter (all of them when nothing filters on a facet), flagged `a` when they
    are the result and `w<i>` when they pass every filter but the i-th; `c`: the sizes and each term's counts
    in those sets — one pass for the result's counts and every "+n added" (a query per facet and a count each
    had cost four times as much with two facets chosen). `tiers` adds columns of `search_text x` to `r`, `s`;
    `carry` columns of `search_facets f`."""
    chosen = list(result.facet_conditions)
    passes = [f", ({condition}) AS k{i}" for i, condition in enumerate(result.facet_conditions.values())]
    every = " AND ".join(f"k{i}" for i in range(len(chosen))) or "true"
    widers = [" AND ".join(f"k{j}" for j in range(len(chosen)) if j != i) or "true" for i in range(len(chosen))]
    flags = ", ".join([f"({every}) AS a", *(f"({w}) AS w{i}" for i, w in enumerate(widers))])
    tallies = ", ".join(["count(*) FILTER (WHERE a) AS n",
                         *(f"count(*) FILTER (WHERE w{i}) AS w{i}" for i in range(len(chosen)))])
    near = " + ".join(f"k{i}::int" for i in range(len(chosen)))
    flagged = ", ".join(["a", *(f"w{i}" for i in range(len(chosen)))])  # unnest in the select list: no
    # function scan (a tuplestore) per document
    zeros = ", ".join(["0"] * (len(chosen) + 1))  # a chosen value no document has is listed too, with 0
    conditions = list(result.base_conditions)
    if result.any_chosen and len(chosen) > 1:  # missing at most one filter: has a chosen term (GIN, no scan)
        conditions.append("f.terms && CAST(:chosen_terms AS integer[])")
    base = result.base_from + (" WHERE " + " AND ".join(conditions) if conditions else "")
    kept = "".join(f", {name}" for name in (*carry, *(t for t in ("in_title", "in_fields") if t in tiers)))
    carried = "".join(f", f.{name}" for name in carry)
    missing = f" WHERE {near} >= {len(chosen) - 1}" if len(chosen) > 1 else ""
    return (f"r AS (SELECT f.doc, f.terms{carried}{tiers}{''.join(passes)} {base}), "
            f"s AS MATERIALIZED (SELECT doc, terms{kept}, {flags} FROM r{missing}), "
            f"c AS (SELECT NULL::integer AS term, {tallies} FROM s "
            f"UNION ALL SELECT term, {tallies} FROM (SELECT unnest(terms) AS term, {flagged} FROM s) u GROUP BY term "
            f"UNION ALL SELECT u.term, {zeros} FROM unnest(CAST(:chosen_terms AS integer[])) AS u(term))")


def read_counts(rows: Iterable[Any], result: Result) -> tuple[Counts, int, dict[str, tuple[Counts, int]]]:
    """The result's term counts and size, and per filtering facet those of the result without its filter,
    from the rows of `count_columns`."""
    chosen = list(result.facet_conditions)
    full: Counts = {}
    widened: dict[str, tuple[Counts, int]] = {facet: ({}, 0) for facet in chosen}
    size = 0
    for row in rows:
        facet, value, label, term, n, *wider = row
        if term is None:
            size = int(n)
            widened = {f: (widened[f][0], int(w)) for f, w in zip(chosen, wider, strict=True)}
            continue
        if facet not in FACETS:
            continue
        key = (facet, value)
        if not (n or any(wider)):   # a chosen value's row of zeros: listed only where nothing counted it
            full.setdefault(key, (label, 0))
            if facet in widened:
                widened[facet][0].setdefault(key, (label, 0))
            continue
        full[key] = (label, int(n))
        for f, w in zip(chosen, wider, strict=True):
            if w:
                widened[f][0][key] = (label, int(w))
    return full, size, widened


def _counts(pg: PgSearch, conn: Any, query: Any, result: Result) -> Counts:
    return {(f, v): (label, n) for f, v, label, n in pg.term_counts(conn, query, result)}


def _none(counts: Counts, facet: str, size: int) -> int:
    return size - sum(n for (f, _v), (_label, n) in counts.items() if f == facet)
