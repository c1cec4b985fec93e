"""Writers retry when SQLite is busy, and give up with `DatabaseBusy` (503 on the web) rather than hang;
PostgreSQL sessions are set for short statements."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import text

from aidatlas.db.engine import make_engine, retrying
from aidatlas.errors import DatabaseBusy


def _holder(path: str, seconds: float) -> threading.Thread:
    locked = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait()
    return thread


def test_a_write_is_retried_until_the_other_writer_is_done(tmp_path) -> None:
    path = str(tmp_path / "x.db")
    engine = make_engine(f"sqlite:///{path}", busy_timeout=0.05)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    holder = _holder(path, 0.3)

    def write() -> int:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
        return 1

    assert retrying(write, attempts=6, pause=0.05) == 1
    holder.join()
    engine.dispose()


def test_a_write_gives_up_with_database_busy(tmp_path) -> None:
    path = str(tmp_path / "x.db")
    engine = make_engine(f"sqlite:///{path}", busy_timeout=0.05)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    holder = _holder(path, 1.0)

    def write() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))

    with pytest.raises(DatabaseBusy, match="busy through 2 attempts"):
        retrying(write, attempts=2, pause=0.01)
    holder.join()
    engine.dispose()


def test_postgresql_sessions_plan_short_statements_without_jit_or_parallel_workers_for_small_plans(pg_settings) -> None:
    engine = make_engine(pg_settings.database_url.replace("postgresql+psycopg", "postgresql"))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW jit")).scalar_one() == "off"
            assert conn.execute(text("SHOW parallel_setup_cost")).scalar_one() == "20000"
    finally:
        engine.dispose()
