"""Merges that can be seen and undone: merge, reject, split and undo, each one row of `merge_decisions`.

A merge never rewrites what ingest resolved: `participations.source_org_id` keeps the organisation a name was
filed under, `organisations.merged_into` says where that organisation now belongs (always one step: chains
are flattened), and `participations.organisation_id` is the cached result. Undoing a merge therefore only
resets `merged_into` and recomputes the cache for the organisations concerned. A rejected pair is kept as a
candidate with status `rejected`, so the matcher never proposes it again. Every change queues the activities
it touches for re-indexing, so facets and totals follow. Functions take the caller's connection: the command
or request that calls them commits.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from aidatlas.db import search_tables as st
from aidatlas.db import tables as t
from aidatlas.db.tables import batched, table_of
from aidatlas.errors import ConflictError, NotFound
from aidatlas.normalize.script import fold
from aidatlas.records import stable_id

ORGS = table_of(t.OrganisationRow)
ALIASES = table_of(t.OrganisationAliasRow)
PARTS = table_of(t.ParticipationRow)
CANDIDATES = table_of(t.MergeCandidateRow)
DECISIONS = table_of(t.MergeDecisionRow)
KEYS = table_of(t.BlockingKeyRow)
PENDING = table_of(st.SearchPendingRow)
ORG = "organisation"
AUTOMATIC = "aidatlas (automatic)"


@dataclass(frozen=True)
class Decision:
    id: int
    subject: str
    action: str
    a: str
    b: str | None
    score: float | None
    reason: str
    actor: str
    at: int
    details: dict[str, Any]
    undone_by: int | None

    def to_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def canonical(conn: Connection, org_id: str) -> str:
    row = conn.execute(select(ORGS.c.id, ORGS.c.merged_into).where(ORGS.c.id == org_id)).first()
    if row is None:
        raise NotFound(f"no organisation {org_id!r} in the registry")
    return str(row.merged_into or row.id)


def members(conn: Connection, org_id: str) -> list[str]:
    """The organisation and every organisation merged into it."""
    ids = conn.execute(select(ORGS.c.id).where(or_(ORGS.c.id == org_id, ORGS.c.merged_into == org_id))).scalars()
    return sorted(ids)


def record(conn: Connection, subject: str, action: str, a: str, b: str | None, *, actor: str, reason: str,
           score: float | None = None, details: dict[str, Any] | None = None) -> int:
    """Append one decision; returns its id."""
    return int(conn.execute(insert(DECISIONS).values(
        subject=subject, action=action, a=a, b=b, score=score, reason=reason.strip() or "(no reason given)",
        actor=actor, at=int(time.time()), details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True))
        .returning(DECISIONS.c.id)).scalar_one())


def set_candidate(conn: Connection, subject: str, a: str, b: str, status: str, *, score: float = 0.0,
                  evidence: str = "") -> None:
    """Create or update the candidate row of a pair (its status: open, merged, rejected)."""
    a, b = ordered(a, b)
    key = and_(CANDIDATES.c.subject == subject, CANDIDATES.c.a == a, CANDIDATES.c.b == b)
    if conn.execute(select(CANDIDATES.c.status).where(key)).first():
        conn.execute(update(CANDIDATES).where(key).values(status=status))
    else:
        conn.execute(insert(CANDIDATES).values(subject=subject, a=a, b=b, score=score, evidence=evidence,
                                               status=status, created_at=int(time.time())))


def _survivor(conn: Connection, a: str, b: str) -> tuple[str, str]:
    """Which of two organisations keeps its id: one with an IATI ref, else the more used, else the older id."""
    rows = {r.id: r for r in conn.execute(select(ORGS.c.id, ORGS.c.iati_ref).where(ORGS.c.id.in_([a, b])))}
    if a not in rows or b not in rows:
        raise NotFound(f"no organisation {a if a not in rows else b!r} in the registry")
    used: dict[str, int] = dict(conn.execute(select(PARTS.c.organisation_id, func.count())
                                             .where(PARTS.c.organisation_id.in_([a, b]))
                                             .group_by(PARTS.c.organisation_id)).all())
    rank = sorted((a, b), key=lambda o: (rows[o].iati_ref is None, -used.get(o, 0), o))
    return rank[0], rank[1]


def requeue(conn: Connection, org_ids: Iterable[str]) -> int:
    """Queue the activities of these organisations for re-indexing (their facets and texts change)."""
    ids = list(set(org_ids))
    activities: set[str] = set()
    for chunk in batched(ids, 500):
        activities.update(conn.execute(select(PARTS.c.activity_id).where(
            or_(PARTS.c.organisation_id.in_(chunk), PARTS.c.source_org_id.in_(chunk)))).scalars())
    queued = set(conn.execute(select(PENDING.c.activity_id).where(PENDING.c.activity_id.in_(activities))).scalars()) \
        if activities else set()
    fresh = [{"activity_id": a} for a in sorted(activities - queued)]
    if fresh:
        conn.execute(insert(PENDING), fresh)
    return len(activities)


def _recompute(conn: Connection, org_ids: Sequence[str]) -> None:
    """Point the participations filed under `org_ids` at their organisation's current canonical id."""
    for org_id in org_ids:
        target = canonical(conn, org_id)
        conn.execute(update(PARTS).where(PARTS.c.source_org_id == org_id).values(organisation_id=target))


