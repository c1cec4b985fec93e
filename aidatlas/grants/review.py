"""Review: officers assign reviewers; a reviewer declares a conflict (then can neither see nor score) or
scores each rubric criterion; the ranking aggregates the scores in one SQL query."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, func, insert, literal_column, select, update

from aidatlas.auth import User
from aidatlas.db import accounts
from aidatlas.db.tables import table_of
from aidatlas.errors import ConflictError, Forbidden, InputError
from aidatlas.grants import audit, conflicts, outbox
from aidatlas.grants.applications import APPS, ASSIGNMENTS, load_for
from aidatlas.grants.context import Context, at
from aidatlas.grants.models import Assignment, Call, RankRow, Score
from aidatlas.grants.programmes import load_call
from aidatlas.grants.tables import ScoreRow
from aidatlas.roles import has_role, roles_of, users_with_role

SCORES = table_of(ScoreRow)
USERS = table_of(accounts.UserRow)
REVIEWABLE = ("submitted", "eligible")
RANKED = ("submitted", "eligible", "awarded", "rejected", "completed")


def _assignments(ctx: Context, where: Any) -> list[Assignment]:
    query = (select(ASSIGNMENTS, USERS.c.username, SCORES.c.reviewer_id.label("scored"))
             .join(USERS, USERS.c.id == ASSIGNMENTS.c.reviewer_id)
             .outerjoin(SCORES, (SCORES.c.application_id == ASSIGNMENTS.c.application_id)
                        & (SCORES.c.reviewer_id == ASSIGNMENTS.c.reviewer_id))
             .where(where).order_by(ASSIGNMENTS.c.application_id, USERS.c.username))
    with ctx.engine.connect() as conn:
        return [Assignment(r.application_id, r.reviewer_id, r.username, bool(r.conflict), r.conflict_reason,
                           r.scored is not None) for r in conn.execute(query)]


def assign_reviewer(ctx: Context, actor: User, app_id: int, reviewer_id: int) -> Assignment:
    ctx.require(actor, "officer", action="assigning reviewers")
    if not has_role(roles_of(ctx.engine, reviewer_id), "reviewer"):
        raise InputError("assignment", f"user {reviewer_id} does not have the reviewer role")
    with ctx.begin() as conn:
        row = load_for(ctx, conn, actor, app_id)
        if row.owner_user_id == reviewer_id:
            raise ConflictError(f"user {reviewer_id} owns application {app_id} and cannot review it")
        if row.status not in REVIEWABLE:
            raise ConflictError(f"application {app_id} is {row.status}; only submitted or eligible ones are reviewed")
        found = conflicts.conflicts_of(conn, reviewer_id, row.call_id)
        if found:
            name = conn.execute(select(USERS.c.username).where(USERS.c.id == reviewer_id)).scalar_one()
            raise ConflictError(f"{name} cannot review application {app_id}: conflict of interest — "
                                + "; ".join(found))
        exists = conn.execute(select(ASSIGNMENTS.c.reviewer_id).where(
            ASSIGNMENTS.c.application_id == app_id, ASSIGNMENTS.c.reviewer_id == reviewer_id)).first()
        if exists is None:
            conn.execute(insert(ASSIGNMENTS).values(application_id=app_id, reviewer_id=reviewer_id,
                                                    assigned_by=actor.id, assigned_at=ctx.ts(), conflict=False))
            audit.record(ctx, conn, actor, "review.assign", "application", app_id, None, {"reviewer_id": reviewer_id})
            name = conn.execute(select(USERS.c.username).where(USERS.c.id == reviewer_id)).scalar_one()
            outbox.notify(ctx, conn, name, f"Application {app_id} to review",
                          f"{actor.username} asked you to review application {app_id}.")
    return _assignments(ctx, (ASSIGNMENTS.c.application_id == app_id) & (ASSIGNMENTS.c.reviewer_id == reviewer_id))[0]


def candidate_reviewers(ctx: Context, actor: User, app_id: int) -> list[tuple[int, str, list[str]]]:
    """(id, name, conflicts) of every reviewer not yet assigned to the application; one with conflicts
    cannot be assigned (the officer sees why)."""
    ctx.require(actor, "officer", action="assigning reviewers")
    with ctx.engine.connect() as conn:
        row = load_for(ctx, conn, actor, app_id)
        taken = set(conn.execute(select(ASSIGNMENTS.c.reviewer_id).where(ASSIGNMENTS.c.application_id == app_id))
                    .scalars())
        parties = conflicts.call_parties(conn, row.call_id)
        named: dict[str, set[str]] | None = None  # the parties' registry ids, once, if a reviewer has organisations
        out = []
        for user_id, name in users_with_role(ctx.engine, "reviewer"):
            if user_id in taken or user_id == row.owner_user_id:
                continue
            reviewer = conflicts.reviewer_of(conn, user_id)
            if reviewer.organisations and named is None:
                named = conflicts.registry_ids(conn, [n for p in parties for n in p.names])
            out.append((user_id, name, conflicts.reasons(conn, reviewer, parties, named)))
    return out


def assignments(ctx: Context, actor: User, app_id: int) -> list[Assignment]:
    ctx.require(actor, "officer", action="reading a review panel")
    return _assignments(ctx, ASSIGNMENTS.c.application_id == app_id)


def my_assignments(ctx: Context, actor: User) -> list[Assignment]:
    ctx.require(actor, "reviewer", action="reviewing")
    return _assignments(ctx, ASSIGNMENTS.c.reviewer_id == actor.id)


def _assigned(conn: Any, actor: User, app_id: int) -> Any:
    row = conn.execute(select(ASSIGNMENTS).where(ASSIGNMENTS.c.application_id == app_id,
                                                 ASSIGNMENTS.c.reviewer_id == actor.id)).first()
    if row is None:
        raise Forbidden(f"application {app_id} is not assigned to you")
    return row


def declare_conflict(ctx: Context, actor: User, app_id: int, reason: str) -> None:
    ctx.require(actor, "reviewer", action="declaring a conflict of interest")
    if not reason.strip():
        raise InputError("conflict of interest", "say briefly what the conflict is")
    with ctx.begin() as conn:
        row = _assigned(conn, actor, app_id)
        if row.conflict:
            return
        withdrawn = conn.execute(delete(SCORES).where(SCORES.c.application_id == app_id,
                                                      SCORES.c.reviewer_id == actor.id)).rowcount
        conn.execute(update(ASSIGNMENTS).where(ASSIGNMENTS.c.application_id == app_id,
                                               ASSIGNMENTS.c.reviewer_id == actor.id)
                     .values(conflict=True, conflict_reason=reason.strip()))
        audit.record(ctx, conn, actor, "review.conflict", "application", app_id, {"conflict": False},
                     {"conflict": True, "reason": reason.strip(), "score_withdrawn": bool(withdrawn)})


def weighted(call: Call, values: Mapping[str, float]) -> float:
    """0–100: each criterion's share of its maximum, weighted by the rubric."""
    total = sum(c.weight for c in call.rubric)
    return round(100 * sum(c.weight * float(values[c.criterion]) / c.max for c in call.rubric) / total, 4)


