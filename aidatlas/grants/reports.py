"""Reporting on awards: interim and final reports against the objectives, the overdue list, completion
(which also marks the registry Activity closed)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import insert, select, update

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import ConflictError, InputError
from aidatlas.grants import audit
from aidatlas.grants.applications import APPS
from aidatlas.grants.attachments import store_attachment
from aidatlas.grants.awards import AWARDS, STATUS_CLOSED, activity_for, get_award, load_award
from aidatlas.grants.context import Context, at, dumps
from aidatlas.grants.models import Award, OverdueReport, Report
from aidatlas.grants.tables import ReportRow

REPORTS = table_of(ReportRow)


def submit_report(ctx: Context, actor: User, award_id: int, kind: str, results: Mapping[str, str],
                  participants_reached: int, attachments: Sequence[tuple[str, bytes]]) -> Report:
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
        objectives = json.loads(app.data)["project"]["objectives"]
        missing = [o for o in objectives if not str(results.get(o, "")).strip()]
        unknown = [k for k in results if k not in objectives]
        if missing or unknown:
            raise InputError("report", f"report a result for every objective (missing: {missing or 'none'}; "
                                       f"not objectives of this grant: {unknown or 'none'})")
        ts = ctx.ts()
        rid = conn.execute(insert(REPORTS).values(award_id=award_id, kind=kind, results=dumps(dict(results)),
                                                  participants_reached=participants_reached, submitted_by=actor.id,
                                                  submitted_at=ts).returning(REPORTS.c.id)).scalar_one()
        for filename, content in attachments:
            store_attachment(ctx, conn, actor, award.application_id, filename, content, rid)
        audit.record(ctx, conn, actor, f"report.{kind}", "award", award_id, None,
                     {"report_id": rid, "participants_reached": participants_reached,
                      "attachments": len(attachments)})
    return Report(int(rid), award_id, kind, dict(results), participants_reached, at(ts))  # type: ignore[arg-type]


def list_reports(ctx: Context, actor: User, award_id: int) -> list[Report]:
    with ctx.engine.connect() as conn:
        load_award(ctx, conn, actor, award_id)
        rows = conn.execute(select(REPORTS).where(REPORTS.c.award_id == award_id).order_by(REPORTS.c.id))
        return [Report(r.id, r.award_id, r.kind, json.loads(r.results), r.participants_reached, at(r.submitted_at))
                for r in rows]


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
        if conn.execute(select(REPORTS.c.id).where(REPORTS.c.award_id == award_id,
                                                   REPORTS.c.kind == "final")).first() is None:
            raise ConflictError(f"grant {award_id} has no final report yet; it cannot be completed")
        app = conn.execute(select(APPS).where(APPS.c.id == award.application_id)).one()
        ts = ctx.ts()
        conn.execute(update(AWARDS).where(AWARDS.c.id == award_id).values(status="completed", completed_at=ts))
        conn.execute(update(APPS).where(APPS.c.id == app.id).values(status="completed", updated_at=ts))
        audit.record(ctx, conn, actor, "award.complete", "award", award_id, {"status": "active"},
                     {"status": "completed"})
        activity = activity_for(ctx, conn, app, award.amount, STATUS_CLOSED, not_before=at(award.created_at))
        ctx.store.import_activities([activity], source_name=f"application {app.id}", conn=conn)
    return get_award(ctx, actor, award_id)