def merge(conn: Connection, a: str, b: str, *, actor: str, reason: str, score: float | None = None,
          evidence: str = "") -> Decision:
    """Make two organisations one. Both may already be clusters; the survivor keeps its id and name."""
    ca, cb = canonical(conn, a), canonical(conn, b)
    if ca == cb:
        raise ConflictError(f"{a} and {b} are one organisation already")
    if rejected(conn, ca, cb):
        raise ConflictError(f"merging {a} and {b} was rejected before; undo that decision first")
    keep, gone = _survivor(conn, ca, cb)
    moved = members(conn, gone)
    conn.execute(update(ORGS).where(ORGS.c.id.in_(moved)).values(merged_into=keep))
    _recompute(conn, moved)
    set_candidate(conn, ORG, a, b, "merged", score=score or 0.0, evidence=evidence)
    requeue(conn, [keep, *moved])
    did = record(conn, ORG, "merge", keep, gone, actor=actor, reason=reason, score=score,
                 details={"moved": moved, "evidence": evidence, "asked": [a, b]})
    return get(conn, did)


def rejected(conn: Connection, ca: str, cb: str) -> bool:
    """Was any pair between the two clusters rejected?"""
    left, right = set(members(conn, ca)), set(members(conn, cb))
    rows = conn.execute(select(CANDIDATES.c.a, CANDIDATES.c.b).where(
        CANDIDATES.c.subject == ORG, CANDIDATES.c.status == "rejected",
        or_(CANDIDATES.c.a.in_(left | right), CANDIDATES.c.b.in_(left | right))))
    return any({r.a, r.b} & left and {r.a, r.b} & right for r in rows)


def status(conn: Connection, subject: str, a: str, b: str) -> str | None:
    x, y = ordered(a, b)
    return conn.execute(select(CANDIDATES.c.status).where(CANDIDATES.c.subject == subject, CANDIDATES.c.a == x,
                                                          CANDIDATES.c.b == y)).scalar()


def rejected_pair(conn: Connection, subject: str, a: str, b: str) -> bool:
    return status(conn, subject, a, b) == "rejected"


def decided(conn: Connection, subject: str, a: str, b: str) -> bool:
    """Merged or rejected before (an open candidate is not decided)."""
    return status(conn, subject, a, b) not in (None, "open")


def reject(conn: Connection, a: str, b: str, *, actor: str, reason: str) -> Decision:
    """Two organisations are different: never propose (or automatically merge) them again."""
    ca, cb = canonical(conn, a), canonical(conn, b)
    if ca == cb:
        raise ConflictError(f"{a} and {b} are merged; split or undo the merge instead of rejecting it")
    set_candidate(conn, ORG, ca, cb, "rejected")
    return get(conn, record(conn, ORG, "reject", ca, cb, actor=actor, reason=reason))


def split(conn: Connection, org_id: str, names: Sequence[str], *, actor: str, reason: str) -> Decision:
    """Move some spellings (and the participations written so) out of an organisation into a new one.

    For a wrong merge use `undo`; `split` is for one organisation row that gathered two organisations'
    names. The new organisation is rejected as a match for the old one.
    """
    cid = canonical(conn, org_id)
    group = members(conn, cid)
    wanted = {fold(n) for n in names}
    rows = conn.execute(select(ALIASES).where(ALIASES.c.organisation_id.in_(group))).mappings().all()
    moving = [r for r in rows if r["key"] in wanted]
    if not moving or len(moving) == len(rows):
        raise ConflictError("name the spellings to move out, and leave at least one: "
                            + "; ".join(sorted({r["alias"] for r in rows})))
    first = moving[0]["alias"]
    new_id = stable_id("org", "split", cid, fold(first))
    old = conn.execute(select(ORGS).where(ORGS.c.id == cid)).mappings().one()
    conn.execute(insert(ORGS).values(id=new_id, name=first, country=old["country"], org_type=None, iati_ref=None,
                                     website=None, merged_into=None, parent_id=None))
    moved_parts = conn.execute(select(PARTS.c.activity_id, PARTS.c.position, PARTS.c.source_org_id).where(
        PARTS.c.source_org_id.in_(group), func.lower(PARTS.c.name).in_([r["alias"].lower() for r in moving])))
    parts = [[r.activity_id, r.position, r.source_org_id] for r in moved_parts]
    for activity_id, position, _ in parts:
        conn.execute(update(PARTS).where(PARTS.c.activity_id == activity_id, PARTS.c.position == position)
                     .values(source_org_id=new_id, organisation_id=new_id))
    for r in moving:
        conn.execute(delete(ALIASES).where(ALIASES.c.organisation_id == r["organisation_id"],
                                           ALIASES.c.alias == r["alias"]))
        conn.execute(insert(ALIASES).values(organisation_id=new_id, alias=r["alias"], key=r["key"]))
    set_candidate(conn, ORG, cid, new_id, "rejected")
    requeue(conn, [cid, new_id])
    details = {"new": new_id, "aliases": [[r["organisation_id"], r["alias"], r["key"]] for r in moving],
               "participations": parts}
    return get(conn, record(conn, ORG, "split", cid, new_id, actor=actor, reason=reason, details=details))


