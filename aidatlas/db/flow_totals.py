"""Committed and disbursed money of a search result, as columns beside the search snapshot.

Each transaction of an indexed activity that is a commitment (TransactionType 2, Outgoing Commitment) or a
disbursement or expenditure (3, 4: money spent, as d-portal counts it) is one row: the position of its activity
in the snapshot, the measure, the currency, the amount and its EUR value by the one conversion rule
(`normalize.eur.flow_eur`; NaN when there is no rate). Summing a result is a few `bincount`s over the rows
whose activity is in the result's mask, so the totals are over the whole result, never a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, select

from aidatlas.db import tables as t
from aidatlas.db.search_index import DOCS
from aidatlas.db.tables import table_of
from aidatlas.normalize.eur import MEASURE_OF_TYPE, flow_eur
from aidatlas.reference.rates import year_of

MEASURES: dict[str, tuple[str, ...]] = {m: tuple(c for c, of in MEASURE_OF_TYPE.items() if of == m)
                                        for m in ("committed", "disbursed")}
"""measure → TransactionType codes it sums (the rule's, `normalize.eur.MEASURE_OF_TYPE`)"""
_FLOWS = table_of(t.TransactionRow)
_ACTS = table_of(t.ActivityRow)


@dataclass
class FlowColumns:
    pos: NDArray[np.int64]
    measure: NDArray[np.int64]
    currency: NDArray[np.int64]
    """index into `currencies`; -1: the transaction names none"""
    value: NDArray[np.float64]
    eur: NDArray[np.float64]
    year: NDArray[np.int64]
    """the year of the date the amount is converted at (0: none)"""
    currencies: list[str]

    def totals(self, mask: NDArray[np.bool_] | None) -> dict[str, dict[str, Any]]:
        """Per measure: the EUR total, the sums in original currencies, and the transactions without a rate."""
        sel = np.ones(len(self.pos), dtype=bool) if mask is None else mask[self.pos]
        out: dict[str, dict[str, Any]] = {}
        n_cur = len(self.currencies) + 1
        for m, name in enumerate(MEASURES):
            rows = sel & (self.measure == m)
            eur = self.eur[rows]
            known = ~np.isnan(eur)
            cur = self.currency[rows] + 1
            original = np.bincount(cur, weights=self.value[rows], minlength=n_cur)
            counts = np.bincount(cur, minlength=n_cur)
            by_currency = {self.currencies[c - 1]: float(original[c]) for c in np.flatnonzero(counts) if c}
            if counts[0]:
                by_currency["(none)"] = float(original[0])
            out[name] = {"eur": float(eur[known].sum()), "by_currency": dict(sorted(by_currency.items())),
                         "transactions": int(rows.sum()), "unconverted": int((~known).sum())}
        return out


    def by_year(self, mask: NDArray[np.bool_] | None) -> dict[int, dict[str, float]]:
        """EUR committed and disbursed per year of the transactions' own dates (converted amounts only)."""
        sel = np.ones(len(self.pos), dtype=bool) if mask is None else mask[self.pos]
        sel &= ~np.isnan(self.eur) & (self.year > 0)
        out: dict[int, dict[str, float]] = {}
        for m, name in enumerate(MEASURES):
            rows = sel & (self.measure == m)
            if not rows.any():
                continue
            sums = np.bincount(self.year[rows], weights=self.eur[rows])
            for year in np.flatnonzero(sums):
                out.setdefault(int(year), {n: 0.0 for n in MEASURES})[name] = float(sums[year])
        return dict(sorted(out.items()))


def load_flows(conn: Connection, docs: NDArray[np.int64]) -> FlowColumns:
    """The commitment and disbursement rows of every indexed activity (`docs`: the snapshot's doc ids)."""
    codes = {code: m for m, name in enumerate(MEASURES) for code in MEASURES[name]}
    rows = conn.execute(
        select(DOCS.c.doc, _FLOWS.c.type, _FLOWS.c.value, _FLOWS.c.currency, _FLOWS.c.value_date, _FLOWS.c.date,
               _ACTS.c.start_date, _ACTS.c.announced_date)
        .join(DOCS, DOCS.c.activity_id == _FLOWS.c.activity_id)
        .join(_ACTS, _ACTS.c.id == _FLOWS.c.activity_id)
        .where(_FLOWS.c.flow == "transaction", _FLOWS.c.type.in_(list(codes)))).all()
    currencies = sorted({r.currency for r in rows if r.currency})
    index = {c: i for i, c in enumerate(currencies)}
    eur = [flow_eur(r.value, r.currency, r.value_date, r.date, r.start_date, r.announced_date).eur for r in rows]
    return FlowColumns(
        pos=np.searchsorted(docs, np.fromiter((r.doc for r in rows), dtype=np.int64, count=len(rows))),
        measure=np.fromiter((codes[r.type] for r in rows), dtype=np.int64, count=len(rows)),
        currency=np.fromiter((index[r.currency] if r.currency else -1 for r in rows), dtype=np.int64,
                             count=len(rows)),
        value=np.fromiter((r.value for r in rows), dtype=np.float64, count=len(rows)),
        eur=np.array([np.nan if e is None else e for e in eur], dtype=np.float64),
        year=np.fromiter((year_of(r.value_date, r.date, r.start_date, r.announced_date) or 0 for r in rows),
                         dtype=np.int64, count=len(rows)), currencies=currencies)
