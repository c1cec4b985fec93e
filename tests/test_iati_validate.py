"""IATI validator: the schema's own should-pass/should-fail samples, the rules, the report, the CLI."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from aidatlas.cli import iati as cli_iati
from aidatlas.errors import IatiError
from aidatlas.iati.validate import validate_file
from aidatlas.iati.writer import write_activities
from aidatlas.records import Activity, Dates, Money, Source
from aidatlas.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "iati" / "schema-tests"
REAL = SHARED / "data" / "iati" / "es-maec-indonesia.xml"
SHOULD_PASS = sorted((SAMPLES / "should-pass").glob("*.xml"))
SHOULD_FAIL = sorted((SAMPLES / "should-fail").glob("*.xml"))
needs_samples = pytest.mark.skipif(not SHOULD_PASS, reason=f"{SAMPLES} is not available")

GOOD = """<?xml version="1.0"?>
<iati-activities version="2.03">
<iati-activity default-currency="EUR">
  <iati-identifier>XI-X-1</iati-identifier>
  <reporting-org ref="XI-X" type="90"><narrative>X</narrative></reporting-org>
  <title><narrative>T</narrative></title>
  <description type="1"><narrative>D</narrative></description>
  <participating-org role="1" type="10"><narrative>Funder</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/>
  <activity-date type="3" iso-date="2021-12-31"/>
  <recipient-country code="BA" percentage="60"/>
  <recipient-country code="RS" percentage="40"/>
  <sector vocabulary="1" code="15150"/>
  <budget type="1" status="1"><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>
    <value value-date="2020-01-01">10</value></budget>
</iati-activity>
</iati-activities>
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "file.xml"
    path.write_text(text, encoding="utf-8")
    return path


@needs_samples
@pytest.mark.parametrize("sample", SHOULD_PASS, ids=lambda p: p.name)
def test_should_pass_samples_pass_the_schema(sample: Path) -> None:
    assert validate_file(sample, rules=False).ok
    # Their codes are placeholders ("xx"), which the codelist rules rightly report:
    assert {i.code for i in validate_file(sample).issues} <= {"unknown-code", "currency-missing"}


@needs_samples
@pytest.mark.parametrize("sample", SHOULD_FAIL, ids=lambda p: p.name)
def test_should_fail_samples_fail(sample: Path) -> None:
    report = validate_file(sample, rules=False)
    assert not report.ok
    assert all(i.line for i in report.issues if i.code == "schema")


def test_a_good_file_is_clean(tmp_path: Path) -> None:
    report = validate_file(write(tmp_path, GOOD))
    assert report.ok and report.issues == [] and report.activities == 1


@pytest.mark.parametrize(("change", "code", "severity", "line"), [
    (('code="BA"', 'code="QQ"'), "unknown-code", "error", 12),
    (('role="1"', 'role="7"'), "unknown-code", "error", 8),
    (('type="10"', 'type="99"'), "unknown-code", "error", 8),
    (('<activity-status code="2"/>', '<activity-status code="8"/>'), "unknown-code", "error", 9),
    (('code="15150"', 'code="99999"'), "unknown-code", "error", 14),
    (('vocabulary="1" code="15150"', 'vocabulary="2" code="151"'), None, None, None),
    (('description type="1"', 'description type="5"'), "unknown-code", "error", 7),
    (('budget type="1"', 'budget type="3"'), "unknown-code", "error", 15),
    (('default-currency="EUR"', 'default-currency="EEK"'), "withdrawn-code", "warning", 3),
    (('default-currency="EUR"', 'default-currency="ABC"'), "unknown-code", "error", 3),
    (('<activity-date type="3" iso-date="2021-12-31"/>', '<activity-date type="3" iso-date="2019-12-31"/>'),
     "end-before-start", "error", 11),
    (('percentage="40"', 'percentage="30"'), "percentage-sum", "error", 12),
    (('percentage="40"', 'percentage="40" vocabulary="x"'), None, None, None),
    (('percentage="60"/>\n  <recipient-country code="RS" percentage="40"/>',
      'percentage="100"/>\n  <recipient-region code="789" vocabulary="1"/>'), "percentage-missing", "warning", 12),
    (('iso-date="2020-12-31"/>', 'iso-date="2022-06-30"/>'), "budget-period-over-a-year", "warning", 15),
    (('iso-date="2020-12-31"/>', 'iso-date="2019-06-30"/>'), "budget-period-reversed", "error", 15),
    (('<reporting-org ref="XI-X" type="90"><narrative>X</narrative></reporting-org>', ""),
     "reporting-org-missing", "error", 3),
    ((' default-currency="EUR"', ""), "currency-missing", "error", 16),
], ids=["country", "role", "org-type", "status", "sector", "sector-3-digit", "description-type", "budget-type",
        "withdrawn-currency", "currency", "end-before-start", "percentages", "percentages-ok",
        "percentage-missing",
        "long-budget", "reversed-budget", "no-reporting-org", "no-currency"])
