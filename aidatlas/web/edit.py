"""Editing a stored activity (editors): one plain HTML form per field, each change with a reason; the history
of an activity with a diff per edit and a revert for each; settling an edit whose source changed. The library
does the work (`aidatlas.curation.edits`); every action ends on a page with a confirmation message.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from aidatlas.curation import edits, pickers, reports
from aidatlas.curation.fields import COLUMNS, LABELS, SINGLE, rows_from_form, rows_of, value_from_rows
from aidatlas.db.edits import EDITABLE, field_value
from aidatlas.records import KINDS, ROLES, Activity
from aidatlas.reference.gazetteer import Gazetteer
from aidatlas.web import urls
from aidatlas.web.auth import require_csrf, require_user
from aidatlas.web.common import Web, render, web

router = APIRouter()
BLANK_ROWS = 2
_LOCK = threading.Lock()


def gazetteer(w: Web) -> Gazetteer:
    """The gazetteer, loaded once per app (places picked in the form are completed from it)."""
    with _LOCK:
        if "gazetteer" not in w.cache:
            w.cache["gazetteer"] = (0, Gazetteer.load())
        return w.cache["gazetteer"][1]


def curation_context(request: Request, activity: Activity) -> dict[str, Any]:
    """What the activity page adds for curation: the edits in force (provenance), the organisation of each
    participant shown, the confirmation message of the action that led here."""
    w = web(request)
    edited = edits.in_force(w.store, activity.id or "")
    names = [p.name for p in activity.participants]
    return {"edited": edited,
            "org_ids": pickers.organisation_ids(w.store, "participants" in edited, activity.id or "", names),
            "report_limits": (reports.MIN_MESSAGE, reports.MAX_MESSAGE, reports.MAX_CONTACT)}


def _form_rows(field: str, value: Any) -> list[dict[str, str]]:
    rows = rows_of(field, value)
    blank = {c: "" for c in COLUMNS[field]}
    if field in SINGLE:
        return rows or [blank]
    return rows + [dict(blank) for _ in range(BLANK_ROWS)]


@router.get("/activities/{activity_id}/edit", include_in_schema=False)
def edit_page(request: Request, activity_id: str, report: int | None = None) -> Response:
    w = web(request)
    activity = w.store.get_activity(activity_id)
    history = [h for h in edits.history(w.store, activity_id) if h.edit.active and h.edit.source_changed]
    fields = [{"name": f, "label": LABELS[f], "columns": COLUMNS[f], "rows": _form_rows(f, field_value(activity, f))}
              for f in EDITABLE]
    return render(request, "edit.html", {
        "a": activity, "fields": fields, "changed": history, "report": report, "kinds": KINDS, "roles": ROLES,
        "org_choices": w.cached("org_choices", lambda: pickers.organisations(w.store.engine)),
        "place_choices": pickers.places(gazetteer(w)), "sector_choices": pickers.sectors(),
        "country_choices": pickers.countries()})


@router.post("/activities/{activity_id}/edit/{field}", include_in_schema=False)
async def save_field(request: Request, activity_id: str, field: str) -> Response:
    user = require_user(request)
    form = await request.form(max_fields=2000)
    require_csrf(request, str(form.get("csrf") or ""))
    w = web(request)
    cells = {c: [str(v) for v in form.getlist(c)] for c in COLUMNS.get(field, ())}
    rows = rows_from_form(field, cells)
    current = field_value(w.store.get_activity(activity_id), field) if field in COLUMNS else None
    value = value_from_rows(field, rows, gazetteer(w), current)
    reason = str(form.get("reason") or "")
    made = await run_in_threadpool(edits.edit, w.store, activity_id, {field: value}, actor=user.username,
                                   reason=reason)
    report = str(form.get("report") or "")
    if made and report.isdigit():
        await run_in_threadpool(reports.close, w.store.engine, int(report), "resolved", actor=user.username,
                                reason=f"edited {LABELS[field].lower()}: {reason}")
    return RedirectResponse(urls.activity_done(activity_id, "edited" if made else "unchanged"), status_code=303)


@router.get("/activities/{activity_id}/history", include_in_schema=False)
def history_page(request: Request, activity_id: str) -> Response:
    w = web(request)
    activity = w.store.get_activity(activity_id)
    return render(request, "history.html", {
        "a": activity, "entries": edits.history(w.store, activity_id), "labels": LABELS,
        "json_url": urls.api_history(activity_id)})


@router.post("/edits/{edit_id}/revert", include_in_schema=False)
def revert_edit(request: Request, edit_id: int, reason: str = Form("", max_length=1000),
                csrf: str = Form("")) -> Response:
    user = require_user(request)
    require_csrf(request, csrf)
    done = edits.revert(web(request).store, edit_id, actor=user.username, reason=reason)
    return RedirectResponse(urls.history(done.activity_id, "reverted"), status_code=303)


@router.post("/edits/{edit_id}/keep", include_in_schema=False)
def keep_edit(request: Request, edit_id: int, csrf: str = Form("")) -> Response:
    require_user(request)
    require_csrf(request, csrf)
    done = edits.keep(web(request).store, edit_id)
    return RedirectResponse(urls.history(done.activity_id, "kept"), status_code=303)
