"""The alumni registry (officers only: it holds personal data): training courses and their yearly cohorts,
ex-participants with the consent they gave, export of one person's data (JSON) and erasure on request (with a
confirmation step), alumni associations with their member countries."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from aidatlas.errors import InputError
from aidatlas.web import schemas, urls
from aidatlas.web.common import render
from aidatlas.web.grants import schemas as grant_schemas
from aidatlas.web.grants.common import actor, form_of, grants, jsonable, redirect, text
from aidatlas.web.i18n import gettext

router = APIRouter()


def _registry(request: Request, course: int | None) -> dict[str, Any]:
    g = grants(request)
    courses = g.list_courses()
    return {"courses": courses, "course": course, "alumni": g.list_alumni(actor(request), course),
            "course_names": {c.id: c.title for c in courses},
            "organisations": {o.id: o.name for o in g.list_organisations()},
            "associations": g.list_organisations("alumni-association")}


@router.get("/alumni", include_in_schema=False)
def alumni_page(request: Request, course: int | None = Query(None, ge=1), error: str | None = None,
                status: int = 200) -> Response:
    return render(request, "grants/alumni.html", {**_registry(request, course), "error": error,
                                                  "json_url": urls.api_alumni()}, status)


@router.get("/api/alumni", tags=["grants"], summary="Courses and ex-participants (officers)",
            responses=schemas.answers(grant_schemas.Alumni))
def alumni_api(request: Request, course: int | None = Query(None, ge=1)) -> Response:
    data = _registry(request, course)
    return JSONResponse({"courses": jsonable(data["courses"]), "alumni": jsonable(data["alumni"])})


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


@router.post("/alumni/courses", include_in_schema=False)
async def add_course(request: Request) -> Response:
    form = await form_of(request)
    length, first = _int(text(form, "length_years", 3)), _int(text(form, "first_year", 4))
    if length is None or first is None or not text(form, "title", 300):
        return alumni_page(request, None, "A course needs a title, its length in years and its first year.", 422)
    try:
        await run_in_threadpool(grants(request).create_course, actor(request), text(form, "title", 300),
                                text(form, "course_type", 20), length, first, text(form, "country", 2).upper() or None)
    except InputError as exc:
        return alumni_page(request, None, f"{exc.source}: {exc.problem}", 422)
    return redirect(request, urls.alumni())


@router.post("/alumni", include_in_schema=False)
async def add_alumnus(request: Request) -> Response:
    form = await form_of(request)
    course, cohort = _int(text(form, "course_id", 10)), _int(text(form, "cohort", 3))
    if course is None or cohort is None:
        return alumni_page(request, None, "Choose the course and give the cohort (1, 2, 3 …).", 422)
    try:
        await run_in_threadpool(
            lambda: grants(request).add_alumnus(
                actor(request), text(form, "name", 200), text(form, "country", 2).upper(), course, cohort,
                consent_text=text(form, "consent_text", 1000),
                organisation_id=_int(text(form, "organisation_id", 10)),
                associations=[a for a in (_int(str(v)) for v in form.getlist("association_id")) if a]))
    except InputError as exc:
        return alumni_page(request, None, f"{exc.source}: {exc.problem}", 422)
    return redirect(request, urls.alumni(course))


@router.get("/alumni/{alumnus_id}/export", include_in_schema=False)
def export(request: Request, alumnus_id: int) -> Response:
    data = grants(request).export_alumnus(actor(request), alumnus_id)
    body = json.dumps(jsonable(data), ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json",
                    headers={"content-disposition": f'attachment; filename="ex-participant-{alumnus_id}.json"'})


@router.get("/alumni/{alumnus_id}/erase", include_in_schema=False)
def erase_page(request: Request, alumnus_id: int) -> Response:
    person = grants(request).get_alumnus(alumnus_id)
    return render(request, "grants/erase.html", {"person": person, "error": None})


@router.post("/alumni/{alumnus_id}/erase", include_in_schema=False)
async def erase(request: Request, alumnus_id: int) -> Response:
    form = await form_of(request)
    g = grants(request)
    if text(form, "confirm", 10) != "yes":
        person = await run_in_threadpool(g.get_alumnus, alumnus_id)
        return render(request, "grants/erase.html", {"person": person, "error": gettext("Tick the box to confirm.")},
                      422)
    await run_in_threadpool(g.erase_alumnus, actor(request), alumnus_id)
    return redirect(request, urls.alumni() + "?erased=1")


@router.get("/associations", include_in_schema=False)
def associations_page(request: Request, error: str | None = None, status: int = 200) -> Response:
    return render(request, "grants/associations.html",
                  {"associations": grants(request).list_organisations("alumni-association"), "error": error}, status)


@router.post("/associations", include_in_schema=False)
async def add_association(request: Request) -> Response:
    form = await form_of(request)
    countries = [c.strip().upper() for c in text(form, "member_countries", 100).replace(";", ",").split(",")
                 if c.strip()]
    try:
        await run_in_threadpool(grants(request).create_association, actor(request), text(form, "name", 300),
                                text(form, "scope", 20), countries)
    except InputError as exc:
        return associations_page(request, f"{exc.source}: {exc.problem}", 422)
    return redirect(request, urls.associations())
