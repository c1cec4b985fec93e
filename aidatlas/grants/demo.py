"""A realistic demo (invented text in the style of the seed documents) and a bulk generator for benchmarks.

`load_demo` sets up a follow-up cooperation programme for training alumni (a three-year course with yearly
cohorts, ex-participants, alumni associations) and a regional civil-society programme, each with an open
call. `application_data` gives complete form data for either call. `populate` bulk-inserts thousands of
applications and reviews straight into the tables (benchmarks only: no audit rows).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, insert, select

from aidatlas.auth import USERS, User
from aidatlas.db.tables import table_of
from aidatlas.grants.service import Grants
from aidatlas.grants.tables import ApplicationRow, AssignmentRow, ScoreRow
from aidatlas.roles import grant_role
from aidatlas.settings import Settings

JICA_RULES: list[dict[str, Any]] = [
    {"rule": "applicant_is_organisation"},
    {"rule": "ex_participant_member"},
    {"rule": "cohort_completed"},
    {"rule": "alumni_association_ok", "multi_country": True},
    {"rule": "activity_type_in", "types": ["seminar", "workshop", "audio-visual", "native-language-material",
                                           "manual"]},
    {"rule": "budget_max", "amount": 15000},
]
BALKANS = ["AL", "BA", "ME", "MK", "RS", "XK"]
CSO_RULES: list[dict[str, Any]] = [
    {"rule": "applicant_is_organisation"},
    {"rule": "registered_cso"},
    {"rule": "country_in", "countries": BALKANS},
    {"rule": "thematic_area_in", "areas": ["rule of law", "environment", "media freedom", "gender equality"]},
    {"rule": "cofinancing_min", "share": 0.1},
    {"rule": "budget_max", "amount": 30000},
]
RUBRIC = [{"criterion": "relevance", "weight": 3, "max": 10, "label": "Relevance to the call"},
          {"criterion": "feasibility", "weight": 2, "max": 10, "label": "Feasibility and budget"},
          {"criterion": "sustainability", "weight": 1, "max": 10, "label": "Lasting results"}]


@dataclass(frozen=True)
class Demo:
    followup_programme: int
    followup_call: int
    cso_programme: int
    cso_call: int
    course: int
    country_course: int
    utility: int
    """a municipal utility where ex-participants of the three-year course work"""
    association: int
    regional_association: int
    cso: int
    alumni: dict[str, int]


def load_demo(grants: Grants, admin: User) -> Demo:
    """Create the demo programmes, calls (opened), courses, organisations, associations and alumni."""
    now = grants.ctx.now()
    year = now.year
    jica = grants.create_programme(
        admin, "Follow-up Cooperation for Training Alumni", "Japan International Cooperation Agency", "EUR",
        "Small grants that help organisations of former training participants spread what they learned at home: "
        "seminars and workshops, audio-visual and native-language materials, manuals.", kind="follow-up",
        funder_ref="XM-DAC-701-8")
    call = grants.create_call(
        admin, jica.id, f"Follow-up cooperation {year}", opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=60), time_zone="Europe/Belgrade", ceiling_per_grant=15000,
        total_budget=60000, rules=JICA_RULES, rubric=RUBRIC, countries=BALKANS,
        activity_types=["seminar", "workshop", "audio-visual", "native-language-material", "manual"],
        description="Organisations of ex-participants and alumni associations may apply.")
    grants.open_call(admin, call.id)
    norway = grants.create_programme(
        admin, "Regional Civil Society Grants", "Ministry of Foreign Affairs of Norway", "EUR",
        "Core and project support to registered civil-society organisations working across the Western Balkans.",
        kind="project", funder_ref="XM-DAC-8-1")
    cso_call = grants.create_call(
        admin, norway.id, f"Regional CSO call {year}", opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=45), time_zone="Europe/Sarajevo", ceiling_per_grant=30000,
        total_budget=150000, rules=CSO_RULES, rubric=RUBRIC, countries=BALKANS, activity_types=[],
        description="Registered CSOs with at least 10% co-financing.")
    grants.open_call(admin, cso_call.id)
    course = grants.create_course(admin, "Solid Waste Management for Local Governments", "group-region", 3,
                                  year - 2)
    country_course = grants.create_course(admin, "Teachers for an Inclusive School", "country-focused", 1,
                                          year - 4, country="BA")
    utility = grants.create_organisation(admin, "Public Utility Komunalac Bijeljina", "BA", "public-institution",
                                         registered=True, registration_number="4400123450008")
    association = grants.create_association(admin, "Training Alumni Association of Bosnia and Herzegovina",
                                            "national", ["BA"])
    regional = grants.create_association(admin, "Balkan Network of Training Alumni", "cross-country",
                                         ["BA", "RS", "ME"])
    cso = grants.create_organisation(admin, "Green Valley Environmental Centre", "RS", "cso", registered=True,
                                     registration_number="28012345", thematic_areas=["environment"])
    consent = "Agreed on the registration form to be listed as an ex-participant for follow-up cooperation."
    alumni = {
        "Ana Petrović": grants.add_alumnus(admin, "Ana Petrović", "BA", course.id, 1, consent_text=consent,
                                           organisation_id=utility.id, associations=[association.id]).id,
        "Jovan Marić": grants.add_alumnus(admin, "Jovan Marić", "BA", course.id, 3, consent_text=consent,
                                          organisation_id=utility.id).id,
        "Selma Hodžić": grants.add_alumnus(admin, "Selma Hodžić", "BA", country_course.id, 1, consent_text=consent,
                                           associations=[association.id, regional.id]).id,
    }
    return Demo(jica.id, call.id, norway.id, cso_call.id, course.id, country_course.id, utility.id,
                association.id, regional.id, cso.id, alumni)


def application_data(demo: Demo, which: str = "followup", **changes: Any) -> dict[str, dict[str, Any]]:
    """Complete form data, step by step, for the follow-up call (`followup`) or the CSO call (`cso`)."""
    if which == "followup":
        data: dict[str, dict[str, Any]] = {
            "applicant": {"kind": "organisation", "organisation_id": demo.utility,
                          "implementing_organisation": "Public Utility Komunalac Bijeljina",
                          "partners": [{"name": "Municipality of Ugljevik", "country": "BA"}]},
            "course": {"course_id": demo.course, "cohort": 1, "alumni": [demo.alumni["Ana Petrović"]]},
            "project": {
                "title": "Separate collection of waste in Semberija",
                "background": "The utility collects mixed waste from 40,000 households and landfills most of it.\n\n"
                              "After the training, the ex-participant drafted a plan for separate collection "
                              "that local staff now need to learn.",
                "objectives": ["Train utility and municipal staff in separate collection",
                               "Inform households about sorting at source"],
                "activities": [{"type": "seminar", "description": "Two seminars for 60 utility and municipal staff"},
                               {"type": "native-language-material",
                                "description": "A sorting guide in the local language for 10,000 households"}],
                "places": [{"name": "Bijeljina", "country": "BA"}, {"name": "Ugljevik", "country": "BA"}],
                "target_groups": [{"text": "utility and municipal staff", "count": 60},
                                  {"text": "households", "count": 10000}]},
            "budget": {"currency": "EUR", "lines": [{"item": "Seminars", "amount": 5200},
                                                    {"item": "Printing of the guide", "amount": 3800}],
                       "cofinancing": 1500, "start": "2027-03-01", "end": "2027-11-30"},
        }
    else:
        data = {
            "applicant": {"kind": "organisation", "organisation_id": demo.cso,
                          "implementing_organisation": "Green Valley Environmental Centre",
                          "partners": [{"name": "Eko Mreža Nikšić", "country": "ME"}]},
            "project": {
                "title": "Clean rivers monitoring network",
                "background": "Citizen groups along the Drina and Lim rivers report illegal dumping, but their "
                              "reports reach no institution.",
                "thematic_area": "environment",
                "objectives": ["Set up a shared monitoring platform", "Bring reports to the inspectorates"],
                "activities": [{"type": "workshop", "description": "Four workshops for volunteer monitors"},
                               {"type": "other", "description": "An online map of reported dump sites"}],
                "places": [{"name": "Priboj", "country": "RS"}, {"name": "Pljevlja", "country": "ME"}],
                "target_groups": [{"text": "volunteer monitors", "count": 80}]},
            "budget": {"currency": "EUR", "lines": [{"item": "Workshops", "amount": 12000},
                                                    {"item": "Platform", "amount": 8000}],
                       "cofinancing": 2500, "start": "2027-04-01", "end": "2028-03-31"},
        }
    for key, value in changes.items():
        step, _, field = key.partition("__")
        data.setdefault(step, {})[field] = value
    return data


def join(grants: Grants, officer: User, member: User, *organisation_ids: int) -> None:
    """`member` asks to act for each organisation and `officer` confirms (verified claims)."""
    for oid in organisation_ids:
        if grants.request_membership(member, oid).status == "pending":
            grants.decide_membership(officer, oid, member.id, True)


def apply(grants: Grants, applicant: User, call_id: int, data: dict[str, dict[str, Any]], submit: bool = True) -> int:
    """Start, fill every step and (by default) submit an application; returns its id."""
    app_id = grants.start_application(applicant, call_id)
    for step, values in data.items():
        result = grants.save_draft(applicant, app_id, step, values)
        if not result.saved:
            raise ValueError(f"demo data of step {step!r} is invalid: {result.errors}")
    if submit:
        grants.submit(applicant, app_id)
    return app_id


@dataclass(frozen=True)
class Populated:
    call_id: int
    officer: User
    application_ids: list[int]


def _bench_user(engine: Engine, name: str, role: str) -> User:
    """A benchmark account that cannot log in (no password hash matches), with one role."""
    with engine.begin() as conn:
        uid = conn.execute(select(USERS.c.id).where(USERS.c.username == name)).scalar()
        if uid is None:
            uid = conn.execute(insert(USERS).values(username=name, password_hash="!", created_at=0)
                               .returning(USERS.c.id)).scalar_one()
    grant_role(engine, int(uid), role)
    return User(int(uid), name)


def populate(engine: Engine, settings: Settings, applications: int = 2000, reviews: int = 300,
             seed: int = 7) -> Populated:
    """A programme and call with `applications` submitted applications and `reviews` scores, bulk-inserted
    straight into the tables (benchmarks only: no audit rows, no form validation)."""
    officer = _bench_user(engine, "bench-officer", "officer")
    owner = _bench_user(engine, "bench-applicant", "applicant")
    reviewer_ids = [_bench_user(engine, f"bench-reviewer-{i}", "reviewer").id for i in range(1, 6)]
    grants = Grants(engine, settings)
    now = grants.ctx.now()
    programme = grants.create_programme(officer, "Benchmark programme", "Benchmark funder", "EUR")
    call = grants.create_call(officer, programme.id, "Benchmark call", opens_at=now - timedelta(days=1),
                              closes_at=now + timedelta(days=30), time_zone="UTC", ceiling_per_grant=15000,
                              total_budget=applications * 8500 / 4, rubric=RUBRIC)
    grants.open_call(officer, call.id)
    apps, assigns, scores = (table_of(t) for t in (ApplicationRow, AssignmentRow, ScoreRow))
    rng = random.Random(seed)
    rows = []
    for i in range(applications):
        amount = float(rng.randrange(2000, 15000, 50))
        data = {"project": {"title": f"Benchmark project {i}"}, "budget": {"total": amount, "currency": "EUR"}}
        rows.append({"call_id": call.id, "owner_user_id": owner.id, "status": "submitted",
                     "data": json.dumps(data), "version": 1, "requested_amount": amount, "currency": "EUR",
                     "title": f"Benchmark project {i}",
                     "applicant_name": f"Organisation {i}", "created_at": 0, "updated_at": 0, "submitted_at": 0})
    with engine.begin() as conn:
        conn.execute(insert(apps), rows)
        ids = list(conn.execute(select(apps.c.id).where(apps.c.call_id == call.id)).scalars())
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < min(reviews, len(ids) * len(reviewer_ids)):
            pairs.add((rng.choice(ids), rng.choice(reviewer_ids)))
        if pairs:
            conn.execute(insert(assigns), [{"application_id": a, "reviewer_id": r, "assigned_by": officer.id,
                                            "assigned_at": 0, "conflict": False} for a, r in pairs])
            conn.execute(insert(scores), [{"application_id": a, "reviewer_id": r, "scores": "{}",
                                           "weighted": round(rng.uniform(20, 95), 2), "comment": "",
                                           "scored_at": 0} for a, r in pairs])
    return Populated(call.id, officer, ids)
