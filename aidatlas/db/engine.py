"""Engines for SQLite (default: one file, WAL, foreign keys on) and PostgreSQL, plus migrations."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from aidatlas.errors import DatabaseBusy, StoreError

T = TypeVar("T")
BUSY_ERRORS = (OperationalError,)
"""what a driver raises when the database is locked (`is_busy` tells which of them mean that)"""

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, busy_timeout: float = 30) -> Engine:
    """An engine for `url`; SQLite files get WAL, foreign keys and a busy timeout (seconds a statement waits
    for another writer's lock before failing; the web app uses a short one and answers 503)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_timeout})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    if parsed.drivername == "postgresql":
        url = str(parsed.set(drivername="postgresql+psycopg"))
    return create_engine(url, pool_pre_ping=True)


def is_busy(exc: BaseException) -> bool:
    """A lock another writer holds (SQLite "database is locked"/"busy", PostgreSQL lock timeouts)."""
    message = str(exc).lower()
    return isinstance(exc, BUSY_ERRORS) and ("database is locked" in message or "database is busy" in message
                                             or "lock timeout" in message)


def retrying(write: Callable[[], T], attempts: int = 4, pause: float = 0.2) -> T:
    """Run a write transaction, again after a pause when the database was busy (SQLite refuses a deferred
    transaction's write at once, without waiting, when another writer committed since it read);
    `DatabaseBusy` once the attempts are spent."""
    for attempt in range(attempts):
        try:
            return write()
        except BUSY_ERRORS as exc:
            if not is_busy(exc):
                raise
            if attempt == attempts - 1:
                raise DatabaseBusy(f"the database stayed busy through {attempts} attempts: {exc.orig}") from exc
            time.sleep(pause * 2 ** attempt)
    raise AssertionError("unreachable")


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to `revision` (creates it on an empty database)."""
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), revision)
    except Exception as exc:
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"cannot migrate the database {engine.url!r}: {exc}") from exc


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def is_current(engine: Engine) -> bool:
    if "alembic_version" not in inspect(engine).get_table_names():
        return False
    return current_revision(engine) == head_revision(engine)
