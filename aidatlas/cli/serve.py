"""`aidatlas serve`: the web app and JSON API under uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from aidatlas.cli.common import DbOption, err, get_settings, guarded
from aidatlas.settings import Settings
from aidatlas.web.app import create_app, settle_heap


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(
        help="worker processes (on SQLite each holds its own search snapshot; on PostgreSQL none)")] = 1,
) -> None:
    """Serve the web app and JSON API."""
    settings = get_settings(db)
    if settings.secret_key == Settings.secret_key and host not in ("127.0.0.1", "localhost", "::1"):
        err.print("[yellow]warning:[/yellow] set AIDATLAS_SECRET_KEY: the default key is for local use only")
    with guarded():
        application = create_app(settings)  # migrates and indexes once, before any worker starts
    if workers > 1:
        os.environ["AIDATLAS_DATABASE_URL"] = settings.database_url
        uvicorn.run("aidatlas.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="info")
    else:
        settle_heap()
        uvicorn.run(application, host=host, port=port, log_level="info")
