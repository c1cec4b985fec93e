"""`aidatlas db check` finds what a crash or a bug could leave; `aidatlas db backup` copies a registry in use."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from aidatlas.cli.main import app
from aidatlas.db.check import backup, check
from aidatlas.db.store import Store
from aidatlas.errors import StoreError
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor

DOC = b"The European Union will fund a EUR 2 million project for water supply in Tuzla. UNDP implements it.\n"


def _fill(store: Store) -> None:
    document = load_bytes("release.txt", DOC)
    store.save_document(document, Extractor().extract(document))


def test_a_whole_registry_passes_and_orphans_are_found(store: Store) -> None:
    _fill(store)
    report = check(store.engine)
    assert report.ok, report.problems
    assert report.counts["documents"] == 1 and report.counts["provenance"] > 0
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:
            conn.execute(text("SET session_replication_role = replica"))  # no FK checks, as a bug would have it
        conn.execute(text("DELETE FROM provenance"))
        conn.execute(text("INSERT INTO documents (id, name, media_type, size, page_starts, kind) "
                          "VALUES ('x', 'lonely.txt', 'text/plain', 1, '[0]', 'document')"))
        conn.execute(text("UPDATE narratives SET activity_id = 'gone'"))
    problems = check(store.engine).problems
    assert any("narratives rows of a missing activity" in p for p in problems)
    assert any("1 documents stored without any activity" in p for p in problems)
    assert any("extracted activities without provenance" in p for p in problems)


def test_backup_copies_a_sqlite_registry_and_refuses_to_overwrite(sqlite_settings, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "--db", sqlite_settings.database_url, str(_write(tmp_path))]).exit_code == 0
    copy = tmp_path / "copy.db"
    done = runner.invoke(app, ["db", "backup", str(copy), "--db", sqlite_settings.database_url])
    assert done.exit_code == 0 and "backed up to" in done.output
    checked = runner.invoke(app, ["db", "check", "--db", str(copy)])
    assert checked.exit_code == 0 and "ok: 1 documents" in checked.output
    again = runner.invoke(app, ["db", "backup", str(copy), "--db", sqlite_settings.database_url])
    assert again.exit_code == 1 and "exists already" in again.output


def test_backup_of_postgresql_gives_the_pg_dump_command(pg_settings, tmp_path: Path) -> None:
    from aidatlas.db.engine import make_engine

    engine = make_engine(pg_settings.database_url)
    with pytest.raises(StoreError, match="pg_dump --format=custom"):
        backup(engine, tmp_path / "x.dump")
    engine.dispose()


def _write(tmp_path: Path) -> Path:
    path = tmp_path / "release.txt"
    path.write_bytes(DOC)
    return path
