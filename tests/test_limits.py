"""The bad-input corpus (`tests/bad_inputs.py`) against the document limits, in-process case by case and as
one `aidatlas ingest` batch per database: one clear line per bad file, exit 1, no traceback, bounded time
and memory, and every good document of the same run stored."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bad_inputs import Case, document_cases, good_cases, readable_cases
from sqlalchemy import select

from aidatlas.db import tables as t
from aidatlas.errors import InputError
from aidatlas.ingest.limits import Limits, check_text, squeeze_blanks
from aidatlas.ingest.pipeline import Extractor
from aidatlas.registry import open_store
from aidatlas.settings import Settings

SECONDS_PER_CASE = 10
MAX_RSS_MB = 500
BAD = document_cases()
READABLE = readable_cases()
#: runs the CLI in this interpreter and reports its peak RSS on the last line of stderr
WRAPPER = ("import atexit, resource, sys\n"
           "atexit.register(lambda: print(f'maxrss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}', "
           "file=sys.stderr))\n"
           "from aidatlas.cli.main import main\n"
           "sys.argv[0] = 'aidatlas'\n"
           "main()\n")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def test_the_corpus_is_large_enough() -> None:
    from bad_inputs import iati_cases
    assert len(BAD) + len(iati_cases()) >= 70  # with the web cases of test_web_inputs.py: more than 80
    assert len({c.name for c in BAD + READABLE}) == len(BAD + READABLE)


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.shown[:40])
def test_bad_document_is_refused_by_name_and_reason(case: Case, extractor: Extractor, tmp_path: Path) -> None:
    path = case.write(tmp_path)
    started = time.monotonic()
    with pytest.raises(InputError) as raised:
        extractor.extract_path(path)
    assert time.monotonic() - started < SECONDS_PER_CASE
    message = str(raised.value)
    assert case.shown in message and case.reason is not None and case.reason in message
    assert "\n" not in message and not re.search(r"[\x00-\x1f\x7f]", message)


@pytest.mark.parametrize("case", READABLE, ids=lambda c: c.shown[:40])
def test_odd_document_is_read_within_bounds(case: Case, extractor: Extractor, tmp_path: Path) -> None:
    path = case.write(tmp_path)
    started = time.monotonic()
    document, activities = extractor.extract_path(path)
    assert time.monotonic() - started < SECONDS_PER_CASE
    assert activities and "\x00" not in document.text


def test_limits_come_from_settings(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text("The EU funds a project in Serbia.\n" * 20, encoding="utf-8")
    with pytest.raises(InputError, match=r"short\.txt: .* limit of 100 \(AIDATLAS_MAX_TEXT_CHARS\)"):
        Extractor(settings=Settings(max_text_chars=100)).extract_path(path)
    with pytest.raises(InputError, match=r"limit of 10 bytes \(AIDATLAS_MAX_DOCUMENT_BYTES\)"):
        Extractor(settings=Settings(max_document_bytes=10)).extract_path(path)
    assert Settings.from_env({"AIDATLAS_MAX_LINE_CHARS": "77"}).max_line_chars == 77


def test_line_limit_names_the_line() -> None:
    limits = Limits.of(Settings(max_line_chars=5))
    check_text("a.txt", "abc\nabcde\n", limits)
    with pytest.raises(InputError, match=r"a\.txt: line 3 is 6 characters long"):
        check_text("a.txt", "abc\nabcde\nabcdef", limits)


def test_blank_runs_are_squeezed_and_nothing_else() -> None:
    text = "Budget:  EUR 5\n\n\nTitle\t\tx\n"
    assert squeeze_blanks(text) == text
    assert squeeze_blanks("a" + " " * 1000 + "b") == "a" + " " * 32 + "b"
    assert squeeze_blanks("a" + "\n \n" * 100 + "b") == "a" + "\n" * 12 + "b"


def run_cli(*args: str | bytes, cwd: Path) -> tuple[int, str, int, float]:
    """`aidatlas ARGS` in a child process: exit code, stderr (the RSS line taken off), peak RSS in MB, seconds."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], cwd=cwd, capture_output=True, timeout=600,
                          env={**os.environ, "COLUMNS": "200"})
    seconds = time.monotonic() - started
    err = done.stderr.decode("utf-8", errors="replace")
    rss = re.search(r"maxrss_kb=(\d+)\s*$", err)
    assert rss, err[-2000:]
    return done.returncode, err[: rss.start()], int(rss.group(1)) // 1024, seconds


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_one_ingest_batch_of_the_whole_corpus(database: str, request: pytest.FixtureRequest,
                                              tmp_path: Path) -> None:
    """All bad, odd and good files in one `aidatlas ingest` call: each bad file one line, the rest stored."""
    settings: Settings = request.getfixturevalue("sqlite_settings" if database == "sqlite" else "pg_settings")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    goods = good_cases(3)
    cases = [goods[0], *BAD[: len(BAD) // 2], goods[1], *READABLE, *BAD[len(BAD) // 2:], goods[2]]
    paths = [os.fsencode(c.write(corpus)) for c in cases]
    code, err, rss_mb, seconds = run_cli(b"ingest", b"--db", settings.database_url.encode(), *paths, cwd=tmp_path)
    assert code == 1 and "Traceback" not in err, err[-3000:]
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(BAD), "\n".join(errors)
    for case in BAD:
        mine = [line for line in errors if f"{case.shown}: " in line]
        assert len(mine) == 1 and case.reason in mine[0], (case.shown, mine)
    assert rss_mb < MAX_RSS_MB and seconds < SECONDS_PER_CASE * len(cases) / 3
    store = open_store(settings)
    try:
        with store.engine.connect() as conn:
            stored = set(conn.execute(select(t.DocumentRow.name)).scalars())
    finally:
        store.close()
    assert stored == {c.shown for c in goods + READABLE}
