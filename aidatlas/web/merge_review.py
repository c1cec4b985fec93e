"""Merge review (editors; not the grants' review of applications): candidate organisation merges and
activity links with their scores and evidence, accept or reject, split an organisation, undo any decision.
Every decision is recorded with the user's name, the time and the reason (`aidatlas.resolve.merge_review`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from aidatlas.errors import InputError
from aidatlas.resolve import merge_review
from aidatlas.web import schemas, urls
from aidatlas.web.auth import require_csrf, require_user
from aidatlas.web.common import render, web

router = APIRouter()


def _queue(request: Request) -> dict[str, Any]:
    return merge_review.queue(web(request).store.engine)


@router.get("/api/review", tags=["review"], summary="Candidate merges and recent decisions (editors)",
            response_model=schemas.Review)
def api_review(request: Request) -> dict[str, Any]:
    require_user(request)
    queue = _queue(request)
    return {"open_organisation_pairs": queue["open"],
            "organisations": [p.__dict__ for p in queue["organisations"]], "activities": queue["activities"],
            "decisions": [d.to_json() for d in queue["decisions"]]}


@router.get("/review", include_in_schema=False)
def review_page(request: Request) -> Response:
    require_user(request)
    return render(request, "review.html", {**_queue(request), "json_url": "/api/review"})


def _done(request: Request, done: str = "decided") -> Response:
    return RedirectResponse(f"{urls.review()}?done={done}", status_code=303)


class PairForm:
    """The form of a pair decision; fields are optional so that the CSRF check runs before any validation."""

    def __init__(self, a: str = Form("", max_length=80), b: str = Form("", max_length=80),
                 action: str = Form("", max_length=10), reason: str = Form("", max_length=1000),
                 csrf: str = Form("")) -> None:
        self.a, self.b, self.action, self.reason, self.csrf = a, b, action, reason, csrf


def _decide_pair(request: Request, form: PairForm, subject: merge_review.Subject) -> Response:
    user = require_user(request)
    require_csrf(request, form.csrf)
    if not form.a or not form.b or form.action not in ("merge", "reject"):
        raise InputError("form", "name two ids (a, b) and an action: merge or reject")
    merge_review.decide(web(request).store.engine, subject, form.action, form.a, form.b, actor=user.username,
                        reason=form.reason)
    return _done(request)


@router.post("/review/organisations", include_in_schema=False)
def decide_organisations(request: Request, form: PairForm = Depends()) -> Response:
    return _decide_pair(request, form, "organisations")


@router.post("/review/activities", include_in_schema=False)
def decide_activities(request: Request, form: PairForm = Depends()) -> Response:
    return _decide_pair(request, form, "activities")


@router.post("/review/decisions/{decision_id}/undo", include_in_schema=False)
def undo_decision(request: Request, decision_id: int, reason: str = Form("", max_length=1000),
                  csrf: str = Form("")) -> Response:
    user = require_user(request)
    require_csrf(request, csrf)
    merge_review.undo_decision(web(request).store.engine, decision_id, actor=user.username, reason=reason)
    return _done(request, "undone")


@router.post("/organisations/{org_id}/split", include_in_schema=False)
def split_organisation(request: Request, org_id: str, names: list[str] = Form([]),
                       reason: str = Form("", max_length=1000), csrf: str = Form("")) -> Response:
    user = require_user(request)
    require_csrf(request, csrf)             # before anything about the form: a foreign post learns nothing
    d = merge_review.split(web(request).store.engine, org_id, names, actor=user.username, reason=reason)
    return RedirectResponse(f"{urls.organisation(d.b or org_id)}?done=split", status_code=303)
