"""The blocking index in the database: which organisations or activities share a key with a new one.

A key shared by more than `cap` items is too common to narrow anything and is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, delete, insert, select

from aidatlas.db import tables as t
from aidatlas.db.tables import batched, table_of
from aidatlas.db.values import among, copy_rows

KEYS = table_of(t.BlockingKeyRow)


def write(conn: Connection, subject: str, keys: Mapping[str, Iterable[str]]) -> None:
    """Replace the keys of each item (`keys`: item → its keys)."""
    items = list(keys)
    for chunk in batched(items, 500):
        conn.execute(delete(KEYS).where(KEYS.c.subject == subject, among(conn, KEYS.c.item, chunk)))
    rows = [{"subject": subject, "key": k[:300], "item": i} for i, ks in keys.items() for k in sorted(set(ks))]
    if conn.dialect.name == "postgresql":
        copy_rows(conn, "blocking_keys", ["subject", "key", "item"], (tuple(r.values()) for r in rows))
        return
    for batch in batched(rows, 5000):
        conn.execute(insert(KEYS), batch)


def postings(conn: Connection, subject: str, keys: Iterable[str], cap: int, *, per_key: bool = False
             ) -> dict[str, list[str]]:
    """The items filed under each key, for the keys with at most `cap` items.

    Batched (500 keys per query) by default: the index covers (subject, key, item), so a key is read from the
    index alone. `per_key` asks one query per key bounded by `LIMIT cap + 1` instead, for indexes with keys
    so common (organisation keys in a registry of 50,000) that reading their postings would cost more than
    the extra queries."""
    ordered = sorted({k[:300] for k in keys})
    found: dict[str, list[str]] = {}
    if per_key:
        # straight to the driver: hundreds of tiny queries, where compiling each would cost more
        style = "%({})s" if conn.dialect.paramstyle == "pyformat" else ":{}"
        sql = (f"SELECT item FROM blocking_keys WHERE subject = {style.format('subject')} AND key = "
               f"{style.format('key')} LIMIT {int(cap) + 1}")
        for key in ordered:
            found[key] = [r[0] for r in conn.exec_driver_sql(sql, {"subject": subject, "key": key})]
    else:
        for chunk in batched(ordered, 500):
            for key, item in conn.execute(select(KEYS.c.key, KEYS.c.item).where(
                    KEYS.c.subject == subject, among(conn, KEYS.c.key, chunk))):
                found.setdefault(key, []).append(item)
    return {k: v for k, v in found.items() if 0 < len(v) <= cap}


