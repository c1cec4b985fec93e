"""An older database file is brought up to date in place, its records kept."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from aidatlas.cli.main import app
from aidatlas.db.engine import current_revision, head_revision, is_current, make_engine, shipped_head, upgrade
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.registry import open_store
from aidatlas.settings import Settings

SHEET = b"Project title: Clean water for Tuzla\n\nDonor: European Union\n\nBudget: EUR 120,000\n"


def test_db_upgrade_brings_a_first_revision_file_to_head(tmp_path: Path):
    path = tmp_path / "old.db"
    engine = make_engine(Settings.sqlite_url(path))
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    document = load_bytes("sheet.txt", SHEET)
    activities = Extractor().extract(document)
    _write_at_old_schema(engine, document, activities)
    engine.dispose()

    result = CliRunner().invoke(app, ["db", "upgrade", "--db", str(path)])
    assert result.exit_code == 0, result.output
    engine = make_engine(Settings.sqlite_url(path))
    assert current_revision(engine) == head_revision(engine)
    store = open_store(Settings(database_url=Settings.sqlite_url(path)))
    assert store.get_activity(activities[0].id).title == activities[0].title
    with store.engine.connect() as conn:   # 0003 keeps what ingest resolved beside the merged id
        rows = conn.exec_driver_sql("SELECT organisation_id, source_org_id FROM participations").all()
    assert rows and all(a == b for a, b in rows)


def _write_at_old_schema(engine, document, activities) -> None:
    """Rows as the 0001 schema has them: today's row mapping with only the columns 0001 knew."""
    import json

    from sqlalchemy import MetaData

    from aidatlas.db.mapping import activity_rows
    from aidatlas.db.store import name_key, organisation_id

    old = MetaData()
    old.reflect(engine)
    with engine.begin() as conn:
        def put(table: str, row: dict) -> None:
            columns = old.tables[table].columns.keys()
            conn.execute(old.tables[table].insert().values({k: v for k, v in row.items() if k in columns}))

        put("documents", {"id": document.sha256, "name": document.name, "media_type": document.media_type,
                          "size": len(document.content), "encoding": document.encoding, "content": document.content,
                          "path": document.path, "text": document.text, "page_starts": json.dumps([0]),
                          "kind": "document"})
        for position, activity in enumerate(activities):
            org_ids = {i: organisation_id(p) for i, p in enumerate(activity.participants)}
            for i, p in enumerate(activity.participants):
                put("organisations", {"id": org_ids[i], "name": p.name})
                put("organisation_aliases", {"organisation_id": org_ids[i], "alias": p.name, "key": name_key(p.name)})
            for table, rows in activity_rows(activity, document.sha256, position, org_ids).items():
                for row in rows:
                    put(table, row)


def test_the_start_up_check_reads_the_head_alembic_reads(tmp_path: Path):
    engine = make_engine(Settings.sqlite_url(tmp_path / "head.db"))
    assert shipped_head() == head_revision(engine)
    assert not is_current(engine)
    upgrade(engine, "0001")
    assert not is_current(engine)
    upgrade(engine)
    assert is_current(engine)
