"""Merge review, one transaction per call: the editors' queue of candidate pairs and their decisions.

"Merge review" is about the registry's organisations and activities (not the grants' review of applications,
`aidatlas.grants.review`). The web page and the CLI call these; the work is in `decisions` and `activities`.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import Engine

from aidatlas.errors import InputError
from aidatlas.resolve import activities as links
from aidatlas.resolve import decisions as dec
from aidatlas.resolve.organisations import count_open, proposals
from aidatlas.resolve.undo import undo

Subject = Literal["organisations", "activities"]


def queue(engine: Engine) -> dict[str, Any]:
    """Open organisation pairs and activity links (best first), their count, and the latest decisions."""
    with engine.connect() as conn:
        log = dec.history(conn, limit=30)
        names = dec.names_of(conn, log)
        return {"organisations": proposals(conn, limit=50), "open": count_open(conn),
                "activities": links.proposals(conn, limit=50), "decisions": log, "names": names}


def decide(engine: Engine, subject: Subject, action: str, a: str, b: str, *, actor: str,
           reason: str) -> dec.Decision:
    """Merge (link) or reject a pair of organisations or of activities; a merge needs a reason."""
    if action == "merge" and not reason.strip():
        raise InputError("reason", "say why the two are the same (a merge needs a reason)")
    merge, reject = (dec.merge, dec.reject) if subject == "organisations" else (links.link, links.reject)
    with engine.begin() as conn:
        result: dec.Decision = (merge if action == "merge" else reject)(conn, a, b, actor=actor, reason=reason)
        return result


def undo_decision(engine: Engine, decision_id: int, *, actor: str, reason: str) -> dec.Decision:
    with engine.begin() as conn:
        return undo(conn, decision_id, actor=actor, reason=reason)


def split(engine: Engine, org_id: str, names: list[str], *, actor: str, reason: str) -> dec.Decision:
    with engine.begin() as conn:
        return dec.split(conn, org_id, names, actor=actor, reason=reason)
