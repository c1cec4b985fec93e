"""Extraction quality, scored by the project's evaluation scorer on the seeds and on our own corpus.

The seed documents and the scorer live in ../shared (read-only); our own documents (HTML with site chrome,
a two-page PDF, Serbian Cyrillic, Windows-1250, Albanian/English, Macedonian) are in tests/data/docs with
expected records in tests/data/gold. Thresholds sit just under what the extractor measurably reaches, so a
regression fails here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aidatlas.export import write_json
from aidatlas.ingest.pipeline import Extractor, expand_paths

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared"
SCORER = SHARED / "eval" / "score.py"


#: just under what the extractor measurably reaches (2026-12-04; issue 13 asks 0.90 real, 0.95 own, 0.97 seeds);
#: raise them as it improves
REAL_FLOOR = 0.92
OWN_FLOOR = 0.94
SEED_FLOOR = 0.97


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _score(extractor: Extractor, docs: list[Path], gold: Path, tmp_path: Path) -> tuple[float, dict, str]:
    if not SCORER.exists():
        pytest.skip(f"the scorer {SCORER} is not here (../shared is missing)")
    records = [a for path in docs for a in extractor.extract_path(path)[1]]
    out = tmp_path / "pred.json"
    with out.open("w", encoding="utf-8") as fh:
        write_json(records, fh)
    result = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), str(out), "--details"],
                            capture_output=True, text=True, check=True)
    overall = float(re.search(r"overall F1 ([\d.]+)", result.stdout).group(1))
    fields = {m.group(1): float(m.group(2)) for m in
              re.finditer(r"^(\w+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s", result.stdout, re.MULTILINE)}
    return overall, fields, result.stdout


def test_seed_documents(extractor: Extractor, tmp_path: Path):
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds is not here")
    overall, fields, report = _score(extractor, seeds, SHARED / "eval" / "gold", tmp_path)
    assert overall >= SEED_FLOOR, report
    assert min(fields.values()) >= 0.80, report


def test_own_corpus(extractor: Extractor, tmp_path: Path):
    docs = sorted((HERE / "data" / "docs").iterdir())
    overall, _fields, report = _score(extractor, docs, HERE / "data" / "gold", tmp_path)
    assert overall >= OWN_FLOOR, report


def test_real_documents(extractor: Extractor, tmp_path: Path):
    """Twenty real pages by other authors (../shared/eval/real): the figure issue 13 asks to raise to 0.90."""
    docs = sorted((SHARED / "eval" / "real" / "docs").glob("*"))
    if not docs:
        pytest.skip("../shared/eval/real is not here")
    overall, fields, report = _score(extractor, docs, SHARED / "eval" / "real" / "gold", tmp_path)
    found = re.search(r"records (\d+)/(\d+)", report)
    assert found is not None and int(found.group(1)) >= 31, report
    assert overall >= REAL_FLOOR, report
    assert min(fields.values()) >= 0.75, report  # issue 13: no field below 0.75


def test_every_record_validates(extractor: Extractor, validate_record):
    for path in expand_paths([HERE / "data" / "docs", *sorted((SHARED / "seeds").glob("*.txt"))]):
        for activity in extractor.extract_path(path)[1]:
            validate_record(json.loads(json.dumps(activity.to_json())))


def test_no_document_takes_over_a_second(extractor: Extractor):
    extractor.extract_path(HERE / "data" / "docs" / "njoftim_mk.txt")  # reference data loads once
    for path in expand_paths([HERE / "data" / "docs", *sorted((SHARED / "seeds").glob("*.txt"))]):
        started = time.perf_counter()
        extractor.extract_path(path)
        assert time.perf_counter() - started < 1.0, path.name
