"""The application form, step by step: each validator returns the cleaned data and each field's problem.

    applicant  kind (organisation|individual), organisation_id (registry) or name/country/org_type/registered/
               registration_number; implementing_organisation; partners [{name, country}]
    course     course_id, cohort, alumni [alumnus ids]          (all optional: calls without alumni rules)
    project    title, background, objectives [text], activities [{type, description}], thematic_area,
               places [{name, country}], target_groups [{text, count}]
    budget     currency, lines [{item, amount}], cofinancing, start, end (YYYY-MM-DD)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from aidatlas.grants.models import Call

Errors = dict[str, str]
ORG_TYPES = ("cso", "government", "public-institution", "alumni-association", "company", "other")


def _text(data: Mapping[str, Any], key: str, errors: Errors, required: bool = True, limit: int = 5000) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[key] = "required"
        return None
    if not isinstance(value, str):
        errors[key] = "must be text"
        return None
    if len(value) > limit:
        errors[key] = f"at most {limit} characters"
    return value.strip()


def _int(value: Any, key: str, errors: Errors, minimum: int = 0) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[key] = "must be a whole number"
        return None
    if number < minimum:
        errors[key] = f"must be at least {minimum}"
    return number


def _amount(value: Any, key: str, errors: Errors) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[key] = "must be an amount such as 1250.50"
        return None
    if number < 0 or number != number:
        errors[key] = "must not be negative"
    return number


def _country(value: Any, key: str, errors: Errors, required: bool = False) -> str | None:
    if not value:
        if required:
            errors[key] = "required"
        return None
    if not isinstance(value, str) or len(value) != 2 or not value.isalpha() or not value.isupper():
        errors[key] = "an ISO country code such as BA, RS or XK"
        return None
    return value


def _list(data: Mapping[str, Any], key: str, errors: Errors, minimum: int = 0) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        errors[key] = "must be a list"
        return []
    if len(value) < minimum:
        errors[key] = f"give at least {minimum}"
    return value


def applicant(data: Mapping[str, Any], call: Call) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    kind = data.get("kind", "organisation")
    if kind not in ("organisation", "individual"):
        errors["kind"] = "organisation or individual"
    out: dict[str, Any] = {"kind": kind}
    out["organisation_id"] = _int(data.get("organisation_id"), "organisation_id", errors, 1)
    if out["organisation_id"] is None:
        out["name"] = _text(data, "name", errors, limit=300)
        out["country"] = _country(data.get("country"), "country", errors, required=True)
        org_type = data.get("org_type") or ("other" if kind == "organisation" else None)
        if org_type is not None and org_type not in ORG_TYPES:
            errors["org_type"] = f"one of {', '.join(ORG_TYPES)}"
        out["org_type"] = org_type
        out["registered"] = bool(data.get("registered", False))
        out["registration_number"] = _text(data, "registration_number", errors, required=False, limit=80)
    out["implementing_organisation"] = _text(data, "implementing_organisation", errors, required=False, limit=300)
    partners = []
    for i, p in enumerate(_list(data, "partners", errors)):
        if not isinstance(p, Mapping):
            errors[f"partners.{i}"] = "a partner is {name, country}"
            continue
        sub: Errors = {}
        name = _text(p, "name", sub, limit=300)
        errors.update({f"partners.{i}.{k}": v for k, v in sub.items()})
        partners.append({"name": name, "country": _country(p.get("country"), f"partners.{i}.country", errors)})
    out["partners"] = partners
    return out, errors


def course(data: Mapping[str, Any], call: Call) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    out = {"course_id": _int(data.get("course_id"), "course_id", errors, 1),
           "cohort": _int(data.get("cohort"), "cohort", errors, 1),
           "alumni": [_int(a, f"alumni.{i}", errors, 1) for i, a in enumerate(_list(data, "alumni", errors))]}
    return out, errors


def project(data: Mapping[str, Any], call: Call) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    out: dict[str, Any] = {"title": _text(data, "title", errors, limit=300),
                           "background": _text(data, "background", errors),
                           "thematic_area": _text(data, "thematic_area", errors, required=False, limit=200)}
    objectives = _list(data, "objectives", errors, 1)
    out["objectives"] = [o.strip() for o in objectives if isinstance(o, str) and o.strip()]
    if objectives and len(out["objectives"]) != len(objectives):
        errors["objectives"] = "each objective is a non-empty text"
    activities = []
    for i, a in enumerate(_list(data, "activities", errors, 1)):
        if not isinstance(a, Mapping):
            errors[f"activities.{i}"] = "an activity is {type, description}"
            continue
        kind = a.get("type")
        if call.activity_types and kind not in call.activity_types:
            errors[f"activities.{i}.type"] = f"one of {', '.join(call.activity_types)}"
        sub: Errors = {}
        activities.append({"type": kind, "description": _text(a, "description", sub, limit=2000)})
        errors.update({f"activities.{i}.{k}": v for k, v in sub.items()})
    out["activities"] = activities
    places = []
    for i, p in enumerate(_list(data, "places", errors)):
        if not isinstance(p, Mapping) or not p.get("name"):
            errors[f"places.{i}"] = "a place is {name, country}"
            continue
        places.append({"name": str(p["name"]), "country": _country(p.get("country"), f"places.{i}.country",
                                                                    errors, required=True)})
    out["places"] = places
    groups = []
    for i, g in enumerate(_list(data, "target_groups", errors)):
        if not isinstance(g, Mapping) or not g.get("text"):
            errors[f"target_groups.{i}"] = "a target group is {text, count}"
            continue
        groups.append({"text": str(g["text"]), "count": _int(g.get("count"), f"target_groups.{i}.count", errors)})
    out["target_groups"] = groups
    return out, errors


def budget(data: Mapping[str, Any], call: Call) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    currency = data.get("currency") or call.currency
    if currency != call.currency:
        errors["currency"] = f"this call is in {call.currency}"
    lines = []
    for i, line in enumerate(_list(data, "lines", errors, 1)):
        if not isinstance(line, Mapping):
            errors[f"lines.{i}"] = "a budget line is {item, amount}"
            continue
        sub: Errors = {}
        item = _text(line, "item", sub, limit=300)
        errors.update({f"lines.{i}.{k}": v for k, v in sub.items()})
        lines.append({"item": item, "amount": _amount(line.get("amount"), f"lines.{i}.amount", errors)})
    total = sum(float(line["amount"] or 0) for line in lines)
    if total > call.ceiling_per_grant:
        errors["lines"] = (f"the lines add up to {total:,.2f} {call.currency}, above the call's ceiling of "
                           f"{call.ceiling_per_grant:,.2f} {call.currency}")
    cofinancing = _amount(data.get("cofinancing", 0) or 0, "cofinancing", errors)
    dates = {}
    for key in ("start", "end"):
        try:
            dates[key] = date.fromisoformat(str(data.get(key)))
        except ValueError:
            errors[key] = "a date as YYYY-MM-DD"
    if len(dates) == 2 and dates["end"] < dates["start"]:
        errors["end"] = "the end comes before the start"
    return {"currency": currency, "lines": lines, "total": round(total, 2), "cofinancing": cofinancing,
            "start": data.get("start"), "end": data.get("end")}, errors


VALIDATORS: dict[str, Callable[[Mapping[str, Any], Call], tuple[dict[str, Any], Errors]]] = {
    "applicant": applicant, "course": course, "project": project, "budget": budget}
REQUIRED_STEPS = ("applicant", "project", "budget")