def test_rules(tmp_path: Path, change: tuple[str, str], code: str | None, severity: str | None,
               line: int | None) -> None:
    report = validate_file(write(tmp_path, GOOD.replace(*change)))
    findings = [(i.code, i.severity, i.line, i.activity) for i in report.issues if i.code != "schema"]
    assert findings == ([] if code is None else [(code, severity, line, "XI-X-1")])


def test_schema_errors_carry_lines_and_identifiers(tmp_path: Path) -> None:
    text = GOOD.replace("<activity-status", "<bogus/><activity-status").replace(
        "</iati-activities>", "<stray/>\n</iati-activities>")
    report = validate_file(write(tmp_path, text))
    schema = [(i.line, i.activity, i.message.split(":")[0]) for i in report.issues if i.code == "schema"]
    assert schema == [(9, "XI-X-1", "Element 'bogus'"), (18, None, "Element 'stray'")]


def test_unreadable_files_are_reported_not_raised(tmp_path: Path) -> None:
    report = validate_file(write(tmp_path, GOOD[:-80]))
    assert not report.ok and report.issues[0].code == "xml" and "ends early" in report.issues[0].message
    with pytest.raises(IatiError, match="no such file"):
        validate_file(tmp_path / "missing.xml")


@pytest.mark.skipif(not REAL.is_file(), reason="real IATI file not available")
def test_real_file() -> None:
    report = validate_file(REAL)
    assert report.activities == 83
    assert not [i for i in report.issues if i.code == "schema"]
    # Recipient-region 789 has no percentage beside recipient-country ID; a few countries are < 100 %.
    assert {i.code for i in report.issues} == {"percentage-missing", "percentage-sum"}


def test_writer_output_has_no_errors(tmp_path: Path) -> None:
    path = tmp_path / "out.xml"
    records = [Activity(kind="project", title={"en": "A"}, source=Source(document="d"),
                        budget=Money(value=5, currency="EUR"), dates=Dates(start="2020", end="2022"))]
    with path.open("wb") as out:
        write_activities(records, out, Settings(), now=datetime(2025, 1, 1, tzinfo=UTC))
    report = validate_file(path)
    assert report.ok
    assert [i.code for i in report.issues] == ["budget-period-over-a-year"]  # one budget for the whole span


def test_report_json_and_table(tmp_path: Path) -> None:
    report = validate_file(write(tmp_path, GOOD.replace('code="BA"', 'code="QQ"')), max_issues=0)
    data = report.to_json()
    assert data["valid"] is False and data["errors"] == 1 and data["issues_not_listed"] == 1
    assert json.loads(json.dumps(data)) == data
    full = validate_file(write(tmp_path, GOOD.replace('code="BA"', 'code="QQ"'))).to_table()
    assert "unknown-code" in full and "XI-X-1" in full and full.endswith("1 errors, 0 warnings")


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command("validate")(cli_iati.validate)
    app.command("import-iati")(cli_iati.import_iati)
    return app


def test_cli_validate(tmp_path: Path) -> None:
    runner = CliRunner()
    good = write(tmp_path, GOOD)
    ok = runner.invoke(_cli(), ["validate", str(good)])
    assert ok.exit_code == 0 and "valid" in ok.output
    bad = write(tmp_path, GOOD.replace('code="BA"', 'code="QQ"'))
    result = runner.invoke(_cli(), ["validate", str(bad), "--json"])
    assert result.exit_code == 1 and json.loads(result.output)["errors"] == 1
    missing = runner.invoke(_cli(), ["validate", str(tmp_path / "nope.xml")])
    assert missing.exit_code == 1 and "nope.xml: no such file" in missing.output
    assert "Traceback" not in missing.output


def test_export_iati_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out.xml"
    with pytest.raises(IatiError):
        cli_iati.export_iati([], target, Settings())
    assert list(tmp_path.iterdir()) == []
    record = Activity(kind="project", title={"en": "A"}, source=Source(document="d"))
    assert cli_iati.export_iati([record], target, Settings()) == 1
    assert validate_file(target).ok and [p.name for p in tmp_path.iterdir()] == ["out.xml"]
    assert io.BytesIO(target.read_bytes()).read(5) == b"<?xml"
