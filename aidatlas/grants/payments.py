"""Money after the award: the grant agreement's payment schedule in tranches. The first is released on
signature (the award); each other one waits for the approval of the report it depends on (interim or final);
a released tranche is paid and the payment recorded (date and reference). A change of the schedule or a
payment rewrites the grant's registry record, whose IATI money follows the tranches (`record.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import ConflictError, InputError, NotFound
from aidatlas.grants import audit, outbox
from aidatlas.grants.context import Context, from_ts
from aidatlas.grants.memberships import USERS
from aidatlas.grants.models import Tranche
from aidatlas.grants.record import STATUS_CLOSED, STATUS_IMPLEMENTATION, write_record
from aidatlas.grants.tables import ApplicationRow, AwardRow, TrancheRow

TRANCHES = table_of(TrancheRow)
AWARDS = table_of(AwardRow)
APPS = table_of(ApplicationRow)
AFTER = (None, "interim", "final")


def default_schedule(amount: float, has_interim: bool) -> list[tuple[float, str | None]]:
    """40 % on signature, 40 % on the approved interim report, 20 % on the approved final one (80/20 for a
    grant without an interim report); cents rounded, the last tranche takes the rest."""
    shares: list[tuple[float, str | None]] = [(0.4, None), (0.4, "interim"), (0.2, "final")] if has_interim \
        else [(0.8, None), (0.2, "final")]
    out = [(round(amount * share, 2), after) for share, after in shares[:-1]]
    return [*out, (round(amount - sum(a for a, _ in out), 2), shares[-1][1])]


def _tranche(r: Any) -> Tranche:
    return Tranche(r.id, r.award_id, r.number, r.amount, r.after_report, r.status, from_ts(r.released_at),
                   date.fromisoformat(r.paid_on) if r.paid_on else None, r.reference)


def create_schedule(ctx: Context, conn: Connection, award_id: int, items: Sequence[tuple[float, str | None]]) -> None:
    """Write the schedule inside the award's transaction; tranches due on signature are released at once."""
    for number, (amount, after) in enumerate(items, start=1):
        released = after is None
        conn.execute(insert(TRANCHES).values(award_id=award_id, number=number, amount=amount, after_report=after,
                                             status="released" if released else "planned",
                                             released_at=ctx.ts() if released else None))


def set_schedule(ctx: Context, actor: User, award_id: int, items: Sequence[tuple[float, str | None]]
                 ) -> list[Tranche]:
    """Replace a grant's schedule while nothing of it is paid; the amounts must add up to the award."""
    ctx.require(actor, "officer", action="setting a payment schedule")
    with ctx.engine.connect() as conn:
        found = conn.execute(select(AWARDS.c.amount, USERS.c.username)
                             .join(APPS, APPS.c.id == AWARDS.c.application_id)
                             .join(USERS, USERS.c.id == APPS.c.owner_user_id).where(AWARDS.c.id == award_id)).first()
    if found is None:
        raise NotFound(f"no award {award_id}")
    award_amount, owner = float(found.amount), str(found.username)
    if not items or any(a <= 0 for a, _ in items) or any(after not in AFTER for _, after in items):
        raise InputError("schedule", "each tranche has a positive amount and is due on signature, after the "
                                     "interim report or after the final report")
    if abs(sum(a for a, _ in items) - award_amount) > 0.005:
        raise InputError("schedule", f"the tranches add up to {sum(a for a, _ in items):,.2f}, not to the award "
                                     f"of {award_amount:,.2f}")
    with ctx.begin() as conn:
        old = [_tranche(r) for r in conn.execute(select(TRANCHES).where(TRANCHES.c.award_id == award_id))]
        if any(t.status == "paid" for t in old):
            raise ConflictError(f"grant {award_id} has a paid tranche; its schedule can no longer change")
        conn.execute(TRANCHES.delete().where(TRANCHES.c.award_id == award_id))
        create_schedule(ctx, conn, award_id, items)
        audit.record(ctx, conn, actor, "payment.schedule", "award", award_id,
                     {"tranches": [[t.amount, t.after_report] for t in old]},
                     {"tranches": [[a, after] for a, after in items]})
        outbox.notify(ctx, conn, owner, f"Payment schedule of grant {award_id}",
                      "The payment schedule of your grant changed: " +
                      "; ".join(f"{a:,.2f} {_when(after)}" for a, after in items))
        _rewrite_record(ctx, conn, award_id)
    return tranches_of(ctx, award_id)


def _when(after: str | None) -> str:
    return "on signature" if after is None else f"after the approved {after} report"


def release_for(ctx: Context, conn: Connection, award_id: int, kind: str) -> list[float]:
    """Release the planned tranches that waited for an approved `kind` report; returns their amounts."""
    rows = list(conn.execute(select(TRANCHES).where(TRANCHES.c.award_id == award_id,
                                                    TRANCHES.c.after_report == kind,
                                                    TRANCHES.c.status == "planned")))
    if rows:
        conn.execute(update(TRANCHES).where(TRANCHES.c.id.in_([r.id for r in rows]))
                     .values(status="released", released_at=ctx.ts()))
    return [float(r.amount) for r in rows]


def record_payment(ctx: Context, actor: User, tranche_id: int, paid_on: date, reference: str) -> Tranche:
    ctx.require(actor, "officer", action="recording a payment")
    reference = reference.strip()
    if not reference:
        raise InputError("payment", "give the payment's reference (bank statement or ledger entry)")
    if paid_on > ctx.now().date():
        raise InputError("payment", f"{paid_on} is in the future: record a payment once it is made")
    with ctx.begin() as conn:
        row = conn.execute(select(TRANCHES).where(TRANCHES.c.id == tranche_id)).first()
        if row is None:
            raise NotFound(f"no tranche {tranche_id}")
        if row.status != "released":
            raise ConflictError(f"tranche {row.number} of grant {row.award_id} is {row.status}: "
                                + ("it waits for the approval of the " + str(row.after_report) + " report"
                                   if row.status == "planned" else "it is paid already"))
        conn.execute(update(TRANCHES).where(TRANCHES.c.id == tranche_id).values(
            status="paid", paid_on=paid_on.isoformat(), reference=reference[:120], recorded_by=actor.id))
        audit.record(ctx, conn, actor, "payment.record", "award", row.award_id, {"tranche": row.number,
                                                                                  "status": "released"},
                     {"tranche": row.number, "status": "paid", "amount": row.amount, "paid_on": paid_on.isoformat(),
                      "reference": reference[:120]})
        _rewrite_record(ctx, conn, row.award_id)
    return next(t for t in tranches_of(ctx, row.award_id) if t.id == tranche_id)


def _rewrite_record(ctx: Context, conn: Connection, award_id: int) -> None:
    award = conn.execute(select(AWARDS).where(AWARDS.c.id == award_id)).one()
    app = conn.execute(select(APPS).where(APPS.c.id == award.application_id)).one()
    write_record(ctx, conn, app, award, STATUS_CLOSED if award.status == "completed" else STATUS_IMPLEMENTATION)


def tranches_of(ctx: Context, award_id: int) -> list[Tranche]:
    with ctx.engine.connect() as conn:
        return [_tranche(r) for r in conn.execute(select(TRANCHES).where(TRANCHES.c.award_id == award_id)
                                                  .order_by(TRANCHES.c.number))]
