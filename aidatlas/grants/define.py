"""Programmes and calls declared in a JSON file (`aidatlas grants define FILE`): eligibility rules, rubric,
window and ceilings as data, the way an officer writes a call, not code.

Every programme and call in the file is checked first (required fields, dates, time zone, currency, rules
and their parameters, rubric); an error names the file and the item (`programmes[0].calls[1]`) and nothing
is created. The file's shape is documented in docs/grants.md; `docs/examples/calls.json` is one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aidatlas.auth import User
from aidatlas.errors import InputError
from aidatlas.grants import rules
from aidatlas.grants.models import Call, Programme
from aidatlas.grants.programmes import GRANT_KINDS, _rubric
from aidatlas.grants.service import Grants

PROGRAMME_FIELDS = {"name", "funder", "currency", "description", "kind", "funder_ref", "calls"}
CALL_FIELDS = {"title", "opens_at", "closes_at", "time_zone", "ceiling_per_grant", "total_budget", "rules",
               "rubric", "countries", "activity_types", "description", "kind", "currency"}


def define_from_json(grants: Grants, actor: User, path: Path, *,
                     open_calls: bool = False) -> list[tuple[Programme, list[Call]]]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"cannot read the definitions: {exc}") from exc
    items = doc.get("programmes") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        raise InputError(str(path), 'expected {"programmes": [{"name": …, "calls": [{…}]}]}')
    plans = [_programme(str(path), i, item) for i, item in enumerate(items)]   # all checked before any write
    out: list[tuple[Programme, list[Call]]] = []
    for programme_args, calls in plans:
        programme = grants.create_programme(actor, **programme_args)
        made = []
        for call_args in calls:
            call = grants.create_call(actor, programme.id, **call_args)
            made.append(grants.open_call(actor, call.id) if open_calls else call)
        out.append((programme, made))
    return out


def _programme(path: str, i: int, item: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    where = f"{path}: programmes[{i}]"
    if not isinstance(item, Mapping):
        raise InputError(where, "expected an object")
    _known_fields(where, item, PROGRAMME_FIELDS)
    for key in ("name", "funder", "currency"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise InputError(where, f"{key!r} is required (text)")
    kind = item.get("kind", "follow-up")
    if kind not in GRANT_KINDS:
        raise InputError(where, f"kind {kind!r}: use one of {', '.join(GRANT_KINDS)}")
    args = {"name": item["name"], "funder": item["funder"], "currency": item["currency"],
            "description": item.get("description", ""), "kind": kind, "funder_ref": item.get("funder_ref")}
    calls = item.get("calls", [])
    if not isinstance(calls, list):
        raise InputError(where, "'calls' must be a list")
    return args, [_call(f"{where}.calls[{j}]", call) for j, call in enumerate(calls)]


def _call(where: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise InputError(where, "expected an object")
    _known_fields(where, item, CALL_FIELDS)
    for key in ("title", "opens_at", "closes_at", "time_zone", "ceiling_per_grant", "total_budget"):
        if key not in item:
            raise InputError(where, f"{key!r} is required")
    try:
        ZoneInfo(item["time_zone"])
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InputError(where, f"time zone {item['time_zone']!r} is not an IANA zone such as Europe/Sarajevo") \
            from None
    moments = {}
    for key in ("opens_at", "closes_at"):
        try:
            moments[key] = datetime.fromisoformat(str(item[key]))
        except ValueError:
            raise InputError(where, f"{key} {item[key]!r} is not a date and time such as 2027-03-31T16:00") \
                from None
    for key in ("ceiling_per_grant", "total_budget"):
        if not isinstance(item[key], int | float) or isinstance(item[key], bool):
            raise InputError(where, f"{key} must be a number")
    if not isinstance(item.get("rules", []), list) or not all(isinstance(r, Mapping) for r in item.get("rules", [])):
        raise InputError(where, 'rules must be a list of objects such as {"rule": "country_in", "countries": [...]}')
    chosen = [dict(r) for r in item.get("rules", [])]
    try:
        rules.validate(chosen)
        _rubric(item.get("rubric", []))
    except InputError as exc:
        raise InputError(where, f"{exc.source}: {exc.problem}") from None
    return {"title": str(item["title"]), **moments, "time_zone": item["time_zone"],
            "ceiling_per_grant": float(item["ceiling_per_grant"]), "total_budget": float(item["total_budget"]),
            "rules": chosen, "rubric": list(item.get("rubric", [])), "countries": list(item.get("countries", [])),
            "activity_types": list(item.get("activity_types", [])), "description": item.get("description", ""),
            "kind": item.get("kind"), "currency": item.get("currency")}


def _known_fields(where: str, item: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise InputError(where, f"unknown field {unknown[0]!r}; fields are {', '.join(sorted(allowed))}")
