"""Decisions and awards. An award becomes a registry `Activity` in the award's own transaction (no award without
its record; see `record.py`), so it is searchable and in the IATI export."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import ConflictError, Forbidden, InputError, NotFound
from aidatlas.grants import audit, outbox, payments
from aidatlas.grants.applications import APPS, load_for
from aidatlas.grants.context import Context, from_ts
from aidatlas.grants.models import Award, Call, CallBudget
from aidatlas.grants.programmes import CALLS, load_call
from aidatlas.grants.record import STATUS_IMPLEMENTATION, grant_identifier, write_record
from aidatlas.grants.review import USERS
from aidatlas.grants.tables import AwardRow
from aidatlas.records import stable_id

AWARDS = table_of(AwardRow)
DECIDABLE = ("submitted", "eligible")
REPORT_GRACE = timedelta(days=30)


def award_from_row(row: Any) -> Award:
    return Award(row.id, row.application_id, row.amount, row.currency, row.activity_id, row.iati_identifier,
                 row.status, date.fromisoformat(row.start), date.fromisoformat(row.end),
                 date.fromisoformat(row.interim_due) if row.interim_due else None,
                 date.fromisoformat(row.final_due), from_ts(row.completed_at))


def decide(ctx: Context, actor: User, app_id: int, award: bool, amount: float | None, reason: str) -> Award | None:
    ctx.require(actor, "officer", action="deciding on an application")
    with ctx.begin() as conn:
        row = load_for(ctx, conn, actor, app_id)
        if row.status not in DECIDABLE:
            raise ConflictError(f"application {app_id} is {row.status}; it cannot be decided now")
        call = load_call(conn, row.call_id)
        if not award:
            conn.execute(update(APPS).where(APPS.c.id == app_id).values(status="rejected", decision_reason=reason,
                                                                        updated_at=ctx.ts()))
            audit.record(ctx, conn, actor, "application.reject", "application", app_id, {"status": row.status},
                         {"status": "rejected", "reason": reason})
            _tell_owner(ctx, conn, row, f"Decision on application {app_id}", f"Not funded. {reason}".strip())
            return None
        value = float(amount if amount is not None else row.requested_amount or 0)
        if not 0 < value <= call.ceiling_per_grant:
            raise InputError("award", f"the amount must be above 0 and at most the ceiling "
                                      f"{call.ceiling_per_grant:,.2f} {call.currency}")
        conn.execute(select(CALLS.c.id).where(CALLS.c.id == call.id).with_for_update())  # PostgreSQL: one at a time
        money = budget_of(conn, call)
        if value > money.remaining + 0.005:
            raise InputError("award", f"{value:,.2f} {call.currency} would take the call past its total budget of "
                                      f"{call.total_budget:,.2f} {call.currency}: {money.awarded:,.2f} is awarded "
                                      f"already, {money.remaining:,.2f} remains")
        budget = json.loads(row.data)["budget"]
        start, end = date.fromisoformat(budget["start"]), date.fromisoformat(budget["end"])
        interim = start + (end - start) / 2 if (end - start).days >= 180 else None
        identifier = grant_identifier(ctx, app_id)
        values = dict(application_id=app_id, amount=value, currency=call.currency,
                      activity_id=stable_id("grant", identifier), iati_identifier=identifier, status="active",
                      start=start.isoformat(), end=end.isoformat(),
                      interim_due=interim.isoformat() if interim else None,
                      final_due=(end + REPORT_GRACE).isoformat(), created_at=ctx.ts())
        award_id = conn.execute(insert(AWARDS).values(**values).returning(AWARDS.c.id)).scalar_one()
        payments.create_schedule(ctx, conn, int(award_id), payments.default_schedule(value, interim is not None))
        conn.execute(update(APPS).where(APPS.c.id == app_id).values(status="awarded", awarded_amount=value,
                                                                    decision_reason=reason, updated_at=ctx.ts()))
        audit.record(ctx, conn, actor, "application.award", "application", app_id, {"status": row.status},
                     {"status": "awarded", "amount": value, "award_id": award_id, "reason": reason})
        _tell_owner(ctx, conn, row, f"Decision on application {app_id}",
                    f"Awarded {value:,.2f} {call.currency}. {reason}".strip())
        write_record(ctx, conn, row, conn.execute(select(AWARDS).where(AWARDS.c.id == award_id)).one(),
                     STATUS_IMPLEMENTATION)
    return get_award(ctx, actor, int(award_id))


def budget_of(conn: Connection, call: Call) -> CallBudget:
    """What the call's awards commit (one indexed sum)."""
    awarded = conn.execute(select(func.coalesce(func.sum(AWARDS.c.amount), 0.0))
                           .join(APPS, APPS.c.id == AWARDS.c.application_id)
                           .where(APPS.c.call_id == call.id)).scalar_one()
    return CallBudget(call.total_budget, round(float(awarded), 2), call.currency)


def call_budget(ctx: Context, actor: User, call_id: int) -> CallBudget:
    ctx.require(actor, "officer", action="reading a call's budget")
    with ctx.engine.connect() as conn:
        return budget_of(conn, load_call(conn, call_id))


def _tell_owner(ctx: Context, conn: Connection, row: Any, subject: str, body: str) -> None:
    name = conn.execute(select(USERS.c.username).where(USERS.c.id == row.owner_user_id)).scalar_one()
    outbox.notify(ctx, conn, name, subject, body)


def load_award(ctx: Context, conn: Connection, actor: User, award_id: int, *, write: bool = False) -> Any:
    """The award's row if `actor` owns its application or is an officer (write: owner only)."""
    row = conn.execute(select(AWARDS).where(AWARDS.c.id == award_id)).first()
    if row is None:
        raise NotFound(f"no award {award_id}")
    app = conn.execute(select(APPS.c.owner_user_id).where(APPS.c.id == row.application_id)).one()
    if app.owner_user_id == actor.id or (not write and ctx.is_(actor, "officer")):
        return row
    raise Forbidden(f"award {award_id} is not yours")


def get_award(ctx: Context, actor: User, award_id: int) -> Award:
    with ctx.engine.connect() as conn:
        return award_from_row(load_award(ctx, conn, actor, award_id))


def award_of(ctx: Context, actor: User, app_id: int) -> Award | None:
    with ctx.engine.connect() as conn:
        load_for(ctx, conn, actor, app_id)
        row = conn.execute(select(AWARDS).where(AWARDS.c.application_id == app_id)).first()
    return award_from_row(row) if row is not None else None


def list_awards(ctx: Context, actor: User, call_id: int | None) -> list[Award]:
    query = select(AWARDS).join(APPS, APPS.c.id == AWARDS.c.application_id).order_by(AWARDS.c.id)
    if call_id is not None:
        query = query.where(APPS.c.call_id == call_id)
    if not ctx.is_(actor, "officer"):
        query = query.where(APPS.c.owner_user_id == actor.id)
    with ctx.engine.connect() as conn:
        return [award_from_row(r) for r in conn.execute(query)]
