"""An activity's money (`/api/activities/ID/money`, and the activity page's transactions partial) and the
transactions download of a search (`/activities.transactions.csv`).

Every figure is converted by the one rule (`normalize.eur`); this module only arranges it for the page.
"""

from __future__ import annotations

import io
import tempfile
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from markupsafe import Markup

from aidatlas import export
from aidatlas.db.search import SearchQuery
from aidatlas.normalize.eur import METHOD, activity_money
from aidatlas.records import Activity
from aidatlas.reference.codelists import codelists
from aidatlas.web import charts, schemas, urls
from aidatlas.web.common import Web, download_query, facet_value, filter_query, render, web
from aidatlas.web.i18n import N_, gettext
from aidatlas.web.search import _activities, _stream

router = APIRouter()


def money_view(activity: Activity) -> dict[str, Any]:
    """What the activity page's money partial shows: each flow with its type's name and its conversion, the
    totals, and a timeline of the running totals (None without dated, converted flows)."""
    money = activity_money(activity)
    names = codelists()["TransactionType"]
    rows = [{"flow": t, "kind": names.name_of(t.type) or t.type, "eur": c}
            for t, c in zip(activity.transactions, money["transactions"], strict=True)]
    planned = [{"flow": p, "eur": c} for p, c in zip(activity.planned_disbursements,
                                                     money["planned_disbursements"], strict=True)]
    points = [charts.Point(r["flow"].date or r["flow"].value_date or "", r["eur"]["value"],
                           "committed" if r["flow"].type == "2" else "disbursed",
                           f"{r['kind']} {r['flow'].date or ''}: {r['eur']['value']:,.0f} EUR")
              for r in rows if r["flow"].type in ("2", "3", "4") and r["eur"]["value"] is not None]
    left_out = sum(1 for r in rows if r["flow"].type in ("2", "3", "4") and r["eur"]["value"] is None)
    description = gettext("Running totals of %(n)s commitments and disbursements in EUR") % {"n": len(points)}
    if left_out:
        description += "; " + gettext("%(n)s without a rate are in the table only") % {"n": left_out}
    timeline: Markup | None = charts.cumulative(points, title=gettext("Commitments and disbursements over time"),
                                                description=description)
    return {**money, "rows": rows, "planned": planned, "timeline": timeline}


@router.get("/api/activities/{activity_id}/money", tags=["activities"], response_model=schemas.Money,
            summary="An activity's budget and transactions in EUR, with rates")
def api_money(request: Request, activity_id: str) -> dict[str, Any]:
    """The budget, every transaction and planned disbursement converted to EUR at the rate of its own date
    (`method`), each with its rate and basis (`value` null: no rate), and the totals committed, disbursed
    (disbursements and expenditure) and planned, with sums in the original currencies."""
    activity = web(request).store.get_activity(activity_id)
    return {"activity": activity_id, **activity_money(activity)}


@router.get("/activities.transactions.csv", tags=["downloads"], summary="Transactions of a search's result as CSV",
            responses=schemas.download("text/csv"))
def download_transactions(request: Request, query: SearchQuery = Depends(download_query)) -> Response:
    """Every transaction and planned disbursement of the activities of the search (same parameters as
    `/api/activities`), with `value_eur`, `eur_rate` and `eur_basis` (see export.py)."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by _stream
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="", write_through=True)
    export.write_transactions_csv(_activities(web(request), query), text)
    text.detach()
    headers = {"Content-Disposition": 'attachment; filename="aidatlas-transactions.csv"'}
    return StreamingResponse(_stream(spool), media_type="text/csv; charset=utf-8", headers=headers)


SERIES = ("budget", "committed", "disbursed")


def charts_view(w: Web, query: SearchQuery, subject: str) -> dict[str, Any]:
    """The money charts of a result (`subject` names it in titles), each beside the table it draws."""
    data = w.searcher.breakdown(query)
    years = data["by_year"]
    out: dict[str, Any] = {"by_year": years, "year_chart": charts.year_bars(
        years, SERIES, title=gettext("Money by year, %(subject)s") % {"subject": subject},
        description=gettext("Budgets by start year; commitments and disbursements by the year of each transaction; "
                            "in EUR"))}
    titles = {"sector": (N_("Budgets by sector, %(subject)s"), N_("The %(n)s largest sector totals of converted "
                                                                   "budgets, in EUR")),
              "funder": (N_("Budgets by funder, %(subject)s"), N_("The %(n)s largest funder totals of converted "
                                                                   "budgets, in EUR")),
              "country": (N_("Budgets by country, %(subject)s"), N_("The %(n)s largest country totals of converted "
                                                                     "budgets, in EUR"))}
    for facet, (title, description) in titles.items():
        rows = data[f"by_{facet}"]
        out[f"by_{facet}"] = rows
        labels = [facet_value(facet, r.get("value", ""), r["label"]) for r in rows]
        out[f"{facet}_chart"] = charts.hbars(
            [(label, r["eur"]) for label, r in zip(labels, rows, strict=True)],
            title=gettext(title) % {"subject": subject}, description=gettext(description) % {"n": len(rows)})
    return out if any(v for k, v in out.items() if k.endswith("_chart")) else {}


@router.get("/api/charts", tags=["activities"], summary="Money of a search's result by year, sector, funder, country",
            response_model=schemas.Charts)
def api_charts(request: Request, query: SearchQuery = Depends(filter_query)) -> dict[str, Any]:
    """Per year: budgets (by start year), committed and disbursed (by transaction year), in EUR; budgets by
    sector, funder and country (top 10); same parameters as `/api/activities`."""
    data = web(request).searcher.breakdown(query)
    return {**data, "method": METHOD, "html": urls.charts(query)}


@router.get("/charts", include_in_schema=False)
def charts_page(request: Request, query: SearchQuery = Depends(filter_query)) -> Response:
    w = web(request)
    result = w.searcher.search(query, facets=False, totals=True)
    return render(request, "charts.html", {"query": query, "result": result, "method": METHOD,
                                           "charts": charts_view(w, query, gettext("this result")),
                                           "json_url": urls.api_charts(query)})
