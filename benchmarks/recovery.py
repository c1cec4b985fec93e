"""Recovery after a kill: how long the re-run of a killed `aidatlas ingest` takes, against a clean run.

    python benchmarks/recovery.py [--docs 200] [--kill-at 0.5]

For SQLite (a temp file) and PostgreSQL (a throwaway schema, when reachable): a clean ingest of N documents,
then an ingest killed with SIGKILL once `--kill-at` of them are stored, then its re-run. Prints the seconds of
each and the ratio re-run / clean (the target: at most 1.2). The re-run skips stored documents before
extracting them, so it costs the start-up plus the documents the kill left.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kill_support import count, start, write_documents  # noqa: E402

from aidatlas.db.engine import make_engine  # noqa: E402
from aidatlas.registry import open_store  # noqa: E402
from aidatlas.settings import Settings  # noqa: E402
from benchmarks.pgschema import temporary_schema  # noqa: E402


def timed_ingest(url: str, folder: Path) -> float:
    started = time.monotonic()
    child = start("ingest", "--db", url, str(folder))
    _, err = child.communicate()
    if child.returncode != 0:
        raise SystemExit(err.decode()[-2000:])
    return time.monotonic() - started


def killed_ingest(url: str, folder: Path, stored: int) -> int:
    """Ingest until `stored` documents are committed, then SIGKILL; the documents actually stored."""
    engine = make_engine(url)
    child = start("ingest", "--db", url, str(folder))
    while child.poll() is None and count(engine, "documents") < stored:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    done = count(engine, "documents")
    engine.dispose()
    return done


def measure(label: str, clean_url: str, killed_url: str, folder: Path, docs: int, kill_at: float) -> None:
    for url in (clean_url, killed_url):
        open_store(Settings(database_url=url)).close()  # the schema first, in both, so neither run pays for it
    clean = timed_ingest(clean_url, folder)
    stored = killed_ingest(killed_url, folder, int(docs * kill_at))
    rerun = timed_ingest(killed_url, folder)
    print(f"{label:10} clean {clean:6.1f} s   killed after {stored}/{docs} stored   re-run {rerun:6.1f} s   "
          f"re-run/clean {rerun / clean:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction stored when the kill comes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        write_documents(folder, args.docs)
        measure("sqlite", Settings.sqlite_url(Path(tmp) / "clean.db"), Settings.sqlite_url(Path(tmp) / "killed.db"),
                folder, args.docs, args.kill_at)
        with temporary_schema("recover") as clean_url, temporary_schema("recover") as killed_url:
            if clean_url and killed_url:
                measure("postgres", clean_url, killed_url, folder, args.docs, args.kill_at)


if __name__ == "__main__":
    main()
