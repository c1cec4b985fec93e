"""Rebuild one currency's rows of `aidatlas/reference/data/rates_national.csv` from a national bank's export.

    python scripts/build_rates_national.py RSD NBS nbs_eur_2002_2026.csv
    python scripts/build_rates_national.py MKD NBRM nbrm.csv --date-column Datum --rate-column EUR
    python scripts/build_rates_national.py ALL BoA boa.csv --decimal-comma

The export is a CSV of the bank's middle rate of the euro (units of the currency per 1 EUR), one row per day or
month, as the National Bank of Serbia (nbs.rs, "Kursna lista" → "Srednji kurs"), the National Bank of the
Republic of North Macedonia (nbrm.mk, "Курсна листа") and the Bank of Albania (bankofalbania.org, "Kursi i
këmbimit") publish it. Rows are averaged per calendar year; the currency's rows in the data file are
replaced with `status=built` (the others are kept). Offline and deterministic. Dates may be ISO
(2019-06-30), day-first (30.06.2019 or 30/06/2019) or a month (2019-06).
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "aidatlas" / "reference" / "data" / "rates_national.csv"
HEADER = ["year", "currency", "per_eur", "source", "status"]
_YEAR_FIRST = re.compile(r"^(\d{4})-\d{2}(-\d{2})?")
_DAY_FIRST = re.compile(r"^\d{1,2}[./]\d{1,2}[./](\d{4})")


def year_of(text: str) -> int:
    text = text.strip()
    found = _YEAR_FIRST.match(text) or _DAY_FIRST.match(text)
    if not found:
        raise SystemExit(f"error: date {text!r} is neither ISO (2019-06-30, 2019-06) nor day-first (30.06.2019)")
    return int(found.group(1))


def annual_means(path: Path, date_column: str, rate_column: str, decimal_comma: bool) -> dict[int, float]:
    values: dict[int, list[float]] = defaultdict(list)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";" if decimal_comma else ",")
        missing = {date_column, rate_column} - set(reader.fieldnames or ())
        if missing:
            raise SystemExit(f"error: {path}: no column {', '.join(sorted(missing))} (has {reader.fieldnames})")
        for row in reader:
            raw = (row[rate_column] or "").strip()
            if not raw:
                continue
            rate = float(raw.replace(".", "").replace(",", ".") if decimal_comma else raw)
            values[year_of(row[date_column])].append(rate)
    return {year: sum(v) / len(v) for year, v in sorted(values.items())}


def rebuild(out: Path, currency: str, source: str, means: dict[int, float]) -> int:
    """Replace `currency`'s rows of `out` with `means`; comment lines at the top are kept."""
    lines = out.read_text(encoding="utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    rows = [r for r in csv.DictReader(line for line in lines if not line.startswith("#")) if r["currency"] != currency]
    rows += [{"year": str(y), "currency": currency, "per_eur": f"{v:.4f}", "source": source, "status": "built"}
             for y, v in means.items()]
    rows.sort(key=lambda r: (int(r["year"]), r["currency"]))
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(comments) + "\n")
        writer = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(means)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("currency", choices=["RSD", "MKD", "ALL"])
    parser.add_argument("source", help="the bank, as the data file names it (NBS, NBRM, BoA)")
    parser.add_argument("export", type=Path, help="the bank's CSV export of the EUR middle rate")
    parser.add_argument("--date-column", default="date")
    parser.add_argument("--rate-column", default="rate")
    parser.add_argument("--decimal-comma", action="store_true", help="'117,2534' numbers, ';'-separated")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    means = annual_means(args.export, args.date_column, args.rate_column, args.decimal_comma)
    n = rebuild(args.out, args.currency, args.source, means)
    print(f"wrote {n} yearly rows of {args.currency} to {args.out}")


if __name__ == "__main__":
    main()
