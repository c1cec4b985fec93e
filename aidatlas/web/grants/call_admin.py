"""Officers manage programmes and calls in the browser: create a programme, create a call (a draft), edit it
while it is a draft, open it, close it, extend its deadline. Eligibility rules are chosen from the rules the
library knows (a box per rule, an input per parameter) and the rubric is a table of criteria: no JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import FormData

from aidatlas.errors import InputError
from aidatlas.grants.models import Call
from aidatlas.grants.programmes import GRANT_KINDS
from aidatlas.grants.rules import REGISTRY
from aidatlas.web import urls
from aidatlas.web.grants.common import actor, form_of, grants, number, redirect, text
from aidatlas.web.grants.text import rule_text
from aidatlas.web.i18n import gettext

router = APIRouter()
RUBRIC_ROWS = 6
LOCAL = "%Y-%m-%dT%H:%M"


def rule_choices() -> list[dict[str, Any]]:
    """Every rule the library knows, with its parameters and their kinds (list | bool | number)."""
    out = []
    for name, spec in sorted(REGISTRY.items()):
        params = []
        for key, (kind, required) in spec.params.items():
            shape = "list" if kind is list else "bool" if kind is bool else "number"
            params.append({"name": key, "shape": shape, "required": required})
        out.append({"name": name, "params": params, "text": rule_text({"rule": name}).split(" (")[0]})
    return out


def _words(value: str) -> list[str]:
    return [w.strip() for w in value.replace(";", ",").split(",") if w.strip()]


def _moment(form: FormData, key: str, errors: dict[str, str]) -> datetime | None:
    raw = text(form, key, 20)
    try:
        return datetime.strptime(raw, LOCAL)
    except ValueError:
        errors[key] = gettext("a date and time such as 2027-01-22T14:00 (in the call's time zone)")
        return None


def _rules(form: FormData, errors: dict[str, str]) -> list[dict[str, Any]]:
    chosen = []
    for choice in rule_choices():
        name = choice["name"]
        if text(form, f"rule.{name}", 5) != "on":
            continue
        item: dict[str, Any] = {"rule": name}
        for p in choice["params"]:
            key = f"rule.{name}.{p['name']}"
            raw = text(form, key, 1000)
            if p["shape"] == "bool":
                if raw == "on":
                    item[p["name"]] = True
            elif p["shape"] == "list":
                words = _words(raw)
                if words:
                    item[p["name"]] = [int(w) if w.isdigit() else w for w in words] \
                        if p["name"] == "courses" else [w.upper() for w in words] if p["name"] == "countries" \
                        else words
            elif raw:
                value = number(raw)
                if value is None:
                    errors[key] = gettext("a number")
                else:
                    item[p["name"]] = value
            if p["required"] and p["name"] not in item and key not in errors:
                errors[key] = gettext("needed when this rule is chosen")
        chosen.append(item)
    return chosen


def _rubric(form: FormData, errors: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for i in range(RUBRIC_ROWS):
        criterion = text(form, f"rubric.{i}.criterion", 60)
        if not criterion:
            continue
        weight, top = number(text(form, f"rubric.{i}.weight", 20)), number(text(form, f"rubric.{i}.max", 20) or "10")
        if weight is None or top is None:
            errors[f"rubric.{i}.weight"] = gettext("weight and scale are numbers")
            continue
        rows.append({"criterion": criterion, "label": text(form, f"rubric.{i}.label", 200), "weight": weight,
                     "max": top})
    return rows


def call_fields(form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """The posted call form as `create_call`/`update_call` keyword arguments, and each field's problem."""
    errors: dict[str, str] = {}
    opens, closes = _moment(form, "opens_at", errors), _moment(form, "closes_at", errors)
    ceiling, total = number(text(form, "ceiling_per_grant", 40)), number(text(form, "total_budget", 40))
    if ceiling is None:
        errors["ceiling_per_grant"] = gettext("an amount such as 15000")
    if total is None:
        errors["total_budget"] = gettext("an amount such as 60000")
    kind = text(form, "kind", 20) or None
    fields = {"opens_at": opens, "closes_at": closes, "time_zone": text(form, "time_zone", 60) or "UTC",
              "ceiling_per_grant": ceiling, "total_budget": total, "rules": _rules(form, errors),
              "rubric": _rubric(form, errors), "countries": [c.upper() for c in _words(text(form, "countries", 300))],
              "activity_types": _words(text(form, "activity_types", 1000)), "description": text(form, "description"),
              "kind": kind, "currency": text(form, "currency", 3).upper() or None}
    return fields, errors


