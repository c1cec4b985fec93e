"""Verified claims in the browser: an account asks to act for an organisation (or registers a new one, which
it then asks to join); officers, or confirmed members of that organisation, confirm or refuse the requests;
applicants look ex-participants up by name, course and year (seeing only what the lookup shows: name,
course, cohort and its year)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from aidatlas.errors import InputError
from aidatlas.web import schemas, urls
from aidatlas.web.common import render, user_roles
from aidatlas.web.grants.common import actor, form_of, grants, redirect, text

router = APIRouter()


def _mine(request: Request, error: str | None = None, status: int = 200) -> Response:
    g = grants(request)
    user = actor(request)
    mine = g.my_memberships(user)
    taken = {m.organisation_id for m in mine}
    choices = [o for o in g.list_organisations() if o.id not in taken]
    return render(request, "grants/my_organisations.html", {
        "memberships": mine, "choices": choices, "error": error, "to_decide": g.pending_memberships(user)}, status)


@router.get("/my/organisations", include_in_schema=False)
def my_organisations(request: Request) -> Response:
    return _mine(request)


@router.post("/my/organisations", include_in_schema=False)
async def join_or_register(request: Request) -> Response:
    """`organisation_id`: ask to join it; else `name`, `country`, `org_type`…: register it and ask to join."""
    form = await form_of(request)
    g = grants(request)
    user = actor(request)
    chosen = text(form, "organisation_id", 12)
    try:
        if chosen.isdigit():
            await run_in_threadpool(g.request_membership, user, int(chosen))
        elif text(form, "name", 300):
            org = await run_in_threadpool(lambda: g.create_organisation(
                user, text(form, "name", 300), text(form, "country", 2).upper() or None,
                text(form, "org_type", 30) or "cso", registered=bool(text(form, "registration_number", 80)),
                registration_number=text(form, "registration_number", 80) or None))
            await run_in_threadpool(g.request_membership, user, org.id)
        else:
            return _mine(request, "Choose an organisation to join, or give the name of a new one.", 422)
    except InputError as exc:
        return _mine(request, f"{exc.source}: {exc.problem}", 422)
    return redirect(request, urls.my_organisations() + "?requested=1")


@router.get("/memberships", include_in_schema=False)
def memberships_page(request: Request) -> Response:
    return render(request, "grants/memberships.html",
                  {"pending": grants(request).pending_memberships(actor(request))})


@router.post("/memberships/{organisation_id}/{user_id}", include_in_schema=False)
async def decide(request: Request, organisation_id: int, user_id: int) -> Response:
    form = await form_of(request)
    decision = text(form, "decision", 10)
    if decision not in ("confirm", "refuse"):
        raise InputError("decision", "confirm or refuse")
    g = grants(request)
    await run_in_threadpool(g.decide_membership, actor(request), organisation_id, user_id, decision == "confirm")
    staff = bool(user_roles(request) & {"officer", "admin"})
    return redirect(request, urls.memberships() if staff else urls.my_organisations())


@router.get("/api/alumni/lookup", tags=["grants"], summary="Find ex-participants by name, course and year",
            responses=schemas.answers(list[dict[str, Any]]))
def alumni_lookup(request: Request, name: str = Query("", max_length=100), course: int | None = Query(None, ge=1),
                  year: int | None = Query(None, ge=1950, le=2100)) -> Response:
    found = grants(request).find_alumni(actor(request), name, course, year)
    return JSONResponse(found)
