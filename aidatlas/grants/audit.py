"""The append-only audit log: who did what, when, to which entity, with the state before and after.

Database triggers (migration 0004) refuse UPDATE and DELETE on `audit_log`. Entries about alumni carry
ids and course facts only, never names, so that erasing a person never needs to touch the log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.grants.context import Context, at, dumps, loads
from aidatlas.grants.models import AuditEntry
from aidatlas.grants.tables import AuditRow

AUDIT = table_of(AuditRow)


def record(ctx: Context, conn: Connection, actor: User | str, action: str, entity: str, entity_id: object,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """Append one entry inside the caller's transaction."""
    conn.execute(insert(AUDIT).values(
        at=ctx.ts(), actor=actor if isinstance(actor, str) else actor.username, action=action, entity=entity,
        entity_id=str(entity_id), before=None if before is None else dumps(before),
        after=None if after is None else dumps(after)))


def audit_entries(ctx: Context, actor: User, entity: str | None, entity_id: str | int | None,
                  limit: int = 500, before: int | None = None) -> list[AuditEntry]:
    """Newest first; `before` (an entry id) gives the next, older page."""
    ctx.require(actor, "officer", action="reading the audit log")
    query = select(AUDIT).order_by(AUDIT.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(AUDIT.c.id < before)
    if entity is not None:
        query = query.where(AUDIT.c.entity == entity)
    if entity_id is not None:
        query = query.where(AUDIT.c.entity_id == str(entity_id))
    with ctx.engine.connect() as conn:
        return [AuditEntry(r.id, at(r.at), r.actor, r.action, r.entity, r.entity_id, loads(r.before),
                           loads(r.after)) for r in conn.execute(query)]
