"""Eligibility rules as data: a call lists `{"rule": NAME, ...parameters}`; each NAME is a registered pure
function of the application's `Facts` that returns pass/fail and a reason naming the facts it used.

Rules are checked when a call is created (unknown name or bad parameter: `InputError`), so a call can never
hold a rule that cannot run. Add a rule with `@rule("name", param=(type, required))`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from aidatlas.errors import InputError
from aidatlas.grants.models import RuleResult

Check = Callable[["Facts", Mapping[str, Any]], tuple[bool, str]]


@dataclass(frozen=True)
class AlumnusFact:
    id: int
    name: str
    course_id: int
    course: str
    course_type: str
    length_years: int
    cohort: int
    cohort_year: int
    course_last_year: int
    organisation_id: int | None
    associations: tuple[int, ...] = ()

    def describe(self) -> str:
        return (f"{self.name} ({self.course}, cohort {self.cohort} of a {self.length_years}-year course, "
                f"finished {self.cohort_year})")


@dataclass(frozen=True)
class Facts:
    """What the rules may look at: the application's data joined with the registry, and today's date."""

    today: date
    applicant_kind: str  # organisation | individual
    applicant_name: str
    organisation_id: int | None = None
    org_type: str | None = None
    country: str | None = None
    registered: bool = False
    registration_number: str | None = None
    scope: str | None = None  # alumni associations: national | cross-country
    member_countries: tuple[str, ...] = ()
    thematic_area: str | None = None
    activity_types: tuple[str, ...] = ()
    project_countries: tuple[str, ...] = ()
    requested: float = 0.0
    cofinancing: float = 0.0
    currency: str = ""
    alumni: tuple[AlumnusFact, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RuleSpec:
    name: str
    params: dict[str, tuple[type | tuple[type, ...], bool]]
    check: Check
    doc: str


REGISTRY: dict[str, RuleSpec] = {}


def rule(name: str, **params: tuple[type | tuple[type, ...], bool]) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        REGISTRY[name] = RuleSpec(name, dict(params), fn, (fn.__doc__ or "").strip())
        return fn
    return register


def validate(rules: Sequence[Mapping[str, Any]]) -> None:
    """Refuse unknown rules, unknown or missing parameters and parameters of the wrong type."""
    for i, item in enumerate(rules):
        where = f"call rule {i + 1}"
        name = item.get("rule")
        if name not in REGISTRY:
            raise InputError(where, f"unknown rule {name!r}; known rules: {', '.join(sorted(REGISTRY))}")
        spec = REGISTRY[name]
        for key in item:
            if key != "rule" and key not in spec.params:
                raise InputError(where, f"rule {name!r} has no parameter {key!r} "
                                        f"(it takes: {', '.join(spec.params) or 'none'})")
        for key, (kind, required) in spec.params.items():
            if key not in item:
                if required:
                    raise InputError(where, f"rule {name!r} needs the parameter {key!r}")
                continue
            value = item[key]
            if not isinstance(value, kind) or (isinstance(value, bool) and kind in (float, (int, float))):
                raise InputError(where, f"rule {name!r}: parameter {key!r} has the wrong type ({value!r})")


def evaluate(rules: Sequence[Mapping[str, Any]], facts: Facts) -> list[RuleResult]:
    results = []
    for item in rules:
        passed, reason = REGISTRY[item["rule"]].check(facts, item)
        results.append(RuleResult(item["rule"], passed, reason))
    return results


def _money(value: float, currency: str) -> str:
    return f"{value:,.2f} {currency}".strip()


def _course_matches(a: AlumnusFact, courses: Sequence[Any]) -> bool:
    return not courses or a.course_id in courses or a.course in courses


# ----------------------------------------------------------------------------- the rules
@rule("applicant_is_organisation")
def applicant_is_organisation(f: Facts, p: Mapping[str, Any]) -> tuple[bool, str]:
    """The applicant is an organisation (support goes to organisations, not to individuals)."""
    if f.applicant_kind == "organisation":
        return True, f"{f.applicant_name} applies as an organisation ({f.org_type or 'type not given'})"
    return False, f"{f.applicant_name} applies as an individual; only organisations may apply"


@rule("ex_participant_member", courses=(list, False))
def ex_participant_member(f: Facts, p: Mapping[str, Any]) -> tuple[bool, str]:
    """An ex-participant of one of `courses` (ids or titles; any course when absent) belongs to the applicant
    (works there, or is a member of the applicant alumni association)."""
    courses = p.get("courses", [])
    named = [a for a in f.alumni if _course_matches(a, courses)]
    if not named:
        which = "the eligible courses" if courses else "a course"
        return False, f"the application names no ex-participant of {which}"
    for a in named:
        if f.organisation_id is not None and (a.organisation_id == f.organisation_id
                                              or f.organisation_id in a.associations):
            return True, f"ex-participant {a.describe()} belongs to {f.applicant_name}"
    return False, (f"none of the named ex-participants ({', '.join(a.name for a in named)}) belongs to "
                   f"{f.applicant_name}")


@rule("cohort_completed", whole_course=(bool, False))
def cohort_completed(f: Facts, p: Mapping[str, Any]) -> tuple[bool, str]:
    """The named ex-participant's own yearly cohort has finished (a year-one or year-two participant of a
    three-year course qualifies before the course as a whole ends); `whole_course: true` asks for the end of
    the whole course instead."""
    if not f.alumni:
        return False, "the application names no ex-participant"
    whole = bool(p.get("whole_course", False))
    for a in f.alumni:
        end = a.course_last_year if whole else a.cohort_year
        if end < f.today.year:
            if whole:
                return True, f"{a.name}'s course {a.course} ended in {a.course_last_year}"
            rest = (f"; the course as a whole runs until {a.course_last_year}"
                    if a.course_last_year >= f.today.year else "")
            return True, f"ex-participant {a.describe()}{rest}"
    a = f.alumni[0]
    if whole:
        return False, f"the course {a.course} runs until {a.course_last_year}; the call needs it to have ended"
    return False, f"{a.name}'s cohort {a.cohort} of {a.course} finishes in {a.cohort_year}, not yet completed"


@rule("alumni_association_ok", multi_country=(bool, False))
def alumni_association_ok(f: Facts, p: Mapping[str, Any]) -> tuple[bool, str]:
    """Alumni associations qualify; activities in several countries are allowed when `multi_country` is true
    and the countries are the association's member countries. Other applicants are not concerned."""
    if f.org_type != "alumni-association":
        return True, f"{f.applicant_name} is not an alumni association; nothing to check"
    countries = sorted(set(f.project_countries))
    if len(countries) <= 1:
        return True, f"{f.applicant_name} is an alumni association ({f.scope or 'national'})"
    if not p.get("multi_country", False):
        return False, (f"{f.applicant_name} plans activities in {', '.join(countries)}; this call allows "
                       "association activities in one country only")
    outside = [c for c in countries if c not in f.member_countries]
    if outside:
        return False, (f"{f.applicant_name} plans activities in {', '.join(outside)}, outside its member "
                       f"countries ({', '.join(f.member_countries) or 'none'})")
    return True, (f"{f.applicant_name} is a cross-country alumni association; activities in "
                  f"{', '.join(countries)} are among its member countries")


