"""Store write throughput: synthetic activities into SQLite (a temp file) and PostgreSQL (when reachable).

    python benchmarks/store.py [--n 10000] [--quick]

Prints activities/s for one transaction of N activities (the shape of an IATI import) and for N/50
documents of 50 activities each (the shape of `aidatlas ingest`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aidatlas.ingest.documents import load_bytes
from aidatlas.records import stable_id
from aidatlas.registry import open_store
from aidatlas.settings import Settings
from aidatlas.synthetic import synthetic_activities
from benchmarks.pgschema import temporary_schema


def run(label: str, settings: Settings, n: int) -> None:
    store = open_store(settings)
    activities = list(synthetic_activities(n))
    for i, a in enumerate(activities):
        a.iati_identifier = f"XI-BENCH-{i}"
        a.id = None
    started = time.perf_counter()
    store.import_activities(activities, source_name="bench")
    one = time.perf_counter() - started
    per_doc = 50
    started = time.perf_counter()
    for d in range(0, n, per_doc):
        document = load_bytes(f"doc-{d}.txt", f"document {d}\n".encode())
        batch = activities[d:d + per_doc]
        for i, a in enumerate(batch):
            a.iati_identifier = None
            a.id = stable_id("act", document.sha256, i)
        store.save_document(document, batch)
    many = time.perf_counter() - started
    print(f"{label:10} {n:>7} activities  one transaction: {n / one:8.0f} activities/s ({one:.2f} s)   "
          f"{n // per_doc} documents: {n / many:8.0f} activities/s ({many:.2f} s)")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 1_000 if args.quick else args.n
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", Settings(database_url=Settings.sqlite_url(Path(tmp) / "bench.db")), n)
    with temporary_schema() as url:
        if url is not None:
            run("postgres", Settings(database_url=url), n)


if __name__ == "__main__":
    main()
