"""scripts/build_rates_national.py: a bank's export of the EUR middle rate → one currency's annual means in the
rates file, the other currencies and the header kept; a bad date is a clear error."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_rates_national.py"


def _script():
    spec = importlib.util.spec_from_file_location("build_rates_national", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_annual_means_replace_one_currency(tmp_path: Path) -> None:
    out = tmp_path / "rates.csv"
    out.write_text("# header kept\nyear,currency,per_eur,source,status\n2019,RSD,117.85,NBS,transcribed\n"
                   "2019,MKD,61.51,NBRM,transcribed\n", encoding="utf-8")
    export = tmp_path / "nbs.csv"
    export.write_text("Datum;Srednji kurs\n30.12.2019;117,5000\n31.12.2019;117,6000\n02.01.2020;117,5800\n",
                      encoding="utf-8")
    _script().main(["RSD", "NBS", str(export), "--date-column", "Datum", "--rate-column", "Srednji kurs",
                    "--decimal-comma", "--out", str(out)])
    assert out.read_text(encoding="utf-8").splitlines() == [
        "# header kept", "year,currency,per_eur,source,status", "2019,MKD,61.51,NBRM,transcribed",
        "2019,RSD,117.5500,NBS,built", "2020,RSD,117.5800,NBS,built"]


def test_a_bad_date_names_itself(tmp_path: Path) -> None:
    export = tmp_path / "x.csv"
    export.write_text("date,rate\nyesterday,61.5\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="date 'yesterday' is neither ISO"):
        _script().main(["MKD", "NBRM", str(export), "--out", str(tmp_path / "r.csv")])


def test_the_shipped_file_says_it_was_transcribed() -> None:
    from aidatlas.reference.rates import NATIONAL

    text = NATIONAL.read_text(encoding="utf-8")
    assert "TRANSCRIBED, NOT DOWNLOADED" in text and "scripts/build_rates_national.py" in text
    assert {line.split(",")[1] for line in text.splitlines()[4:]} == {"RSD", "MKD", "ALL"}
