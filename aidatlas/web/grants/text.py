"""Plain words for the data the grants library declares: eligibility rules, steps, statuses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aidatlas.grants.rules import REGISTRY
from aidatlas.web.formats import country_name, fmt_number, fmt_percent
from aidatlas.web.i18n import current, gettext


def _humanize(name: str) -> str:
    return name.replace("_", " ").replace("-", " ").capitalize()


def _list_words(value: Any) -> str:
    items = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    if len(items) > 1:
        return gettext("%(items)s or %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
    return items[0] if items else "—"


def _plain(name: str, p: Mapping[str, Any]) -> str | None:
    """Applicant-facing wording of the rules the library knows, in the reader's language (None: use the
    library's description)."""
    if name == "applicant_is_organisation":
        return gettext("The applicant must be an organisation; individuals cannot apply.")
    if name == "ex_participant_member":
        courses = p.get("courses")
        if courses:
            return gettext("At least one ex-participant of the course %(courses)s must belong to the applicant "
                           "organisation (work there or be a member of the applicant alumni association).") % {
                "courses": _list_words(courses)}
        return gettext("At least one ex-participant of one of the programme's training courses must belong to the "
                       "applicant organisation (work there or be a member of the applicant alumni association).")
    if name == "cohort_completed":
        if p.get("whole_course"):
            return gettext("The ex-participant's whole course must have ended.")
        return gettext("The ex-participant's own yearly cohort must have finished its training: for a course of "
                       "several years, participants of year one or two qualify before the course as a whole ends.")
    if name == "alumni_association_ok":
        if p.get("multi_country"):
            return gettext("Alumni associations (national or cross-country) may apply. Activities in several "
                           "countries are allowed within the association's member countries.")
        return gettext("Alumni associations (national or cross-country) may apply. Activities take place in one "
                       "country.")
    if name == "country_in":
        return gettext("The applicant must be based in %(countries)s.") % {
            "countries": _list_words([country_name(str(c)) for c in p.get("countries", [])])}
    if name == "activity_type_in":
        return gettext("Every activity must be one of: %(types)s.") % {
            "types": ", ".join(str(t) for t in p.get("types", []))}
    if name == "registered_cso":
        return gettext("The applicant must be a civil-society organisation registered in its country (give the "
                       "number).")
    if name == "thematic_area_in":
        return gettext("The project's thematic area must be one of: %(areas)s.") % {
            "areas": ", ".join(str(a) for a in p.get("areas", []))}
    if name == "cofinancing_min":
        return gettext("Co-financing (own or other funds) must cover at least %(share)s of the total project "
                       "cost.") % {"share": _share(float(p.get("share", 0)))}
    if name == "budget_max":
        return gettext("The requested amount must not exceed %(amount)s (the call's currency).") % {
            "amount": fmt_number(float(p.get("amount", 0)))}
    return None


def _share(share: float) -> str:
    """20% in English (as the rules always read), the locale's percent form otherwise."""
    return f"{share:.0%}" if current().locale == "en" else fmt_percent(share, 0)


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
