"""Facet counts that answer "how many would I get if I clicked this value", and the facet masks they rest on.

Filters are OR within a facet and AND across facets. So the count beside a value depends on its facet:
- a facet with nothing chosen: the activities of the result that have the value (clicking narrows to them);
- a facet with a choice: clicking a further value *adds* the activities that have it and pass every other
  filter, so the count is that addition (`adds=True`, shown "+n"); a chosen value shows how many of the
  result have it. The other values of a chosen facet stay listed (after picking 2021, 2020 is one click away).

`year=none` is a value of its own: the activities without a start year ("No year").

Everything here goes through the snapshot's accessors (`mask_of_terms`, `term_counts`, `term_facet`,
`term_value`, `term_label`, `facets`, `size`), never its storage, so a new storage keeps these rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from aidatlas.normalize.script import fold

Mask = Any
"""a boolean numpy array over the snapshot's activities (`search_snapshot.Mask`)"""

NO_VALUE = "none"
NO_VALUE_LABELS: dict[str, str] = {"year": "No year"}
"""facets where activities without any value are a value of their own, `NO_VALUE`, with this label"""


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    adds: bool = False
    """`count` is how many activities clicking the value would add to the result (a facet with a choice)"""


def both(a: Mask | None, b: Mask | None) -> Mask | None:
    """The intersection of two masks, None standing for everything."""
    if a is None:
        return b
    return a if b is None else a & b


class FacetCounter:
    """Facet masks and counts on one snapshot (kept as long as the snapshot: it caches "has a value" masks)."""

    def __init__(self, snap: Any) -> None:
        self.snap = snap
        self._present: dict[str, Mask] = {}

    def present(self, facet: str) -> Mask:
        """The activities that have some value of `facet`."""
        if facet not in self._present:
            snap = self.snap
            fid = snap.facets.index(facet)
            values = tuple(snap.term_value[t] for t in np.flatnonzero(np.asarray(snap.term_facet) == fid))
            self._present[facet] = snap.mask_of_terms(facet, values)
        return self._present[facet]

    def filter_mask(self, facet: str, values: Iterable[str]) -> Mask:
        """The activities with any of `values` of `facet` (OR); `none` (where allowed): those without a value."""
        chosen = tuple(values)
        mask = self.snap.mask_of_terms(facet, tuple(v for v in chosen if v != NO_VALUE))
        if facet in NO_VALUE_LABELS and NO_VALUE in chosen:
            mask = mask | ~self.present(facet)
        return mask

    def _none_count(self, facet: str, mask: Mask | None) -> int:
        absent = ~self.present(facet)
        return int(absent.sum() if mask is None else (absent & mask).sum())

    def count(self, base: Mask | None, filters: Mapping[str, Mask], selected: Mapping[str, tuple[str, ...]],
              facets: Iterable[str] | None = None) -> dict[str, list[FacetValue]]:
        """Every value with a count, per facet (unsorted): `base` is the result before facet filters (words,
        ranges; None: everything), `filters` each chosen facet's mask, `selected` the chosen values."""
        snap = self.snap
        wanted = list(snap.facets if facets is None else facets)
        result = base
        for part in filters.values():
            result = both(result, part)
        in_result = snap.term_counts(result)
        added: dict[str, tuple[Any, Mask]] = {}
        for facet in wanted:
            if facet in filters:
                rest = base
                for other, part in filters.items():
                    if other != facet:
                        rest = both(rest, part)
                extra = ~filters[facet] if rest is None else rest & ~filters[facet]
                added[facet] = (snap.term_counts(extra), extra)
        out: dict[str, list[FacetValue]] = {f: [] for f in wanted}
        fids = {snap.facets.index(f): f for f in wanted}
        term_facet = np.asarray(snap.term_facet)
        candidates = np.flatnonzero(np.isin(term_facet, list(fids)))
        for t in candidates:
            facet = fids[int(term_facet[t])]
            value = snap.term_value[t]
            chosen = value in selected.get(facet, ())
            if facet in added and not chosen:
                n = int(added[facet][0][t])
                if n:
                    out[facet].append(FacetValue(value, snap.term_label[t], n, False, True))
            elif in_result[t] or chosen:
                out[facet].append(FacetValue(value, snap.term_label[t], int(in_result[t]), chosen))
        for facet, label in NO_VALUE_LABELS.items():
            if facet not in out:
                continue
            chosen = NO_VALUE in selected.get(facet, ())
            if facet in added and not chosen:
                n = self._none_count(facet, added[facet][1])
                if n:
                    out[facet].append(FacetValue(NO_VALUE, label, n, False, True))
            else:
                n = self._none_count(facet, result)
                if n or chosen:
                    out[facet].append(FacetValue(NO_VALUE, label, n, chosen))
        return out


def ordered(facet: str, values: list[FacetValue]) -> list[FacetValue]:
    """Years newest first ("No year" last); other facets largest count first, then by label."""
    if facet == "year":
        years = sorted((v for v in values if v.value != NO_VALUE), key=lambda v: v.value, reverse=True)
        return years + [v for v in values if v.value == NO_VALUE]
    return sorted(values, key=lambda v: (-v.count, v.label.casefold()))


def top(facet: str, values: list[FacetValue], limit: int, selected: tuple[str, ...]) -> list[FacetValue]:
    """The first `limit` values in order, plus every chosen value (a chosen value absent from the index too)."""
    values = ordered(facet, values)
    kept = values[:limit] + [v for v in values[limit:] if v.selected]
    shown = {v.value for v in kept}
    return kept + [FacetValue(v, v, 0, True) for v in selected if v not in shown]


def matching(values: list[FacetValue], contains: str) -> list[FacetValue]:
    """The values whose label or value holds `contains` (any script, case and diacritics ignored)."""
    needle = fold(contains).strip()
    if not needle:
        return values
    return [v for v in values if needle in fold(v.label) or needle in fold(v.value)]
