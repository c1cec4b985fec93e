"""Reviewers: the applications assigned to them, declaring a conflict of interest (then the application is
hidden from them: 404), and scoring with the call's weighted rubric and a comment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from aidatlas.errors import InputError
from aidatlas.web import schemas, urls
from aidatlas.web.common import render
from aidatlas.web.grants import schemas as grant_schemas
from aidatlas.web.grants.common import actor, form_of, grants, names, number, redirect, text, when
from aidatlas.web.paging import Page, paged, pages

router = APIRouter()


def _assigned(request: Request) -> list[dict[str, Any]]:
    g = grants(request)
    user = actor(request)
    out: list[dict[str, Any]] = []
    for a in g.my_assignments(user):
        if a.conflict:
            out.append({"assignment": a, "application": None})
            continue
        out.append({"assignment": a, "application": g.get_application(user, a.application_id)})
    return out


@router.get("/reviews", include_in_schema=False)
def reviews_page(request: Request) -> Response:
    return render(request, "grants/reviews.html", {"items": _assigned(request), "json_url": urls.api_reviews()})


@router.get("/api/reviews", tags=["grants"], summary="Applications assigned to the signed-in reviewer",
            responses=schemas.answers(grant_schemas.AssignmentsPage))
def reviews_api(request: Request, page: Page = Depends(pages())) -> Response:
    found = _assigned(request)
    items = [{"application_id": i["assignment"].application_id, "conflict": i["assignment"].conflict,
              "scored": i["assignment"].scored, "title": i["application"].title if i["application"] else None,
              "links": {} if i["assignment"].conflict else
              {"review": urls.application(i["assignment"].application_id, "review")}}
             for i in page.of(found)]
    return JSONResponse(paged("assignments", items, len(found), page,
                              lambda n: urls.page_of(urls.api_reviews(), n, page.per_page)))


def _review_page(request: Request, application_id: int, error: str | None = None,
                 submitted: dict[str, str] | None = None, status: int = 200) -> Response:
    g = grants(request)
    user = actor(request)
    application = g.get_application(user, application_id)
    call = g.get_call(application.call_id)
    mine = g.scores(user, application_id)
    previous = mine[0] if mine else None
    shown = submitted or ({f"score.{k}": f"{v:g}" for k, v in previous.scores.items()} | {"comment": previous.comment}
                          if previous else {})
    return render(request, "grants/review.html", {
        "application": application, "call": call, "previous": previous, "v": shown, "error": error, "when": when,
        "names": names(g, application.data, application.call_id),
        "attachments": g.list_attachments(user, application_id)}, status)


@router.get("/applications/{application_id}/review", include_in_schema=False)
def review_page(request: Request, application_id: int) -> Response:
    return _review_page(request, application_id)


@router.post("/applications/{application_id}/review", include_in_schema=False)
async def score(request: Request, application_id: int) -> Response:
    form = await form_of(request)
    g = grants(request)
    user = actor(request)
    application = await run_in_threadpool(g.get_application, user, application_id)
    call = await run_in_threadpool(g.get_call, application.call_id)
    values: dict[str, float] = {}
    missing = []
    for c in call.rubric:
        value = number(text(form, f"score.{c.criterion}", 20))
        if value is None:
            missing.append(c.label or c.criterion)
        else:
            values[c.criterion] = value
    submitted = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    if missing:
        return _review_page(request, application_id, f"Give a score for: {', '.join(missing)}.", submitted, 422)
    try:
        await run_in_threadpool(g.score, user, application_id, values, text(form, "comment"))
    except InputError as exc:
        return _review_page(request, application_id, exc.problem, submitted, 422)
    return redirect(request, urls.reviews() + "?scored=" + str(application_id))


@router.post("/applications/{application_id}/conflict", include_in_schema=False)
async def conflict(request: Request, application_id: int) -> Response:
    form = await form_of(request)
    reason = text(form, "reason", 1000)
    if not reason:
        return _review_page(request, application_id, "Say briefly what the conflict of interest is.", None, 422)
    await run_in_threadpool(grants(request).declare_conflict, actor(request), application_id, reason)
    return redirect(request, urls.reviews() + "?conflict=" + str(application_id))

