"""The editors' work page (`/work`, `/api/work`): low-confidence records, activities whose source changed
under an edit, merge proposals and public error reports, with counts; and the public's error report form's
target (no account; `aidatlas.curation.reports` keeps the spam out and the reports private)."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from aidatlas.curation import reports
from aidatlas.curation.work import work
from aidatlas.web import schemas, urls
from aidatlas.web.auth import require_csrf, require_user
from aidatlas.web.common import render, web

router = APIRouter()
_REPORTS = threading.Lock()
"""one report at a time per process, so that the per-address count cannot be raced past"""


@router.get("/api/work", tags=["curation"], summary="What waits for editors, with counts (editors)",
            response_model=schemas.Work)
def api_work(request: Request) -> dict[str, Any]:
    return work(web(request).store.engine).to_json()


@router.get("/work", include_in_schema=False)
def work_page(request: Request) -> Response:
    return render(request, "work.html", {"work": work(web(request).store.engine), "json_url": "/api/work"})


@router.post("/activities/{activity_id}/report", include_in_schema=False)
def report_error(request: Request, activity_id: str, message: str = Form("", max_length=reports.MAX_MESSAGE + 100),
                 contact: str = Form("", max_length=reports.MAX_CONTACT + 100), field: str = Form("", max_length=40),
                 website: str = Form("", max_length=500), csrf: str = Form("")) -> Response:
    """`website` is the honeypot: people do not see it, robots fill it in."""
    require_csrf(request, csrf)
    w = web(request)
    address = request.client.host if request.client else "unknown"
    with _REPORTS:
        reports.submit(w.store.engine, w.settings, activity_id, message, address=address, contact=contact,
                       field=field, honeypot=website)
    return RedirectResponse(urls.activity_done(activity_id, "reported"), status_code=303)


@router.post("/reports/{report_id}/close", include_in_schema=False)
def close_report(request: Request, report_id: int, status: str = Form("dismissed", max_length=12),
                 reason: str = Form("", max_length=1000), csrf: str = Form("")) -> Response:
    user = require_user(request)
    require_csrf(request, csrf)
    reports.close(web(request).store.engine, report_id, status, actor=user.username, reason=reason)
    return RedirectResponse(urls.work("closed"), status_code=303)
