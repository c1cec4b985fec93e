"""`aidatlas db …`: database maintenance."""

from __future__ import annotations

import typer

from aidatlas.cli.common import DbOption, err, get_settings, guarded
from aidatlas.db.engine import current_revision, make_engine, upgrade

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
