"""Currency conversion to one currency (EUR) at documented rates, offline.

Rates: the ECB's euro foreign exchange reference rates, averaged per calendar year (`data/rates_ecb.csv`,
built by `scripts/build_rates.py`; see `data/SOURCES.md`), plus fixed pegs the ECB does not publish
(BAM: 1 EUR = 1.95583 BAM, the currency board rate of the Central Bank of Bosnia and Herzegovina).

An amount is converted at the mean rate of its year: the money's `value_date` year, else the activity's
start year, else the latest year in the table. Currencies without a rate (RSD, MKD, ALL …) are not converted:
`to_eur` returns None and the caller shows the original amount alone.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "rates_ecb.csv"
BASE = "EUR"
PEGS: dict[str, float] = {"BAM": 1.95583}
"""fixed rates, units per 1 EUR, used for every year"""


@dataclass(frozen=True)
class Rates:
    per_eur: dict[tuple[int, str], float]
    latest_year: dict[str, int]
    first_year: dict[str, int]
    as_of: str

    def rate(self, currency: str, year: int | None = None) -> tuple[float, int | None] | None:
        """Units of `currency` per 1 EUR and the year the rate is for (None for a fixed peg)."""
        if currency == BASE:
            return 1.0, None
        if currency in PEGS:
            return PEGS[currency], None
        last = self.latest_year.get(currency)
        if last is None:
            return None
        use = last if year is None else min(max(year, self.first_year[currency]), last)
        while (use, currency) not in self.per_eur and use < last:
            use += 1
        return self.per_eur[(use, currency)], use

    def to_eur(self, value: float, currency: str, year: int | None = None) -> float | None:
        found = self.rate(currency, year)
        return None if found is None else value / found[0]

    def currencies(self) -> list[str]:
        return sorted({BASE, *PEGS, *self.latest_year})


@cache
def rates() -> Rates:
    per_eur: dict[tuple[int, str], float] = {}
    latest: dict[str, int] = {}
    first_year: dict[str, int] = {}
    as_of = ""
    with DATA.open(encoding="utf-8") as fh:
        first = fh.readline()
        as_of = first.rsplit(" ", 1)[-1].strip()
        for row in csv.DictReader(fh):
            year, currency = int(row["year"]), row["currency"]
            per_eur[(year, currency)] = float(row["per_eur"])
            latest[currency] = max(latest.get(currency, year), year)
            first_year[currency] = min(first_year.get(currency, year), year)
    return Rates(per_eur, latest, first_year, as_of)


def year_of(*dates: str | None) -> int | None:
    """The year of the first ISO date given (YYYY, YYYY-MM or YYYY-MM-DD)."""
    for d in dates:
        if d and d[:4].isdigit():
            return int(d[:4])
    return None
