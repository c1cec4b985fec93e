"""Two writers (`aidatlas ingest` and `aidatlas import-iati`) and the web server under a bounded read load, on
one SQLite file and on PostgreSQL: no user sees an error (no 5xx, no refused connection, no failed command)
and nothing written is lost."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from kill_support import count, start, write_documents, write_iati

from aidatlas.db.check import check
from aidatlas.db.engine import make_engine
from aidatlas.settings import Settings

DOCUMENTS = 20
ACTIVITIES = 150
PATHS = ["/api/activities", "/activities", "/api/activities?q=water&sort=newest", "/api/organisations",
         "/api/overview", "/activities?country=RS"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([sys.executable, "-m", "aidatlas", "serve", "--db", url, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/activities", timeout=5):
                return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    server.kill()
    raise AssertionError(server.communicate()[0].decode()[-2000:])


def _read_load(port: int, stop: threading.Event, errors: list[str], done: list[int]) -> None:
    """One reader at most ~20 requests a second, each with a 30-second limit."""
    i = 0
    while not stop.is_set():
        path = PATHS[i % len(PATHS)]
        i += 1
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
                answer.read()
                done.append(answer.status)
        except urllib.error.HTTPError as exc:
            errors.append(f"{path}: {exc.code}")
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            errors.append(f"{path}: {exc}")
        time.sleep(0.05)


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_two_writers_and_readers_see_no_error_and_lose_nothing(database: str, request: pytest.FixtureRequest,
                                                              tmp_path: Path) -> None:
    settings: Settings = request.getfixturevalue("sqlite_settings" if database == "sqlite" else "pg_settings")
    folder = tmp_path / "docs"
    write_documents(folder, DOCUMENTS)
    file = write_iati(tmp_path / "activities.xml", ACTIVITIES)
    port = _free_port()
    server = _serve(settings.database_url, port)
    stop, errors, done = threading.Event(), [], []
    readers = [threading.Thread(target=_read_load, args=(port, stop, errors, done)) for _ in range(2)]
    try:
        for reader in readers:
            reader.start()
        writers = [start("ingest", "--db", settings.database_url, str(folder)),
                   start("import-iati", "--db", settings.database_url, str(file),
                         env={"AIDATLAS_IMPORT_BATCH_ACTIVITIES": "10"})]
        outputs = [w.communicate(timeout=600) for w in writers]
        time.sleep(0.5)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        server.terminate()
        log = server.communicate(timeout=30)[0].decode(errors="replace")
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0 and b"Traceback" not in err, err.decode()[-2000:]
    assert not errors, (errors[:10], log[-4000:])
    assert len(done) > 20 and "Traceback" not in log, log[-3000:]
    engine = make_engine(settings.database_url)
    try:
        assert count(engine, "documents") == DOCUMENTS
        assert count(engine, "activities") == DOCUMENTS + ACTIVITIES  # one record per release
        assert check(engine).ok
    finally:
        engine.dispose()
