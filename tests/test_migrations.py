"""An older database file is brought up to date in place, its records kept."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from aidatlas.cli import app
from aidatlas.db.engine import current_revision, head_revision, make_engine, upgrade
from aidatlas.db.store import Store
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.settings import Settings

SHEET = b"Project title: Clean water for Tuzla\n\nDonor: European Union\n\nBudget: EUR 120,000\n"


def test_db_upgrade_brings_a_first_revision_file_to_head(tmp_path: Path):
    path = tmp_path / "old.db"
    engine = make_engine(Settings.sqlite_url(path))
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    document = load_bytes("sheet.txt", SHEET)
    activities = Extractor().extract(document)
    Store(engine).save_document(document, activities)  # written by the old schema
    engine.dispose()

    result = CliRunner().invoke(app, ["db", "upgrade", "--db", str(path)])
    assert result.exit_code == 0, result.output
    engine = make_engine(Settings.sqlite_url(path))
    assert current_revision(engine) == head_revision(engine)
    store = Store.open(Settings(database_url=Settings.sqlite_url(path)))
    assert store.get_activity(activities[0].id).title == activities[0].title
