"""The one rule for converting an amount to EUR, used by every page, total, export and API response.

An amount is converted at the rate of its own date, never at a later year's rate:
- a transaction: its value date, else its transaction date;
- a planned disbursement: its value date, else its period start;
- a budget: its value date (IATI: the budget line's value date), else the budget period start;
- and then, for each, the activity's start, else its announced date.
Rates and their sources are in `aidatlas.reference.rates` (ECB yearly means; NBS, NBRM and Bank of Albania
annual averages for RSD, MKD and ALL; the BAM peg). An amount without a currency, a date or a rate is
`unconverted`: callers list it and count it apart, they never drop it from a total silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aidatlas.records import Activity
from aidatlas.reference.rates import Rates, rates, year_of

METHOD = ("Each amount at the rate of its own date (transaction: value date, else transaction date; planned "
          "disbursement: value date, else period start; budget: value date, else period start; then the "
          "activity's start, else its announcement): ECB reference rates (yearly means), the national banks' "
          "annual averages for RSD, MKD and ALL, the BAM peg; never a later year's rate")
"""the rule, in words, for the pages and the API"""


@dataclass(frozen=True)
class Conversion:
    value: float
    currency: str | None
    eur: float | None
    """None: no rate for this currency at this date (or no currency, or no date)"""
    rate: float | None
    """units of the currency per 1 EUR"""
    basis: str
    """which rate, in words ("ECB reference rate, 2008 annual mean"), or why there is none"""

    @property
    def converted(self) -> bool:
        return self.eur is not None

    def to_json(self) -> dict[str, Any]:
        return {"value": self.eur, "currency": "EUR", "rate": self.rate, "basis": self.basis}


def to_eur(value: float, currency: str | None, *dates: str | None, table: Rates | None = None) -> Conversion:
    """`value` in EUR at the rate of the first of `dates` that is given (see the module's rule for their order)."""
    if not currency:
        return Conversion(value, currency, None, None, "no currency")
    year = year_of(*dates)
    found = (table or rates()).find(currency, year)
    if found is None:
        why = "no date to convert at" if year is None and currency in (table or rates()).latest_year \
            else f"no {currency} rate for {year}" if year is not None else f"no {currency} rate"
        return Conversion(value, currency, None, None, why)
    return Conversion(value, currency, value / found.per_eur, found.per_eur, found.basis)


def budget_eur(value: float, currency: str, value_date: str | None, start: str | None,
               announced: str | None) -> Conversion:
    """An activity's budget, by the rule (the stored budget's value date stands for its period start)."""
    return to_eur(value, currency, value_date, start, announced)


def flow_eur(value: float, currency: str | None, value_date: str | None, date: str | None, start: str | None,
             announced: str | None) -> Conversion:
    """A transaction (`date`: transaction date) or a planned disbursement (`date`: period start), by the rule."""
    return to_eur(value, currency, value_date, date, start, announced)


MEASURE_OF_TYPE = {"2": "committed", "3": "disbursed", "4": "disbursed"}
"""TransactionType code → the measure it counts in (commitments; disbursements and expenditure: money spent)"""


def _sum(items: list[Conversion]) -> dict[str, Any]:
    by_currency: dict[str, float] = {}
    for c in items:
        key = c.currency or "(none)"
        by_currency[key] = by_currency.get(key, 0.0) + c.value
    return {"eur": sum(c.eur for c in items if c.eur is not None), "by_currency": dict(sorted(by_currency.items())),
            "transactions": len(items), "unconverted": sum(1 for c in items if c.eur is None)}


def activity_money(activity: Activity) -> dict[str, Any]:
    """An activity's budget, transactions and planned disbursements in EUR by the rule, each with its rate and
    basis, and the totals per measure (committed, disbursed, planned); what has no rate is counted apart."""
    a = activity
    budget = budget_eur(a.budget.value, a.budget.currency, a.budget.value_date, a.dates.start,
                        a.dates.announced) if a.budget else None
    flows = [flow_eur(t.value, t.currency, t.value_date, t.date, a.dates.start, a.dates.announced)
             for t in a.transactions]
    planned = [flow_eur(p.value, p.currency, p.value_date, p.period_start, a.dates.start, a.dates.announced)
               for p in a.planned_disbursements]
    measures: dict[str, list[Conversion]] = {"committed": [], "disbursed": []}
    for t, c in zip(a.transactions, flows, strict=True):
        if t.type in MEASURE_OF_TYPE:
            measures[MEASURE_OF_TYPE[t.type]].append(c)
    return {"budget": budget.to_json() if budget else None, "transactions": [c.to_json() for c in flows],
            "planned_disbursements": [c.to_json() for c in planned],
            "totals": {**{k: _sum(v) for k, v in measures.items()}, "planned": _sum(planned)}, "method": METHOD}