def score(ctx: Context, actor: User, app_id: int, values: Mapping[str, float], comment: str) -> Score:
    ctx.require(actor, "reviewer", action="scoring")
    with ctx.begin() as conn:
        assignment = _assigned(conn, actor, app_id)
        if assignment.conflict:
            raise Forbidden(f"you declared a conflict of interest on application {app_id}; you cannot score it")
        app = load_for(ctx, conn, actor, app_id)
        if app.status not in REVIEWABLE:
            raise ConflictError(f"application {app_id} is {app.status}; scoring is closed")
        call = load_call(conn, app.call_id)
        expected = {c.criterion: c for c in call.rubric}
        if set(values) != set(expected):
            raise InputError("score", f"score exactly these criteria: {', '.join(expected)}")
        for name, value in values.items():
            if not 0 <= float(value) <= expected[name].max:
                raise InputError("score", f"{name}: {value} is outside 0–{expected[name].max:g}")
        clean = {k: float(v) for k, v in values.items()}
        old = conn.execute(select(SCORES).where(SCORES.c.application_id == app_id,
                                                SCORES.c.reviewer_id == actor.id)).first()
        conn.execute(delete(SCORES).where(SCORES.c.application_id == app_id, SCORES.c.reviewer_id == actor.id))
        result = Score(app_id, actor.id, clean, weighted(call, clean), comment, ctx.now())
        conn.execute(insert(SCORES).values(application_id=app_id, reviewer_id=actor.id, scores=json.dumps(clean),
                                           weighted=result.weighted, comment=comment, scored_at=ctx.ts()))
        audit.record(ctx, conn, actor, "review.score", "application", app_id,
                     {"scores": json.loads(old.scores), "weighted": old.weighted} if old else None,
                     {"scores": clean, "weighted": result.weighted, "comment": comment})
    return result


def scores(ctx: Context, actor: User, app_id: int) -> list[Score]:
    """Every score of an application (officer); a reviewer sees their own only."""
    with ctx.engine.connect() as conn:
        load_for(ctx, conn, actor, app_id)
        query = select(SCORES).where(SCORES.c.application_id == app_id).order_by(SCORES.c.reviewer_id)
        if not ctx.is_(actor, "officer"):
            query = query.where(SCORES.c.reviewer_id == actor.id)
        return [Score(r.application_id, r.reviewer_id, json.loads(r.scores), r.weighted, r.comment,
                      at(r.scored_at)) for r in conn.execute(query)]


def ranking(ctx: Context, actor: User, call_id: int) -> list[RankRow]:
    ctx.require(actor, "officer", action="reading the ranking")
    per_app = (select(SCORES.c.application_id, func.avg(SCORES.c.weighted).label("mean"),
                      func.count().label("n")).group_by(SCORES.c.application_id).subquery())
    mean = per_app.c.mean
    order = (mean.is_(None), mean.desc(), APPS.c.requested_amount, APPS.c.id)
    requested = func.coalesce(APPS.c.requested_amount, 0.0)
    query = (select(APPS.c.id, APPS.c.status, APPS.c.applicant_name, APPS.c.title, mean, per_app.c.n,
                    requested.label("requested"),
                    func.sum(requested).over(order_by=order, rows=(None, 0)).label("cumulative"),
                    func.row_number().over(order_by=order).label("rank"))
             .outerjoin(per_app, per_app.c.application_id == APPS.c.id)
             .where(APPS.c.call_id == call_id, APPS.c.status.in_(RANKED)).order_by(literal_column("rank")))
    with ctx.engine.connect() as conn:
        call = load_call(conn, call_id)
        rows = conn.execute(query).all()
    return [RankRow(int(r.rank), r.id, r.title or "", r.applicant_name or "", r.status,
                    None if r.mean is None else round(float(r.mean), 2), int(r.n or 0), float(r.requested),
                    float(r.cumulative), float(r.cumulative) <= call.total_budget + 1e-6,
                    round(call.total_budget - float(r.cumulative), 2)) for r in rows]