def form_values(call: Call) -> dict[str, str]:
    """A call as the form shows it."""
    v = {"title": call.title, "description": call.description, "time_zone": call.time_zone,
         "opens_at": call.local(call.opens_at).strftime(LOCAL), "closes_at": call.local(call.closes_at).strftime(LOCAL),
         "currency": call.currency, "ceiling_per_grant": f"{call.ceiling_per_grant:g}",
         "total_budget": f"{call.total_budget:g}", "countries": ", ".join(call.countries),
         "activity_types": ", ".join(call.activity_types), "kind": call.kind or "",
         "programme_id": str(call.programme_id)}
    for i, c in enumerate(call.rubric):
        v |= {f"rubric.{i}.criterion": c.criterion, f"rubric.{i}.label": c.label, f"rubric.{i}.weight": f"{c.weight:g}",
              f"rubric.{i}.max": f"{c.max:g}"}
    for r in call.rules:
        v[f"rule.{r['rule']}"] = "on"
        for key, value in r.items():
            if key != "rule":
                v[f"rule.{r['rule']}.{key}"] = "on" if value is True else ", ".join(map(str, value)) \
                    if isinstance(value, list) else f"{value:g}" if isinstance(value, int | float) else str(value)
    return v


def _page(request: Request, call: Call | None, v: dict[str, str], errors: dict[str, str], status: int = 200,
          error: str | None = None) -> Response:
    from aidatlas.web.common import render

    return render(request, "grants/call_form.html", {
        "call": call, "v": v, "errors": errors, "error": error, "programmes": grants(request).list_programmes(),
        "rules": rule_choices(), "rubric_rows": RUBRIC_ROWS, "kinds": GRANT_KINDS}, status)


@router.get("/calls/new", include_in_schema=False)
def new_call_page(request: Request) -> Response:
    return _page(request, None, {"time_zone": "Europe/Sarajevo"}, {})


def _posted(form: FormData) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}


@router.post("/calls/new", include_in_schema=False)
async def create_call(request: Request) -> Response:
    form = await form_of(request)
    fields, errors = call_fields(form)
    programme = text(form, "programme_id", 12)
    if not programme.isdigit():
        errors["programme_id"] = gettext("choose the programme")
    if errors:
        return _page(request, None, _posted(form), errors, 422)
    try:
        call = await run_in_threadpool(lambda: grants(request).create_call(
            actor(request), int(programme), text(form, "title", 300), **fields))
    except InputError as exc:
        return _page(request, None, _posted(form), {}, 422, f"{exc.source}: {exc.problem}")
    return redirect(request, urls.call(call.id) + "?saved=1")


@router.get("/calls/{call_id}/edit", include_in_schema=False)
def edit_call_page(request: Request, call_id: int) -> Response:
    call = grants(request).get_call(call_id)
    return _page(request, call, form_values(call), {})


@router.post("/calls/{call_id}/edit", include_in_schema=False)
async def edit_call(request: Request, call_id: int) -> Response:
    form = await form_of(request)
    g = grants(request)
    call = await run_in_threadpool(g.get_call, call_id)
    fields, errors = call_fields(form)
    if errors:
        return _page(request, call, _posted(form), errors, 422)
    try:
        await run_in_threadpool(lambda: g.update_call(actor(request), call_id, text(form, "title", 300), **fields))
    except InputError as exc:
        return _page(request, call, _posted(form), {}, 422, f"{exc.source}: {exc.problem}")
    return redirect(request, urls.call(call_id) + "?saved=1")


