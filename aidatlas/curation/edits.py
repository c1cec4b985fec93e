"""Editing stored activities: one call per form or API request, one transaction each.

`edit` validates the new values as a whole record would be (`Activity`), stores one overlay row per changed
field (`aidatlas.db.edits`) with the value shown before and the source's own value, files organisations new to
the registry, and re-indexes the activity for search. `revert` takes one edit back; `keep` settles an edit whose
source changed (the editor keeps the correction against the new source value).
"""

from __future__ import annotations

import difflib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, insert, select, update

from aidatlas.curation.fields import check_codes
from aidatlas.db import tables as t
from aidatlas.db.edits import EDITABLE, EDITS, Edit, edit_of, edits_of, field_value
from aidatlas.db.search_index import PENDING, index_pending
from aidatlas.db.store import ALIASES, ORGANISATIONS, Store, name_key, organisation_id
from aidatlas.db.tables import table_of
from aidatlas.errors import ConflictError, InputError, NotFound
from aidatlas.records import Activity, Participant
from aidatlas.reference.orgrefs import country_of_ref

MAX_REASON = 1000
ACTIVITIES = table_of(t.ActivityRow)


@dataclass(frozen=True)
class HistoryEntry:
    edit: Edit
    diff: list[str]
    """unified diff lines of the field's JSON, before → after"""

    def to_json(self) -> dict[str, Any]:
        return {**self.edit.to_json(), "diff": self.diff}


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise InputError("reason", "every edit needs a reason (what was wrong, where the right value comes from)")
    if len(reason) > MAX_REASON:
        raise InputError("reason", f"at most {MAX_REASON} characters")
    return reason


def _read(conn: Connection, activity_id: str, *, raw: bool = False) -> Activity:
    found = Store.read_activities(conn, [activity_id], raw=raw)
    if not found:
        raise NotFound(f"no activity {activity_id!r} in the registry")
    return found[0]


def validated(current: Activity, changes: Mapping[str, Any]) -> Activity:
    """`current` with `changes` (field → JSON value) applied, checked as a whole record; InputError names the
    field and the problem."""
    data = current.model_dump(mode="json")
    for field, value in changes.items():
        if field not in EDITABLE:
            raise InputError(field, f"cannot be edited; editable fields: {', '.join(EDITABLE)}")
        check_codes(field, value)
        data[field] = value
    try:
        return Activity.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "value"
        raise InputError(where, first["msg"]) from exc


def edit(store: Store, activity_id: str, changes: Mapping[str, Any], *, actor: str, reason: str,
         now: int | None = None) -> list[Edit]:
    """Store the changed fields as edits; returns them (empty when every value is the one shown already)."""
    reason = _reason(reason)
    if not changes:
        raise InputError("changes", "name at least one field to change")
    at = int(time.time()) if now is None else now
    with store.engine.begin() as conn:
        current = _read(conn, activity_id)
        changes = dict(changes)
        if "participants" in changes and isinstance(changes["participants"], list):
            changes["participants"] = _from_registry(store, conn, changes["participants"])
        updated = validated(current, changes)
        raw = _read(conn, activity_id, raw=True)
        ids = []
        for field in changes:
            before, after = field_value(current, field), field_value(updated, field)
            if before == after:
                continue
            ids.append(conn.execute(insert(EDITS).values(
                activity_id=activity_id, field=field, value=_json(after), previous=_json(before),
                source=_json(field_value(raw, field)), actor=actor, at=at, reason=reason,
                source_changed=False).returning(EDITS.c.id)).scalar_one())
        if ids:
            if "participants" in changes:
                _file_organisations(store, conn, updated.participants)
            _reindex(conn, activity_id)
        rows = conn.execute(select(EDITS).where(EDITS.c.id.in_(ids)).order_by(EDITS.c.id)).all()
    return [edit_of(r) for r in rows]


def revert(store: Store, edit_id: int, *, actor: str, reason: str, now: int | None = None) -> Edit:
    """Take one edit back: the field shows the edit before it, or the source's value."""
    reason = _reason(reason)
    with store.engine.begin() as conn:
        row = conn.execute(select(EDITS).where(EDITS.c.id == edit_id)).first()
        if row is None:
            raise NotFound(f"no edit {edit_id}")
        if row.reverted_at is not None:
            raise ConflictError(f"edit {edit_id} was reverted already")
        conn.execute(update(EDITS).where(EDITS.c.id == edit_id).values(
            reverted_by=actor, reverted_at=int(time.time()) if now is None else now, revert_reason=reason))
        _reindex(conn, row.activity_id)
        return edit_of(conn.execute(select(EDITS).where(EDITS.c.id == edit_id)).one())


