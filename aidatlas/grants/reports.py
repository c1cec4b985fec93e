"""Reporting on awards: interim and final reports against the objectives, the overdue list, completion
(which also marks the registry Activity closed)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import ConflictError, InputError, NotFound
from aidatlas.grants import audit, outbox, payments
from aidatlas.grants.applications import APPS
from aidatlas.grants.attachments import store_attachment
from aidatlas.grants.awards import AWARDS, get_award, load_award
from aidatlas.grants.context import Context, at, dumps
from aidatlas.grants.memberships import USERS
from aidatlas.grants.models import Award, OverdueReport, Report
from aidatlas.grants.record import STATUS_CLOSED, write_record
from aidatlas.grants.tables import ReportRow

REPORTS = table_of(ReportRow)


def _spent(data: dict[str, Any], spent: Mapping[str, float]) -> dict[str, float]:
    """The financial report: an amount (≥ 0) per budget line of the application, nothing else."""
    lines = [str(line.get("item")) for line in data.get("budget", {}).get("lines", [])]
    unknown = [k for k in spent if k not in lines]
    if unknown:
        raise InputError("financial report", f"not budget lines of this grant: {unknown}; lines: {lines}")
    out = {}
    for line in lines:
        value = spent.get(line)
        if value is None:
            raise InputError("financial report", f"give the amount spent on every budget line (missing: {line!r})")
        if float(value) < 0:
            raise InputError("financial report", f"{line!r}: the amount spent cannot be negative")
        out[line] = float(value)
    return out


def submit_report(ctx: Context, actor: User, award_id: int, kind: str, results: Mapping[str, str],
                  participants_reached: int, attachments: Sequence[tuple[str, bytes]],
                  spent: Mapping[str, float] | None = None) -> Report:
    """A narrative report (a result per objective, people reached) and, with `spent`, its financial part.
    Refused before the project starts, an interim one after it ends, and while one of the same kind waits
    for the officer's review or was approved already."""
    if kind not in ("interim", "final"):
        raise InputError("report", "a report is interim or final")
    if participants_reached < 0:
        raise InputError("report", "participants reached cannot be negative")
    with ctx.begin() as conn:
        award = load_award(ctx, conn, actor, award_id, write=True)
        if award.status != "active":
            raise ConflictError(f"grant {award_id} is {award.status}; it takes no more reports")
        today = ctx.now().date()
        if today < date.fromisoformat(award.start):
            raise ConflictError(f"the project starts on {award.start}; reports are accepted from that day on")
        if kind == "interim" and today > date.fromisoformat(award.end):
            raise ConflictError(f"the project ended on {award.end}; write the final report instead")
        app = conn.execute(select(APPS.c.data).where(APPS.c.id == award.application_id)).one()
        data = json.loads(app.data)
        objectives = data["project"]["objectives"]
        waiting = conn.execute(select(REPORTS.c.status).where(REPORTS.c.award_id == award_id, REPORTS.c.kind == kind,
                                                              REPORTS.c.status != "returned")).first()
        if waiting is not None:
            raise ConflictError(f"an {kind} report of grant {award_id} is {waiting.status} already"
                                if kind == "interim" else f"the final report of grant {award_id} is "
                                                          f"{waiting.status} already")
        money = _spent(data, spent) if spent is not None else None
        missing = [o for o in objectives if not str(results.get(o, "")).strip()]
        unknown = [k for k in results if k not in objectives]
        if missing or unknown:
            raise InputError("report", f"report a result for every objective (missing: {missing or 'none'}; "
                                       f"not objectives of this grant: {unknown or 'none'})")
        ts = ctx.ts()
        rid = conn.execute(insert(REPORTS).values(award_id=award_id, kind=kind, results=dumps(dict(results)),
                                                  participants_reached=participants_reached, submitted_by=actor.id,
                                                  submitted_at=ts, spent=dumps(money) if money is not None else None,
                                                  status="submitted").returning(REPORTS.c.id)).scalar_one()
        for filename, content in attachments:
            store_attachment(ctx, conn, actor, award.application_id, filename, content, rid)
        audit.record(ctx, conn, actor, f"report.{kind}", "award", award_id, None,
                     {"report_id": rid, "participants_reached": participants_reached,
                      "attachments": len(attachments)})
    return Report(int(rid), award_id, kind, dict(results), participants_reached, at(ts),  # type: ignore[arg-type]
                  money or {})


def _report(r: Any) -> Report:
    return Report(r.id, r.award_id, r.kind, json.loads(r.results), r.participants_reached, at(r.submitted_at),
                  json.loads(r.spent) if r.spent else {}, r.status, r.review_comment)


