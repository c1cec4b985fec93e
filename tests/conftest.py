"""Shared fixtures: real SQLite files, a real PostgreSQL schema when a server listens, the record schema.

A SQLite registry is migrated once per test run (`sqlite_template`) and copied for each test that needs one:
a copy costs ~1 ms, a migration ~55 ms. The web and grants fixtures come in as plugins below.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from aidatlas.db.store import Store
from aidatlas.registry import open_store
from aidatlas.settings import Settings

pytest_plugins = ["web_fixtures", "grants_world", "web_grants_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
PG_URL = os.environ.get("AIDATLAS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_report_header(config: pytest.Config) -> str:
    return f"postgres: {'reachable at ' + PG_URL if _pg_reachable() else 'NOT reachable — its tests skip'}"


@cache
def _pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=2):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def record_schema() -> dict:
    """The record contract as the package ships it (a copy of shared/eval/record.schema.json)."""
    return json.loads((ROOT / "aidatlas" / "record.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def validate_record(record_schema):
    import jsonschema

    validator = jsonschema.Draft202012Validator(record_schema)

    def check(record: dict) -> None:
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, [e.message for e in errors]

    return check


def copy_database(source: Path, target: Path) -> Path:
    """A copy of a closed SQLite registry (its WAL too, should one be left)."""
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty registry at the newest schema, migrated once per run."""
    path = tmp_path_factory.mktemp("template") / "registry.db"
    open_store(Settings(database_url=Settings.sqlite_url(path))).close()
    return path


@pytest.fixture
def empty_sqlite_settings(tmp_path: Path) -> Settings:
    """A SQLite file that does not exist yet (no schema)."""
    return Settings(database_url=Settings.sqlite_url(tmp_path / "registry.db"))


@pytest.fixture
def sqlite_settings(tmp_path: Path, sqlite_template: Path) -> Settings:
    """A fresh registry at the newest schema (a copy of the template)."""
    return Settings(database_url=Settings.sqlite_url(copy_database(sqlite_template, tmp_path / "registry.db")))


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        conn.execute(sql)


def _pg_database_url(name: str) -> str:
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str | None]:
    """A database at the newest schema, migrated once per run (None when no server listens)."""
    if not _pg_reachable():
        yield None
        return
    name = f"aidatlas_template_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        open_store(Settings(database_url=_pg_database_url(name))).close()
        yield name
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_settings(pg_template: str | None) -> Iterator[Settings]:
    """A fresh database cloned from the template (~30 ms, a migration takes ~250), dropped afterwards."""
    if pg_template is None:
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}: store tests ran on SQLite only")
    name = f"aidatlas_test_{uuid.uuid4().hex[:10]}"
    _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    try:
        yield Settings(database_url=_pg_database_url(name))
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path: Path) -> Iterator[Store]:
    """The same store tests on a real SQLite file and on a real PostgreSQL server."""
    settings = request.getfixturevalue("sqlite_settings" if request.param == "sqlite" else "pg_settings")
    opened = open_store(settings)
    try:
        yield opened
    finally:
        opened.close()
