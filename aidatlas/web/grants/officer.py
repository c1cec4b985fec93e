"""Programme officers on one application: the eligibility check (each rule with its reason; mark eligible or
ineligible), the review panel (assign reviewers, see scores), the decision with the awarded amount, completing
a grant; and across the programme: overdue reports and the audit log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from aidatlas.errors import ConflictError, InputError
from aidatlas.web import schemas, urls
from aidatlas.web.common import render
from aidatlas.web.grants import schemas as grant_schemas
from aidatlas.web.grants.common import actor, form_of, grants, jsonable, number, redirect, text, when
from aidatlas.web.paging import Page, paged, pages

router = APIRouter()


def _eligibility_page(request: Request, application_id: int, error: str | None = None, status: int = 200
                      ) -> Response:
    g = grants(request)
    application = g.get_application(actor(request), application_id)
    call = g.get_call(application.call_id)
    return render(request, "grants/eligibility.html", {"application": application, "call": call, "error": error,
                                                       "when": when, "alumni": g.named_alumni(actor(request),
                                                                                              application_id)}, status)


@router.get("/applications/{application_id}/eligibility", include_in_schema=False)
def eligibility_page(request: Request, application_id: int) -> Response:
    return _eligibility_page(request, application_id)


@router.post("/applications/{application_id}/eligibility", include_in_schema=False)
async def eligibility(request: Request, application_id: int) -> Response:
    form = await form_of(request)
    g = grants(request)
    action = text(form, "action", 20)
    if action == "check":
        await run_in_threadpool(g.check_eligibility, actor(request), application_id)
    elif action == "confirm_alumni":
        await run_in_threadpool(g.confirm_alumni, actor(request), application_id)
    elif action in ("eligible", "ineligible"):
        reason = text(form, "reason", 2000)
        if action == "ineligible" and not reason:
            return _eligibility_page(request, application_id, "Say why the application is not eligible.", 422)
        await run_in_threadpool(g.mark_eligibility, actor(request), application_id, action == "eligible", reason)
    else:
        return _eligibility_page(request, application_id, "Choose: run the check, eligible or ineligible.", 422)
    return redirect(request, urls.application(application_id, "eligibility"))


def _panel(request: Request, application_id: int) -> dict[str, Any]:
    g = grants(request)
    user = actor(request)
    application = g.get_application(user, application_id)
    assignments = g.assignments(user, application_id)
    reviewers = g.candidate_reviewers(user, application_id) if application.status in ("submitted", "eligible") \
        else []
    return {"application": application, "call": g.get_call(application.call_id), "assignments": assignments,
            "budget": g.call_budget(user, application.call_id),
            "scores": g.scores(user, application_id), "reviewers": reviewers,
            "award": g.award_of(user, application_id) if application.status in ("awarded", "completed") else None,
            "when": when}


@router.get("/applications/{application_id}/reviewers", include_in_schema=False)
def panel_page(request: Request, application_id: int) -> Response:
    return render(request, "grants/panel.html", {**_panel(request, application_id), "error": None})


def _panel_error(request: Request, application_id: int, message: str, status: int) -> Response:
    return render(request, "grants/panel.html", {**_panel(request, application_id), "error": message}, status)


@router.post("/applications/{application_id}/reviewers", include_in_schema=False)
async def assign(request: Request, application_id: int) -> Response:
    form = await form_of(request)
    ids = [int(v) for v in form.getlist("reviewer_id") if isinstance(v, str) and v.isdigit()]
    if not ids:
        return _panel_error(request, application_id, "Choose at least one reviewer.", 422)
    for reviewer_id in ids:
        try:
            await run_in_threadpool(grants(request).assign_reviewer, actor(request), application_id, reviewer_id)
        except (ConflictError, InputError) as exc:
            return _panel_error(request, application_id, str(exc) if isinstance(exc, ConflictError) else exc.problem,
                                409 if isinstance(exc, ConflictError) else 422)
    return redirect(request, urls.application(application_id, "reviewers"))


@router.post("/applications/{application_id}/decision", include_in_schema=False)
async def decide(request: Request, application_id: int) -> Response:
    form = await form_of(request)
    decision = text(form, "decision", 10)
    reason = text(form, "reason", 2000)
    if decision not in ("award", "reject"):
        return _panel_error(request, application_id, "Choose: award or reject.", 422)
    amount = number(text(form, "amount", 40)) if decision == "award" else None
    if decision == "award" and amount is None:
        return _panel_error(request, application_id, "Give the awarded amount (e.g. 12500).", 422)
    try:
        await run_in_threadpool(grants(request).decide, actor(request), application_id, decision == "award",
                                amount, reason)
    except InputError as exc:
        return _panel_error(request, application_id, exc.problem, 422)
    return redirect(request, urls.application(application_id, "reviewers"))


@router.post("/applications/{application_id}/complete", include_in_schema=False)
async def complete(request: Request, application_id: int) -> Response:
    await form_of(request)
    g = grants(request)
    award = await run_in_threadpool(g.award_of, actor(request), application_id)
    if award is None:
        raise ConflictError(f"application {application_id} has no grant to complete")
    await run_in_threadpool(g.complete_grant, actor(request), award.id)
    return redirect(request, urls.application(application_id))


@router.post("/applications/{application_id}/brochure", include_in_schema=False)
async def brochure_choice(request: Request, application_id: int) -> Response:
    """Put a completed grant in the public brochure (story and photo) or take it out: completion alone
    publishes nothing."""
    form = await form_of(request)
    g = grants(request)
    award = await run_in_threadpool(g.award_of, actor(request), application_id)
    if award is None:
        raise ConflictError(f"application {application_id} has no grant")
    if text(form, "action", 10) == "remove":
        await run_in_threadpool(g.remove_from_brochure, actor(request), award.id)
    else:
        photo = text(form, "photo_id", 12)
        await run_in_threadpool(g.choose_for_brochure, actor(request), award.id, text(form, "story", 2000),
                                int(photo) if photo.isdigit() else None)
    return redirect(request, urls.application(application_id))


# ------------------------------------------------------------------ across the programme
@router.get("/grants/overdue", include_in_schema=False)
def overdue_page(request: Request) -> Response:
    rows = grants(request).overdue_reports(actor(request))
    return render(request, "grants/overdue.html", {"rows": rows, "json_url": urls.api_overdue()})


@router.get("/api/grants/overdue", tags=["grants"], summary="Reports past their due date (officers)",
            responses=schemas.answers(grant_schemas.OverduePage))
def overdue_api(request: Request, page: Page = Depends(pages())) -> Response:
    found = grants(request).overdue_reports(actor(request))
    return JSONResponse(paged("reports", jsonable(page.of(found)), len(found), page,
                              lambda n: urls.page_of(urls.api_overdue(), n, page.per_page)))


def _audit(request: Request, entity: str | None, entity_id: str | None, limit: int, before: int | None) -> list[Any]:
    return grants(request).audit_entries(actor(request), entity or None, entity_id or None, limit, before)


@router.get("/audit", include_in_schema=False)
def audit_page(request: Request, entity: str = Query("", max_length=40), entity_id: str = Query("", max_length=80),
               limit: int = Query(200, ge=1, le=2000), before: int | None = Query(None, ge=1)) -> Response:
    """Newest first, `limit` a page; "Older entries" pages on with `before` (the last shown entry's id)."""
    entries = _audit(request, entity, entity_id, limit, before)
    older = urls.audit(entity or None, entity_id or None, entries[-1].id) if len(entries) == limit else None
    return render(request, "grants/audit.html", {"entries": entries, "entity": entity, "entity_id": entity_id,
                                                 "when": when, "json_url": urls.api_audit(), "older": older})


@router.get("/api/audit", tags=["grants"], summary="The append-only audit log, newest first (officers)",
            responses=schemas.answers(list[grant_schemas.AuditEntry]))
def audit_api(request: Request, entity: str = Query("", max_length=40), entity_id: str = Query("", max_length=80),
              limit: int = Query(200, ge=1, le=2000), before: int | None = Query(None, ge=1)) -> Response:
    return JSONResponse(jsonable(_audit(request, entity, entity_id, limit, before)))


