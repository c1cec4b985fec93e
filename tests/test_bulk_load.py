"""Bulk loads: `import-iati` in committed batches (COPY on PostgreSQL) fills the search index and its PostgreSQL
columns, resumes after an interruption, counts activities for its progress bar; statistics refresh at doublings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from aidatlas.cli.iati import count_activities
from aidatlas.cli.main import app
from aidatlas.db.search import Searcher, SearchQuery
from aidatlas.db.search_index import ANALYZE_AFTER, SearchIndexing, indexed_estimate
from aidatlas.errors import StoreError
from aidatlas.iati.reader import read_activities
from aidatlas.registry import open_store
from aidatlas.settings import Settings

runner = CliRunner()


def _iati(path: Path, n: int) -> Path:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">']
    for i in range(n):
        country = ("BA", "RS", "XK")[i % 3]
        parts.append(
            f'<iati-activity default-currency="EUR"><iati-identifier>XM-TEST-{i}</iati-identifier>'
            '<reporting-org ref="XM-TEST" type="10"><narrative>Test donor</narrative></reporting-org>'
            f"<title><narrative>Bridge repair number {i} in Lowbridge</narrative></title>"
            '<participating-org role="1" ref="XM-TEST"><narrative>Test donor</narrative></participating-org>'
            '<activity-status code="2"/>'
            f'<activity-date type="2" iso-date="20{10 + i % 10}-03-01"/>'
            f'<recipient-country code="{country}"/><sector vocabulary="1" code="21020"/>'
            '<budget><period-start iso-date="2015-01-01"/><period-end iso-date="2015-12-31"/>'
            f'<value currency="EUR" value-date="2015-01-01">{1000 + i}</value></budget>'
            '<transaction><transaction-type code="2"/><transaction-date iso-date="2015-02-01"/>'
            f'<value value-date="2015-02-01">{500 + i}</value></transaction>'
            "</iati-activity>")
    parts.append("</iati-activities>\n")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def test_count_activities_finds_every_start_tag_across_chunk_edges(tmp_path: Path):
    file = _iati(tmp_path / "a.xml", 23)
    for chunk in (7, 15, 16, 64, 1 << 20):
        assert count_activities(file, chunk) == 23
    assert count_activities(tmp_path / "missing.xml") == 0


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_import_in_small_batches_indexes_everything_and_resumes(database: str, request, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    settings: Settings = request.getfixturevalue("sqlite_settings" if database == "sqlite" else "pg_settings")
    file = _iati(tmp_path / "bridges.xml", 23)
    store = open_store(settings)
    activities = read_activities(file)

    def interrupted():
        for i, a in enumerate(activities):
            if i == 12:
                raise StoreError("interrupted")
            yield a

    with pytest.raises(StoreError):
        store.import_activities(interrupted(), source_name="bridges.xml", commit_every=5)
    assert store.counts()["activities"] == 10  # two committed batches of five; the third was lost
    store.close()
    monkeypatch.setenv("AIDATLAS_IMPORT_BATCH_ACTIVITIES", "4")
    result = runner.invoke(app, ["import-iati", str(file), "--db", settings.database_url, "--progress"])
    assert result.exit_code == 0, result.output
    assert "13 new, 0 updated, 10 unchanged" in result.output
    searcher = Searcher(open_store(settings).engine)
    found = searcher.search(SearchQuery(q="bridge lowbridge", filters={"country": ("BA", "XK")}), totals=True)
    assert found.total == 15
    assert found.totals is not None and found.totals["committed"]["transactions"] == 15
    with searcher.engine.connect() as conn:
        docs = conn.execute(text("SELECT count(*) FROM search_docs")).scalar_one()
        assert docs == 23
        if database == "postgres":
            assert conn.execute(text("SELECT count(*) FROM search_facets")).scalar_one() == 23
            assert conn.execute(text("SELECT count(*) FROM search_flows")).scalar_one() == 23


def test_statistics_are_refreshed_when_the_index_doubles(sqlite_settings: Settings):
    store = open_store(sqlite_settings)
    stage = next(s for s in store.stages if isinstance(s, SearchIndexing))
    assert stage._analyze_after == ANALYZE_AFTER
    with store.engine.connect() as conn:
        assert indexed_estimate(conn) == 0
    store.close()
