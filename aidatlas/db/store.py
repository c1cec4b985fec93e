"""The registry's store: documents and activities in, activities out. One transaction per document/file.

Writes are idempotent: ids derive from content, an unchanged document is not rewritten, and organisations
are get-or-create on a folded key of their name (or their IATI reference when they have one).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Literal, cast

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select

from aidatlas.db import tables as t
from aidatlas.db.activity_records import record_json, stored_json, stored_records
from aidatlas.db.edits import overlay
from aidatlas.db.engine import is_current, make_engine, retrying, upgrade
from aidatlas.db.mapping import WrittenRows, activity_from_rows, activity_rows, content_hash
from aidatlas.db.stages import Stage, Written, settle
from aidatlas.db.tables import batched, table_of
from aidatlas.db.values import among, checked_rows, copy_rows, insert_new, without_nul
from aidatlas.errors import NotFound, StoreError
from aidatlas.normalize.script import fold
from aidatlas.records import Activity, Document, Participant, stable_id
from aidatlas.reference.orgrefs import country_of_ref
from aidatlas.reference.orgs import KnownOrg, KnownOrgs
from aidatlas.settings import Settings

Outcome = Literal["new", "updated", "unchanged"]
TABLES: dict[str, Table] = {m.__tablename__: table_of(m) for m in (t.ActivityRow, *t.CHILD_TABLES)}
ACTIVITIES = TABLES["activities"]
DOCUMENTS = table_of(t.DocumentRow)
ORGANISATIONS = table_of(t.OrganisationRow)
ALIASES = table_of(t.OrganisationAliasRow)
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
    """Activities, documents and organisations on one engine. `stages` run, in order, around every write
    (see `aidatlas.db.stages`); `aidatlas.registry.open_store` gives the registry's own."""

    def __init__(self, engine: Engine, settings: Settings | None = None, *, stages: Sequence[Stage] = ()) -> None:
        self.engine = engine
        self.settings = settings or Settings()
        self.stages = list(stages)
        self._table: KnownOrgs | None = None
        self._known_by_name: dict[str, KnownOrg | None] = {}

    def known_orgs(self) -> KnownOrgs:
        """The curated organisations table (extended by `settings.org_table`), loaded on first use."""
        return self._known_table()

    def _known_table(self) -> KnownOrgs:
        if self._table is None:
            self._table = KnownOrgs.load(self.settings.org_table)
        return self._table

    def _known(self, participant: Participant) -> KnownOrg | None:
        if participant.name not in self._known_by_name:
            self._known_by_name[participant.name] = self._known_table().lookup(participant.name)
        return self._known_by_name[participant.name]

    @classmethod
    def open(cls, settings: Settings, *, migrate: bool = True, stages: Sequence[Stage] = ()) -> Store:
        """Open the registry at `settings.database_url`, creating or upgrading its schema when asked."""
        engine = make_engine(settings.database_url, settings.busy_timeout)
        try:
            current = is_current(engine)
        except Exception as exc:
            raise StoreError(f"cannot open the database {engine.url!r}: {exc}") from exc
        if not current:
            if not migrate:
                raise StoreError("the database schema is out of date; run `aidatlas db upgrade`")
            upgrade(engine)
        return cls(engine, settings, stages=stages)

    def close(self) -> None:
        self.engine.dispose()

    def has_document(self, document_id: str) -> bool:
        """Whether a document with this content hash is stored (ingest skips it before extracting)."""
        with self.engine.connect() as conn:
            return conn.execute(select(t.DocumentRow.id).where(t.DocumentRow.id == document_id)).first() is not None

    # ------------------------------------------------------------------ writes
    def save_document(self, document: Document, activities: Sequence[Activity]) -> Outcome:
        """Store a document and the activities read from it, in one transaction.

        Same content again → "unchanged" (nothing written). Same name, new content → the old version and its
        activities are replaced ("updated").
        """
        activities = [without_nul(a) for a in activities]
        return retrying(lambda: self._save_document(document, activities))

    def _save_document(self, document: Document, activities: Sequence[Activity]) -> Outcome:
        sha = document.sha256
        with self.engine.begin() as conn:
            if conn.execute(select(t.DocumentRow.id).where(t.DocumentRow.id == sha)).first():
                return "unchanged"
            old = conn.execute(select(t.DocumentRow.id).where(t.DocumentRow.name == document.name,
                                                              t.DocumentRow.kind == "document")).scalars().all()
            if old:
                act = ACTIVITIES
                previous = conn.execute(select(act.c.id, act.c.position).where(act.c.document_id.in_(old))).all()
                renamed = {r.id: new for r in previous
                           if r.position < len(activities) and (new := activities[r.position].id)}
                for stage in self.stages:
                    stage.renamed(conn, renamed)
            for old_id in old:
                self._delete_document(conn, old_id)
            conn.execute(insert(DOCUMENTS).values(checked_rows(DOCUMENTS, [dict(
                id=sha, name=document.name, media_type=document.media_type, size=len(document.content),
                encoding=document.encoding, content=document.content, path=document.path, text=document.text,
                page_starts=json.dumps(document.page_starts), kind="document")])[0]))
            self._insert_activities(conn, [(a, sha, i) for i, a in enumerate(activities)])
        return "updated" if old else "new"

    def import_activities(self, activities: Iterable[Activity], *, source_name: str, batch_size: int = 500,
                          conn: Connection | None = None, commit_every: int | None = None,
                          settle_later: bool = False) -> ImportCounts:
        """Upsert activities keyed by IATI identifier in one transaction; a newer `last_updated` replaces.

        With `conn`, inside the caller's transaction (an award and its registry record are written together).
        With `commit_every`, a transaction per that many activities instead: an interrupted import keeps what
        it committed, and a re-run finds those unchanged and goes on; on PostgreSQL a batch that lost a race
        with a concurrent import (`aidatlas.iati_import`) is tried again. With `settle_later` (a bulk load) the
        stages that can defer their work to one set-based pass do (`Stage.settle`): call `settle()` after."""
        if conn is not None:
            return self._import(conn, activities, source_name, batch_size, settle_later)
        if not commit_every:
            with self.engine.begin() as own:
                return self._import(own, activities, source_name, batch_size, settle_later)
        counts = ImportCounts()
        iterator = iter(activities)
        while batch := list(islice(iterator, commit_every)):
            retrying(lambda b=batch: self._commit_batch(b, counts, batch_size, settle_later),  # type: ignore[misc]
                     races=self.engine.dialect.name == "postgresql")
        counts.by_document[source_name] = "new" if counts.new else ("updated" if counts.updated else "unchanged")
        return counts

    def settle(self) -> int:
        """Finish what bulk loads deferred (`import_activities(..., settle_later=True)`); how many rounds ran."""
        return settle(self.engine, self.stages, self.settings, self.known_orgs)

    def _commit_batch(self, batch: list[Activity], counts: ImportCounts, batch_size: int,
                      settle_later: bool) -> None:
        """One committed batch of an import; the counts move only once it is committed (a retry recounts)."""
        mine = ImportCounts()
        with self.engine.begin() as own:
            for chunk in batched(batch, batch_size):
                self._upsert_batch(own, chunk, mine, settle_later)
        for outcome in ("new", "updated", "unchanged"):
            counts.add(outcome, getattr(mine, outcome))

    def _import(self, conn: Connection, activities: Iterable[Activity], source_name: str,
                batch_size: int, settle_later: bool) -> ImportCounts:
        counts = ImportCounts()
        batch: list[Activity] = []
        for activity in activities:
            batch.append(activity)
            if len(batch) >= batch_size:
                self._upsert_batch(conn, batch, counts, settle_later)
                batch = []
        if batch:
            self._upsert_batch(conn, batch, counts, settle_later)
        counts.by_document[source_name] = "new" if counts.new else ("updated" if counts.updated else "unchanged")
        return counts

    def _upsert_batch(self, conn: Connection, batch: list[Activity], counts: ImportCounts,
                      settle_later: bool = False) -> None:
        for a in batch:
            if not a.iati_identifier:
                raise StoreError(f"activity {a.primary_title()!r} has no IATI identifier to import by")
            if a.id is None:
                a.id = stable_id("iati", a.iati_identifier)
        batch = [without_nul(a) for a in batch]
        act = ACTIVITIES
        existing = {r.iati_identifier: r for r in conn.execute(
            select(act.c.id, act.c.iati_identifier, act.c.last_updated, act.c.content_hash)
            .where(among(conn, act.c.iati_identifier, [a.iati_identifier for a in batch])))}
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
            self._removing(conn, replace)
            for name in CHILD_NAMES:
                conn.execute(delete(TABLES[name]).where(among(conn, TABLES[name].c.activity_id, replace)))
            conn.execute(delete(act).where(among(conn, act.c.id, replace)))
        self._insert_activities(conn, fresh, settle_later)

    def _insert_activities(self, conn: Connection, items: Sequence[tuple[Activity, str | None, int]],
                           settle_later: bool = False) -> None:
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        orgs: dict[str, dict[str, Any]] = {}
        aliases: dict[tuple[str, str], dict[str, Any]] = {}
        owners = self._alias_owners(conn, {p.name[:500] for a, _, _ in items for p in a.participants})
        for activity, document_id, position in items:
            if activity.id is None:
                raise StoreError(f"activity {activity.primary_title()!r} has no id")
            org_ids: dict[int, str] = {}
            for i, p in enumerate(activity.participants):
                known = self._known(p)
                oid = organisation_id(p, known)
                owner = owners.get(p.name[:500])
                if owner and oid not in owner and not p.org_id:
                    oid = min(owner)            # a spelling moved to another organisation by a split
                org_ids[i] = oid
                if oid not in orgs:
                    orgs[oid] = {"id": oid, "name": known.canonical if known else p.name,
                                 "country": (known.country if known else None) or p.country
                                 or country_of_ref(p.org_id or (known.iati_ref if known else None)),
                                 "org_type": known.org_type if known else None,
                                 "iati_ref": p.org_id or (known.iati_ref if known else None), "website": None,
                                 "parent_id": self._add_parent(known, orgs, aliases)}
                aliases.setdefault((oid, p.name[:500]), {"organisation_id": oid, "alias": p.name[:500],
                                                         "key": name_key(p.name)[:500]})
            for table, table_rows in activity_rows(activity, document_id, position, org_ids).items():
                rows[table].extend(table_rows)
        touched = self._write_organisations(conn, orgs, aliases)
        merged = self._merged_into(conn, list(orgs))
        for r in rows.get("participations", ()):
            r["organisation_id"] = merged.get(r["source_org_id"], r["source_org_id"])
        for name in ("activities", *CHILD_NAMES):
            if rows.get(name):
                _bulk_insert(conn, TABLES[name], rows[name])
        written = Written([a.id for a, _, _ in items if a.id], sorted(touched), self.settings, self.known_orgs,
                          WrittenRows(rows), settle_later)
        for stage in self.stages:
            stage.written(conn, written)

    def _removing(self, conn: Connection, activity_ids: Sequence[str]) -> None:
        for stage in self.stages:
            stage.removing(conn, activity_ids)

    def _add_parent(self, known: KnownOrg | None, orgs: dict[str, dict[str, Any]],
                    aliases: dict[tuple[str, str], dict[str, Any]]) -> str | None:
        """The registry id of a known organisation's parent (an embassy's ministry), filed with the batch."""
        parent = self._known_table().get(known.parent) if known is not None and known.parent else None
        if parent is None:
            return None
        pid = organisation_id(Participant(name=parent.canonical, role="funder"), parent)
        if pid not in orgs:
            orgs[pid] = {"id": pid, "name": parent.canonical, "country": parent.country, "org_type": parent.org_type,
                         "iati_ref": parent.iati_ref, "website": None, "parent_id": self._add_parent(parent, orgs,
                                                                                                     aliases)}
            aliases.setdefault((pid, parent.canonical), {"organisation_id": pid, "alias": parent.canonical,
                                                         "key": name_key(parent.canonical)[:500]})
        return pid

    def _alias_owners(self, conn: Connection, names: set[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        ordered = sorted(names)
        for chunk in batched(ordered, 500):
            for r in conn.execute(select(ALIASES.c.alias, ALIASES.c.organisation_id)
                                  .where(among(conn, ALIASES.c.alias, chunk))):
                out[r.alias].add(r.organisation_id)
        return out

    def _merged_into(self, conn: Connection, org_ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in batched(org_ids, 500):
            out.update(conn.execute(select(ORGANISATIONS.c.id, ORGANISATIONS.c.merged_into).where(
                among(conn, ORGANISATIONS.c.id, chunk), ORGANISATIONS.c.merged_into.is_not(None))).all())
        return out

    def _write_organisations(self, conn: Connection, orgs: dict[str, dict[str, Any]],
                             aliases: dict[tuple[str, str], dict[str, Any]]) -> set[str]:
        """Insert what is new (with the parents of known organisations); returns the organisations that are new
        or have a new spelling, the ones entity resolution must look at."""
        ids = sorted(orgs)
        existing: set[str] = set()
        old_aliases: set[tuple[str, str]] = set()
        for chunk in batched(ids, 500):
            existing.update(conn.execute(select(ORGANISATIONS.c.id)
                                         .where(among(conn, ORGANISATIONS.c.id, chunk))).scalars())
            old_aliases.update((r.organisation_id, r.alias) for r in conn.execute(
                select(ALIASES.c.organisation_id, ALIASES.c.alias)
                .where(among(conn, ALIASES.c.organisation_id, chunk))))
        fresh = [orgs[oid] for oid in ids if oid not in existing]
        if fresh:  # a concurrent import (`aidatlas.iati_import`) may bring the same organisation: the first adds it
            insert_new(conn, ORGANISATIONS, fresh)
        new_aliases = [aliases[pair] for pair in sorted(aliases) if pair not in old_aliases]
        if new_aliases:
            insert_new(conn, ALIASES, new_aliases)
        return {row["id"] for row in fresh} | {row["organisation_id"] for row in new_aliases}

    def _delete_document(self, conn: Connection, document_id: str) -> None:
        act = ACTIVITIES
        ids = conn.execute(select(act.c.id).where(act.c.document_id == document_id)).scalars().all()
        self._removing(conn, ids)
        for name in CHILD_NAMES:  # explicit, so that no database needs ON DELETE CASCADE to be enabled
            table = TABLES[name]
            conn.execute(delete(table).where(among(conn, table.c.activity_id, ids)))
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
        with self.engine.connect() as conn:
            return self.read_activities(conn, ids)

    def get_records(self, ids: Sequence[str]) -> list[Activity]:
        """What readers see of activities by id, in the order given (missing ids skipped): from their stored
        record JSON, one query, falling back to the rows for any not stored or waiting to be re-indexed.
        Without the kept IATI element (`Activity.iati_source`): exports use `get_activities`."""
        if not ids:
            return []
        with self.engine.connect() as conn:
            return self.read_records(conn, ids)

    @classmethod
    def read_records(cls, conn: Connection, ids: Sequence[str]) -> list[Activity]:
        """`get_records` on the caller's connection (inside its transaction)."""
        found = stored_records(conn, ids)
        missing = [i for i in ids if i not in found]
        if missing:
            found.update((a.id, a) for a in cls.read_activities(conn, missing) if a.id)
        return [found[i] for i in ids if i in found]

    def record_json(self, activity_id: str) -> str:
        """One activity's record JSON as readers see it (the API's answer), stored or built from the rows."""
        with self.engine.connect() as conn:
            stored = stored_json(conn, [activity_id]).get(activity_id)
            if stored is not None:
                return stored
            found = self.read_activities(conn, [activity_id])
        if not found:
            raise NotFound(f"no activity {activity_id!r} in the registry")
        return record_json(found[0])

    @staticmethod
    def read_activities(conn: Connection, ids: Sequence[str], *, raw: bool = False,
                        given: WrittenRows | None = None) -> list[Activity]:
        """`get_activities` on the caller's connection (inside its transaction). Editors' corrections are laid
        over the stored values here, for every reader (`aidatlas.db.edits`); `raw` gives the sources' values.
        Activities in `given` (this transaction's write) are rebuilt from those rows, not fetched."""
        act = ACTIVITIES
        written, wanted = given.split(ids) if given is not None else ([], list(ids))
        rows = {r["id"]: r for r in conn.execute(select(act).where(among(conn, act.c.id, wanted))).mappings()} \
            if wanted else {}
        children: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for name in CHILD_NAMES if rows else ():
            table = TABLES[name]
            for r in conn.execute(select(table).where(among(conn, table.c.activity_id, list(rows)))).mappings():
                children[r["activity_id"]][name].append(r)
        built = {i: activity_from_rows(dict(rows[i]), children[i], rows[i]["document_id"]) for i in rows}
        if given is not None:
            built.update((i, given.activity(i)) for i in written)
        found = [built[i] for i in ids if i in built]
        return found if raw else overlay(conn, found)

    def organisation_ids(self, activity_id: str) -> list[str]:
        """The registry's organisation id of each participant of an activity, in participant order."""
        table = TABLES["participations"]
        with self.engine.connect() as conn:
            return list(conn.execute(select(table.c.organisation_id).where(table.c.activity_id == activity_id)
                                     .order_by(table.c.position)).scalars())

    def activity_ids(self, *, kind: str | None = None, document_id: str | None = None, limit: int | None = None,
                     offset: int = 0) -> list[str]:
        """Ids in a stable order (by document and position), of one kind or of one document when asked."""
        act = ACTIVITIES
        query = select(act.c.id).order_by(act.c.document_id, act.c.position, act.c.id).offset(offset)
        if kind:
            query = query.where(act.c.kind == kind)
        if document_id:
            query = query.where(act.c.document_id == document_id)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def iter_activities(self, *, batch_size: int = 500, kind: str | None = None) -> Iterator[Activity]:
        """Every activity, in a stable order, read in batches so memory stays flat."""
        ids = self.activity_ids(kind=kind)
        for chunk in batched(ids, batch_size):
            yield from self.get_activities(chunk)

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


def rows_of(conn: Connection, table: str, ids: Sequence[str], given: WrittenRows | None = None) -> Iterator[
        Mapping[str, Any]]:
    """One table's rows (`activities` or a child table) of the activities `ids`, in primary-key order: those of
    `given` (the rows this transaction wrote) from there, the others from the database."""
    found = TABLES[table]
    primary = [c.name for c in found.primary_key.columns]
    written, others = given.split(ids) if given is not None else ([], list(ids))
    if given is not None and written:
        yield from sorted(given.of(table, written), key=lambda row: tuple(row[c] for c in primary))
    if others:
        key = found.c.id if table == "activities" else found.c.activity_id
        for row in conn.execute(select(found).where(among(conn, key, others))
                                .order_by(*found.primary_key.columns)).mappings():
            yield cast(Mapping[str, Any], row)


def _bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """executemany straight on the driver with one prepared statement: the bulk path of ingest and import,
    where SQLAlchemy's per-row parameter processing would cost more than the database itself."""
    rows = checked_rows(table, rows)
    columns = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    if conn.dialect.name == "postgresql":
        copy_rows(conn, table.name, columns, ([row.get(c) for c in columns] for row in rows))
        return
    style = "%({})s" if conn.dialect.paramstyle == "pyformat" else ":{}"
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(style.format(c) for c in columns)})")
    conn.exec_driver_sql(sql, [{c: row.get(c) for c in columns} for row in rows])

