"""The registry's store: documents and activities in, activities out. One transaction per document/file.

Writes are idempotent: ids derive from content, an unchanged document is not rewritten, and organisations
are get-or-create on a folded key of their name (or their IATI reference when they have one).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select

from aidatlas.db import tables as t
from aidatlas.db.engine import is_current, make_engine, upgrade
from aidatlas.db.mapping import activity_from_rows, activity_rows, content_hash
from aidatlas.errors import NotFound, StoreError
from aidatlas.ingest.documents import Document
from aidatlas.normalize.script import fold
from aidatlas.records import Activity, Participant, stable_id
from aidatlas.reference.orgs import KnownOrg, KnownOrgs
from aidatlas.settings import Settings

Outcome = Literal["new", "updated", "unchanged"]
TABLES: dict[str, Table] = {m.__tablename__: cast(Table, m.__table__) for m in (t.ActivityRow, *t.CHILD_TABLES)}
ACTIVITIES = TABLES["activities"]
DOCUMENTS = cast(Table, t.DocumentRow.__table__)
ORGANISATIONS = cast(Table, t.OrganisationRow.__table__)
ALIASES = cast(Table, t.OrganisationAliasRow.__table__)
CHILD_NAMES = [m.__tablename__ for m in t.CHILD_TABLES]


@dataclass
class ImportCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    by_document: dict[str, Outcome] = field(default_factory=dict)

    def add(self, outcome: Outcome, n: int = 1) -> None:
        setattr(self, outcome, getattr(self, outcome) + n)


def name_key(name: str) -> str:
    """The folded spelling, for alias rows and unknown organisations. Deliberately not
    `normalize.orgs.org_key`, which translates and sorts words for fuzzy matching."""
    return fold(name)


def organisation_id(participant: Participant, known: KnownOrg | None = None) -> str:
    """An IATI reference identifies an organisation; else a curated table entry (every alias, any language,
    one organisation); else the folded name as written."""
    if participant.org_id:
        return stable_id("org", "ref", participant.org_id.strip().upper())
    if known is not None:
        return stable_id("org", "ref", known.iati_ref.upper()) if known.iati_ref else \
            stable_id("org", "known", name_key(known.canonical))
    return stable_id("org", name_key(participant.name))


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._known_orgs: set[str] = set()
        self._table: KnownOrgs | None = None
        self._known_by_name: dict[str, KnownOrg | None] = {}

    def _known(self, participant: Participant) -> KnownOrg | None:
        if participant.name not in self._known_by_name:
            if self._table is None:
                self._table = KnownOrgs.load()
            self._known_by_name[participant.name] = self._table.lookup(participant.name)
        return self._known_by_name[participant.name]

    @classmethod
    def open(cls, settings: Settings, *, migrate: bool = True) -> Store:
        """Open the registry at `settings.database_url`, creating or upgrading its schema when asked."""
        engine = make_engine(settings.database_url)
        try:
            current = is_current(engine)
        except Exception as exc:
            raise StoreError(f"cannot open the database {engine.url!r}: {exc}") from exc
        if not current:
            if not migrate:
                raise StoreError("the database schema is out of date; run `aidatlas db upgrade`")
            upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ writes
    def save_document(self, document: Document, activities: Sequence[Activity]) -> Outcome:
        """Store a document and the activities read from it, in one transaction.

        Same content again → "unchanged" (nothing written). Same name, new content → the old version and its
        activities are replaced ("updated").
        """
        sha = document.sha256
        with self.engine.begin() as conn:
            if conn.execute(select(t.DocumentRow.id).where(t.DocumentRow.id == sha)).first():
                return "unchanged"
            old = conn.execute(select(t.DocumentRow.id).where(t.DocumentRow.name == document.name,
                                                              t.DocumentRow.kind == "document")).scalars().all()
            for old_id in old:
                self._delete_document(conn, old_id)
            conn.execute(insert(DOCUMENTS).values(
                id=sha, name=document.name, media_type=document.media_type, size=len(document.content),
                encoding=document.encoding, content=document.content, path=document.path, text=document.text,
                page_starts=json.dumps(document.page_starts), kind="document"))
            self._insert_activities(conn, [(a, sha, i) for i, a in enumerate(activities)])
        return "updated" if old else "new"

    def import_activities(self, activities: Iterable[Activity], *, source_name: str,
                          batch_size: int = 500) -> ImportCounts:
        """Upsert activities keyed by IATI identifier in one transaction; a newer `last_updated` replaces."""
        counts = ImportCounts()
        with self.engine.begin() as conn:
            batch: list[Activity] = []
            for activity in activities:
                batch.append(activity)
                if len(batch) >= batch_size:
                    self._upsert_batch(conn, batch, counts)
                    batch = []
            if batch:
                self._upsert_batch(conn, batch, counts)
        counts.by_document[source_name] = "new" if counts.new else ("updated" if counts.updated else "unchanged")
        return counts

    def _upsert_batch(self, conn: Connection, batch: list[Activity], counts: ImportCounts) -> None:
        for a in batch:
            if not a.iati_identifier:
                raise StoreError(f"activity {a.primary_title()!r} has no IATI identifier to import by")
            if a.id is None:
                a.id = stable_id("iati", a.iati_identifier)
        act = ACTIVITIES
        existing = {r.iati_identifier: r for r in conn.execute(
            select(act.c.id, act.c.iati_identifier, act.c.last_updated, act.c.content_hash)
            .where(act.c.iati_identifier.in_([a.iati_identifier for a in batch])))}
        fresh: list[tuple[Activity, str | None, int]] = []
        replace: list[str] = []
        for position, a in enumerate(batch):
            old = existing.get(a.iati_identifier)
            if old is None:
                counts.add("new")
            elif old.content_hash == content_hash(a) or (
                    old.last_updated and a.last_updated and a.last_updated <= old.last_updated):
                counts.add("unchanged")
                continue
            else:
                counts.add("updated")
                replace.append(old.id)
            fresh.append((a, None, position))
        if replace:
            conn.execute(delete(act).where(act.c.id.in_(replace)))
        self._insert_activities(conn, fresh)

    def _insert_activities(self, conn: Connection, items: Sequence[tuple[Activity, str | None, int]]) -> None:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        orgs: dict[str, dict[str, Any]] = {}
        aliases: dict[tuple[str, str], dict[str, Any]] = {}
        for activity, document_id, position in items:
            if activity.id is None:
                raise StoreError(f"activity {activity.primary_title()!r} has no id")
            org_ids: dict[int, str] = {}
            for i, p in enumerate(activity.participants):
                known = self._known(p)
                oid = organisation_id(p, known)
                org_ids[i] = oid
                if oid not in self._known_orgs and oid not in orgs:
                    orgs[oid] = {"id": oid, "name": known.canonical if known else p.name,
                                 "country": (known.country if known else None) or p.country,
                                 "org_type": known.org_type if known else None,
                                 "iati_ref": p.org_id or (known.iati_ref if known else None), "website": None}
                aliases.setdefault((oid, p.name[:500]), {"organisation_id": oid, "alias": p.name[:500],
                                                         "key": name_key(p.name)[:500]})
            for table, table_rows in activity_rows(activity, document_id, position, org_ids).items():
                rows[table].extend(table_rows)
        if orgs:
            _insert_ignore(conn, ORGANISATIONS, list(orgs.values()))
            self._known_orgs.update(orgs)
        if aliases:
            _insert_ignore(conn, ALIASES, list(aliases.values()))
        for name in ("activities", *CHILD_NAMES):
            if rows.get(name):
                _bulk_insert(conn, TABLES[name], rows[name])

    def _delete_document(self, conn: Connection, document_id: str) -> None:
        act = ACTIVITIES
        ids = conn.execute(select(act.c.id).where(act.c.document_id == document_id)).scalars().all()
        for name in CHILD_NAMES:  # explicit, so that no database needs ON DELETE CASCADE to be enabled
            table = TABLES[name]
            conn.execute(delete(table).where(table.c.activity_id.in_(ids)))
        conn.execute(delete(act).where(act.c.document_id == document_id))
        conn.execute(delete(DOCUMENTS).where(DOCUMENTS.c.id == document_id))

    # ------------------------------------------------------------------ reads
    def get_activity(self, activity_id: str) -> Activity:
        found = self.get_activities([activity_id])
        if not found:
            raise NotFound(f"no activity {activity_id!r} in the registry")
        return found[0]

    def get_activities(self, ids: Sequence[str]) -> list[Activity]:
        """Activities by id, in the order given (missing ids skipped); a handful of queries per call."""
        if not ids:
            return []
        act = ACTIVITIES
        with self.engine.connect() as conn:
            rows = {r["id"]: r for r in conn.execute(select(act).where(act.c.id.in_(ids))).mappings()}
            children: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
            for name in CHILD_NAMES:
                table = TABLES[name]
                for r in conn.execute(select(table).where(table.c.activity_id.in_(list(rows)))).mappings():
                    children[r["activity_id"]][name].append(r)
        return [activity_from_rows(dict(rows[i]), children[i], rows[i]["document_id"]) for i in ids if i in rows]

    def organisation_ids(self, activity_id: str) -> list[str]:
        """The registry's organisation id of each participant of an activity, in participant order."""
        table = TABLES["participations"]
        with self.engine.connect() as conn:
            return list(conn.execute(select(table.c.organisation_id).where(table.c.activity_id == activity_id)
                                     .order_by(table.c.position)).scalars())

    def activity_ids(self, *, kind: str | None = None, limit: int | None = None, offset: int = 0) -> list[str]:
        act = ACTIVITIES
        query = select(act.c.id).order_by(act.c.document_id, act.c.position, act.c.id).offset(offset)
        if kind:
            query = query.where(act.c.kind == kind)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def iter_activities(self, *, batch_size: int = 500, kind: str | None = None) -> Iterator[Activity]:
        """Every activity, in a stable order, read in batches so memory stays flat."""
        ids = self.activity_ids(kind=kind)
        for start in range(0, len(ids), batch_size):
            yield from self.get_activities(ids[start:start + batch_size])

    def counts(self) -> dict[str, int]:
        """Row counts per table: the figure that must not change when a document is ingested again."""
        names = ["documents", "organisations", "organisation_aliases", "activities", *CHILD_NAMES]
        all_tables = {**TABLES, "documents": DOCUMENTS, "organisations": ORGANISATIONS,
                      "organisation_aliases": ALIASES}
        with self.engine.connect() as conn:
            return {n: conn.execute(select(func.count()).select_from(all_tables[n])).scalar_one() for n in names}

    def document(self, document_id: str) -> dict[str, Any]:
        table = DOCUMENTS
        with self.engine.connect() as conn:
            row = conn.execute(select(table.c.id, table.c.name, table.c.media_type, table.c.text,
                                      table.c.page_starts).where(table.c.id == document_id)).mappings().first()
        if row is None:
            raise NotFound(f"no document {document_id!r} in the registry")
        return dict(row)


def _bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """executemany straight on the driver with one prepared statement: the bulk path of ingest and import,
    where SQLAlchemy's per-row parameter processing would cost more than the database itself."""
    columns = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    style = "%({})s" if conn.dialect.paramstyle == "pyformat" else ":{}"
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(style.format(c) for c in columns)})")
    conn.exec_driver_sql(sql, [{c: row.get(c) for c in columns} for row in rows])


def _insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert  # type: ignore[assignment]
    conn.execute(dialect_insert(table).on_conflict_do_nothing(), rows)
