"""Plain words for the data the grants library declares: eligibility rules, steps, statuses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aidatlas.grants.rules import REGISTRY
from aidatlas.reference.names import country_name


def _humanize(name: str) -> str:
    return name.replace("_", " ").replace("-", " ").capitalize()


def _list_words(value: Any) -> str:
    items = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    return ", ".join(items[:-1]) + f" or {items[-1]}" if len(items) > 1 else (items[0] if items else "—")


def _plain(name: str, p: Mapping[str, Any]) -> str | None:
    """Applicant-facing wording of the rules the library knows (None: use the library's description)."""
    if name == "applicant_is_organisation":
        return "The applicant must be an organisation; individuals cannot apply."
    if name == "ex_participant_member":
        courses = p.get("courses")
        which = f"the course {_list_words(courses)}" if courses else "one of the programme's training courses"
        return (f"At least one ex-participant of {which} must belong to the applicant organisation (work there "
                "or be a member of the applicant alumni association).")
    if name == "cohort_completed":
        if p.get("whole_course"):
            return "The ex-participant's whole course must have ended."
        return ("The ex-participant's own yearly cohort must have finished its training: for a course of several "
                "years, participants of year one or two qualify before the course as a whole ends.")
    if name == "alumni_association_ok":
        extra = (" Activities in several countries are allowed within the association's member countries."
                 if p.get("multi_country") else " Activities take place in one country.")
        return "Alumni associations (national or cross-country) may apply." + extra
    if name == "country_in":
        return f"The applicant must be based in {_list_words([country_name(str(c)) for c in p.get('countries', [])])}."
    if name == "activity_type_in":
        return f"Every activity must be one of: {', '.join(str(t) for t in p.get('types', []))}."
    if name == "registered_cso":
        return "The applicant must be a civil-society organisation registered in its country (give the number)."
    if name == "thematic_area_in":
        return f"The project's thematic area must be one of: {', '.join(str(a) for a in p.get('areas', []))}."
    if name == "cofinancing_min":
        return (f"Co-financing (own or other funds) must cover at least {float(p.get('share', 0)):.0%} of the "
                "total project cost.")
    if name == "budget_max":
        return f"The requested amount must not exceed {float(p.get('amount', 0)):,.0f} (the call's currency)."
    return None


def rule_text(rule: Mapping[str, Any]) -> str:
    """One eligibility rule of a call in plain words (the library's description for a rule not known here)."""
    name = str(rule.get("rule", "rule"))
    params = {k: v for k, v in rule.items() if k != "rule"}
    plain = _plain(name, params)
    if plain:
        return plain
    spec = REGISTRY.get(name)
    shown = "; ".join(f"{k.replace('_', ' ')}: {_value(v)}" for k, v in params.items())
    base = " ".join(spec.doc.split()) if spec and spec.doc else _humanize(name) + "."
    return f"{base}{f' ({shown})' if shown else ''}"


def _value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value <= 1:
        return f"{value:.0%}"
    return str(value)
