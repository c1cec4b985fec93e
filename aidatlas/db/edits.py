"""Editors' corrections as an overlay: the stored rows keep what a source said, `activity_edits` what an editor
changed, and `overlay` lays the second over the first wherever activities are read (`Store.read_activities`).

An edit replaces one top-level field of an `Activity` (`participants`, `budget`, `dates` …) with a new JSON
value; the newest edit of a field that is not reverted wins. Each edit keeps the value shown before it
(`previous`, for the diff) and the source's value when it was made (`source`): when a later ingest or import
brings a different source value, the edit is flagged (`source_changed`) and the new value kept beside it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Index, Integer, String, Text, false, select
from sqlalchemy.orm import Mapped, mapped_column

from aidatlas.db.tables import Base, batched, table_of
from aidatlas.db.values import among
from aidatlas.records import Activity

EDITABLE: tuple[str, ...] = (
    "title", "description", "kind", "programme", "participants", "locations", "countries", "sectors", "budget",
    "equivalents", "dates", "target_groups", "objectives", "results", "activities", "beneficiaries",
)
"""the fields an editor may change (a top-level field of `Activity` each)"""


class EditRow(Base):
    """One editor's change of one field of one activity; reverting sets `reverted_*`, nothing is deleted."""

    __tablename__ = "activity_edits"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    activity_id: Mapped[str] = mapped_column(String(80), index=True)  # no foreign key: edits outlive re-imports
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)  # JSON of the new value
    previous: Mapped[str] = mapped_column(Text)  # JSON of the value shown before the edit
    source: Mapped[str] = mapped_column(Text)  # JSON of the source's own value when the edit was made
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[int] = mapped_column(Integer)  # unix seconds
    reason: Mapped[str] = mapped_column(Text)
    reverted_by: Mapped[str | None] = mapped_column(String(80))
    reverted_at: Mapped[int | None] = mapped_column(Integer)
    revert_reason: Mapped[str | None] = mapped_column(Text)
    source_changed: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)
    source_now: Mapped[str | None] = mapped_column(Text)  # JSON of the changed source value


Index("ix_activity_edits_field", EditRow.activity_id, EditRow.field)
EDITS = table_of(EditRow)


@dataclass(frozen=True)
class Edit:
    id: int
    activity_id: str
    field: str
    value: Any
    previous: Any
    source: Any
    actor: str
    at: int
    reason: str
    reverted_by: str | None = None
    reverted_at: int | None = None
    revert_reason: str | None = None
    source_changed: bool = False
    source_now: Any = None

    @property
    def active(self) -> bool:
        return self.reverted_at is None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "activity": self.activity_id, "field": self.field, "value": self.value,
                "previous": self.previous, "source": self.source, "actor": self.actor, "at": self.at,
                "reason": self.reason, "reverted_by": self.reverted_by, "reverted_at": self.reverted_at,
                "revert_reason": self.revert_reason, "source_changed": self.source_changed,
                "source_now": self.source_now}


def edit_of(row: Any) -> Edit:
    return Edit(int(row.id), row.activity_id, row.field, json.loads(row.value), json.loads(row.previous),
                json.loads(row.source), row.actor, int(row.at), row.reason, row.reverted_by, row.reverted_at,
                row.revert_reason, bool(row.source_changed),
                None if row.source_now is None else json.loads(row.source_now))


def field_value(activity: Activity, field: str) -> Any:
    """A field's value as JSON data: what an edit stores and compares."""
    return activity.model_dump(mode="json")[field]


def edits_of(conn: Connection, activity_ids: Sequence[str], *, active_only: bool = True) -> dict[str, list[Edit]]:
    """The edits of each activity, oldest first (only the ones in force unless `active_only` is False)."""
    out: dict[str, list[Edit]] = defaultdict(list)
    for chunk in batched(list(activity_ids), 500):
        query = select(EDITS).where(among(conn, EDITS.c.activity_id, chunk)).order_by(EDITS.c.id)
        if active_only:
            query = query.where(EDITS.c.reverted_at.is_(None))
        for row in conn.execute(query):
            out[row.activity_id].append(edit_of(row))
    return out


def apply_edits(activity: Activity, edits: Sequence[Edit]) -> Activity:
    """The activity with its edits laid over it (pure). The source's spans of an edited field go: they point
    at the source's value, not the editor's."""
    if not edits:
        return activity
    try:
        return _applied(activity, edits)
    except ValidationError:  # an edit the record's rules no longer accept: the others still apply, reads go on
        valid: list[Edit] = []
        for edit in edits:
            try:
                _applied(activity, [*valid, edit])
            except ValidationError:
                continue
            valid.append(edit)
        return _applied(activity, valid)


def _applied(activity: Activity, edits: Sequence[Edit]) -> Activity:
    data = activity.model_dump(mode="json")
    fields = set()
    for edit in edits:
        data[edit.field] = edit.value
        fields.add(edit.field)
    spans = data["source"]["spans"]
    pages = data["source"]["pages"]
    for key in [k for k in spans if k.split(".")[0] in fields]:
        del spans[key]
        pages.pop(key, None)
    return Activity.model_validate(data)


def overlay(conn: Connection, activities: list[Activity]) -> list[Activity]:
    """Every activity with the edits in force applied: the one place reads pass through."""
    edits = edits_of(conn, [a.id for a in activities if a.id])
    if not edits:
        return activities
    return [apply_edits(a, edits.get(a.id or "", [])) for a in activities]


def edited_ids(conn: Connection, activity_ids: Sequence[str]) -> set[str]:
    """Which of `activity_ids` have an edit in force."""
    found: set[str] = set()
    for chunk in batched(list(activity_ids), 500):
        found.update(conn.execute(select(EDITS.c.activity_id).where(
            among(conn, EDITS.c.activity_id, chunk), EDITS.c.reverted_at.is_(None)).distinct()).scalars())
    return found
