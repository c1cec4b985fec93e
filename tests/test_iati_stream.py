"""The IATI half of the bad-input corpus (`tests/bad_inputs.py`): each hostile file refused by name and
reason in bounded time, in-process and as one `aidatlas import-iati` batch per database in which every good
file lands; odd but valid files (declared encodings, big narratives) are imported."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from bad_inputs import Case, activity, iati_cases, iati_file, readable_iati_cases
from sqlalchemy import select
from test_limits import MAX_RSS_MB, SECONDS_PER_CASE, run_cli

from aidatlas.db.store import ACTIVITIES
from aidatlas.errors import AidatlasError
from aidatlas.iati.reader import read_activities
from aidatlas.registry import open_store
from aidatlas.settings import Settings

BAD = iati_cases()
READABLE = readable_iati_cases()


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.shown[:40])
def test_bad_iati_file_is_refused_by_name_and_reason(case: Case, tmp_path: Path) -> None:
    path = case.write(tmp_path)
    started = time.monotonic()
    with pytest.raises(AidatlasError) as raised:
        list(read_activities(path))
    assert time.monotonic() - started < SECONDS_PER_CASE
    message = str(raised.value)
    assert message.startswith(case.shown + ": ") and case.reason is not None and case.reason in message
    assert "\n" not in message


@pytest.mark.parametrize("case", READABLE, ids=lambda c: c.shown[:40])
def test_odd_iati_file_is_read(case: Case, tmp_path: Path) -> None:
    assert len(list(read_activities(case.write(tmp_path)))) == 1


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_one_import_batch_of_the_whole_corpus(database: str, request: pytest.FixtureRequest,
                                              tmp_path: Path) -> None:
    settings: Settings = request.getfixturevalue("sqlite_settings" if database == "sqlite" else "pg_settings")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = [Case(f"good_{i}.xml".encode(), lambda p, i=i: p.write_text(iati_file(activity(f"XI-T-good-{i}")),
                                                                          encoding="utf-8"), None) for i in range(3)]
    cases = [good[0], *BAD[:13], good[1], *READABLE, *BAD[13:], good[2]]
    paths = [os.fsencode(c.write(corpus)) for c in cases]
    code, err, rss_mb, _ = run_cli(b"import-iati", b"--db", settings.database_url.encode(), *paths, cwd=tmp_path)
    assert code == 1 and "Traceback" not in err, err[-3000:]
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(BAD), "\n".join(errors)
    for case in BAD:
        mine = [line for line in errors if line.startswith(f"error: {case.shown}: ")]
        assert len(mine) == 1 and case.reason in mine[0], (case.shown, mine)
    assert rss_mb < MAX_RSS_MB
    store = open_store(settings)
    try:
        with store.engine.connect() as conn:
            stored = set(conn.execute(select(ACTIVITIES.c.iati_identifier)).scalars())
    finally:
        store.close()
    assert {f"XI-T-good-{i}" for i in range(3)} <= stored
    assert len(stored) == 3 + len(READABLE)  # a bad file stops inside its first batch: nothing of it is kept
