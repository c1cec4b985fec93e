"""Importing many IATI files: worker processes on PostgreSQL give the registry a single-process import gives,
even when files race for the same organisations, search terms and activities; a bad file is named and the
others go in; a batch that lost a race is tried again, any other integrity error is not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from aidatlas.cli.main import app
from aidatlas.db.engine import retrying
from aidatlas.db.search import Searcher, SearchQuery
from aidatlas.iati_import import import_files
from aidatlas.records import stable_id
from aidatlas.registry import open_store
from aidatlas.settings import Settings

runner = CliRunner()
DONORS = [("XM-DAC-7", "Norway"), ("XM-DAC-41", "Japan International Cooperation Agency"),
          ("XI-IATI-EC", "European Commission")]


def _file(path: Path, part: int, n: int, *, shared: str | None = None, updated: str = "2025-01-01") -> Path:
    """`n` activities of part `part`; every part names the same donors (so workers race to add them) and,
    with `shared`, also holds the activity `shared`, last updated `updated`."""
    items = [(f"XM-BULK-{part}-{i}", f"Water supply for village {part}-{i}", "2025-01-01") for i in range(n)]
    if shared:
        items.append((shared, f"Shared school repair (version of {updated})", updated))
    rows = []
    for i, (identifier, title, last) in enumerate(items):
        ref, donor = DONORS[i % len(DONORS)]
        rows.append(
            f'<iati-activity default-currency="EUR" last-updated-datetime="{last}T00:00:00">'
            f"<iati-identifier>{identifier}</iati-identifier>"
            f'<reporting-org ref="{ref}" type="10"><narrative>{donor}</narrative></reporting-org>'
            f"<title><narrative>{title}</narrative></title>"
            f'<participating-org role="1" ref="{ref}"><narrative>{donor}</narrative></participating-org>'
            f'<participating-org role="4"><narrative>Implementer {i % 4}</narrative></participating-org>'
            f'<activity-status code="2"/><activity-date type="2" iso-date="20{15 + i % 8}-03-01"/>'
            f'<recipient-country code="{("BA", "RS", "XK", "AL")[i % 4]}"/><sector vocabulary="1" code="14030"/>'
            '<budget><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>'
            f'<value currency="EUR" value-date="2020-01-01">{10_000 + i}</value></budget>'
            "</iati-activity>")
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
                    + "\n".join(rows) + "\n</iati-activities>\n", encoding="utf-8")
    return path


def _corpus(folder: Path) -> list[Path]:
    folder.mkdir()
    return [_file(folder / f"part{p}.xml", p, 12 + 3 * p, shared="XM-BULK-SHARED",
                  updated=f"2025-0{p + 1}-01") for p in range(4)]


def _registry(settings: Settings) -> tuple[dict[str, int], list[str], dict[str, int], str]:
    store = open_store(settings)
    try:
        searcher = Searcher(store.engine)
        page = searcher.search(SearchQuery(q="water", per_page=100))
        everything = searcher.search(SearchQuery(per_page=1))
        countries = {f.value: f.count for f in everything.facets["country"]}
        shared = store.get_activity(stable_id("iati", "XM-BULK-SHARED")).primary_title()
        return store.counts(), sorted(page.ids), countries, shared
    finally:
        store.close()


def test_workers_build_the_registry_one_process_builds(tmp_path: Path, sqlite_settings: Settings,
                                                       pg_settings: Settings):
    files = _corpus(tmp_path / "corpus")
    one = replace(sqlite_settings, import_batch_activities=5)
    many = replace(pg_settings, import_batch_activities=5)
    for settings, jobs in ((one, 1), (many, 3)):
        store = open_store(settings)
        try:
            results = list(import_files(store, files, settings, jobs=jobs))
        finally:
            store.close()
        assert sorted(r.path.name for r in results) == [f.name for f in files]
        assert all(r.error is None and r.counts is not None for r in results)
        assert sum(r.counts.new + r.counts.updated + r.counts.unchanged for r in results if r.counts) == \
            sum(12 + 3 * p + 1 for p in range(4))
    sequential, parallel = _registry(one), _registry(many)
    assert parallel == sequential
    assert parallel[0]["activities"] == sum(12 + 3 * p for p in range(4)) + 1
    assert parallel[3] == "Shared school repair (version of 2025-04-01)"   # the latest version won, whoever ran first


def test_a_bad_file_is_named_and_the_others_go_in(tmp_path: Path, pg_settings: Settings):
    files = _corpus(tmp_path / "corpus")
    (tmp_path / "corpus" / "broken.xml").write_text("<iati-activities version='2.03'><iati-activity>",
                                                    encoding="utf-8")
    result = runner.invoke(app, ["import-iati", str(tmp_path / "corpus"), "--db", pg_settings.database_url,
                                 "--jobs", "2", "--no-progress"])
    assert result.exit_code == 1
    assert "broken.xml" in result.output
    for f in files:
        assert f"{f.name}: " in result.output
    store = open_store(pg_settings)
    try:
        assert store.counts()["activities"] == sum(12 + 3 * p for p in range(4)) + 1
    finally:
        store.close()


def test_sqlite_imports_one_file_at_a_time_whatever_the_jobs(tmp_path: Path, sqlite_settings: Settings):
    files = _corpus(tmp_path / "corpus")
    store = open_store(sqlite_settings)
    try:
        names = [r.path.name for r in import_files(store, files, sqlite_settings, jobs=4)]
    finally:
        store.close()
    assert names == [f.name for f in files]


class _Orig(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_a_lost_race_is_tried_again_and_a_real_violation_is_not():
    attempts: list[int] = []

    def write(state: str, fail_times: int) -> str:
        attempts.append(1)
        if len(attempts) <= fail_times:
            raise IntegrityError("INSERT …", {}, _Orig(state))
        return "committed"

    assert retrying(lambda: write("23505", 2), pause=0, races=True) == "committed"
    assert len(attempts) == 3
    attempts.clear()
    with pytest.raises(IntegrityError):      # without races (a single writer) a violation is a real one
        retrying(lambda: write("23505", 1), pause=0)
    assert len(attempts) == 1
    attempts.clear()
    with pytest.raises(IntegrityError):      # a violation that stays is raised once the attempts are spent
        retrying(lambda: write("23505", 10), pause=0, races=True)
    assert len(attempts) == 4
    attempts.clear()
    with pytest.raises(IntegrityError):      # not-null, check … are no race
        retrying(lambda: write("23502", 1), pause=0, races=True)
    assert len(attempts) == 1
