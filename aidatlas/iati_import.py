"""Import many IATI files: one after another, or in worker processes on PostgreSQL.

A bulk load is CPU-bound in Python (parsing, mapping, indexing) while the database mostly waits, and the
corpus comes as many independent files (one or more per publisher). So with `jobs` > 1 each worker process
imports whole files, committing in batches exactly as a single-process import does; the largest files start
first so the workers finish together. SQLite has one writer at a time, so there `jobs` is always 1.

Concurrent writers race on shared rows — a new organisation or search term two files both bring, the same
activity in two files — and PostgreSQL makes the later one fail (unique violation) or picks a deadlock
victim; that batch is rolled back and tried again once the other has committed (`retrying(..., races=True)`),
when it finds the row in place.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aidatlas.db.store import ImportCounts, Store
from aidatlas.errors import AidatlasError, display_name
from aidatlas.iati.reader import read_activities
from aidatlas.records import Activity
from aidatlas.settings import Settings

TICK_EVERY = 100
"""activities read between two progress reports of a worker"""


@dataclass
class FileResult:
    """How one file's import went: its counts, or the error that stopped it (what it committed stays)."""

    path: Path
    counts: ImportCounts | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def import_file(store: Store, path: Path, settings: Settings, tick: Callable[[int], None] | None = None, *,
                settle: bool = True) -> FileResult:
    """One file into the registry, in batches of `settings.import_batch_activities`; a library error (a
    malformed file, a value the registry cannot hold) ends this file only, named in `error`. Organisation
    resolution runs once after the file (`Store.settle`), or, with `settle=False`, is left to the caller."""
    result = FileResult(path)
    activities = read_activities(path, result.warnings.append)
    try:
        result.counts = store.import_activities(_ticking(activities, tick), source_name=display_name(path.name),
                                                commit_every=settings.import_batch_activities, settle_later=True)
        if settle:
            store.settle()
    except AidatlasError as exc:
        message = str(exc)
        result.error = message if message.startswith(display_name(path.name)) else \
            f"{display_name(path.name)}: {message}"
    return result


def import_files(store: Store, files: Iterable[Path], settings: Settings, *, jobs: int = 1,
                 tick: Callable[[int], None] | None = None) -> Iterator[FileResult]:
    """Every file's result as it finishes: in order with one job (or on SQLite), else in worker processes,
    each with its own connection (`store` is then only the parent's, already migrated). Organisations are
    resolved in one pass once every file is in (`Store.settle`, also finishing an interrupted earlier load's)."""
    paths = list(files)
    if jobs <= 1 or len(paths) <= 1 or store.engine.dialect.name != "postgresql":
        for path in paths:
            yield import_file(store, path, settings, tick, settle=False)
    else:
        yield from _in_workers(paths, settings, min(jobs, len(paths)), tick)
    store.settle()


def _in_workers(paths: list[Path], settings: Settings, jobs: int,
                tick: Callable[[int], None] | None) -> Iterator[FileResult]:
    context = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited connections or threads
    ticks: Any = context.Queue()
    listener = threading.Thread(target=_relay, args=(ticks, tick), daemon=True)
    listener.start()
    largest_first = sorted(paths, key=lambda p: p.stat().st_size if p.exists() else 0, reverse=True)
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(settings, ticks))
    try:
        futures = [executor.submit(_work, path) for path in largest_first]
        for future in as_completed(futures):
            yield future.result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        ticks.put(None)
        listener.join()


def _relay(ticks: Any, tick: Callable[[int], None] | None) -> None:
    """The parent's side of the workers' progress reports."""
    while (n := ticks.get()) is not None:
        if tick is not None:
            tick(n)


_worker: dict[str, Any] = {}
"""a worker process's store, settings and progress queue (set once by `_start_worker`)"""


def _start_worker(settings: Settings, ticks: Any) -> None:
    from aidatlas.registry import open_store

    _worker.update(store=open_store(settings, migrate=False), settings=settings, ticks=ticks)


def _work(path: Path) -> FileResult:
    return import_file(_worker["store"], path, _worker["settings"], _worker["ticks"].put, settle=False)


def _ticking(activities: Iterator[Activity], tick: Callable[[int], None] | None) -> Iterator[Activity]:
    """The activities, reporting how many were read every `TICK_EVERY` (and the rest at the end)."""
    if tick is None:
        yield from activities
        return
    pending = 0
    for activity in activities:
        yield activity
        pending += 1
        if pending == TICK_EVERY:
            tick(pending)
            pending = 0
    if pending:
        tick(pending)
