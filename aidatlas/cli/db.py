"""`aidatlas db …`: database maintenance (upgrade, check, backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aidatlas.cli.common import DbOption, err, fail, get_settings, guarded
from aidatlas.db.check import backup, check
from aidatlas.db.engine import current_revision, make_engine, upgrade

SUMMARY = ("documents", "activities", "organisations", "provenance")

app = typer.Typer(no_args_is_help=True, help="Database maintenance.")


@app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or bring its schema up to date."""
    settings = get_settings(db)
    with guarded():
        engine = make_engine(settings.database_url)
        upgrade(engine)
        err.print(f"database at revision {current_revision(engine)}")
        engine.dispose()


@app.command("check")
def db_check(db: DbOption = None) -> None:
    """Check the registry: integrity, rows whose parent is gone, provenance; exit 1 on any problem."""
    settings = get_settings(db)
    with guarded():
        engine = make_engine(settings.database_url)
        try:
            report = check(engine)
        finally:
            engine.dispose()
    for problem in report.problems:
        fail(problem)
    summary = ", ".join(f"{n} {table}" for table, n in report.counts.items() if table in SUMMARY)
    err.print(f"{'ok' if report.ok else f'{len(report.problems)} problems'}: {summary}")
    if not report.ok:
        raise typer.Exit(1)


@app.command("backup")
def db_backup(path: Annotated[Path, typer.Argument(help="the new file to write the copy to")],
              db: DbOption = None) -> None:
    """Copy a SQLite registry while it is in use (SQLite's online backup); for PostgreSQL, print pg_dump's
    command."""
    settings = get_settings(db)
    with guarded():
        engine = make_engine(settings.database_url)
        try:
            size = backup(engine, path)
        finally:
            engine.dispose()
    err.print(f"backed up to {path} ({size:,} bytes)")
