"""The alumni registry: training courses with yearly cohorts, ex-participants (minimum personal data, with
the consent they gave), the organisations they belong to, and alumni associations (national or across
several countries). Audit entries about people hold ids and course facts, never names."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import InputError, NotFound
from aidatlas.grants import audit
from aidatlas.grants.context import Context, at, dumps
from aidatlas.grants.forms import ORG_TYPES
from aidatlas.grants.models import Alumnus, Course, Organisation
from aidatlas.grants.programmes import check_country
from aidatlas.grants.tables import AlumnusRow, AssociationMemberRow, CourseRow, OrganisationRow

COURSES = table_of(CourseRow)
ORGS = table_of(OrganisationRow)
ALUMNI = table_of(AlumnusRow)
MEMBERS = table_of(AssociationMemberRow)
COURSE_TYPES = ("group-region", "country-focused")


def _course(row: Any) -> Course:
    return Course(row.id, row.title, row.course_type, row.length_years, row.first_year, row.country)


def create_course(ctx: Context, actor: User, title: str, course_type: str, length_years: int, first_year: int,
                  country: str | None) -> Course:
    ctx.require(actor, "officer", action="adding a training course")
    if course_type not in COURSE_TYPES:
        raise InputError("course", f"type {course_type!r}: use one of {', '.join(COURSE_TYPES)}")
    if course_type == "country-focused" and not country:
        raise InputError("course", "a country-focused course needs its country")
    if not 1 <= length_years <= 10 or not title.strip():
        raise InputError("course", "a course needs a title and lasts 1 to 10 years")
    values = dict(title=title.strip(), course_type=course_type, length_years=length_years,
                  first_year=first_year, country=check_country(country, "course") if country else None)
    with ctx.begin() as conn:
        cid = conn.execute(insert(COURSES).values(**values).returning(COURSES.c.id)).scalar_one()
        audit.record(ctx, conn, actor, "course.create", "course", cid, None, values)
    return Course(int(cid), **values)  # type: ignore[arg-type]


def get_course(conn: Connection, course_id: int) -> Course:
    row = conn.execute(select(COURSES).where(COURSES.c.id == course_id)).first()
    if row is None:
        raise NotFound(f"no course {course_id}")
    return _course(row)


def list_courses(ctx: Context) -> list[Course]:
    with ctx.engine.connect() as conn:
        return [_course(r) for r in conn.execute(select(COURSES).order_by(COURSES.c.title))]


def org_from_row(row: Any) -> Organisation:
    return Organisation(row.id, row.name, row.country, row.org_type, bool(row.registered),
                        row.registration_number, tuple(json.loads(row.thematic_areas)), row.scope,
                        tuple(json.loads(row.member_countries)), row.owner_user_id)


def _insert_org(ctx: Context, actor: User, values: dict[str, Any]) -> Organisation:
    with ctx.begin() as conn:
        oid = conn.execute(insert(ORGS).values(**values).returning(ORGS.c.id)).scalar_one()
        audit.record(ctx, conn, actor, "organisation.create", "organisation", oid, None, values)
        return org_from_row(conn.execute(select(ORGS).where(ORGS.c.id == oid)).one())


def create_organisation(ctx: Context, actor: User, name: str, country: str | None, org_type: str, *,
                        registered: bool, registration_number: str | None,
                        thematic_areas: Sequence[str]) -> Organisation:
    ctx.require(actor, "applicant", "officer", action="registering an organisation")
    if org_type not in ORG_TYPES or org_type == "alumni-association":
        raise InputError("organisation", f"type {org_type!r}: use one of {', '.join(ORG_TYPES[:-1])} "
                                         "(alumni associations: create_association)")
    if not name.strip():
        raise InputError("organisation", "an organisation needs a name")
    return _insert_org(ctx, actor, dict(
        name=name.strip(), country=check_country(country, "organisation") if country else None, org_type=org_type,
        registered=registered, registration_number=registration_number, thematic_areas=dumps(list(thematic_areas)),
        scope=None, member_countries="[]", owner_user_id=actor.id))


def create_association(ctx: Context, actor: User, name: str, scope: str,
                       member_countries: Sequence[str]) -> Organisation:
    ctx.require(actor, "officer", action="registering an alumni association")
    countries = [check_country(c, "association") for c in member_countries]
    if scope not in ("national", "cross-country"):
        raise InputError("association", "scope is national or cross-country")
    if (scope == "national") != (len(countries) == 1):
        raise InputError("association", "a national association has one member country, a cross-country one several")
    return _insert_org(ctx, actor, dict(
        name=name.strip(), country=countries[0], org_type="alumni-association", registered=True,
        registration_number=None, thematic_areas="[]", scope=scope, member_countries=dumps(countries),
        owner_user_id=None))


def get_organisation(ctx: Context, organisation_id: int) -> Organisation:
    with ctx.engine.connect() as conn:
        row = conn.execute(select(ORGS).where(ORGS.c.id == organisation_id)).first()
    if row is None:
        raise NotFound(f"no organisation {organisation_id}")
    return org_from_row(row)


def list_organisations(ctx: Context, org_type: str | None) -> list[Organisation]:
    query = select(ORGS).order_by(ORGS.c.name)
    if org_type:
        query = query.where(ORGS.c.org_type == org_type)
    with ctx.engine.connect() as conn:
        return [org_from_row(r) for r in conn.execute(query)]


def add_alumnus(ctx: Context, actor: User, name: str, country: str, course_id: int, cohort: int, *,
                consent_text: str, organisation_id: int | None, associations: Sequence[int]) -> Alumnus:
    ctx.require(actor, "officer", action="adding an ex-participant")
    if not consent_text.strip():
        raise InputError("ex-participant", "record the consent the person gave (what, and how)")
    with ctx.begin() as conn:
        course = get_course(conn, course_id)
        if not 1 <= cohort <= course.length_years:
            raise InputError("ex-participant",
                             f"cohort {cohort}: {course.title} has cohorts 1 to {course.length_years}")
        values = dict(name=name.strip(), country=check_country(country, "ex-participant"), course_id=course_id,
                      cohort=cohort, organisation_id=organisation_id, consent_at=ctx.ts(),
                      consent_text=consent_text.strip())
        aid = conn.execute(insert(ALUMNI).values(**values).returning(ALUMNI.c.id)).scalar_one()
        for association in associations:
            conn.execute(insert(MEMBERS).values(association_id=association, alumnus_id=aid))
        audit.record(ctx, conn, actor, "alumnus.add", "alumnus", aid, None,
                     {"course_id": course_id, "cohort": cohort, "organisation_id": organisation_id,
                      "associations": list(associations), "consent": True})
    return get_alumnus(ctx, int(aid))


def join_association(ctx: Context, actor: User, alumnus_id: int, association_id: int) -> None:
    ctx.require(actor, "officer", action="recording an association membership")
    with ctx.begin() as conn:
        conn.execute(insert(MEMBERS).values(association_id=association_id, alumnus_id=alumnus_id))
        audit.record(ctx, conn, actor, "alumnus.join", "alumnus", alumnus_id, None, {"association_id": association_id})


def _alumni(conn: Connection, where: Any) -> list[Alumnus]:
    rows = list(conn.execute(select(ALUMNI).where(where).order_by(ALUMNI.c.id)))
    members: dict[int, list[int]] = {}
    for m in conn.execute(select(MEMBERS).where(MEMBERS.c.alumnus_id.in_([r.id for r in rows]))):
        members.setdefault(m.alumnus_id, []).append(m.association_id)
    return [Alumnus(r.id, r.name, r.country, r.course_id, r.cohort, r.organisation_id, at(r.consent_at),
                    r.consent_text, tuple(sorted(members.get(r.id, [])))) for r in rows]


def alumni_by_id(conn: Connection, ids: Sequence[int]) -> list[Alumnus]:
    return _alumni(conn, ALUMNI.c.id.in_(list(ids)))


def get_alumnus(ctx: Context, alumnus_id: int) -> Alumnus:
    with ctx.engine.connect() as conn:
        found = alumni_by_id(conn, [alumnus_id])
    if not found:
        raise NotFound(f"no ex-participant {alumnus_id}")
    return found[0]


def list_alumni(ctx: Context, actor: User, course_id: int | None) -> list[Alumnus]:
    ctx.require(actor, "officer", "applicant", "reviewer", action="reading the alumni registry")
    with ctx.engine.connect() as conn:
        return _alumni(conn, ALUMNI.c.course_id == course_id if course_id is not None else ALUMNI.c.id.is_not(None))


def export_alumnus(ctx: Context, actor: User, alumnus_id: int) -> dict[str, Any]:
    ctx.require(actor, "officer", action="exporting personal data")
    person = get_alumnus(ctx, alumnus_id)
    with ctx.begin() as conn:
        course = get_course(conn, person.course_id)
        orgs = {r.id: r.name for r in conn.execute(select(ORGS.c.id, ORGS.c.name).where(
            ORGS.c.id.in_([*person.associations, person.organisation_id or 0])))}
        audit.record(ctx, conn, actor, "alumnus.export", "alumnus", alumnus_id)
    return {"id": person.id, "name": person.name, "country": person.country,
            "course": {"id": course.id, "title": course.title, "type": course.course_type,
                       "length_years": course.length_years},
            "cohort": person.cohort, "cohort_year": course.cohort_year(person.cohort),
            "organisation": orgs.get(person.organisation_id or 0),
            "associations": [orgs[a] for a in person.associations if a in orgs],
            "consent": {"given_at": person.consent_at.isoformat(), "text": person.consent_text}}


def erase_alumnus(ctx: Context, actor: User, alumnus_id: int) -> None:
    ctx.require(actor, "officer", action="erasing personal data")
    with ctx.begin() as conn:
        if conn.execute(select(ALUMNI.c.id).where(ALUMNI.c.id == alumnus_id)).first() is None:
            raise NotFound(f"no ex-participant {alumnus_id}")
        conn.execute(delete(MEMBERS).where(MEMBERS.c.alumnus_id == alumnus_id))
        conn.execute(delete(ALUMNI).where(ALUMNI.c.id == alumnus_id))
        audit.record(ctx, conn, actor, "alumnus.erase", "alumnus", alumnus_id)


LOOKUP_LIMIT = 20


def find_alumni(ctx: Context, actor: User, name: str, course_id: int | None, year: int | None) -> list[dict[str, Any]]:
    """The applicant's lookup: at least three letters of a name (folded: Petrovic finds Petrović), optionally
    a course and the cohort's year; at most LOOKUP_LIMIT people, with no organisation, country or consent."""
    from aidatlas.db.store import name_key

    ctx.require(actor, "applicant", "officer", action="looking up ex-participants")
    wanted = name_key(name)
    if len(wanted.replace(" ", "")) < 3:
        raise InputError("name", "type at least three letters of the ex-participant's name")
    query = select(ALUMNI.c.id, ALUMNI.c.name, ALUMNI.c.cohort, COURSES.c.id.label("course_id"),
                   COURSES.c.title, COURSES.c.first_year).join(COURSES, COURSES.c.id == ALUMNI.c.course_id)
    if course_id is not None:
        query = query.where(ALUMNI.c.course_id == course_id)
    out = []
    with ctx.engine.connect() as conn:
        for r in conn.execute(query.order_by(ALUMNI.c.name, ALUMNI.c.id)):
            cohort_year = r.first_year + r.cohort - 1
            if wanted in name_key(r.name) and (year is None or cohort_year == year):
                out.append({"id": r.id, "name": r.name, "course_id": r.course_id, "course": r.title,
                            "cohort": r.cohort, "year": cohort_year})
            if len(out) >= LOOKUP_LIMIT:
                break
    return out
