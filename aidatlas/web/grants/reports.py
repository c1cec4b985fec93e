"""Grantees report on their grant: interim or final, a result per objective of the application, the number of
participants reached, photos and documents. The brochure of completed grants (HTML for everyone, PDF for
officers: it is printed by Chromium)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from aidatlas.errors import ConflictError, InputError, NotFound
from aidatlas.grants import brochure
from aidatlas.reference.names import country_name
from aidatlas.web import urls
from aidatlas.web.auth import require_csrf
from aidatlas.web.common import render, web
from aidatlas.web.grants.common import actor, form_of, grants, number, redirect, text, when

router = APIRouter()
MAX_REPORT_FILES = 5


def _report_page(request: Request, application_id: int, error: str | None = None,
                 submitted: dict[str, str] | None = None, status: int = 200) -> Response:
    g = grants(request)
    user = actor(request)
    application = g.get_application(user, application_id)
    award = g.award_of(user, application_id)
    if award is None:
        raise ConflictError(f"application {application_id} has no grant to report on")
    reports = g.list_reports(user, award.id)
    objectives = list(application.data.get("project", {}).get("objectives", []))
    return render(request, "grants/report.html", {
        "application": application, "award": award, "reports": reports, "objectives": objectives,
        "lines": list(application.data.get("budget", {}).get("lines", [])),
        "error": error, "v": submitted or {}, "when": when, "limit": web(request).settings.max_upload_bytes,
        "has_interim": any(r.kind == "interim" for r in reports)}, status)


@router.get("/applications/{application_id}/report", include_in_schema=False)
def report_page(request: Request, application_id: int) -> Response:
    return _report_page(request, application_id)


@router.post("/applications/{application_id}/report", include_in_schema=False)
async def report(request: Request, application_id: int) -> Response:
    limit = web(request).settings.max_upload_bytes
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_REPORT_FILES * limit + 64 * 1024:
        raise InputError("report", f"the files are too large: at most {limit // (1024 * 1024)} MB each")
    form = await request.form(max_files=MAX_REPORT_FILES, max_fields=200)
    require_csrf(request, str(form.get("csrf") or ""))
    g = grants(request)
    user = actor(request)
    application = await run_in_threadpool(g.get_application, user, application_id)
    award = await run_in_threadpool(g.award_of, user, application_id)
    if award is None:
        raise ConflictError(f"application {application_id} has no grant to report on")
    objectives = list(application.data.get("project", {}).get("objectives", []))
    results = {o: text(form, f"result.{i}") for i, o in enumerate(objectives)}
    reached = number(text(form, "participants_reached", 20))
    submitted = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    lines = [str(line.get("item")) for line in application.data.get("budget", {}).get("lines", [])]
    spent = {line: number(text(form, f"spent.{i}", 40)) for i, line in enumerate(lines)}
    missing = [line for line, value in spent.items() if value is None]
    if missing:
        return _report_page(request, application_id, "Give the amount spent on every budget line (0 if none): "
                                                     + ", ".join(missing), submitted, 422)
    if reached is None or reached != int(reached):
        return _report_page(request, application_id, "Give the number of participants reached (a whole number).",
                            submitted, 422)
    files: list[tuple[str, bytes]] = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            content = await item.read(limit + 1)
            files.append((item.filename[:200], content))
    try:
        await run_in_threadpool(g.submit_report, user, award.id, text(form, "kind", 10), results, int(reached),
                                files, {k: float(v or 0) for k, v in spent.items()})
    except (InputError, ConflictError) as exc:
        if isinstance(exc, ConflictError):
            return _report_page(request, application_id, str(exc), submitted, 409)
        return _report_page(request, application_id, f"{exc.source}: {exc.problem}", submitted, 422)
    return redirect(request, urls.application(application_id) + "?reported=1")


# ------------------------------------------------------------------ officers: review of reports, payments
@router.post("/applications/{application_id}/reports/{report_id}/review", include_in_schema=False)
async def review_report(request: Request, application_id: int, report_id: int) -> Response:
    form = await form_of(request)
    g = grants(request)
    decision = text(form, "decision", 10)
    if decision not in ("approve", "return"):
        raise InputError("decision", "approve or return")
    award = await run_in_threadpool(g.award_of, actor(request), application_id)
    reports = await run_in_threadpool(g.list_reports, actor(request), award.id) if award else []
    if not any(r.id == report_id for r in reports):
        raise NotFound(f"no report {report_id} on application {application_id}")
    await run_in_threadpool(g.review_report, actor(request), report_id, decision == "approve",
                            text(form, "comment", 2000))
    return redirect(request, urls.application(application_id))


@router.post("/applications/{application_id}/tranches/{tranche_id}/payment", include_in_schema=False)
async def record_payment(request: Request, application_id: int, tranche_id: int) -> Response:
    form = await form_of(request)
    g = grants(request)
    award = await run_in_threadpool(g.award_of, actor(request), application_id)
    tranches = await run_in_threadpool(g.tranches, actor(request), award.id) if award else []
    if not any(t.id == tranche_id for t in tranches):
        raise NotFound(f"no tranche {tranche_id} on application {application_id}")
    try:
        paid_on = date.fromisoformat(text(form, "paid_on", 10))
    except ValueError:
        raise InputError("paid_on", "the payment's date, as YYYY-MM-DD") from None
    await run_in_threadpool(g.record_payment, actor(request), tranche_id, paid_on, text(form, "reference", 120))
    return redirect(request, urls.application(application_id))


# ------------------------------------------------------------------ brochure
def _examples(request: Request, programme_id: int) -> list[dict[str, Any]]:
    """Adapter: the service has `brochure_html` (a whole document with its own inline style, which the app's
    CSP refuses) but no read of the examples themselves; the page renders them with the app's templates."""
    g = grants(request)
    g.get_programme(programme_id)
    return list(brochure.examples(g.ctx, programme_id, None))


@router.get("/brochure", include_in_schema=False)
def brochure_page(request: Request, programme: int | None = Query(None, ge=1)) -> Response:
    g = grants(request)
    programmes = g.list_programmes()
    if programme is None and len(programmes) == 1:
        programme = programmes[0].id
    if programme is None:
        return render(request, "grants/brochure.html", {"programmes": programmes, "programme": None,
                                                        "countries": [], "examples": []})
    items = _examples(request, programme)
    by_country: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_country.setdefault(item["country"], []).append(item)
    countries = [{"code": c, "name": country_name(c) if c != "ZZ" else "Regional", "examples": found}
                 for c, found in sorted(by_country.items(), key=lambda kv: country_name(kv[0]))]
    return render(request, "grants/brochure.html", {"programmes": programmes, "programme": g.get_programme(programme),
                                                    "countries": countries, "examples": items})


@router.get("/brochure.pdf", include_in_schema=False)
async def brochure_pdf(request: Request, programme: int = Query(..., ge=1)) -> Response:
    g = grants(request)
    if not any(p.id == programme for p in g.list_programmes()):
        raise NotFound(f"no programme {programme}")
    pdf = await run_in_threadpool(g.brochure_pdf, programme)
    return Response(pdf, media_type="application/pdf",
                    headers={"content-disposition": f'attachment; filename="successful-examples-{programme}.pdf"'})
