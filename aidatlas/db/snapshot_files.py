"""The search snapshot saved beside a SQLite database, one folder per index generation, and memory-mapped.

Building a snapshot reads every posting of the index (seconds at 100,000 activities); loading a saved one
maps its arrays (`numpy.load(mmap_mode="r")`): milliseconds, and the pages stay in the OS's page cache,
shared by every process of the same database instead of copied into each one's heap. Folders live in
`<database file>.snapshot/<key>/`, the key naming the generation, the number of indexed activities, their
largest doc id and the database file's inode, so a database rebuilt from scratch (generations counted again
from 0) never meets an old snapshot. A folder is written under a temporary name and renamed into place, so a
reader sees a whole snapshot or none; older folders are removed (a process still mapping one keeps reading it:
unlinked files live on while mapped).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Engine

from aidatlas.db.flow_totals import FlowColumns
from aidatlas.db.search_ranges import RangeColumns
from aidatlas.db.search_snapshot import Snapshot

_ARRAYS = ("docs", "post_pos", "post_term", "term_ptr", "doc_ptr", "doc_terms", "term_facet", "eur", "value",
           "currency")
_FLOW_ARRAYS = ("pos", "measure", "currency", "value", "eur", "year")
_FORMAT = 1


class Strings(Sequence[str]):
    """A column of short strings stored as one fixed-width UTF-8 byte array (mappable), read as `str`."""

    def __init__(self, data: NDArray[np.bytes_]) -> None:
        self.data = data

    @classmethod
    def of(cls, values: Sequence[str]) -> Strings:
        encoded = [v.encode("utf-8") for v in values]
        width = max((len(b) for b in encoded), default=1) or 1
        return cls(np.array(encoded, dtype=f"S{width}"))

    def __len__(self) -> int:
        return len(self.data)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [b.decode("utf-8") for b in self.data[index]]
        return bytes(self.data[index]).decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return (b.decode("utf-8") for b in self.data)


def folder_of(engine: Engine) -> Path | None:
    """Where the snapshots of this engine's database go: beside its file (none for PostgreSQL or memory)."""
    if engine.dialect.name != "sqlite":
        return None
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name).resolve().with_name(Path(name).name + ".snapshot")


def key_of(conn: Connection, generation: int, database: Path) -> str:
    count, largest = conn.exec_driver_sql("SELECT count(*), max(doc) FROM search_docs").one()
    inode = database.stat().st_ino if database.exists() else 0
    return f"{generation}-{count}-{largest or 0}-{inode}"


def load(folder: Path) -> Snapshot | None:
    """The snapshot saved in `folder`, its arrays mapped; None when there is none (or one of another format)."""
    meta_path = folder / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("format") != _FORMAT:
        return None

    def array(name: str) -> Any:
        return np.load(folder / f"{name}.npy", mmap_mode="r")

    arrays = {name: array(name) for name in _ARRAYS}
    flows = FlowColumns(**{name: array(f"flow_{name}") for name in _FLOW_ARRAYS},
                        currencies=meta["flow_currencies"])
    terms = meta["terms"]
    return Snapshot(
        generation=meta["generation"], activity_ids=Strings(array("activity_ids")),
        term_value=[t[1] for t in terms], term_label=[t[2] for t in terms],
        term_index={(t[0], t[1]): i for i, t in enumerate(terms)},
        orders={sort: array(f"order_{sort}") for sort in meta["orders"]}, currencies=meta["currencies"],
        facets=meta["facets"], flows=flows, ranges=RangeColumns(array("first_day"), array("last_day")), **arrays)


def save(snapshot: Snapshot, folder: Path) -> None:
    """Write `snapshot` to `folder` atomically (temporary folder, then rename), and remove older folders."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    for name in _ARRAYS:
        np.save(temporary / f"{name}.npy", np.asarray(getattr(snapshot, name)))
    for name in _FLOW_ARRAYS:
        np.save(temporary / f"flow_{name}.npy", np.asarray(getattr(snapshot.flows, name)))
    ids = snapshot.activity_ids if isinstance(snapshot.activity_ids, Strings) else Strings.of(snapshot.activity_ids)
    np.save(temporary / "activity_ids.npy", np.asarray(ids.data))
    np.save(temporary / "first_day.npy", np.asarray(snapshot.ranges.first_day))
    np.save(temporary / "last_day.npy", np.asarray(snapshot.ranges.last_day))
    for sort, order in snapshot.orders.items():
        np.save(temporary / f"order_{sort}.npy", np.asarray(order))
    terms = [["", value, label] for value, label in zip(snapshot.term_value, snapshot.term_label, strict=True)]
    for (facet, _value), i in snapshot.term_index.items():
        terms[i][0] = facet
    meta = {"format": _FORMAT, "generation": snapshot.generation, "terms": terms, "orders": list(snapshot.orders),
            "currencies": snapshot.currencies, "facets": snapshot.facets,
            "flow_currencies": snapshot.flows.currencies}
    (temporary / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    try:
        temporary.rename(folder)
    except OSError:  # another process saved the same generation first: theirs is as good
        shutil.rmtree(temporary, ignore_errors=True)
    for other in folder.parent.iterdir():
        if other.name != folder.name and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)
