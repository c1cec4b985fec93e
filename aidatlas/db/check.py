"""`aidatlas db check` and `aidatlas db backup`: is the registry whole, and a consistent copy of it.

The check reads only: the database's own integrity check (SQLite), rows whose parent is gone (children of
a missing activity, activities of a missing document, aliases and participations of a missing
organisation), documents stored without any activity, and extracted activities without provenance (no
span of their document backs a single value) or whose spans point past the end of the document's text.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from aidatlas.errors import StoreError

_CHILDREN = ("narratives", "target_counts", "participations", "locations", "activity_countries", "money",
             "funding_shares", "sectors", "provenance")


@dataclass
class CheckReport:
    """What `check` found: one line per problem (empty: the registry is whole), and the row counts it read."""

    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


_ORPHANS = {
    **{f"{child} rows of a missing activity":
       f"SELECT count(*) FROM {child} c WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.id = c.activity_id)"
       for child in _CHILDREN},
    "activities of a missing document":
        "SELECT count(*) FROM activities a WHERE a.document_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = a.document_id)",
    "participations of a missing organisation":
        "SELECT count(*) FROM participations p WHERE NOT EXISTS (SELECT 1 FROM organisations o "
        "WHERE o.id = p.organisation_id)",
    "aliases of a missing organisation":
        "SELECT count(*) FROM organisation_aliases x WHERE NOT EXISTS (SELECT 1 FROM organisations o "
        "WHERE o.id = x.organisation_id)",
    "documents stored without any activity":
        "SELECT count(*) FROM documents d WHERE d.kind = 'document' "
        "AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.document_id = d.id)",
    "extracted activities without provenance":
        "SELECT count(*) FROM activities a WHERE a.document_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM provenance p WHERE p.activity_id = a.id)",
    "provenance spans outside their document's text":
        "SELECT count(*) FROM provenance p JOIN activities a ON a.id = p.activity_id "
        "JOIN documents d ON d.id = a.document_id WHERE p.start < 0 OR p.\"end\" < p.start "
        "OR p.\"end\" > length(d.text)",
}


def check(engine: Engine) -> CheckReport:
    """Read the whole registry once and list what is inconsistent."""
    report = CheckReport()
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            verdict = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
            if verdict != ["ok"]:
                report.problems += [f"integrity_check: {line}" for line in verdict[:20]]
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                report.problems.append(f"foreign_key_check: {len(broken)} rows point to missing parents")
        for table in ("documents", "activities", "organisations", *_CHILDREN):
            report.counts[table] = int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        for what, sql in _ORPHANS.items():
            if n := int(conn.execute(text(sql)).scalar_one()):
                report.problems.append(f"{n} {what}")
    return report


def backup(engine: Engine, target: Path) -> int:
    """Copy a SQLite registry to `target` with SQLite's online backup API (consistent while others write);
    returns the copy's size in bytes. PostgreSQL: `StoreError` with the pg_dump command to use instead."""
    url = engine.url
    if engine.dialect.name != "sqlite":
        plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)
        raise StoreError(f"aidatlas backs up SQLite files only; for PostgreSQL run: pg_dump --format=custom "
                         f"--file {target} '{plain}' (restore with pg_restore --clean --dbname …)")
    if not url.database or url.database == ":memory:":
        raise StoreError("an in-memory database has nothing to back up")
    if target.exists():
        raise StoreError(f"{target}: exists already; back up to a new file")
    if not target.parent.is_dir():
        raise StoreError(f"{target.parent}: no such directory")
    source = sqlite3.connect(url.database)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy, pages=1024)
    except sqlite3.Error as exc:
        copy.close()
        target.unlink(missing_ok=True)
        raise StoreError(f"backup to {target} failed: {exc}") from exc
    finally:
        source.close()
    copy.close()
    return target.stat().st_size