def undo_organisation(conn: Connection, d: Decision, *, actor: str, reason: str) -> Decision:
    """Reverse a merge, a rejection or a split of organisations; the decision stays in the log, marked as
    undone. `aidatlas.resolve.undo.undo` checks the decision may be undone and picks this or the activities'."""
    assert d.b is not None
    if d.action == "merge":
        moved = [m for m in d.details["moved"] if m != d.b]
        conn.execute(update(ORGS).where(ORGS.c.id == d.b).values(merged_into=None))
        conn.execute(update(ORGS).where(ORGS.c.id.in_(moved), ORGS.c.merged_into == d.a).values(merged_into=d.b))
        _recompute(conn, d.details["moved"])
        a, b = d.details.get("asked", [d.a, d.b])
        set_candidate(conn, ORG, a, b, "rejected")     # undone = judged wrong: not proposed again
        requeue(conn, [d.a, *d.details["moved"]])
    elif d.action == "reject":
        set_candidate(conn, ORG, d.a, d.b, "open")
    elif d.action == "split":
        for org_id, alias, key in d.details["aliases"]:
            conn.execute(delete(ALIASES).where(ALIASES.c.organisation_id == d.b, ALIASES.c.alias == alias))
            conn.execute(insert(ALIASES).values(organisation_id=org_id, alias=alias, key=key))
        owner = {alias.lower(): org_id for org_id, alias, _ in d.details["aliases"]}
        for r in conn.execute(select(PARTS.c.activity_id, PARTS.c.position, PARTS.c.name)
                              .where(PARTS.c.source_org_id == d.b)).all():   # written since the split too
            source = owner.get(r.name.lower(), d.a)
            conn.execute(update(PARTS).where(PARTS.c.activity_id == r.activity_id, PARTS.c.position == r.position)
                         .values(source_org_id=source, organisation_id=canonical(conn, source)))
        conn.execute(delete(CANDIDATES).where(CANDIDATES.c.subject == ORG, CANDIDATES.c.a == min(d.a, d.b),
                                              CANDIDATES.c.b == max(d.a, d.b)))
        requeue(conn, [d.a, d.b])
        conn.execute(delete(KEYS).where(KEYS.c.subject == ORG, KEYS.c.item == d.b))
        conn.execute(delete(ORGS).where(ORGS.c.id == d.b))
    new = record(conn, ORG, "undo", d.a, d.b, actor=actor, reason=reason, details={"undoes": d.id})
    conn.execute(update(DECISIONS).where(DECISIONS.c.id == d.id).values(undone_by=new))
    return get(conn, new)


def get(conn: Connection, decision_id: int) -> Decision:
    row = conn.execute(select(DECISIONS).where(DECISIONS.c.id == decision_id)).mappings().first()
    if row is None:
        raise NotFound(f"no decision {decision_id} in the log")
    return _decision(row)


def history(conn: Connection, *, subject: str | None = None, item: str | None = None,
            limit: int = 100) -> list[Decision]:
    """The decision log, newest first; `item` limits it to decisions about one organisation or activity."""
    query = select(DECISIONS).order_by(DECISIONS.c.id.desc()).limit(limit)
    if subject:
        query = query.where(DECISIONS.c.subject == subject)
    if item:
        query = query.where(or_(DECISIONS.c.a == item, DECISIONS.c.b == item))
    return [_decision(r) for r in conn.execute(query).mappings()]


def names_of(conn: Connection, decisions: Sequence[Decision]) -> dict[str, str]:
    """Organisation id → name for the organisations these decisions are about (for logs people read)."""
    ids = sorted({i for d in decisions if d.subject == ORG for i in (d.a, d.b) if i})
    if not ids:
        return {}
    return dict(conn.execute(select(ORGS.c.id, ORGS.c.name).where(ORGS.c.id.in_(ids))).all())


def _decision(row: Any) -> Decision:
    return Decision(id=int(row["id"]), subject=row["subject"], action=row["action"], a=row["a"], b=row["b"],
                    score=row["score"], reason=row["reason"], actor=row["actor"], at=int(row["at"]),
                    details=json.loads(row["details"] or "{}"), undone_by=row["undone_by"])