@rule("country_in", countries=(list, True))
def country_in(f: Facts, p: Mapping[str, Any]) -> tuple[bool, str]:
    """The applicant is based in one of `countries` (ISO codes, XK for Kosovo)."""
    allowed = list(p["countries"])
    if f.country in allowed:
        return True, f"{f.applicant_name} is based in {f.country}, an eligible country"
    return False, f"{f.applicant_name} is based in {f.country or 'no given country'}; eligible: {', '.join(allowed)}"


@rule("activity_type_in", types=(list, True))
def activity_type_in(f: Facts, p: Mapping[str, Any]) -> tuple[bool, str]:
    """Every planned activity is of one of `types` (seminar, workshop, audio-visual, ...)."""
    allowed = list(p["types"])
    if not f.activity_types:
        return False, "the application lists no activities"
    other = sorted({t for t in f.activity_types if t not in allowed})
    if other:
        return False, f"activities of type {', '.join(other)} are not supported; eligible: {', '.join(allowed)}"
    return True, f"all activities are eligible types ({', '.join(sorted(set(f.activity_types)))})"


@rule("registered_cso")
def registered_cso(f: Facts, p: Mapping[str, Any]) -> tuple[bool, str]:
    """The applicant is a civil-society organisation registered in its country (with a registration number)."""
    if f.org_type != "cso":
        kind = f.org_type or "body of unknown type"
        return False, f"{f.applicant_name} is a {kind}, not a civil-society organisation"
    if not f.registered or not f.registration_number:
        return False, f"{f.applicant_name} gives no registration number as a CSO in {f.country or 'its country'}"
    return True, f"{f.applicant_name} is a CSO registered in {f.country} under no. {f.registration_number}"


@rule("thematic_area_in", areas=(list, True))
def thematic_area_in(f: Facts, p: Mapping[str, Any]) -> tuple[bool, str]:
    """The project's thematic area is one of `areas`."""
    allowed = list(p["areas"])
    if f.thematic_area in allowed:
        return True, f"thematic area {f.thematic_area!r} is eligible"
    return False, f"thematic area {f.thematic_area or 'not given'!r} is not among: {', '.join(allowed)}"


@rule("cofinancing_min", share=((int, float), True))
def cofinancing_min(f: Facts, p: Mapping[str, Any]) -> tuple[bool, str]:
    """The applicant's own or other funds cover at least `share` (0–1) of the total project cost."""
    total = f.requested + f.cofinancing
    share = f.cofinancing / total if total else 0.0
    text = (f"co-financing {_money(f.cofinancing, f.currency)} is {share:.1%} of the total "
            f"{_money(total, f.currency)}")
    if share + 1e-9 >= float(p["share"]):
        return True, f"{text} (at least {float(p['share']):.0%} needed)"
    return False, f"{text}; at least {float(p['share']):.0%} is needed"


@rule("budget_max", amount=((int, float), True))
def budget_max(f: Facts, p: Mapping[str, Any]) -> tuple[bool, str]:
    """The requested amount is at most `amount` (in the call's currency)."""
    limit = float(p["amount"])
    if f.requested <= limit:
        return True, f"requested {_money(f.requested, f.currency)} is within {_money(limit, f.currency)}"
    return False, f"requested {_money(f.requested, f.currency)} exceeds the maximum {_money(limit, f.currency)}"