@router.post("/calls/{call_id}/status", include_in_schema=False)
async def call_status(request: Request, call_id: int) -> Response:
    form = await form_of(request)
    g = grants(request)
    action = text(form, "action", 10)
    if action not in ("open", "close"):
        raise InputError("action", "open or close")
    method = g.open_call if action == "open" else g.close_call
    await run_in_threadpool(method, actor(request), call_id)
    return redirect(request, urls.call(call_id))


@router.post("/calls/{call_id}/extend", include_in_schema=False)
async def extend_call(request: Request, call_id: int) -> Response:
    form = await form_of(request)
    errors: dict[str, str] = {}
    moment = _moment(form, "closes_at", errors)
    if moment is None:
        raise InputError("closes_at", errors["closes_at"])
    await run_in_threadpool(grants(request).extend_call, actor(request), call_id, moment)
    return redirect(request, urls.call(call_id) + "?extended=1")


@router.post("/programmes", include_in_schema=False)
async def create_programme(request: Request) -> Response:
    form = await form_of(request)
    try:
        await run_in_threadpool(lambda: grants(request).create_programme(
            actor(request), text(form, "name", 300), text(form, "funder", 300), text(form, "currency", 3).upper(),
            text(form, "description"), text(form, "kind", 20) or "project", text(form, "funder_ref", 80) or None))
    except InputError as exc:
        return _page(request, None, {"time_zone": "Europe/Sarajevo"}, {}, 422, f"{exc.source}: {exc.problem}")
    return redirect(request, urls.new_call())


# ------------------------------------------------------------------ the call's own questions (form builder)
QUESTION_ROWS = 10


def _questions_page(request: Request, call_id: int, v: dict[str, str] | None = None, error: str | None = None,
                    status: int = 200) -> Response:
    from aidatlas.grants.questions import FIELD_TYPES
    from aidatlas.web.common import render

    g = grants(request)
    version, questions = g.call_form(call_id)
    if v is None:
        v = {}
        for i, q in enumerate(questions):
            v |= {f"q.{i}.key": q["key"], f"q.{i}.label": q["label"], f"q.{i}.type": q["type"],
                  f"q.{i}.required": "on" if q["required"] else "", f"q.{i}.choices": ", ".join(q["choices"])}
    return render(request, "grants/call_questions.html", {
        "call": g.get_call(call_id), "version": version, "v": v, "error": error, "rows": QUESTION_ROWS,
        "types": FIELD_TYPES}, status)


@router.get("/calls/{call_id}/questions", include_in_schema=False)
def questions_page(request: Request, call_id: int) -> Response:
    return _questions_page(request, call_id)


@router.post("/calls/{call_id}/questions", include_in_schema=False)
async def set_questions(request: Request, call_id: int) -> Response:
    """A new version of the questions (applications keep the version they answered)."""
    form = await form_of(request)
    items = [{"key": text(form, f"q.{i}.key", 40), "label": text(form, f"q.{i}.label", 300),
              "type": text(form, f"q.{i}.type", 20), "required": text(form, f"q.{i}.required", 5) == "on",
              "choices": _words(text(form, f"q.{i}.choices", 1000))}
             for i in range(QUESTION_ROWS) if text(form, f"q.{i}.label", 300) or text(form, f"q.{i}.key", 40)]
    try:
        await run_in_threadpool(grants(request).set_questions, actor(request), call_id, items)
    except InputError as exc:
        return _questions_page(request, call_id, _posted(form), f"{exc.source}: {exc.problem}", 422)
    return redirect(request, urls.call_action(call_id, "questions") + "?saved=1")
