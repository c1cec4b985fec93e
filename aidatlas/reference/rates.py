"""Currency rates to one currency (EUR), offline, with where each rate comes from.

Rates, units per 1 EUR, per calendar year:
- the ECB's euro foreign exchange reference rates, averaged per year (`data/rates_ecb.csv`, built by
  `scripts/build_rates.py`);
- the national banks' annual averages for the region's currencies the ECB does not publish — RSD (NBS), MKD
  (NBRM), ALL (Bank of Albania) — in `data/rates_national.csv` (rebuilt by `scripts/build_rates_national.py`;
  the shipped values are transcribed, see `data/SOURCES.md`);
- fixed pegs (BAM: 1 EUR = 1.95583 BAM, the currency board rate of the Central Bank of Bosnia and Herzegovina).

`Rates.rate(currency, year)` never answers with a later year's rate: a year before a currency's first one has
no rate; a year after its last one takes the last. Which date an amount is converted at is decided in one
place, `aidatlas.normalize.eur`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "rates_ecb.csv"
NATIONAL = Path(__file__).resolve().parent / "data" / "rates_national.csv"
BASE = "EUR"
PEGS: dict[str, float] = {"BAM": 1.95583}
"""fixed rates, units per 1 EUR, used for every year"""
PEG_SOURCE = "fixed peg (Central Bank of Bosnia and Herzegovina currency board)"
ECB_SOURCE = "ECB reference rate"
NATIONAL_SOURCES = {"NBS": "National Bank of Serbia", "NBRM": "National Bank of the Republic of North Macedonia",
                    "BoA": "Bank of Albania"}


@dataclass(frozen=True)
class Rate:
    per_eur: float
    """units of the currency per 1 EUR"""
    year: int | None
    """the year the rate is the mean of (None for a fixed peg and for EUR itself)"""
    source: str

    @property
    def basis(self) -> str:
        """How the rate was chosen, in words, for showing beside a converted amount."""
        if self.year is None:
            return self.source
        return f"{self.source}, {self.year} annual mean"


@dataclass(frozen=True)
class Rates:
    per_eur: dict[tuple[int, str], float]
    latest_year: dict[str, int]
    first_year: dict[str, int]
    as_of: str
    sources: dict[str, str]
    """currency → who publishes its rates (ECB, or a national bank)"""

    def find(self, currency: str, year: int | None) -> Rate | None:
        """The rate for an amount of `year` (None: no rate; never a later year's)."""
        if currency == BASE:
            return Rate(1.0, None, "EUR")
        if currency in PEGS:
            return Rate(PEGS[currency], None, PEG_SOURCE)
        last = self.latest_year.get(currency)
        if last is None or year is None or year < self.first_year[currency]:
            return None
        use = min(year, last)
        while (use, currency) not in self.per_eur:  # a gap in the series: the year before
            use -= 1
        return Rate(self.per_eur[(use, currency)], use, self.sources[currency])

    def rate(self, currency: str, year: int | None = None) -> tuple[float, int | None] | None:
        """Units of `currency` per 1 EUR and the year the rate is for (None for a fixed peg)."""
        found = self.find(currency, year)
        return None if found is None else (found.per_eur, found.year)

    def currencies(self) -> list[str]:
        return sorted({BASE, *PEGS, *self.latest_year})


def _read(path: Path, per_eur: dict[tuple[int, str], float], sources: dict[str, str]) -> str:
    """Rows of one rates file into `per_eur`; returns its first comment line."""
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh]
    header = lines[0] if lines and lines[0].startswith("#") else ""
    for row in csv.DictReader(line for line in lines if not line.startswith("#")):
        currency = row["currency"]
        per_eur[(int(row["year"]), currency)] = float(row["per_eur"])
        source = row.get("source")
        sources[currency] = NATIONAL_SOURCES.get(source, source) if source else ECB_SOURCE
    return header


@cache
def rates() -> Rates:
    per_eur: dict[tuple[int, str], float] = {}
    sources: dict[str, str] = {}
    first = _read(DATA, per_eur, sources)
    _read(NATIONAL, per_eur, sources)
    latest: dict[str, int] = {}
    first_year: dict[str, int] = {}
    for year, currency in per_eur:
        latest[currency] = max(latest.get(currency, year), year)
        first_year[currency] = min(first_year.get(currency, year), year)
    return Rates(per_eur, latest, first_year, first.rsplit(" ", 1)[-1].strip(), sources)


def year_of(*dates: str | None) -> int | None:
    """The year of the first ISO date given (YYYY, YYYY-MM or YYYY-MM-DD)."""
    for d in dates:
        if d and d[:4].isdigit():
            return int(d[:4])
    return None
