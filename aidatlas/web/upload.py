"""Adding a document: upload (txt, md, html, pdf) → see the records read from it, their sources highlighted →
correct fields → save. Needs a login; the upload waits in `uploads` until it is saved or discarded.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from aidatlas.db import uploads
from aidatlas.errors import InputError, NotFound, UploadRefused
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.limits import Limits
from aidatlas.provenance import field_sources
from aidatlas.records import KINDS, Activity, Dates, Document, Money
from aidatlas.web import urls
from aidatlas.web.activities import segments
from aidatlas.web.auth import require_csrf, require_user
from aidatlas.web.common import Web, render, web

if TYPE_CHECKING:
    from aidatlas.ingest.pipeline import Extractor

router = APIRouter()
ACCEPTED = {".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown", ".html": "text/html",
            ".htm": "text/html", ".pdf": "application/pdf"}
_LOCK = threading.Lock()


def extractor(w: Web) -> Extractor:
    """The reading pipeline, loaded on the first upload (not at every web start: ~0.1 s of imports)."""
    from aidatlas.ingest.pipeline import Extractor

    with _LOCK:
        if "extractor" not in w.cache:
            w.cache["extractor"] = (0, Extractor(settings=w.settings))
        return w.cache["extractor"][1]


def extract(w: Web, document: Document) -> list[Activity]:
    found = extractor(w)
    with _LOCK:  # the extractor's lazily built reference data is shared
        return found.extract(document)


@router.get("/documents/new", include_in_schema=False)
def upload_page(request: Request) -> Response:
    require_user(request)
    return render(request, "upload.html", {"error": None, "limit": web(request).settings.max_upload_bytes})


async def _read_upload(request: Request, limit: int) -> tuple[FormData, str, bytes]:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit + 64 * 1024:
        raise UploadRefused(413, f"The file is too large: at most {limit // (1024 * 1024)} MB.")
    form = await request.form(max_files=1, max_fields=5)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise UploadRefused(400, "Choose a file to upload.")
    name = Path(file.filename).name[:200]
    if Path(name).suffix.lower() not in ACCEPTED:
        raise UploadRefused(415, f"{name}: aidatlas reads {', '.join(sorted(ACCEPTED))} files.")
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(413, f"{name} is too large: at most {limit // (1024 * 1024)} MB.")
    if Path(name).suffix.lower() == ".pdf" and not content.startswith(b"%PDF"):
        raise UploadRefused(415, f"{name} does not look like a PDF file.")
    return form, name, content


@router.post("/documents/new", include_in_schema=False)
async def upload(request: Request) -> Response:
    user = require_user(request)
    w = web(request)
    limit = w.settings.max_upload_bytes
    try:
        form, name, content = await _read_upload(request, limit)
        require_csrf(request, str(form.get("csrf") or ""))
        media_type = ACCEPTED[Path(name).suffix.lower()]
        await run_in_threadpool(load_bytes, name, content, media_type, None, Limits.of(w.settings))
    except UploadRefused as exc:
        return render(request, "upload.html", {"error": exc.message, "limit": limit}, exc.http_status)
    except InputError as exc:
        return render(request, "upload.html", {"error": str(exc), "limit": limit}, 400)
    upload_id = uploads.park(w.store.engine, user.id, name, media_type, content)
    return RedirectResponse(urls.upload_preview(upload_id), status_code=303)


def _load(request: Request, upload_id: str) -> tuple[Web, dict[str, Any], Document]:
    user = require_user(request)
    w = web(request)
    row = uploads.parked(w.store.engine, upload_id, user.id)
    if row is None:
        raise NotFound("no such upload (it was saved, discarded, or belongs to someone else)")
    return w, row, load_bytes(row["name"], row["content"], row["media_type"], limits=Limits.of(w.settings))


def _marks(activities: list[Activity]) -> list[tuple[int, int, str]]:
    return [(s, e, f"r{i}.{k}") for i, a in enumerate(activities) for k, spans in a.source.spans.items()
            for s, e in spans]


def _preview(request: Request, upload_id: str, row: dict[str, Any], document: Document, activities: list[Activity],
             errors: dict[int, list[str]], submitted: dict[str, str] | None = None, status: int = 200) -> Response:
    text = {"text": document.text}
    return render(request, "preview.html", {
        "upload_id": upload_id, "name": row["name"], "activities": activities, "errors": errors, "kinds": KINDS,
        "pieces": segments(document.text, _marks(activities)), "submitted": submitted or {},
        "sources": [field_sources(a, text) for a in activities]}, status)


@router.get("/uploads/{upload_id}", include_in_schema=False)
async def preview(request: Request, upload_id: str) -> Response:
    w, row, document = await run_in_threadpool(_load, request, upload_id)
    activities = await run_in_threadpool(extract, w, document)
    return _preview(request, upload_id, row, document, activities, {})


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _amount(text: str) -> float:
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace(",", "")
    return float(cleaned)


def correct(activity: Activity, form: FormData, i: int) -> list[str]:
    """Apply the corrections of record `i` from the form; the problems, if any (nothing applied then)."""
    get = lambda key: str(form.get(f"r{i}.{key}") or "").strip()  # noqa: E731
    problems: list[str] = []
    title = {lang: get(f"title.{lang}") for lang in activity.title}
    if not all(title.values()):
        problems.append("A title cannot be empty.")
    kind = get("kind") or activity.kind
    if kind not in KINDS:
        problems.append(f"Kind must be one of {', '.join(KINDS)}.")
    budget = None
    value, currency = get("budget_value"), get("budget_currency").upper()
    if value or currency:
        try:
            budget = Money(value=_amount(value), currency=currency)
        except (ValueError, ValidationError):
            problems.append("Budget: give an amount (e.g. 120000.50) and a three-letter currency (EUR).")
    start, end = get("start") or None, get("end") or None
    for label, d in (("Start", start), ("End", end)):
        if d and not _DATE.match(d):
            problems.append(f"{label} date: write YYYY, YYYY-MM or YYYY-MM-DD.")
    countries = [c.upper() for c in re.split(r"[\s,;]+", get("countries")) if c]
    if any(not re.fullmatch(r"[A-Z]{2}", c) for c in countries):
        problems.append("Countries: two-letter codes (BA, RS, XK …), separated by commas.")
    if problems:
        return problems
    try:
        activity.title = title
        activity.kind = kind  # type: ignore[assignment]
        if budget is None or activity.budget is None or (budget.value, budget.currency) != (
                activity.budget.value, activity.budget.currency):
            activity.budget = budget
        activity.dates = Dates(start=start, end=end, announced=activity.dates.announced)
        activity.countries = countries
        activity.programme = get("programme") or None
    except ValidationError as exc:
        return [e["msg"] for e in exc.errors()]
    return []


@router.post("/uploads/{upload_id}/save", include_in_schema=False)
async def save(request: Request, upload_id: str) -> Response:
    w, row, document = await run_in_threadpool(_load, request, upload_id)
    form = await request.form(max_files=0, max_fields=2000)
    require_csrf(request, str(form.get("csrf") or ""))
    activities = await run_in_threadpool(extract, w, document)
    errors = {i: p for i, a in enumerate(activities) if (p := correct(a, form, i))}
    if errors:
        submitted = {k: v for k, v in form.items() if isinstance(v, str)}
        return _preview(request, upload_id, row, document, activities, errors, submitted, 422)
    kept = [a for i, a in enumerate(activities) if form.get(f"r{i}.keep") == "yes"]
    await run_in_threadpool(w.store.save_document, document, kept)
    await run_in_threadpool(w.searcher.ensure_indexed)
    uploads.discard(w.store.engine, upload_id)
    return RedirectResponse(f"{urls.document(document.sha256)}?done=saved", status_code=303)


@router.post("/uploads/{upload_id}/discard", include_in_schema=False)
async def discard(request: Request, upload_id: str) -> Response:
    user = require_user(request)
    form = await request.form(max_files=0, max_fields=5)
    require_csrf(request, str(form.get("csrf") or ""))
    uploads.discard(web(request).store.engine, upload_id, user.id)
    return RedirectResponse(f"{urls.upload()}?done=discarded", status_code=303)
