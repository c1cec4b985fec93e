"""What the editors' overlay costs: reading activities with no edits, and with edits on a share of them;
the time of one edit (validation, overlay row, re-indexing) on SQLite and PostgreSQL (when reachable).

    python benchmarks/curation.py [--n 5000] [--edited 0.1] [--quick]

Prints activities/s read through `Store.get_activities` (batches of 500, the export's shape) before and after
`--edited` of them carry an edit, and milliseconds per edit.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aidatlas.curation import edits
from aidatlas.db.store import Store
from aidatlas.db.tables import batched
from aidatlas.ingest.documents import load_bytes
from aidatlas.records import stable_id
from aidatlas.registry import open_store
from aidatlas.settings import Settings
from aidatlas.synthetic import synthetic_activities
from benchmarks.pgschema import temporary_schema


def read_all(store: Store, ids: list[str]) -> float:
    started = time.perf_counter()
    for chunk in batched(ids, 500):
        store.get_activities(chunk)
    return len(ids) / (time.perf_counter() - started)


def run(label: str, settings: Settings, n: int, share: float) -> None:
    store = open_store(settings)
    activities = list(synthetic_activities(n))
    document = load_bytes("bench.txt", b"benchmark\n")
    for i, a in enumerate(activities):
        a.id = stable_id("act", document.sha256, i)
    store.save_document(document, activities)
    ids = store.activity_ids()
    plain = read_all(store, ids)
    chosen = ids[:: max(1, round(1 / share))] if share > 0 else []
    started = time.perf_counter()
    for aid in chosen:
        edits.edit(store, aid, {"programme": "Benchmark programme", "countries": ["ME"]}, actor="bench",
                   reason="benchmark")
    per_edit = (time.perf_counter() - started) / max(1, len(chosen)) * 1000
    edited = read_all(store, ids)
    print(f"{label:10} {n:>6} activities  read: {plain:8.0f}/s without edits, {edited:8.0f}/s with "
          f"{len(chosen)} edited ({edited / plain:.0%})   one edit: {per_edit:.1f} ms")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5_000)
    parser.add_argument("--edited", type=float, default=0.1)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 1_000 if args.quick else args.n
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", Settings(database_url=Settings.sqlite_url(Path(tmp) / "bench.db")), n, args.edited)
    with temporary_schema("curation") as url:
        if url is not None:
            run("postgres", Settings(database_url=url), n, args.edited)


if __name__ == "__main__":
    main()
