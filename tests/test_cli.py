"""The CLI end to end: extract prints the contract, ingest is idempotent, errors are one line and exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidatlas.cli.main import app

DOCS = Path(__file__).parent / "data" / "docs"
BAD = Path(__file__).parent / "data" / "bad"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_extract_json_emits_schema_valid_records(validate_record):
    result = run("extract", str(DOCS), "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)["records"]
    assert len(records) >= 10
    for record in records:
        validate_record(record)


def test_ingest_twice_reports_unchanged_and_keeps_counts(tmp_path: Path):
    db = str(tmp_path / "r.db")
    first = run("ingest", str(DOCS), "--db", db)
    assert first.exit_code == 0, first.output
    assert "0 unchanged" in first.output
    from aidatlas.cli.common import get_settings
    from aidatlas.registry import open_store

    before = open_store(get_settings(db)).counts()
    second = run("ingest", str(DOCS), "--db", db)
    assert second.exit_code == 0
    n = len(list(DOCS.iterdir()))
    assert f"0 new, 0 updated, {n} unchanged, 0 failed" in second.output
    assert open_store(get_settings(db)).counts() == before


@pytest.mark.parametrize("name, problem", [
    ("empty.txt", "is empty"),
    ("whitespace_only.md", "no readable text"),
    ("binary.txt", "binary"),
    ("corrupt.pdf", "not a readable PDF"),
    ("encrypted.pdf", "password-protected"),
    ("unknown.docx", "unknown format"),
])
def test_bad_input_is_one_line_and_nothing_is_stored(tmp_path: Path, name: str, problem: str):
    db = str(tmp_path / "r.db")
    good = DOCS / "njoftim_mk.txt"
    result = run("ingest", str(BAD / name), str(good), "--db", db)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and name in errors[0] and problem in errors[0], result.output
    assert "Traceback" not in result.output
    from aidatlas.cli.common import get_settings
    from aidatlas.registry import open_store

    counts = open_store(get_settings(db)).counts()
    assert counts["documents"] == 1  # the good document still went in


def test_missing_file(tmp_path: Path):
    result = run("extract", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.output


def test_list_show_and_sources(tmp_path: Path):
    db = str(tmp_path / "r.db")
    run("ingest", str(DOCS / "press_release_usd_jpy.txt"), "--db", db)
    listed = run("list", "--db", db)
    assert "Human Security" in listed.output
    records = [json.loads(line) for line in run("export", "--format", "jsonl", "--db", db).stdout.splitlines()]
    activity_id = next(r["id"] for r in records if r["kind"] == "project")
    assert activity_id in listed.output
    shown = json.loads(run("show", activity_id, "--db", db).stdout)
    assert shown["budget"]["currency"] == "USD"
    sources = run("show", activity_id, "--db", db, "--sources").output
    assert "budget" in sources and "US dollars" in sources


def test_export_formats(tmp_path: Path):
    db = str(tmp_path / "r.db")
    run("ingest", str(DOCS), "--db", db)
    out = tmp_path / "out.csv"
    assert run("export", "--format", "csv", "-o", str(out), "--db", db).exit_code == 0
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    participants = list(csv.DictReader((tmp_path / "out.participants.csv").open(encoding="utf-8")))
    assert rows and participants
    assert {p["activity_id"] for p in participants} <= {r["id"] for r in rows}
    jsonl = run("export", "--format", "jsonl", "--db", db).stdout.strip().splitlines()
    assert len(jsonl) == len(rows)
    assert len(json.loads(run("export", "--db", db).stdout)["records"]) == len(rows)


def test_db_upgrade_creates_and_is_repeatable(tmp_path: Path):
    db = str(tmp_path / "new.db")
    assert run("db", "upgrade", "--db", db).exit_code == 0
    assert run("db", "upgrade", "--db", db).exit_code == 0


def test_export_a_search_result(tmp_path: Path):
    db = str(tmp_path / "r.db")
    run("ingest", str(DOCS), "--db", db)
    everything = run("export", "--format", "jsonl", "--db", db).stdout.splitlines()
    montenegro = [json.loads(line) for line in
                  run("export", "--format", "jsonl", "--filter", "country=ME", "--db", db).stdout.splitlines()]
    assert 0 < len(montenegro) < len(everything)
    assert all("ME" in r["countries"] for r in montenegro)
    found = run("export", "--format", "jsonl", "-q", "Pljevlja", "--db", db).stdout.splitlines()
    assert any("Pljevlja" in json.loads(line)["title"].get("en", "") for line in found)
    bad = run("export", "--filter", "colour=red", "--db", db)
    assert bad.exit_code == 1 and "unknown filter 'colour'" in bad.output and "records" not in bad.stdout


def test_iati_export_of_an_empty_result_names_the_file(tmp_path: Path):
    db = str(tmp_path / "r.db")
    run("ingest", str(DOCS / "njoftim_mk.txt"), "--db", db)
    out = tmp_path / "x.xml"
    result = run("export", "--format", "iati", "-q", "nothingmatchesthis", "-o", str(out), "--db", db)
    assert result.exit_code == 1 and f"{out}: nothing to export" in result.output
    assert not out.exists()


def test_the_command_list_answers_without_importing_any_command(tmp_path):
    import subprocess
    import sys

    probe = ("import sys\nfrom typer.testing import CliRunner\nfrom aidatlas.cli.main import app\n"
             "result = CliRunner().invoke(app, ['--help'])\nassert result.exit_code == 0, result.output\n"
             "assert 'import-iati' in result.output\n"
             "heavy = [m for m in ('sqlalchemy', 'fastapi', 'lxml', 'aidatlas.ingest.pipeline') if m in sys.modules]\n"
             "assert not heavy, heavy\n")
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=tmp_path)


def test_the_listed_short_help_is_each_command_s_own():
    from aidatlas.cli.main import COMMANDS, load_command

    for name, (_, _, short) in COMMANDS.items():
        command = load_command(name)
        own = " ".join((command.help or "").split("\n\n")[0].split())
        assert own == short, (name, own, short)
