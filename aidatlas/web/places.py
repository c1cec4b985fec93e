"""Countries and places: `/countries/BA` ↔ `/api/countries/BA`, `/places/Tuzla` ↔ `/api/places/Tuzla`."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from aidatlas.db import browse
from aidatlas.db.search import SearchQuery
from aidatlas.errors import NotFound
from aidatlas.normalize.script import fold
from aidatlas.reference.names import country_name
from aidatlas.web import formats, schemas, urls
from aidatlas.web.common import Web, country_codes, render, web
from aidatlas.web.i18n import gettext
from aidatlas.web.maps import points_for, render_map
from aidatlas.web.money import charts_view
from aidatlas.web.paging import Page, paged, pages
from aidatlas.web.search import run

router = APIRouter()
_CODE = re.compile(r"^[A-Z]{2}$")


def coordinates(w: Web) -> dict[str, dict[str, Any]]:
    """Place name → coordinates, computed once per index generation."""
    return w.cached("coordinates", lambda: browse.place_points(w.store.engine))


def area(w: Web, facet: str, value: str) -> dict[str, Any]:
    """What a country or place page shows, for HTML and JSON alike."""
    query = SearchQuery(filters={facet: (value,)}, sort="newest", per_page=10)
    result, activities = run(w, query)
    if not result.total and facet == "municipality":
        raise NotFound(f"no activity at a place called {value!r} in the registry")
    places = w.searcher.facet_values(query, "municipality")
    return {
        "query": query, "result": result, "activities": activities, "totals": result.totals,
        "funders": w.searcher.aggregate(query, "funder")[:15],
        "years": sorted(w.searcher.aggregate(query, "year"), key=lambda y: y["value"]),
        "places": places[:40],
        "points": points_for([(p.value, p.count) for p in places], coordinates(w)),
    }


def area_json(data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**extra, "totals": data["totals"], "funders": data["funders"], "years": data["years"],
            "places": [{"name": p.value, "activities": p.count, "url": urls.api_place(p.value)}
                       for p in data["places"]],
            "points": data["points"],
            "activities": {"total": data["result"].total, "latest": [a.to_json() for a in data["activities"]],
                           "search": urls.api_search(data["query"], sort="relevance", per_page=20)}}


def _country(code: str) -> str:
    """`xk` → `XK`; a code that is no country is a 404 (`ZZ`), like any unknown id."""
    upper = code.strip().upper()
    if not _CODE.match(upper) or upper not in country_codes():
        raise NotFound(f"{code!r} is not an ISO 3166-1 alpha-2 country code (XK: Kosovo)")
    return upper


@router.get("/api/countries/{code}", tags=["places"], summary="A country: activities, funders, totals, places",
            response_model=schemas.Country)
def api_country(request: Request, code: str) -> dict[str, Any]:
    code = _country(code)
    return area_json(area(web(request), "country", code), code=code, name=country_name(code))


@router.get("/api/places", tags=["places"], summary="Places with activities, busiest first, in pages",
            response_model=schemas.Places)
def api_places(request: Request, q: str = Query("", max_length=200, description="part of the place's name"),
               page: Page = Depends(pages())) -> dict[str, Any]:
    """Every place the records name (the municipality facet), with its number of activities."""
    w = web(request)
    found = w.searcher.facet_values(SearchQuery(), "municipality")
    if q.strip():
        wanted = fold(q)
        found = [p for p in found if wanted in fold(p.value)]
    items = [{"name": p.value, "activities": p.count, "url": urls.api_place(p.value)} for p in page.of(found)]
    return {"q": q, **paged("places", items, len(found), page, lambda n: urls.api_places(q, n, page.per_page))}


@router.get("/api/places/{name}", tags=["places"], summary="A place: activities, funders, totals",
            response_model=schemas.Place)
def api_place(request: Request, name: str) -> dict[str, Any]:
    w = web(request)
    data = area(w, "municipality", name)
    where = coordinates(w).get(name)
    return area_json(data, name=name, country=browse.place_country(w.store.engine, name), location=where)


@router.get("/countries/{code}", include_in_schema=False)
def country_page(request: Request, code: str) -> Response:
    code = _country(code)
    data = area(web(request), "country", code)
    name = formats.country_name(code)
    title = gettext("Places of activities in %(name)s") % {"name": name}
    svg = render_map(data["points"], highlight=[code], title=title,
                     description=gettext("%(n)s places with activities, sized by number of activities") % {
                         "n": len(data["points"])})
    return render(request, "area.html", {**data, "title": name, "kind": "country", "code": code, "map": svg,
                                         "json_url": urls.api_country(code),
                                         "charts": charts_view(web(request), data["query"],
                                                                gettext("in %(name)s") % {"name": name})})


@router.get("/places/{name}", include_in_schema=False)
def place_page(request: Request, name: str) -> Response:
    w = web(request)
    data = area(w, "municipality", name)
    country = browse.place_country(w.store.engine, name)
    here = [p for p in data["points"] if p["name"] == name]
    title = gettext("%(name)s on the map") % {"name": name}
    svg = render_map(here, highlight=[country] if country else [], title=title,
                     description=f"{name}" + (f", {formats.country_name(country)}" if country else ""))
    charts = charts_view(w, data["query"], gettext("in %(name)s") % {"name": name})
    return render(request, "area.html", {**data, "title": name, "kind": "place", "code": country, "map": svg,
                                         "json_url": urls.api_place(name), "charts": charts})
