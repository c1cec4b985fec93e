"""The overview (`/overview` ↔ `/api/overview`): money by country, funder and year in EUR, and a map."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aidatlas.db.search import SearchQuery
from aidatlas.normalize.eur import METHOD
from aidatlas.reference.rates import PEGS, rates
from aidatlas.web import schemas, urls
from aidatlas.web.common import Web, render, web
from aidatlas.web.i18n import current, gettext
from aidatlas.web.maps import points_for, render_map
from aidatlas.web.money import charts_view
from aidatlas.web.places import coordinates

router = APIRouter()


def overview(w: Web) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        everything = SearchQuery()
        places = w.searcher.facet_values(everything, "municipality")
        table = rates()
        currencies = set(table.currencies())
        seen = {c for row in w.searcher.aggregate(everything, "kind") for c in row["by_currency"]}
        return {
            "totals": w.searcher.totals(everything),
            "by_country": w.searcher.aggregate(everything, "country"),
            "by_funder": w.searcher.aggregate(everything, "funder")[:20],
            "by_year": sorted(w.searcher.aggregate(everything, "year"), key=lambda r: r["value"]),
            "points": points_for([(p.value, p.count) for p in places], coordinates(w)),
            "rates": {"source": "ECB euro foreign exchange reference rates, yearly means; NBS, NBRM and Bank of "
                                "Albania annual averages for RSD, MKD and ALL", "data_to": table.as_of,
                      "pegs": PEGS, "unconverted_currencies": sorted(seen - currencies), "method": METHOD},
        }

    return w.cached("overview", compute)


@router.get("/api/overview", tags=["overview"], summary="Money by country, funder and year, in EUR",
            response_model=schemas.Overview)
def api_overview(request: Request) -> dict[str, Any]:
    """Totals converted to EUR at documented rates (`rates`), always with the sums in original currencies
    (`by_currency`) and the number of budgets that could not be converted (`unconverted`). An activity in
    several countries, or with several funders, counts in full for each."""
    return overview(web(request))


@router.get("/overview", include_in_schema=False)
def overview_page(request: Request) -> Response:
    data = overview(web(request))
    svg = render_map(data["points"], title=gettext("Places of activities in the Western Balkans"),
                     description=gettext("%(n)s places with activities, sized by number of activities") % {
                         "n": len(data["points"])})
    w = web(request)
    charts = w.cached(f"overview-charts-{current().locale}",
                      lambda: charts_view(w, SearchQuery(), gettext("all activities")))
    return render(request, "overview.html", {**data, "map": svg, "json_url": urls.api_overview(), "charts": charts,
                                             "peak_year": max((y["eur"] for y in data["by_year"]), default=0)})
