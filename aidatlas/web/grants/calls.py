"""Programmes and calls: public pages (window, deadline in the call's time zone, ceilings, rules in plain
words), starting an application (applicants), and the officer's views of a call: its applications and the
ranking within the budget. Each page has its JSON twin under /api/."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from aidatlas.errors import NotFound
from aidatlas.grants.models import Call, RankRow
from aidatlas.web import schemas, urls
from aidatlas.web.common import render, user_roles
from aidatlas.web.grants import schemas as grant_schemas
from aidatlas.web.grants.common import actor, form_of, grants, jsonable, redirect, when
from aidatlas.web.grants.text import rule_text
from aidatlas.web.paging import Page, paged, pages

router = APIRouter()


def call_json(call: Call, now: datetime) -> dict[str, Any]:
    out = jsonable(call)
    out["deadline"] = call.deadline_text()
    out["state"] = call.state(now)
    out["rules_text"] = [rule_text(r) for r in call.rules]
    out["links"] = {"html": urls.call(call.id), "apply": urls.apply(call.id)}
    return dict(out)


def _calls(request: Request) -> list[dict[str, Any]]:
    g = grants(request)
    programmes = {p.id: p for p in g.list_programmes()}
    staff = bool(user_roles(request) & {"officer", "admin"})
    out = []
    for p in programmes.values():
        calls = g.list_calls(public_only=not staff, programme_id=p.id)
        out.append({"programme": p, "calls": calls})
    return out


@router.get("/calls", include_in_schema=False)
def calls_page(request: Request) -> Response:
    return render(request, "grants/calls.html", {"programmes": _calls(request), "json_url": urls.api_calls(),
                                                 "when": when, "now": grants(request).ctx.now()})


@router.get("/api/calls", tags=["grants"], summary="Programmes and their public calls",
            responses=schemas.answers(grant_schemas.ProgrammesPage))
def calls_api(request: Request, page: Page = Depends(pages())) -> Response:
    now = grants(request).ctx.now()
    found = _calls(request)
    items = [{"programme": jsonable(p["programme"]), "calls": [call_json(c, now) for c in p["calls"]]}
             for p in page.of(found)]
    return JSONResponse(paged("programmes", items, len(found), page,
                              lambda n: urls.page_of(urls.api_calls(), n, page.per_page)))


def _public_call(request: Request, call_id: int) -> Call:
    call = grants(request).get_call(call_id)
    if call.status == "draft" and not user_roles(request) & {"officer", "admin"}:
        raise NotFound(f"no call {call_id}")
    return call


@router.get("/calls/{call_id}", include_in_schema=False)
def call_page(request: Request, call_id: int) -> Response:
    call = _public_call(request, call_id)
    g = grants(request)
    now = g.ctx.now()
    return render(request, "grants/call.html", {
        "call": call, "programme": g.get_programme(call.programme_id), "rules": [rule_text(r) for r in call.rules],
        "is_open": call.status == "open" and call.opens_at <= now < call.closes_at, "now": now, "when": when,
        "json_url": urls.api_call(call.id)})


@router.get("/api/calls/{call_id}", tags=["grants"], summary="One call: window, ceilings, rules, rubric",
            responses=schemas.answers(grant_schemas.CallDetail))
def call_api(request: Request, call_id: int) -> Response:
    return JSONResponse(call_json(_public_call(request, call_id), grants(request).ctx.now()))


@router.post("/calls/{call_id}/apply", include_in_schema=False)
async def apply(request: Request, call_id: int) -> Response:
    await form_of(request)
    app_id = grants(request).start_application(actor(request), call_id)
    return redirect(request, urls.application_step(app_id, "applicant"))


# ------------------------------------------------------------------ officers: a call's applications, ranking
@router.get("/calls/{call_id}/applications", include_in_schema=False)
def dashboard(request: Request, call_id: int) -> Response:
    g = grants(request)
    call = g.get_call(call_id)
    apps = g.list_applications(actor(request), call_id)
    counts: dict[str, int] = {}
    for a in apps:
        counts[a.status] = counts.get(a.status, 0) + 1
    return render(request, "grants/dashboard.html", {"call": call, "applications": apps, "counts": counts,
                                                     "when": when, "json_url": urls.api_call_applications(call_id)})


@router.get("/api/calls/{call_id}/applications", tags=["grants"], summary="A call's applications (officers)",
            responses=schemas.answers(grant_schemas.ApplicationRowsPage))
def dashboard_api(request: Request, call_id: int, page: Page = Depends(pages())) -> Response:
    found = grants(request).list_applications(actor(request), call_id)
    apps = page.of(found)
    return JSONResponse(paged("applications", [{"id": a.id, "title": a.title, "status": a.status, "version": a.version,
                          "requested_amount": a.requested_amount, "currency": a.currency,
                          "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
                          "links": {"html": urls.application(a.id)}} for a in apps], len(found), page,
                              lambda n: urls.page_of(urls.api_call_applications(call_id), n, page.per_page)))


def cut_off(rows: list[RankRow]) -> int | None:
    """The index of the first row that no longer fits the budget (the line is drawn above it)."""
    return next((i for i, r in enumerate(rows) if not r.fits_budget), None)


@router.get("/calls/{call_id}/ranking", include_in_schema=False)
def ranking_page(request: Request, call_id: int) -> Response:
    g = grants(request)
    call = g.get_call(call_id)
    rows = g.ranking(actor(request), call_id)
    return render(request, "grants/ranking.html", {"call": call, "rows": rows, "cut": cut_off(rows),
                                                   "budget": g.call_budget(actor(request), call_id),
                                                   "json_url": urls.api_ranking(call_id)})


@router.get("/api/calls/{call_id}/ranking", tags=["grants"], summary="Ranking by weighted score within budget",
            responses=schemas.answers(grant_schemas.Ranking))
def ranking_api(request: Request, call_id: int) -> Response:
    g = grants(request)
    call = g.get_call(call_id)
    rows = g.ranking(actor(request), call_id)
    budget = g.call_budget(actor(request), call_id)
    return JSONResponse({"call": call.id, "total_budget": call.total_budget, "currency": call.currency,
                         "awarded": budget.awarded, "remaining": budget.remaining,
                         "cut_off": cut_off(rows), "rows": [dict(vars(r)) for r in rows]})  # flat values: fast
