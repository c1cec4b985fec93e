"""Facet counts on PostgreSQL by the same rule as `facet_counts.py` (what a click gives), from the database.

For a facet with a choice, what clicking a further value adds is the activities that pass every other filter
and have the value but none of the chosen ones: the value's count without the facet's filter less its count
with it. The start year is one value per activity, so "No year" is the result's size less the years' counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from aidatlas.db.facet_counts import NO_VALUE, NO_VALUE_LABELS, FacetValue
from aidatlas.db.search_pg import PgSearch, Result

Counts = dict[tuple[str, str], tuple[str, int]]
"""(facet, value) → (label, count)"""


def facet_counts(pg: PgSearch, conn: Any, query: Any, result: Result, result_of: Callable[[Any], Result],
                 facets: Iterable[str]) -> dict[str, list[FacetValue]]:
    """Every value with a count, per facet (unsorted), as `FacetCounter.count` gives on SQLite."""
    wanted = list(facets)
    full = _counts(pg, conn, query, result)
    size = pg.count(conn, query, result)
    out: dict[str, list[FacetValue]] = {}
    for facet in wanted:
        chosen = query.filters.get(facet, ())
        if not chosen:
            values = [FacetValue(v, label, n) for (f, v), (label, n) in full.items() if f == facet and n]
            if facet in NO_VALUE_LABELS and (none := _none(full, facet, size)):
                values.append(FacetValue(NO_VALUE, NO_VALUE_LABELS[facet], none))
            out[facet] = values
            continue
        others = replace(query, filters={k: v for k, v in query.filters.items() if k != facet})
        wider_result = result_of(others)
        wider = _counts(pg, conn, others, wider_result, facet)
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
            elif added := _none(wider, facet, pg.count(conn, others, wider_result)) - none_in:
                values.append(FacetValue(NO_VALUE, NO_VALUE_LABELS[facet], added, False, True))
        out[facet] = values
    return out


def _counts(pg: PgSearch, conn: Any, query: Any, result: Result, facet: str | None = None) -> Counts:
    return {(f, v): (label, n) for f, v, label, n in pg.term_counts(conn, query, result, facet)}


def _none(counts: Counts, facet: str, size: int) -> int:
    return size - sum(n for (f, _v), (_label, n) in counts.items() if f == facet)
