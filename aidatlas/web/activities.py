"""An activity (`/activities/ID` ↔ `/api/activities/ID`), where each value came from, and source documents."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from aidatlas.db import browse
from aidatlas.db.browse import converted
from aidatlas.errors import NotFound
from aidatlas.provenance import FieldSource, field_sources
from aidatlas.records import Activity
from aidatlas.resolve.activities import activity_view
from aidatlas.web import schemas, urls
from aidatlas.web.common import Web, render, ui_language, web
from aidatlas.web.edit import curation_context
from aidatlas.web.money import money_view
from aidatlas.web.paging import Page, paged, pages

router = APIRouter()
MAX_HIGHLIGHTS = 400


def _document(w: Web, activity: Activity) -> dict[str, Any] | None:
    if not activity.source.sha256:
        return None
    try:
        return w.store.document(activity.source.sha256)
    except NotFound:
        return None


def sources(w: Web, activity: Activity) -> tuple[dict[str, Any] | None, dict[str, list[FieldSource]]]:
    document = _document(w, activity)
    by_field: dict[str, list[FieldSource]] = defaultdict(list)
    for item in field_sources(activity, document):
        by_field[item.field].append(item)
    return document, dict(by_field)


def languages_of(activity: Activity) -> list[str]:
    langs: dict[str, None] = {}
    for item in (activity.title, activity.description or {}, *activity.objectives, *activity.results,
                 *activity.activities, *activity.beneficiaries, *(g.text for g in activity.target_groups)):
        if isinstance(item, dict):
            langs.update(dict.fromkeys(item))
    return list(langs)


@router.get("/api/activities/{activity_id}", tags=["activities"], summary="One activity (the record schema)",
            response_model=schemas.ActivityRecord)
def api_activity(request: Request, activity_id: str) -> Response:
    """The stored record JSON as it is (`activity_records`): no model round trip on the hot path."""
    return Response(web(request).store.record_json(activity_id), media_type="application/json")


@router.get("/api/activities/{activity_id}/sources", tags=["activities"], response_model=schemas.Sources,
            summary="Where each value of an activity came from")
def api_sources(request: Request, activity_id: str) -> dict[str, Any]:
    """Per field key (`title`, `budget`, `participants.2` …): the value, its span in the document's text, the
    page (PDF) and the sentence around it."""
    w = web(request)
    activity = w.store.get_activity(activity_id)
    document, by_field = sources(w, activity)
    return {"activity": activity_id, "document": activity.source.sha256,
            "document_url": urls.api_document(activity.source.sha256) if document and activity.source.sha256
            else None,
            "fields": {k: [asdict(s) for s in v] for k, v in sorted(by_field.items())}}


def text_language(langs: list[str], text: str | None, lang: str | None, ui_tag: str) -> str | None:
    """Which of a record's languages its page shows: the one asked (`text`, or a `lang` the record has),
    else the reader's UI language when the record has it (`sr` stands for Serbian Latin), else English, else the
    first."""
    ui = [ui_tag, "sr"] if ui_tag == "sr-Latn" else [ui_tag]
    for tag in (text, lang, *ui, "en"):
        if tag and tag in langs:
            return tag
    return langs[0] if langs else None


@router.get("/activities/{activity_id}", include_in_schema=False)
def activity_page(request: Request, activity_id: str, text: str | None = Query(None, max_length=12),
                  lang: str | None = Query(None, max_length=12)) -> Response:
    w = web(request)
    found = w.store.get_records([activity_id])
    if not found:
        raise NotFound(f"no activity {activity_id!r} in the registry")
    activity = found[0]
    document, by_field = sources(w, activity)
    langs = languages_of(activity)
    chosen = text_language(langs, text, lang, ui_language(request).tag)
    budget_eur = None
    if activity.budget:
        budget_eur = converted(activity.budget.value, activity.budget.currency, activity.budget.value_date,
                               activity.dates.start, activity.dates.announced)
    part_of = None
    if activity.part_of:
        parent = w.store.get_records([activity.part_of])
        part_of = parent[0] if parent else None
    return render(request, "activity.html", {
        "a": activity, "sources": by_field, "document": document, "langs": langs, "lang": chosen,
        "org_ids": w.store.organisation_ids(activity_id), "budget_eur": budget_eur,
        "part_of": part_of, "json_url": urls.api_activity(activity_id), "view": activity_view(w.store, activity_id),
        "money": money_view(activity), **curation_context(request, activity)})


@router.get("/api/activities/{activity_id}/duplicates", tags=["activities"], response_model=schemas.Duplicates,
            summary="Every source of an activity and the fields they disagree on")
def api_duplicates(request: Request, activity_id: str) -> dict[str, Any]:
    """Records of the same activity from other sources (a press release, a project page, an IATI file):
    which one is primary by precedence (IATI > official page > press release, newer > older), and per field
    the value each source gives when they disagree, with the one chosen."""
    return dict(activity_view(web(request).store, activity_id).to_json())


def _document_activities(w: Web, document_id: str) -> list[Activity]:
    return w.store.get_activities(w.store.activity_ids(document_id=document_id))


def segments(text: str, marks: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """The text cut into (piece, field or None) so that each marked span can be wrapped in <mark>."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, field in sorted(marks)[:MAX_HIGHLIGHTS]:
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], field))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


@router.get("/api/documents", tags=["documents"], summary="Source documents by name, in pages",
            response_model=schemas.Documents)
def api_documents(request: Request, page: Page = Depends(pages())) -> dict[str, Any]:
    """Each document's id (the SHA-256 of its content), name, media type, size and number of activities."""
    engine = web(request).store.engine
    items = [d | {"url": urls.api_document(d["id"])} for d in browse.documents(engine, page.per_page, page.offset)]
    return paged("documents", items, browse.count_documents(engine), page,
                 lambda n: urls.api_documents(n, page.per_page))


@router.get("/api/documents/{document_id}", tags=["documents"], summary="A source document's text",
            response_model=schemas.DocumentText)
def api_document(request: Request, document_id: str) -> dict[str, Any]:
    w = web(request)
    document = w.store.document(document_id)
    return {**document, "activities": [a.id for a in _document_activities(w, document_id)]}


@router.get("/documents/{document_id}", include_in_schema=False)
def document_page(request: Request, document_id: str, start: int | None = Query(None, ge=0),
                  end: int | None = Query(None, ge=0), field: str | None = Query(None, max_length=60)) -> Response:
    """The document's text; `start`/`end` mark the span a value was read from (scrolled into view)."""
    w = web(request)
    document = w.store.document(document_id)
    text = document.get("text") or ""
    activities = _document_activities(w, document_id)
    marks: list[tuple[int, int, str]] = []
    if start is not None and end is not None and start < end:
        marks.append((start, end, field or "source"))
    else:
        for a in activities:
            marks += [(s, e, k) for k, spans in a.source.spans.items() for s, e in spans]
    return render(request, "document.html", {
        "document": document, "pieces": segments(text, marks), "activities": activities,
        "focused": start is not None and end is not None, "field": field, "json_url": urls.api_document(document_id)})
