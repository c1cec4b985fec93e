"""What the grants pages share: the app's `Grants` service, the acting user, forms, time display, redirects."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, cast

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from aidatlas.auth import User
from aidatlas.grants import Grants
from aidatlas.grants.models import Call
from aidatlas.web.auth import require_csrf, require_user
from aidatlas.web.common import finish, web

MAX_FIELDS = 400


def grants(request: Request) -> Grants:
    """One `Grants` per app (tests may put their own, with a clock, on `app.state.grants`)."""
    state = request.app.state
    if getattr(state, "grants", None) is None:
        w = web(request)
        state.grants = Grants(w.store.engine, w.settings, w.store)
    return cast(Grants, state.grants)


def actor(request: Request) -> User:
    return require_user(request)


async def form_of(request: Request, max_files: int = 0) -> FormData:
    """The posted form, after its CSRF token was checked."""
    form = await request.form(max_files=max_files, max_fields=MAX_FIELDS)
    require_csrf(request, str(form.get("csrf") or ""))
    return form


def text(form: FormData, key: str, limit: int = 5000) -> str:
    value = form.get(key)
    return value.replace("\r\n", "\n").strip()[:limit] if isinstance(value, str) else ""


def number(value: str) -> float | None:
    cleaned = value.replace(" ", "").replace("\u00a0", "").replace(",", "")
    try:
        return float(cleaned) if cleaned else None
    except ValueError:
        return None


def redirect(request: Request, url: str) -> Response:
    return finish(request, RedirectResponse(url, status_code=303))


def when(moment: datetime | None, call: Call | None = None) -> str:
    """A moment as `2026-03-31 17:00 UTC` or, for a call, in the call's time zone."""
    if moment is None:
        return ""
    if call is not None:
        local = call.local(moment)
        offset = local.strftime("%z")
        return f"{local:%Y-%m-%d %H:%M} ({call.time_zone}, UTC{offset[:3]}:{offset[3:]})"
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def names(g: Grants, data: dict[str, Any], call_id: int | None = None) -> dict[str, Any]:
    """The names a person reads instead of the ids an application stores: its organisation, course (with the
    cohort's year) and ex-participants; with `call_id`, the answers to the call's questions under the labels
    of the form version they answered."""
    from aidatlas.errors import NotFound

    out: dict[str, Any] = {}
    who, course = data.get("applicant", {}), data.get("course", {})
    try:
        if who.get("organisation_id"):
            out["organisation"] = g.get_organisation(int(who["organisation_id"])).name
        if course.get("course_id"):
            found = {c.id: c for c in g.list_courses()}.get(int(course["course_id"]))
            if found is not None:
                out["course"] = found.title
                if course.get("cohort"):
                    out["cohort_year"] = found.cohort_year(int(course["cohort"]))
    except NotFound:
        pass
    people = []
    for alumnus_id in course.get("alumni") or []:
        try:
            people.append(g.get_alumnus(int(alumnus_id)).name)
        except (NotFound, TypeError, ValueError):
            people.append(f"no. {alumnus_id} (not in the registry)")
    if people:
        out["alumni"] = people
    answered = data.get("questions") or {}
    if answered.get("form_version") and call_id is not None:
        asked = g.call_form(call_id, int(answered["form_version"]))[1]
        given = answered.get("answers") or {}
        out["answers"] = [(q["label"], given.get(q["key"])) for q in asked if q["key"] in given]
    return out


def jsonable(value: Any) -> Any:
    """Dataclasses, datetimes, tuples → JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
