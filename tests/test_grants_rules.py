"""Eligibility rules as data: every rule passes and fails with a reason naming the facts; calls refuse
rules that cannot run."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from grants_world import World, submitted

from aidatlas.errors import InputError
from aidatlas.grants import rules
from aidatlas.grants.demo import CSO_RULES, JICA_RULES
from aidatlas.grants.rules import AlumnusFact, Facts

ANA = AlumnusFact(1, "Ana Petrović", 7, "Solid waste management", "group-region", 3, 2, 2024, 2025, 10, (20,))
BASE = Facts(today=date(2026, 5, 1), applicant_kind="organisation", applicant_name="Komunalac",
             organisation_id=10, org_type="cso", country="BA", registered=True, registration_number="123",
             thematic_area="environment", activity_types=("seminar", "manual"), project_countries=("BA",),
             requested=9000, cofinancing=1000, currency="EUR", alumni=(ANA,))


def check(name: str, facts: Facts, **params: object) -> tuple[bool, str]:
    rules.validate([{"rule": name, **params}])
    result = rules.evaluate([{"rule": name, **params}], facts)[0]
    assert result.rule == name and result.reason
    return result.passed, result.reason


CASES = [
    # rule, params, passing facts, failing facts, words in the pass reason, words in the fail reason
    ("applicant_is_organisation", {}, {}, {"applicant_kind": "individual", "applicant_name": "Ana Petrović"},
     ["Komunalac", "organisation"], ["Ana Petrović", "individual"]),
    ("ex_participant_member", {"courses": ["Solid waste management"]}, {}, {"organisation_id": 11},
     ["ex-participant Ana Petrović (Solid waste management, cohort 2 of a 3-year course, finished 2024) belongs "
      "to Komunalac"], ["Ana Petrović", "belongs to Komunalac"]),
    ("cohort_completed", {}, {}, {"today": date(2024, 6, 1)},
     ["cohort 2 of a 3-year course, finished 2024"], ["cohort 2", "finishes in 2024", "not yet completed"]),
    ("alumni_association_ok", {"multi_country": True},
     {"org_type": "alumni-association", "member_countries": ("BA", "RS"), "project_countries": ("BA", "RS")},
     {"org_type": "alumni-association", "member_countries": ("BA", "RS"), "project_countries": ("BA", "ME")},
     ["cross-country", "BA, RS"], ["ME", "outside its member countries"]),
    ("country_in", {"countries": ["BA", "RS", "XK"]}, {}, {"country": "HR"}, ["BA"], ["HR", "eligible: BA, RS, XK"]),
    ("activity_type_in", {"types": ["seminar", "manual"]}, {}, {"activity_types": ("seminar", "study tour")},
     ["manual, seminar"], ["study tour"]),
    ("registered_cso", {}, {}, {"registration_number": None}, ["registered", "123"], ["no registration number"]),
    ("thematic_area_in", {"areas": ["environment", "media"]}, {}, {"thematic_area": "sport"},
     ["environment"], ["'sport'", "environment, media"]),
    ("cofinancing_min", {"share": 0.1}, {}, {"cofinancing": 500}, ["10.0%", "1,000.00 EUR"],
     ["5.3%", "at least 10% is needed"]),
    ("budget_max", {"amount": 10000}, {}, {"requested": 12000}, ["9,000.00 EUR", "10,000.00 EUR"],
     ["12,000.00 EUR exceeds"]),
]


@pytest.mark.parametrize(("name", "params", "good", "bad", "good_words", "bad_words"), CASES,
                         ids=[c[0] for c in CASES])
def test_every_rule_passes_and_fails_with_its_reason(name, params, good, bad, good_words, bad_words):
    passed, reason = check(name, replace(BASE, **good), **params)
    assert passed, reason
    assert all(w in reason for w in good_words), reason
    passed, reason = check(name, replace(BASE, **bad), **params)
    assert not passed, reason
    assert all(w in reason for w in bad_words), reason


def test_every_registered_rule_is_covered():
    assert {c[0] for c in CASES} == set(rules.REGISTRY)


def test_year_one_or_two_qualify_before_the_three_year_course_ends():
    first = replace(ANA, cohort=1, cohort_year=2025, course_last_year=2027)
    facts = replace(BASE, today=date(2026, 3, 1), alumni=(first,))
    passed, reason = check("cohort_completed", facts)
    assert passed and "the course as a whole runs until 2027" in reason
    passed, reason = check("cohort_completed", facts, whole_course=True)
    assert not passed and "runs until 2027" in reason


def test_association_members_belong_to_the_association_and_national_associations_stay_national():
    member = replace(ANA, organisation_id=None, associations=(20,))
    facts = replace(BASE, organisation_id=20, org_type="alumni-association", alumni=(member,))
    assert check("ex_participant_member", facts)[0]
    two = replace(facts, project_countries=("BA", "RS"), member_countries=("BA", "RS"))
    passed, reason = check("alumni_association_ok", two)
    assert not passed and "one country only" in reason
    assert check("alumni_association_ok", replace(BASE, org_type="cso"))[0]


@pytest.mark.parametrize(("rule", "message"), [
    ({"rule": "no_such_rule"}, "unknown rule 'no_such_rule'"),
    ({"rule": "country_in"}, "needs the parameter 'countries'"),
    ({"rule": "budget_max", "amount": "lots"}, "wrong type"),
    ({"rule": "registered_cso", "strict": True}, "has no parameter 'strict'"),
])
def test_a_call_with_a_rule_that_cannot_run_is_refused(world: World, rule, message):
    g, now = world.grants, world.clock.now
    with pytest.raises(InputError, match=message):
        g.create_call(world.users["officer"], world.demo.followup_programme, "Bad call", opens_at=now,
                      closes_at=now + timedelta(days=5), time_zone="Europe/Sarajevo", ceiling_per_grant=1000,
                      total_budget=5000, rules=[rule])


def test_demo_calls_declare_the_jica_and_cso_rules(world: World):
    assert world.grants.get_call(world.demo.followup_call).rules == tuple(JICA_RULES)
    assert world.grants.get_call(world.demo.cso_call).rules == tuple(CSO_RULES)


def test_jica_rules_on_real_applications(world: World):
    g, officer, d = world.grants, world.users["officer"], world.demo
    # an ex-participant of the third, unfinished cohort does not qualify yet
    late = submitted(world, "alice", course__alumni=[d.alumni["Jovan Marić"]], course__cohort=3)
    results = {r.rule: r for r in g.check_eligibility(officer, late)}
    assert results["ex_participant_member"].passed
    assert not results["cohort_completed"].passed and "Jovan Marić" in results["cohort_completed"].reason
    # an individual applying for themself
    individual = submitted(world, "bob", applicant__organisation_id=None, applicant__kind="individual",
                           applicant__name="Ana Petrović", applicant__country="BA")
    results = {r.rule: r for r in g.check_eligibility(officer, individual)}
    assert not results["applicant_is_organisation"].passed
    assert not results["ex_participant_member"].passed
    # a cross-country alumni association running activities in two member countries
    regional = submitted(world, "bob", applicant__organisation_id=d.regional_association,
                         course__course_id=d.country_course, course__alumni=[d.alumni["Selma Hodžić"]],
                         project__places=[{"name": "Tuzla", "country": "BA"}, {"name": "Niš", "country": "RS"}])
    results = g.check_eligibility(officer, regional)
    assert all(r.passed for r in results), results
    assert g.get_application(officer, regional).eligibility == tuple(results)


def test_cso_call_end_to_end_rules(world: World):
    g, officer = world.grants, world.users["officer"]
    good = submitted(world, "alice", "cso")
    assert all(r.passed for r in g.check_eligibility(officer, good))
    low = submitted(world, "bob", "cso", budget__cofinancing=100, project__thematic_area="sport")
    failed = {r.rule for r in g.check_eligibility(officer, low) if not r.passed}
    assert failed == {"cofinancing_min", "thematic_area_in"}