def review_report(ctx: Context, actor: User, report_id: int, approve: bool, comment: str) -> Report:
    """Approve a report (its tranches are released) or return it with comments (the grantee sends a new one)."""
    ctx.require(actor, "officer", action="reviewing a report")
    comment = comment.strip()
    if not approve and not comment:
        raise InputError("report review", "say what the grantee must change when returning a report")
    with ctx.begin() as conn:
        row = conn.execute(select(REPORTS).where(REPORTS.c.id == report_id)).first()
        if row is None:
            raise NotFound(f"no report {report_id}")
        if row.status != "submitted":
            raise ConflictError(f"report {report_id} is {row.status} already")
        status = "approved" if approve else "returned"
        conn.execute(update(REPORTS).where(REPORTS.c.id == report_id).values(
            status=status, review_comment=comment or None, reviewed_by=actor.id, reviewed_at=ctx.ts()))
        released = payments.release_for(ctx, conn, row.award_id, row.kind) if approve else []
        audit.record(ctx, conn, actor, f"report.{status}", "award", row.award_id, {"report_id": report_id,
                                                                                    "status": "submitted"},
                     {"report_id": report_id, "status": status, "comment": comment, "released": released})
        app = conn.execute(select(APPS.c.owner_user_id).join(AWARDS, AWARDS.c.application_id == APPS.c.id)
                           .where(AWARDS.c.id == row.award_id)).one()
        owner = conn.execute(select(USERS.c.username).where(USERS.c.id == app.owner_user_id)).scalar_one()
        body = f"Your {row.kind} report was {status}." + (f" Comments: {comment}" if comment else "")
        if released:
            body += f" Released for payment: {', '.join(f'{a:,.2f}' for a in released)}."
        outbox.notify(ctx, conn, owner, f"{row.kind.capitalize()} report of grant {row.award_id} {status}", body)
        return _report(conn.execute(select(REPORTS).where(REPORTS.c.id == report_id)).one())


def list_reports(ctx: Context, actor: User, award_id: int) -> list[Report]:
    with ctx.engine.connect() as conn:
        load_award(ctx, conn, actor, award_id)
        rows = conn.execute(select(REPORTS).where(REPORTS.c.award_id == award_id).order_by(REPORTS.c.id))
        return [_report(r) for r in rows]


def overdue_reports(ctx: Context, actor: User, today: date | None) -> list[OverdueReport]:
    """Reports of active grants whose due date has passed without a report of that kind."""
    ctx.require(actor, "officer", action="reading overdue reports")
    today = today or ctx.now().date()
    with ctx.engine.connect() as conn:
        awards = list(conn.execute(select(AWARDS, APPS.c.data).join(APPS, APPS.c.id == AWARDS.c.application_id)
                                   .where(AWARDS.c.status == "active").order_by(AWARDS.c.id)))
        done = {(r.award_id, r.kind) for r in conn.execute(select(REPORTS.c.award_id, REPORTS.c.kind))}
    out = []
    for row in awards:
        title = json.loads(row.data).get("project", {}).get("title", "")
        for kind, due in (("interim", row.interim_due), ("final", row.final_due)):
            if due and date.fromisoformat(due) < today and (row.id, kind) not in done \
                    and not (kind == "interim" and (row.id, "final") in done):
                out.append(OverdueReport(row.id, row.application_id, title, kind,  # type: ignore[arg-type]
                                         date.fromisoformat(due), (today - date.fromisoformat(due)).days))
    return sorted(out, key=lambda o: (o.due, o.award_id))


def complete_grant(ctx: Context, actor: User, award_id: int) -> Award:
    ctx.require(actor, "officer", action="completing a grant")
    with ctx.begin() as conn:
        award = load_award(ctx, conn, actor, award_id)
        if award.status != "active":
            raise ConflictError(f"grant {award_id} is {award.status} already")
        if conn.execute(select(REPORTS.c.id).where(REPORTS.c.award_id == award_id, REPORTS.c.kind == "final",
                                                   REPORTS.c.status == "approved")).first() is None:
            raise ConflictError(f"grant {award_id} has no approved final report yet; it cannot be completed")
        app = conn.execute(select(APPS).where(APPS.c.id == award.application_id)).one()
        ts = ctx.ts()
        conn.execute(update(AWARDS).where(AWARDS.c.id == award_id).values(status="completed", completed_at=ts))
        conn.execute(update(APPS).where(APPS.c.id == app.id).values(status="completed", updated_at=ts))
        audit.record(ctx, conn, actor, "award.complete", "award", award_id, {"status": "active"},
                     {"status": "completed"})
        write_record(ctx, conn, app, award, STATUS_CLOSED)
    return get_award(ctx, actor, award_id)


