"""Applications: drafts saved step by step, submission that freezes a numbered version, and the access rule
every read and write of an application goes through (`load_for`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import ConflictError, Forbidden, InputError, NotFound
from aidatlas.grants import audit, forms, outbox, questions
from aidatlas.grants.context import Context, at, dumps, from_ts
from aidatlas.grants.memberships import confirmed_organisations
from aidatlas.grants.models import STEPS, Application, RuleResult, StepResult, Version
from aidatlas.grants.programmes import load_call
from aidatlas.grants.tables import ApplicationRow, ApplicationVersionRow, AssignmentRow, OrganisationRow

APPS = table_of(ApplicationRow)
VERSIONS = table_of(ApplicationVersionRow)
ASSIGNMENTS = table_of(AssignmentRow)
ORGS = table_of(OrganisationRow)


def from_row(row: Any) -> Application:
    results = tuple(RuleResult(**r) for r in json.loads(row.eligibility)) if row.eligibility else ()
    return Application(
        id=row.id, call_id=row.call_id, owner_user_id=row.owner_user_id, status=row.status,
        data=json.loads(row.data), version=row.version, created_at=at(row.created_at),
        updated_at=at(row.updated_at), submitted_at=from_ts(row.submitted_at),
        requested_amount=row.requested_amount, currency=row.currency, eligibility=results,
        decision_reason=row.decision_reason, awarded_amount=row.awarded_amount,
        screening_reason=row.screening_reason, alumni_confirmed=row.alumni_confirmed_by is not None)


def load_for(ctx: Context, conn: Connection, actor: User, app_id: int, *, write: bool = False) -> Any:
    """The application's row if `actor` may read it (owner, officer, assigned reviewer without a conflict)
    or, with `write`, change it (its owner only); else `Forbidden`."""
    row = conn.execute(select(APPS).where(APPS.c.id == app_id)).first()
    if row is None:
        raise NotFound(f"no application {app_id}")
    if row.owner_user_id == actor.id:
        return row
    if write:
        raise Forbidden(f"application {app_id} belongs to another applicant; only its owner may change it")
    if ctx.is_(actor, "officer"):
        return row
    assigned = conn.execute(select(ASSIGNMENTS.c.conflict).where(ASSIGNMENTS.c.application_id == app_id,
                                                                 ASSIGNMENTS.c.reviewer_id == actor.id)).first()
    if assigned is not None and not assigned.conflict and ctx.is_(actor, "reviewer"):
        return row
    if assigned is not None and assigned.conflict:
        raise Forbidden(f"you declared a conflict of interest on application {app_id}")
    raise Forbidden(f"application {app_id} is not yours and is not assigned to you")


def start_application(ctx: Context, actor: User, call_id: int) -> int:
    ctx.require(actor, "applicant", action="applying for a grant")
    with ctx.begin() as conn:
        call = load_call(conn, call_id)
        now = ctx.now()
        if call.status != "open" or not (call.opens_at <= now < call.closes_at):
            raise ConflictError(f"call {call.title!r} is not open for applications (deadline "
                                f"{call.deadline_text()})")
        ts = ctx.ts()
        app_id = conn.execute(insert(APPS).values(
            call_id=call_id, owner_user_id=actor.id, status="draft", data="{}", version=0, created_at=ts,
            updated_at=ts).returning(APPS.c.id)).scalar_one()
        audit.record(ctx, conn, actor, "application.start", "application", app_id, None,
                     {"call_id": call_id, "status": "draft"})
    return int(app_id)


def _editable(row: Any) -> None:
    if row.status != "draft":
        raise ConflictError(f"application {row.id} is {row.status}; a submitted application cannot be edited")


def _organisation_errors(conn: Connection, actor: User, cleaned: Mapping[str, Any]) -> dict[str, str]:
    """An applicant applies for a registered organisation only as its confirmed member (verified claims)."""
    oid = cleaned.get("organisation_id")
    if oid is None:
        return {}
    name = conn.execute(select(ORGS.c.name).where(ORGS.c.id == oid)).scalar()
    if name is None:
        return {"organisation_id": f"no organisation {oid} in the registry"}
    if oid not in confirmed_organisations(conn, actor.id):
        return {"organisation_id": f"you are not a confirmed member of {name}: ask to join it under "
                                   "“My organisations” and wait for a programme officer or a member to confirm"}
    return {}


def _derived(conn: Connection, data: Mapping[str, Any]) -> dict[str, Any]:
    """The columns ranking and lists read without parsing the JSON."""
    budget, applicant = data.get("budget", {}), data.get("applicant", {})
    name = applicant.get("name")
    if applicant.get("organisation_id"):
        name = conn.execute(select(ORGS.c.name).where(ORGS.c.id == applicant["organisation_id"])).scalar()
    title = str(data.get("project", {}).get("title") or "")[:500] or None
    return {"requested_amount": budget.get("total"), "currency": budget.get("currency"), "applicant_name": name,
            "title": title}


def save_draft(ctx: Context, actor: User, app_id: int, step: str, data: Mapping[str, Any]) -> StepResult:
    if step not in forms.VALIDATORS and step != "questions":
        raise InputError("application", f"unknown step {step!r}; steps: {', '.join(STEPS)}, questions")
    with ctx.begin() as conn:
        row = load_for(ctx, conn, actor, app_id, write=True)
        _editable(row)
        cleaned, errors = questions.step(conn, row.call_id, data) if step == "questions" else \
            forms.VALIDATORS[step](data, load_call(conn, row.call_id))
        errors.update(_organisation_errors(conn, actor, cleaned))
        if errors:
            return StepResult(False, errors)
        before = json.loads(row.data)
        merged = {**before, step: cleaned}
        conn.execute(update(APPS).where(APPS.c.id == app_id).values(
            data=dumps(merged), updated_at=ctx.ts(), **_derived(conn, merged)))
        audit.record(ctx, conn, actor, f"application.save.{step}", "application", app_id,
                     {step: before.get(step)}, {step: cleaned})
    return StepResult(True, {})


def get_application(ctx: Context, actor: User, app_id: int) -> Application:
    with ctx.engine.connect() as conn:
        return from_row(load_for(ctx, conn, actor, app_id))


def list_my_applications(ctx: Context, actor: User) -> list[Application]:
    with ctx.engine.connect() as conn:
        return [from_row(r) for r in conn.execute(select(APPS).where(APPS.c.owner_user_id == actor.id)
                                                  .order_by(APPS.c.id))]


def list_applications(ctx: Context, actor: User, call_id: int) -> list[Application]:
    query = select(APPS).where(APPS.c.call_id == call_id).order_by(APPS.c.id)
    if not ctx.is_(actor, "officer"):
        ctx.require(actor, "reviewer", action="listing a call's applications")
        query = query.join(ASSIGNMENTS, ASSIGNMENTS.c.application_id == APPS.c.id).where(
            ASSIGNMENTS.c.reviewer_id == actor.id, ASSIGNMENTS.c.conflict.is_(False))
    with ctx.engine.connect() as conn:
        return [from_row(r) for r in conn.execute(query)]


def _all_errors(conn: Connection, row: Any) -> dict[str, str]:
    call = load_call(conn, row.call_id)
    data = json.loads(row.data)
    errors: dict[str, str] = {}
    for step, validator in forms.VALIDATORS.items():
        if step not in data:
            if step in forms.REQUIRED_STEPS:
                errors[step] = "this step is not filled in yet"
            continue
        _, step_errors = validator(data[step], call)
        errors.update({f"{step}.{k}": v for k, v in step_errors.items()})
    errors.update(questions.problems(conn, row.call_id, data))
    return errors


def validate_application(ctx: Context, actor: User, app_id: int) -> dict[str, str]:
    with ctx.engine.connect() as conn:
        return _all_errors(conn, load_for(ctx, conn, actor, app_id))


def submit(ctx: Context, actor: User, app_id: int) -> Application:
    with ctx.begin() as conn:
        row = load_for(ctx, conn, actor, app_id, write=True)
        _editable(row)
        call = load_call(conn, row.call_id)
        now = ctx.now()
        if call.status != "open" or now >= call.closes_at:
            raise ConflictError(f"the call {call.title!r} closed at {call.deadline_text()}; "
                                "applications can no longer be submitted")
        errors = _all_errors(conn, row)
        if errors:
            raise InputError(f"application {app_id}", "; ".join(f"{k}: {v}" for k, v in sorted(errors.items())))
        version = (conn.execute(select(func.max(VERSIONS.c.version)).where(VERSIONS.c.application_id == app_id))
                   .scalar() or 0) + 1
        ts = ctx.ts()
        conn.execute(insert(VERSIONS).values(application_id=app_id, version=version, data=row.data, submitted_at=ts))
        conn.execute(update(APPS).where(APPS.c.id == app_id).values(status="submitted", version=version,
                                                                    submitted_at=ts, updated_at=ts))
        audit.record(ctx, conn, actor, "application.submit", "application", app_id,
                     {"status": row.status, "version": row.version}, {"status": "submitted", "version": version})
        outbox.notify(ctx, conn, actor.username, f"Application {app_id} received",
                      f"Your application to {call.title!r} was submitted as version {version}.")
    return get_application(ctx, actor, app_id)


def withdraw(ctx: Context, actor: User, app_id: int) -> Application:
    """Take a submitted application back to draft before the deadline (its next submission is a new version)."""
    with ctx.begin() as conn:
        row = load_for(ctx, conn, actor, app_id, write=True)
        call = load_call(conn, row.call_id)
        if row.status != "submitted":
            raise ConflictError(f"application {app_id} is {row.status}; only a submitted one can be withdrawn")
        if ctx.now() >= call.closes_at:
            raise ConflictError(f"the call closed at {call.deadline_text()}; the application stays as submitted")
        conn.execute(update(APPS).where(APPS.c.id == app_id).values(status="draft", updated_at=ctx.ts()))
        audit.record(ctx, conn, actor, "application.withdraw", "application", app_id,
                     {"status": "submitted"}, {"status": "draft"})
    return get_application(ctx, actor, app_id)


def versions(ctx: Context, actor: User, app_id: int) -> list[Version]:
    with ctx.engine.connect() as conn:
        load_for(ctx, conn, actor, app_id)
        rows = conn.execute(select(VERSIONS).where(VERSIONS.c.application_id == app_id)
                            .order_by(VERSIONS.c.version))
        return [Version(r.application_id, r.version, at(r.submitted_at), json.loads(r.data)) for r in rows]


def relation(engine: Engine, application_id: int, user_id: int) -> tuple[bool, bool, bool]:
    """(owner, assigned, conflicted) of a user to an application, in one indexed query; NotFound when the
    application does not exist. The web app's access table asks it before every application route runs."""
    with engine.connect() as conn:
        row = conn.execute(
            select(APPS.c.owner_user_id, ASSIGNMENTS.c.reviewer_id, ASSIGNMENTS.c.conflict)
            .select_from(APPS.outerjoin(ASSIGNMENTS, (ASSIGNMENTS.c.application_id == APPS.c.id)
                                        & (ASSIGNMENTS.c.reviewer_id == user_id)))
            .where(APPS.c.id == application_id)).first()
    if row is None:
        raise NotFound(f"no application {application_id}")
    assigned = row.reviewer_id is not None
    return row.owner_user_id == user_id, assigned, bool(assigned and row.conflict)
