"""The search page (`/activities`, also `/`), its JSON twin (`/api/activities`) and the downloads of a result."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from typing import IO, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse

from aidatlas import export
from aidatlas.db.search import SearchQuery, SearchResult
from aidatlas.iati.writer import write_activities
from aidatlas.normalize.eur import METHOD
from aidatlas.records import Activity
from aidatlas.web import schemas, urls
from aidatlas.web.common import Web, download_query, render, search_query, web
from aidatlas.web.paging import Page, paged

router = APIRouter()


def run(w: Web, query: SearchQuery) -> tuple[SearchResult, list[Activity]]:
    """The one query behind the search page and its JSON twin."""
    result = w.searcher.search(query, totals=True)
    return result, w.store.get_records(result.ids)


def downloads(query: SearchQuery) -> dict[str, str]:
    """The links of a result beside its pages: the HTML page and the downloads of the whole result."""
    return {"html": urls.search(query), "csv": urls.export(query, "csv"), "json": urls.export(query, "json"),
            "iati": urls.export(query, "xml"), "transactions_csv": urls.export(query, "transactions.csv")}


def as_json(query: SearchQuery, result: SearchResult, activities: list[Activity]) -> dict[str, Any]:
    page = paged("records", [a.to_json() for a in activities], result.total, Page(query.page, query.per_page),
                 lambda n: urls.api_search(query, page=n))
    return {
        "query": {"q": query.q, "filters": {k: list(v) for k, v in query.filters.items()}, "sort": query.sort,
                  "min_eur": query.min_eur, "max_eur": query.max_eur, "from": query.date_from, "to": query.date_to},
        **page,
        "totals": {**(result.totals or {}), "method": METHOD},
        "facets": {f: [asdict(v) for v in values] for f, values in result.facets.items()},
        "links": {**page["links"], **downloads(query)},
        "suggestions": _suggestions(query, result),
    }


def _suggestions(query: SearchQuery, result: SearchResult) -> dict[str, Any] | None:
    """For words that found nothing: corrected queries and the query with any of the words, with their URLs."""
    if result.suggestions is None:
        return None
    found = result.suggestions
    return {**found.to_json(), "did_you_mean_links": [urls.api_search(query, q=q) for q in found.did_you_mean],
            "any_words_link": urls.api_search(query, q=found.any_words) if found.any_words else None}


@router.get("/api/activities", tags=["activities"], summary="Search activities", response_model=schemas.SearchPage)
def api_search(request: Request, query: SearchQuery = Depends(search_query)) -> dict[str, Any]:
    """Full text, facet filters (AND across facets, OR within one), facet counts, sort and pages.

    `records` follow the record schema (`Activity.to_json()`); `facets` give each facet's top values with
    counts in this result; `links` hold the next/previous pages and the downloads of the whole result.
    """
    result, activities = run(web(request), query)
    return as_json(query, result, activities)


@router.get("/", include_in_schema=False)
@router.get("/activities", include_in_schema=False)
def search_page(request: Request, query: SearchQuery = Depends(search_query)) -> Response:
    result, activities = run(web(request), query)
    first = (query.page - 1) * query.per_page + 1
    return render(request, "search.html", {
        "query": query, "result": result, "activities": activities, "first": first,
        "last": first + len(activities) - 1, "json_url": urls.api_search(query),
        "pages": _pager(query.page, result.pages), "method": METHOD, "range_params": urls.range_params(query)})


def _pager(page: int, pages: int) -> list[int | None]:
    """Page numbers to offer: first, last, and two around the current one (None: a gap)."""
    wanted = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    out: list[int | None] = []
    for p in wanted:
        if out and p - (out[-1] or 0) > 1:
            out.append(None)
        out.append(p)
    return out


# ------------------------------------------------------------------ downloads
def _activities(w: Web, query: SearchQuery) -> Iterator[Activity]:
    for ids in w.searcher.iter_ids(query):
        yield from w.store.get_activities(ids)


def _stream(spool: IO[bytes]) -> Iterator[bytes]:
    spool.seek(0)
    try:
        while chunk := spool.read(64 * 1024):
            yield chunk
    finally:
        spool.close()


def _download(request: Request, query: SearchQuery, fmt: str) -> Response:
    w = web(request)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by _stream
    activities = _activities(w, query)
    if fmt == "xml":
        write_activities(activities, spool, w.settings)  # type: ignore[arg-type]
        media = "application/xml"
    else:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="", write_through=True)
        if fmt == "csv":
            export.write_csv(activities, text)
            media = "text/csv; charset=utf-8"
        else:
            export.write_json(activities, text)
            media = "application/json"
        text.detach()
    headers = {"Content-Disposition": f'attachment; filename="aidatlas-activities.{fmt}"'}
    return StreamingResponse(_stream(spool), media_type=media, headers=headers)


@router.get("/activities.csv", tags=["downloads"], summary="The result of a search as CSV",
            responses=schemas.download("text/csv"))
def download_csv(request: Request, query: SearchQuery = Depends(download_query)) -> Response:
    """Every activity of the search (same parameters as `/api/activities`), one row each (see export.py)."""
    return _download(request, query, "csv")


@router.get("/activities.json", tags=["downloads"], summary="The result of a search as JSON records",
            responses=schemas.answers(schemas.Download, "The whole result"))
def download_json(request: Request, query: SearchQuery = Depends(download_query)) -> Response:
    """`{"records": [...]}` in the record schema, every activity of the search."""
    return _download(request, query, "json")


@router.get("/activities.xml", tags=["downloads"], summary="The result of a search as IATI 2.03 XML",
            responses=schemas.download("application/xml"))
def download_iati(request: Request, query: SearchQuery = Depends(download_query)) -> Response:
    """An `iati-activities` document with every activity of the search."""
    return _download(request, query, "xml")
