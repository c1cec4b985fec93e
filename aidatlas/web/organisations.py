"""Organisations: `/organisations/ID` ↔ `/api/organisations/ID`, and a list to find one by any spelling."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from aidatlas.db import browse
from aidatlas.db.search import SearchQuery
from aidatlas.web import schemas, urls
from aidatlas.web.common import render, web
from aidatlas.web.i18n import gettext
from aidatlas.web.money import charts_view
from aidatlas.web.paging import Page, paged, pages

router = APIRouter()


def _profile(request: Request, org_id: str) -> tuple[browse.OrganisationProfile, list[Any]]:
    w = web(request)
    w.searcher.ensure_indexed()
    profile = browse.organisation(w.store.engine, org_id)
    return profile, w.store.get_activities(profile.activity_ids)


@router.get("/api/organisations", tags=["organisations"], summary="Organisations, busiest first, in pages",
            response_model=schemas.Organisations)
def api_organisations(request: Request, q: str = Query("", max_length=200,
                                                       description="part of any spelling of the name"),
                      page: Page = Depends(pages(100))) -> dict[str, Any]:
    engine = web(request).store.engine
    found = browse.organisations(engine, q, page.per_page, page.offset)
    items = [o | {"url": urls.api_organisation(o["id"])} for o in found]
    return {"q": q, **paged("organisations", items, browse.count_organisations(engine, q), page,
                            lambda n: urls.api_organisations(q, n, page.per_page))}


@router.get("/api/organisations/{org_id}", tags=["organisations"], summary="One organisation",
            response_model=schemas.Organisation)
def api_organisation(request: Request, org_id: str) -> dict[str, Any]:
    """Its spellings, roles (activities per role), budgets of its activities by currency and in EUR,
    countries, a timeline by start year, and its latest activities."""
    profile, activities = _profile(request, org_id)
    data = asdict(profile)
    data["countries"] = [{"code": c, "name": n, "activities": k} for c, n, k in profile.countries]
    data["activities"] = {"total": profile.activities, "latest": [a.to_json() for a in activities]}
    del data["activity_ids"]
    return data


@router.get("/organisations", include_in_schema=False)
def organisations_page(request: Request, q: str = Query("", max_length=200)) -> Response:
    found = browse.organisations(web(request).store.engine, q, 200)
    return render(request, "organisations.html", {"q": q, "organisations": found,
                                                  "json_url": urls.api_organisations(q)})


@router.get("/organisations/{org_id}", include_in_schema=False)
def organisation_page(request: Request, org_id: str) -> Response:
    profile, activities = _profile(request, org_id)
    if profile.id != org_id:                    # merged into another organisation: its page is the one
        return RedirectResponse(urls.organisation(profile.id), status_code=301)
    peak = max((y["activities"] for y in profile.timeline), default=0)
    charts = charts_view(web(request), SearchQuery(filters={"funder": (org_id,)}),
                         gettext("funded by %(name)s") % {"name": profile.name})
    return render(request, "organisation.html", {"org": profile, "activities": activities, "peak": peak,
                                                 "json_url": urls.api_organisation(org_id), "charts": charts})
