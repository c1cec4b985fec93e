"""Kill `aidatlas ingest` and `aidatlas import-iati` with SIGKILL at many points, on SQLite and PostgreSQL:
after every kill the registry is consistent (`aidatlas.db.check`), and the re-run ends equal to a clean run.

A kill point is found by watching the database: the child is killed a few milliseconds (seeded, 0–80 ms)
after its next commit shows, so kills land in extraction, between commits and inside them, and each
restart resumes where the previous one stopped (stored documents are skipped, imported activities found
unchanged)."""

from __future__ import annotations

import random
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import _pg_admin, _pg_database_url, copy_database
from kill_support import count, fingerprint, start, write_documents, write_iati

from aidatlas.db.check import check
from aidatlas.db.engine import make_engine
from aidatlas.settings import Settings

KILLS = 6  # per command and database: 12 per database
BATCH = {"AIDATLAS_IMPORT_BATCH_ACTIVITIES": "10"}


@pytest.fixture
def two_registries(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Settings, Settings]]:
    """Two empty registries on the database under test: one for the clean run, one to kill."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        yield tuple(Settings(database_url=Settings.sqlite_url(copy_database(template, tmp_path / f"{n}.db")))
                    for n in ("clean", "killed"))  # type: ignore[misc]
        return
    template = request.getfixturevalue("pg_template")
    if template is None:
        pytest.skip("PostgreSQL is not reachable")
    names = [f"aidatlas_kill_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    for name in names:
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield tuple(Settings(database_url=_pg_database_url(n)) for n in names)  # type: ignore[misc]
    finally:
        for name in names:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _kill_after_next_commit(args: list[str], url: str, table: str, rng: random.Random) -> bool:
    """Start the command, wait for one more committed row in `table`, wait a little, SIGKILL it.
    False when the command finished first."""
    engine = make_engine(url)
    try:
        before = count(engine, table)
        child = start(*args, env=BATCH)
        deadline = time.monotonic() + 60
        while child.poll() is None and count(engine, table) <= before and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.08))
        if child.poll() is not None:
            return False
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        report = check(engine)
        assert report.ok, report.problems
        return True
    finally:
        engine.dispose()


def _run(args: list[str]) -> None:
    child = start(*args, env=BATCH)
    _, err = child.communicate(timeout=300)
    assert child.returncode == 0 and b"Traceback" not in err, err.decode()[-2000:]


@pytest.mark.parametrize("two_registries", ["sqlite", "postgres"], indirect=True)
def test_killed_ingest_resumes_to_the_clean_result(two_registries: tuple[Settings, Settings],
                                                   tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    write_documents(folder, 24)
    clean, killed = two_registries
    _run(["ingest", "--db", clean.database_url, str(folder)])
    rng = random.Random(19)
    kills = sum(_kill_after_next_commit(["ingest", "--db", killed.database_url, str(folder)],
                                        killed.database_url, "documents", rng) for _ in range(KILLS))
    assert kills == KILLS
    _run(["ingest", "--db", killed.database_url, str(folder)])
    _assert_same(clean, killed)


@pytest.mark.parametrize("two_registries", ["sqlite", "postgres"], indirect=True)
def test_killed_import_resumes_to_the_clean_result(two_registries: tuple[Settings, Settings],
                                                   tmp_path: Path) -> None:
    file = write_iati(tmp_path / "activities.xml", 200)
    clean, killed = two_registries
    _run(["import-iati", "--db", clean.database_url, str(file)])
    rng = random.Random(20)
    kills = sum(_kill_after_next_commit(["import-iati", "--db", killed.database_url, str(file)],
                                        killed.database_url, "activities", rng) for _ in range(KILLS))
    assert kills == KILLS
    _run(["import-iati", "--db", killed.database_url, str(file)])
    _assert_same(clean, killed)


def _assert_same(clean: Settings, killed: Settings) -> None:
    engines = [make_engine(s.database_url) for s in (clean, killed)]
    try:
        assert check(engines[1]).ok
        assert fingerprint(engines[0]) == fingerprint(engines[1])
    finally:
        for engine in engines:
            engine.dispose()
