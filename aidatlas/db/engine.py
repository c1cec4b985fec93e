"""Engines for SQLite (default: one file, WAL, foreign keys on) and PostgreSQL, plus migrations."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from aidatlas.errors import DatabaseBusy, StoreError

T = TypeVar("T")
BUSY_ERRORS = (OperationalError,)
"""what a driver raises when the database is locked (`is_busy` tells which of them mean that)"""
RACE_STATES = frozenset({"40P01", "40001", "23505"})
"""deadlock detected, serialization failure, unique violation (PostgreSQL SQLSTATEs)"""

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
    return create_engine(url, pool_pre_ping=True, connect_args={"options": PG_SESSION})


PG_SESSION = "-c jit=off -c parallel_setup_cost=20000"
"""The registry's statements are many and short (a search page is three or four of them). At 1.1M activities a
rare word's count took 10 ms with a parallel worker, launching it being most of that, and 2 ms without: a
higher setup cost keeps such small plans serial and leaves parallel workers to plans costing ~100,000 and up.
JIT compiled the common word's plan for 6 ms of its 300 and sped nothing up."""


def is_busy(exc: BaseException) -> bool:
    """A lock another writer holds (SQLite "database is locked"/"busy", PostgreSQL lock timeouts)."""
    message = str(exc).lower()
    return isinstance(exc, BUSY_ERRORS) and ("database is locked" in message or "database is busy" in message
                                             or "lock timeout" in message)


def lost_race(exc: BaseException) -> bool:
    """A PostgreSQL deadlock victim, serialization failure or unique violation: what a write meets when a
    concurrent writer got to the same rows first; tried again, it finds them committed."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in RACE_STATES


def retrying(write: Callable[[], T], attempts: int = 4, pause: float = 0.2, *, races: bool = False) -> T:
    """Run a write transaction, again after a pause when the database was busy (SQLite refuses a deferred
    transaction's write at once, without waiting, when another writer committed since it read), or with
    `races` when it lost a race with a concurrent writer; `DatabaseBusy` once the attempts are spent (a
    unique violation that is no race fails every attempt and is raised as it is)."""
    for attempt in range(attempts):
        try:
            return write()
        except (*BUSY_ERRORS, IntegrityError) as exc:
            raced = races and lost_race(exc)
            if not (raced or (isinstance(exc, BUSY_ERRORS) and is_busy(exc))):
                raise
            if attempt == attempts - 1:
                if isinstance(exc, IntegrityError):
                    raise
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


def shipped_head() -> str:
    """The newest migration this code ships, read from the files' `revision`/`down_revision` lines: a check at
    every start-up that does not import Alembic (a third of a second); `tests/test_migrations.py` holds it
    equal to Alembic's own answer."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = re.search(r'^revision\s*=\s*["\']([^"\']+)', source, re.M)
        parent = re.search(r'^down_revision\s*=\s*["\']([^"\']+)', source, re.M)
        if revision:
            revisions.add(revision.group(1))
        if parent:
            parents.add(parent.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise StoreError(f"the shipped migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def is_current(engine: Engine) -> bool:
    """Whether the database's schema is the one this code ships (without importing Alembic)."""
    if "alembic_version" not in inspect(engine).get_table_names():
        return False
    with engine.connect() as conn:
        versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return versions == [shipped_head()]
