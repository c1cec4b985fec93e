"""Undo any decision of the log: organisation decisions (`decisions`) and activity links (`activities`).

Its own module because it needs both: `activities` builds on `decisions`, so `decisions` cannot call it back.
"""

from __future__ import annotations

from sqlalchemy import Connection

from aidatlas.errors import ConflictError
from aidatlas.resolve import activities
from aidatlas.resolve import decisions as dec


def undo(conn: Connection, decision_id: int, *, actor: str, reason: str) -> dec.Decision:
    """Reverse a decision; it stays in the log, marked as undone by the new one."""
    d = dec.get(conn, decision_id)
    if d.action == "undo" or d.undone_by is not None:
        raise ConflictError(f"decision {decision_id} is an undo or was undone already")
    if d.subject == dec.ORG:
        return dec.undo_organisation(conn, d, actor=actor, reason=reason)
    return activities.undo(conn, d, actor=actor, reason=reason)