def keep(store: Store, edit_id: int) -> Edit:
    """The editor saw the source's new value and keeps the edit: the new value becomes the edit's source."""
    with store.engine.begin() as conn:
        row = conn.execute(select(EDITS).where(EDITS.c.id == edit_id)).first()
        if row is None:
            raise NotFound(f"no edit {edit_id}")
        if not row.source_changed:
            raise ConflictError(f"the source of edit {edit_id} has not changed")
        conn.execute(update(EDITS).where(EDITS.c.id == edit_id).values(
            source=row.source_now, source_now=None, source_changed=False))
        return edit_of(conn.execute(select(EDITS).where(EDITS.c.id == edit_id)).one())


def history(store: Store, activity_id: str) -> list[HistoryEntry]:
    """Every edit of an activity, newest first, with its diff; reverted ones included."""
    with store.engine.connect() as conn:
        edits = edits_of(conn, [activity_id], active_only=False).get(activity_id, [])
    return [HistoryEntry(e, diff(e.previous, e.value)) for e in reversed(edits)]


def in_force(store: Store, activity_id: str) -> dict[str, Edit]:
    """field → the edit whose value the field shows (the newest one in force)."""
    with store.engine.connect() as conn:
        return {e.field: e for e in edits_of(conn, [activity_id]).get(activity_id, [])}


def get_edit(store: Store, edit_id: int) -> Edit:
    with store.engine.connect() as conn:
        row = conn.execute(select(EDITS).where(EDITS.c.id == edit_id)).first()
    if row is None:
        raise NotFound(f"no edit {edit_id}")
    return edit_of(row)


def diff(before: Any, after: Any) -> list[str]:
    lines = difflib.unified_diff(_pretty(before), _pretty(after), "before", "after", lineterm="", n=2)
    return [line for line in lines if not line.startswith(("---", "+++"))]


def _pretty(value: Any) -> list[str]:
    return [] if value is None else json.dumps(value, ensure_ascii=False, indent=1).splitlines()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _from_registry(store: Store, conn: Connection, participants: list[Any]) -> list[Any]:
    """A participant picked from the registry by one of its names (or named as the curated organisations table
    knows it) gets that organisation's country and IATI ref when the editor left them empty; a ref alone gives
    its registration agency's country."""
    names = [p["name"] for p in participants if isinstance(p, dict) and p.get("name")]
    known: dict[str, Any] = {}
    if names:
        for r in conn.execute(select(ALIASES.c.alias, ORGANISATIONS.c.country, ORGANISATIONS.c.iati_ref)
                              .join(ORGANISATIONS, ORGANISATIONS.c.id == ALIASES.c.organisation_id)
                              .where(ALIASES.c.alias.in_(names)).order_by(ORGANISATIONS.c.id)):
            known.setdefault(r.alias, r)
    out = []
    for p in participants:
        if isinstance(p, dict) and p.get("name"):
            p = dict(p)
            row = known.get(p["name"]) or store.known_orgs().lookup(p["name"])
            p["org_id"] = p.get("org_id") or (row.iati_ref if row else None)
            p["country"] = p.get("country") or (row.country if row else None) or country_of_ref(p["org_id"])
        out.append(p)
    return out


def _file_organisations(store: Store, conn: Connection, participants: list[Participant]) -> None:
    """An organisation an editor named that the registry does not know yet is filed, as ingest would."""
    names = [p.name[:500] for p in participants]
    spelled = set(conn.execute(select(ALIASES.c.alias).where(ALIASES.c.alias.in_(names))).scalars())
    for p in participants:
        if p.name[:500] in spelled:
            continue
        known = store.known_orgs().lookup(p.name)
        oid = organisation_id(p, known)
        if conn.execute(select(ORGANISATIONS.c.id).where(ORGANISATIONS.c.id == oid)).first() is None:
            conn.execute(insert(ORGANISATIONS).values(
                id=oid, name=known.canonical if known else p.name, country=p.country or (known.country if known
                                                                                        else None),
                org_type=known.org_type if known else None, iati_ref=p.org_id, website=None))
        conn.execute(insert(ALIASES).values(organisation_id=oid, alias=p.name[:500], key=name_key(p.name)[:500]))
        spelled.add(p.name[:500])


def _reindex(conn: Connection, activity_id: str) -> None:
    """Search and facets show the edited values: the activity (or the primary record of its activity) is
    indexed again in this transaction."""
    primary = conn.execute(select(ACTIVITIES.c.same_as).where(ACTIVITIES.c.id == activity_id)).scalar() \
        or activity_id
    if conn.execute(select(PENDING.c.activity_id).where(PENDING.c.activity_id == primary)).first() is None:
        conn.execute(insert(PENDING).values(activity_id=primary))
    index_pending(conn)
