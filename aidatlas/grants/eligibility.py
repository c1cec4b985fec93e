"""Eligibility: the facts of one application (its data joined with the registry) run through its call's
rules; the results are stored with the application; an officer then marks it eligible or ineligible."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select, update

from aidatlas.auth import User
from aidatlas.errors import ConflictError
from aidatlas.grants import audit, outbox, rules
from aidatlas.grants.alumni import ORGS, alumni_by_id, get_course, org_from_row
from aidatlas.grants.applications import APPS, from_row, load_for
from aidatlas.grants.context import Context, dumps
from aidatlas.grants.memberships import USERS
from aidatlas.grants.models import Application, RuleResult
from aidatlas.grants.programmes import load_call

CHECKABLE = ("submitted", "eligible", "ineligible")


def facts_of(ctx: Context, conn: Connection, data: dict[str, Any]) -> rules.Facts:
    applicant, project = data.get("applicant", {}), data.get("project", {})
    budget, course = data.get("budget", {}), data.get("course", {})
    org = None
    if applicant.get("organisation_id"):
        row = conn.execute(select(ORGS).where(ORGS.c.id == applicant["organisation_id"])).first()
        org = org_from_row(row) if row is not None else None
    alumni = []
    for person in alumni_by_id(conn, [a for a in course.get("alumni", []) if a]):
        c = get_course(conn, person.course_id)
        alumni.append(rules.AlumnusFact(person.id, person.name, c.id, c.title, c.course_type, c.length_years,
                                        person.cohort, c.cohort_year(person.cohort), c.last_year,
                                        person.organisation_id, person.associations))
    places = [p["country"] for p in project.get("places", []) if p.get("country")]
    return rules.Facts(
        today=ctx.now().date(), applicant_kind=applicant.get("kind", "organisation"),
        applicant_name=org.name if org else applicant.get("name") or "the applicant",
        organisation_id=org.id if org else None,
        org_type=org.org_type if org else applicant.get("org_type"),
        country=org.country if org else applicant.get("country"),
        registered=org.registered if org else bool(applicant.get("registered")),
        registration_number=org.registration_number if org else applicant.get("registration_number"),
        scope=org.scope if org else None, member_countries=org.member_countries if org else (),
        thematic_area=project.get("thematic_area"),
        activity_types=tuple(a.get("type") for a in project.get("activities", []) if a.get("type")),
        project_countries=tuple(dict.fromkeys(places)), requested=float(budget.get("total") or 0),
        cofinancing=float(budget.get("cofinancing") or 0), currency=budget.get("currency") or "",
        alumni=tuple(alumni))


def preview_eligibility(ctx: Context, actor: User, app_id: int) -> list[RuleResult]:
    """The call's rules run on the owner's application as it stands (a draft too), nothing stored: the
    applicant sees what fails and why before submitting."""
    with ctx.engine.connect() as conn:
        row = load_for(ctx, conn, actor, app_id)
        call = load_call(conn, row.call_id)
        return rules.evaluate(call.rules, facts_of(ctx, conn, json.loads(row.data)))


def named_alumni(ctx: Context, actor: User, app_id: int) -> list[dict[str, Any]]:
    """The ex-participants an application names, as the registry holds them (officers: personal data), with
    whether each works at or belongs to the applicant — what an officer confirms."""
    ctx.require(actor, "officer", action="reading the ex-participants of an application")
    with ctx.engine.connect() as conn:
        row = load_for(ctx, conn, actor, app_id)
        data = json.loads(row.data)
        applicant = data.get("applicant", {}).get("organisation_id")
        out = []
        for person in alumni_by_id(conn, [a for a in data.get("course", {}).get("alumni", []) if a]):
            course = get_course(conn, person.course_id)
            orgs = {r.id: r.name for r in conn.execute(select(ORGS.c.id, ORGS.c.name).where(
                ORGS.c.id.in_([*person.associations, person.organisation_id or 0])))}
            out.append({"id": person.id, "name": person.name, "course": course.title, "cohort": person.cohort,
                        "year": course.cohort_year(person.cohort),
                        "organisation": orgs.get(person.organisation_id or 0),
                        "associations": [orgs[a] for a in person.associations if a in orgs],
                        "matches": applicant is not None and (applicant == person.organisation_id
                                                              or applicant in person.associations)})
    return out


def confirm_alumni(ctx: Context, actor: User, app_id: int) -> Application:
    """The officer confirms that the named ex-participants are the registry's people (recorded, audited)."""
    ctx.require(actor, "officer", action="confirming ex-participants")
    with ctx.begin() as conn:
        row = load_for(ctx, conn, actor, app_id)
        named = [a for a in json.loads(row.data).get("course", {}).get("alumni", []) if a]
        if not named:
            raise ConflictError(f"application {app_id} names no ex-participant to confirm")
        conn.execute(update(APPS).where(APPS.c.id == app_id).values(alumni_confirmed_by=actor.id))
        audit.record(ctx, conn, actor, "application.alumni_confirmed", "application", app_id,
                     {"confirmed": row.alumni_confirmed_by is not None}, {"confirmed": True, "alumni": named})
        return from_row(conn.execute(select(APPS).where(APPS.c.id == app_id)).one())


def check_eligibility(ctx: Context, actor: User, app_id: int) -> list[RuleResult]:
    ctx.require(actor, "officer", action="checking eligibility")
    with ctx.begin() as conn:
        row = load_for(ctx, conn, actor, app_id)
        if row.status not in CHECKABLE:
            raise ConflictError(f"application {app_id} is {row.status}; eligibility is checked after submission")
        call = load_call(conn, row.call_id)
        results = rules.evaluate(call.rules, facts_of(ctx, conn, json.loads(row.data)))
        stored = [{"rule": r.rule, "passed": r.passed, "reason": r.reason} for r in results]
        conn.execute(update(APPS).where(APPS.c.id == app_id).values(eligibility=dumps(stored)))
        audit.record(ctx, conn, actor, "application.eligibility_check", "application", app_id, None,
                     {"rules": {r.rule: r.passed for r in results}})
    return results


def mark_eligibility(ctx: Context, actor: User, app_id: int, eligible: bool, reason: str) -> Application:
    ctx.require(actor, "officer", action="deciding eligibility")
    status = "eligible" if eligible else "ineligible"
    with ctx.begin() as conn:
        row = load_for(ctx, conn, actor, app_id)
        if row.status not in CHECKABLE:
            raise ConflictError(f"application {app_id} is {row.status}; it cannot be marked {status}")
        conn.execute(update(APPS).where(APPS.c.id == app_id).values(status=status, updated_at=ctx.ts(),
                                                                    screening_reason=reason.strip() or None))
        audit.record(ctx, conn, actor, f"application.{status}", "application", app_id, {"status": row.status},
                     {"status": status, "reason": reason})
        owner = conn.execute(select(USERS.c.username).where(USERS.c.id == row.owner_user_id)).scalar_one()
        outbox.notify(ctx, conn, owner, f"Application {app_id}: {status}",
                      f"Your application was found {status}." + (f" Reason: {reason.strip()}" if reason.strip()
                                                                  else ""))
        return from_row(conn.execute(select(APPS).where(APPS.c.id == app_id)).one())


