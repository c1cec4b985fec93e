"""Every value of one facet (the "more" page, `/facets/{facet}`) and its JSON twin (`/api/facets/{facet}`).

The search page lists a facet's top values; this lists them all, for the same search, with a box that filters
the values by name (any script, diacritics ignored) and pages. Counts follow the search page's rule
(`db.facet_counts`): within the result, or "+n" added for a facet that has a choice. The search's `page` and
`per_page` page the values here; a value's link goes back to the search (page 1) with the value toggled.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from aidatlas.db.facet_counts import FacetValue, matching
from aidatlas.db.search import SearchQuery
from aidatlas.db.search_index import FACETS
from aidatlas.errors import NotFound
from aidatlas.web import urls
from aidatlas.web.common import render, search_query, web

router = APIRouter()


class FacetValueOut(BaseModel):
    value: str = Field(description="the filter parameter's value (`year=none`: activities without a year)")
    label: str
    count: int = Field(description="activities the search gives with this value chosen; with `adds`, how "
                                   "many choosing it adds to the result (OR within a facet)")
    selected: bool
    adds: bool
    search: str = Field(description="the search page with this value chosen (or, when chosen, left out)")


class FacetLinks(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    self_: str = Field(alias="self")
    html: str
    search: str = Field(description="the search page these values belong to")
    next: str | None
    prev: str | None


class FacetPage(BaseModel):
    """One page of every value of a facet for a search."""

    facet: str
    label: str
    contains: str
    total: int = Field(description="values (matching `contains`) over all pages")
    page: int
    per_page: int
    pages: int
    values: list[FacetValueOut]
    links: FacetLinks


def facet_page(request: Request, query: SearchQuery, facet: str, contains: str) -> FacetPage:
    """The one query behind the page and its JSON twin."""
    if facet not in FACETS:
        raise NotFound(f"no facet {facet!r}; facets are {', '.join(FACETS)}")
    values: list[FacetValue] = matching(web(request).searcher.facet_all(query, facet), contains)
    pages = max(1, -(-len(values) // query.per_page))
    shown = values[(query.page - 1) * query.per_page:query.page * query.per_page]
    links = FacetLinks(
        self=urls.api_facet(query, facet, contains), html=urls.facet(query, facet, contains),
        search=urls.search(query, page=1),
        next=urls.api_facet(query, facet, contains, page=query.page + 1) if query.page < pages else None,
        prev=urls.api_facet(query, facet, contains, page=query.page - 1) if query.page > 1 else None)
    return FacetPage(facet=facet, label=FACETS[facet], contains=contains, total=len(values), page=query.page,
                     per_page=query.per_page, pages=pages, links=links,
                     values=[FacetValueOut(value=v.value, label=v.label, count=v.count, selected=v.selected,
                                           adds=v.adds, search=urls.toggle(query, facet, v.value)) for v in shown])


CONTAINS = Query("", max_length=200, description="only values whose name holds this (any script, case and "
                                                 "diacritics ignored)")


@router.get("/api/facets/{facet}", tags=["activities"], summary="Every value of a facet for a search",
            response_model=FacetPage)
def api_facet(request: Request, facet: str, contains: str = CONTAINS,
              query: SearchQuery = Depends(search_query)) -> Any:
    """Takes the search's parameters (`q`, filters, ranges) and pages the facet's values with `page` and
    `per_page`; counts as on the search page (see `facets` of `/api/activities`)."""
    return facet_page(request, query, facet, contains.strip())


@router.get("/facets/{facet}", include_in_schema=False)
def facet_html(request: Request, facet: str, contains: str = CONTAINS,
               query: SearchQuery = Depends(search_query)) -> Response:
    data = facet_page(request, query, facet, contains.strip())
    first = (data.page - 1) * data.per_page + 1
    return render(request, "facet.html", {"query": query, "data": data, "first": first,
                                          "json_url": data.links.self_})
