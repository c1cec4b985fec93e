"""Applicants: their applications, the multi-step form (a draft saved at every page, field errors beside their
fields, back and forward), attachments, submission (frozen afterwards: a read-only view with its version),
and the read-only view that officers and assigned reviewers see too."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile

from aidatlas.errors import ConflictError, InputError, NotFound
from aidatlas.grants.models import Application
from aidatlas.web import schemas, urls
from aidatlas.web.auth import require_csrf
from aidatlas.web.common import render, user_roles, web
from aidatlas.web.grants import schemas as grant_schemas
from aidatlas.web.grants.common import actor, form_of, grants, jsonable, names, redirect, text, when
from aidatlas.web.grants.form import (
    BY_SLUG,
    ORG_TYPE_CHOICES,
    PAGES,
    Page,
    neighbours,
    parse,
    place_errors,
    row_count,
    values,
)
from aidatlas.web.i18n import gettext
from aidatlas.web.paging import Page as ListPage
from aidatlas.web.paging import paged, pages

router = APIRouter()
ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt"


def _row(a: Application) -> dict[str, Any]:
    return {"id": a.id, "call_id": a.call_id, "title": a.title, "status": a.status, "version": a.version,
            "requested_amount": a.requested_amount, "currency": a.currency,
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
            "links": {"html": urls.application(a.id), "json": urls.api_application(a.id)}}


@router.get("/my/applications", include_in_schema=False)
def my_applications(request: Request) -> Response:
    g = grants(request)
    apps = g.list_my_applications(actor(request))
    calls = {c.id: c for c in g.list_calls(public_only=True)}
    open_calls = [c for c in calls.values() if c.status == "open" and c.opens_at <= g.ctx.now() < c.closes_at]
    return render(request, "grants/my_applications.html", {"applications": apps, "calls": calls,
                                                           "open_calls": open_calls, "when": when,
                                                           "json_url": urls.api_my_applications()})


@router.get("/api/my/applications", tags=["grants"], summary="The signed-in applicant's applications",
            responses=schemas.answers(grant_schemas.MyApplicationsPage))
def my_applications_api(request: Request, page: ListPage = Depends(pages())) -> Response:
    found = grants(request).list_my_applications(actor(request))
    return JSONResponse(paged("applications", [_row(a) for a in page.of(found)], len(found), page,
                              lambda n: urls.page_of(urls.api_my_applications(), n, page.per_page)))


def _owned_draft(request: Request, application_id: int) -> Application:
    application = grants(request).get_application(actor(request), application_id)
    if application.owner_user_id != actor(request).id:  # the access table lets only owners here; and again
        raise NotFound(f"no application {application_id}")
    return application


def _step_page(request: Request, application: Application, page: Page, errors: dict[str, str] | None = None,
               submitted: dict[str, str] | None = None, notice: str | None = None, status: int = 200) -> Response:
    if application.status != "draft":
        return redirect(request, urls.application(application.id))
    g = grants(request)
    call = g.get_call(application.call_id)
    shown = values(page, application, submitted)
    previous, following = neighbours(page.slug)
    context: dict[str, Any] = {
        "application": application, "call": call, "page": page, "pages": PAGES, "v": shown, "errors": errors or {},
        "rows": row_count(page, shown), "previous": previous, "next": following, "notice": notice,
        "org_types": [(t, t) for t in ORG_TYPE_CHOICES], "activity_types": [(t, t) for t in call.activity_types],
        "when": when, "names": names(g, application.data, application.call_id), "found": None,
        "checks": g.preview_eligibility(actor(request), application.id) if application.data else []}
    if page.slug == "applicant":
        mine = {m.organisation_id for m in g.my_memberships(actor(request)) if m.status == "confirmed"}
        context["organisations"] = [o for o in g.list_organisations() if o.id in mine]  # verified claims only
    if page.slug == "questions":
        context["questions"] = g.call_form(application.call_id)[1]
    if page.slug == "course" and request.query_params.get("find"):
        year = request.query_params.get("year", "")
        try:
            context["found"] = g.find_alumni(actor(request), request.query_params["find"][:100], None,
                                             int(year) if year.isdigit() and len(year) == 4 else None)
        except InputError as exc:
            context["notice"] = exc.problem
    if page.slug == "course":
        context["courses"] = [(str(c.id), f"{c.title} ({c.length_years} years from {c.first_year})")
                              for c in g.list_courses()]
    if page.slug == "attachments":
        context["attachments"] = g.list_attachments(actor(request), application.id)
        context["limit"] = web(request).settings.max_upload_bytes
        context["accept"] = ACCEPT
    if page.slug == "review":
        context["problems"] = g.validate_application(actor(request), application.id)
        context["attachments"] = g.list_attachments(actor(request), application.id)
        context["is_open"] = call.status == "open" and g.ctx.now() < call.closes_at
    return render(request, "grants/step.html", context, status)


def _page(step: str) -> Page:
    page = BY_SLUG.get(step)
    if page is None:
        raise NotFound(f"no step {step!r}; steps: {', '.join(p.slug for p in PAGES)}")
    return page


@router.get("/applications/{application_id}/edit/{step}", include_in_schema=False)
def step_page(request: Request, application_id: int, step: str) -> Response:
    page = _page(step)
    return _step_page(request, _owned_draft(request, application_id), page)


@router.post("/applications/{application_id}/edit/{step}", include_in_schema=False)
async def save_step(request: Request, application_id: int, step: str) -> Response:
    page = _page(step)
    form = await form_of(request)
    application = await run_in_threadpool(_owned_draft, request, application_id)
    if application.status != "draft":
        raise ConflictError(f"application {application_id} is {application.status} (version "
                            f"{application.version}); a submitted application cannot be changed")
    go = str(form.get("go") or "next")
    previous, following = neighbours(page.slug)
    target = previous if go == "back" else following if go == "next" else BY_SLUG.get(go, page)  # a step tab
    suffix = "?saved=1"
    if go == "find":  # the ex-participant lookup: save what is typed, show the matches on the same page
        suffix += "&" + urlencode({"find": text(form, "find_name", 100), "year": text(form, "find_year", 4)})
    if page.step is None:
        return redirect(request, urls.application_step(application_id, (target or page).slug))
    data, positions = parse(page, form)
    added = text(form, "add_alumnus", 12)
    if added.isdigit() and "alumni" in page.scalars:
        data["alumni"] = [*data.get("alumni", []), added]
        target = page
    merged = data if page.step == "questions" else {**application.data.get(page.step, {}), **data}
    result = await run_in_threadpool(grants(request).save_draft, actor(request), application_id, page.step, merged)
    if not result.saved:
        errors = place_errors(result.errors, positions)
        own = {k for k in errors if k.split(".")[0] in {n for n, _ in page.lists} | set(page.scalars)}
        others = [f"{k}: {v}" for k, v in errors.items() if k not in own]
        notice = (gettext("Complete the earlier page of this step first — %(fields)s") % {"fields": "; ".join(others)}
                  if others else None)
        submitted = {k: v for k, v in form.items() if isinstance(v, str) and k not in ("csrf", "go")}
        return _step_page(request, application, page, {k: errors[k] for k in own}, submitted, notice, 422)
    return redirect(request, urls.application_step(application_id, (target or page).slug) + suffix)


@router.post("/applications/{application_id}/attachments", include_in_schema=False)
async def add_attachment(request: Request, application_id: int) -> Response:
    limit = web(request).settings.max_upload_bytes
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit + 64 * 1024:
        raise InputError("attachment", f"the file is too large: at most {limit // (1024 * 1024)} MB")
    form = await request.form(max_files=1, max_fields=5)
    require_csrf(request, str(form.get("csrf") or ""))
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise InputError("attachment", "choose a file to attach")
    content = await file.read(limit + 1)
    name = Path(file.filename).name[:200]
    try:
        await run_in_threadpool(grants(request).add_attachment, actor(request), application_id, name, content)
    except InputError as exc:  # back to the form, with the reason, instead of a dead end
        application = await run_in_threadpool(_owned_draft, request, application_id)
        return _step_page(request, application, BY_SLUG["attachments"],
                          notice=gettext("%(file)s was not attached: %(reason)s") % {
                              "file": name, "reason": exc.problem}, status=422)
    return redirect(request, urls.application_step(application_id, "attachments"))


@router.post("/applications/{application_id}/withdraw", include_in_schema=False)
async def withdraw(request: Request, application_id: int) -> Response:
    await form_of(request)
    await run_in_threadpool(grants(request).withdraw, actor(request), application_id)
    return redirect(request, urls.application_step(application_id, "review") + "?withdrawn=1")


@router.get("/api/applications/{application_id}/eligibility", tags=["grants"],
            summary="The call's rules on the application as it stands: what fails and why",
            responses=schemas.answers(list[grant_schemas.RuleResult]))
def eligibility_preview(request: Request, application_id: int) -> Response:
    results = grants(request).preview_eligibility(actor(request), application_id)
    return JSONResponse([{"rule": r.rule, "passed": r.passed, "reason": r.reason} for r in results])


@router.get("/applications/{application_id}/attachments/{attachment_id}", include_in_schema=False)
def attachment(request: Request, application_id: int, attachment_id: int) -> Response:
    found, content = grants(request).read_attachment(actor(request), attachment_id)
    if found.application_id != application_id:
        raise NotFound(f"no attachment {attachment_id} in application {application_id}")
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in found.filename)
    return Response(content, media_type=found.media_type,
                    headers={"content-disposition": f'attachment; filename="{safe}"', "cache-control": "private"})


@router.post("/applications/{application_id}/submit", include_in_schema=False)
async def submit(request: Request, application_id: int) -> Response:
    await form_of(request)
    g = grants(request)
    try:
        await run_in_threadpool(g.submit, actor(request), application_id)
    except (ConflictError, InputError) as exc:
        application = await run_in_threadpool(_owned_draft, request, application_id)
        if application.status != "draft":
            raise
        message = exc.problem if isinstance(exc, InputError) else str(exc)
        return _step_page(request, application, BY_SLUG["review"],
                          notice=gettext("Not submitted: %(reason)s") % {"reason": message},
                          status=409 if isinstance(exc, ConflictError) else 422)
    return redirect(request, urls.application(application_id) + "?submitted=1")


# ------------------------------------------------------------------ the read-only view (owner and staff)
def _view_data(request: Request, application_id: int) -> dict[str, Any]:
    g = grants(request)
    user = actor(request)
    application = g.get_application(user, application_id)
    held = user_roles(request)
    staff = bool(held & {"officer", "admin"})
    out: dict[str, Any] = {"application": application, "call": g.get_call(application.call_id),
                           "owner": application.owner_user_id == user.id, "staff": staff,
                           "versions": g.versions(user, application_id),
                           "attachments": g.list_attachments(user, application_id), "award": None, "reports": [],
                           "tranches": [], "names": names(g, application.data, application.call_id),
                           "in_brochure": None, "photos": []}
    call = out["call"]
    out["can_withdraw"] = call.status == "open" and g.ctx.now() < call.closes_at
    if application.status in ("awarded", "completed"):
        award = g.award_of(user, application_id)
        out["award"] = award
        if award is not None:
            out["reports"] = g.list_reports(user, award.id)
            out["tranches"] = g.tranches(user, award.id)
            if staff:
                out["in_brochure"] = g.brochure_choices().get(award.id)
                out["photos"] = [f for f in out["attachments"] if f.media_type in ("image/png", "image/jpeg")]
    if staff:
        out["assignments"] = g.assignments(user, application_id)
        out["scores"] = g.scores(user, application_id)
    return out


@router.get("/applications/{application_id}", include_in_schema=False)
def application_page(request: Request, application_id: int) -> Response:
    data = _view_data(request, application_id)
    return render(request, "grants/application.html", {**data, "pages": PAGES, "when": when,
                                                       "submitted": request.query_params.get("submitted"),
                                                       "json_url": urls.api_application(application_id)})


@router.get("/api/applications/{application_id}", tags=["grants"], summary="One application (owner and staff)",
            responses=schemas.answers(grant_schemas.ApplicationView))
def application_api(request: Request, application_id: int) -> Response:
    data = _view_data(request, application_id)
    out = {"application": jsonable(data["application"]), "versions": [v.version for v in data["versions"]],
           "attachments": jsonable(data["attachments"]), "award": jsonable(data["award"]),
           "reports": jsonable(data["reports"])}
    if data["staff"]:
        out["assignments"] = jsonable(data["assignments"])
        out["scores"] = jsonable(data["scores"])
    return JSONResponse(out)
