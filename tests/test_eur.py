"""The one conversion rule, and a crawl of a fixture registry's pages and API: the same amount has the same EUR
figure everywhere it is shown (activity page, search card and totals, country, place, organisation, overview,
CSV, JSON), and an amount without a rate is listed as unconverted, never dropped."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from aidatlas.normalize.eur import activity_money, budget_eur, flow_eur, to_eur
from aidatlas.records import Activity, Dates, Money, Participant, Place, Source, Transaction
from aidatlas.reference.rates import rates
from aidatlas.registry import open_store
from aidatlas.web.app import create_app


# ------------------------------------------------------------------ the rule
def test_an_amount_takes_the_rate_of_its_own_year_never_a_later_one() -> None:
    table = rates()
    usd_2008 = table.per_eur[(2008, "USD")]
    c = to_eur(3046789.0, "USD", None, "2008-05-01", "2026-01-01")
    assert c.rate == usd_2008 and c.eur == pytest.approx(3046789.0 / usd_2008)
    assert c.basis == "ECB reference rate, 2008 annual mean"
    assert to_eur(1.0, "USD", "1990-01-01").eur is None  # before the first published year: no rate
    last = table.latest_year["USD"]
    assert to_eur(1.0, "USD", f"{last + 3}-01-01").basis.endswith(f"{last} annual mean")  # an earlier year's


def test_the_regions_currencies_and_the_peg() -> None:
    mkd = to_eur(4920000.0, "MKD", "2019-03-01")
    assert mkd.eur is not None and 79000 < mkd.eur < 81000
    assert mkd.basis == "National Bank of the Republic of North Macedonia, 2019 annual mean"
    assert to_eur(1.0, "RSD", "2015").basis.startswith("National Bank of Serbia")
    assert to_eur(1.0, "ALL", "2015").basis.startswith("Bank of Albania")
    bam = to_eur(195583.0, "BAM", None)  # a peg needs no date
    assert bam.eur == pytest.approx(100000.0) and bam.basis.startswith("fixed peg")


def test_what_cannot_be_converted_says_why() -> None:
    assert to_eur(5.0, "USD").basis == "no date to convert at"
    assert to_eur(5.0, None, "2020").basis == "no currency"
    assert to_eur(5.0, "XYZ", "2020").basis == "no XYZ rate for 2020"


def test_the_order_of_dates() -> None:
    # a transaction: its value date first, then its date, then the activity's start, then its announcement
    assert flow_eur(1.0, "USD", "2010-01-01", "2008-01-01", "2005", None).basis.endswith("2010 annual mean")
    assert flow_eur(1.0, "USD", None, "2008-01-01", "2005", None).basis.endswith("2008 annual mean")
    assert flow_eur(1.0, "USD", None, None, None, "2012").basis.endswith("2012 annual mean")
    assert budget_eur(1.0, "USD", None, None, "2013-02").basis.endswith("2013 annual mean")


# ------------------------------------------------------------------ the fixture registry
def _activity(n: int, budget: Money, country: str, place: str, dates: Dates, **extra: object) -> Activity:
    return Activity(kind="project", title={"en": f"Activity {n}"}, iati_identifier=f"XI-EUR-{n}",
                    countries=[country], locations=[Place(name=place, country=country)],
                    participants=[Participant(name=f"Funder {n}", role="funder", org_id=f"XI-F{n}")],
                    budget=budget, dates=dates, source=Source(document="eur.xml"), **extra)  # type: ignore[arg-type]


ACTIVITIES = [
    _activity(1, Money(value=3046789.0, currency="USD"), "BA", "Tuzla", Dates(start="2008-05-01"), transactions=[
        Transaction(type="2", date="2008-06-01", value=1000000.0, currency="USD"),
        Transaction(type="3", date="2010-03-01", value=500000.0, currency="USD"),
        Transaction(type="3", date="2011-03-01", value=20000.0, currency="MKD")]),
    _activity(2, Money(value=4920000.0, currency="MKD"), "MK", "Bitola", Dates(start="2019-03-01")),
    _activity(3, Money(value=1000000.0, currency="RSD"), "RS", "Niš", Dates(announced="2015-06-30")),
    _activity(4, Money(value=100000.0, currency="BAM"), "ME", "Nikšić", Dates(start="2021")),
    _activity(5, Money(value=50000.0, currency="USD"), "AL", "Tirana", Dates()),  # no date: no rate
]


@pytest.fixture(name="site")
def site_fixture(sqlite_settings) -> Iterator[tuple[TestClient, list[Activity]]]:
    store = open_store(sqlite_settings)
    store.import_activities([a.model_copy(deep=True) for a in ACTIVITIES], source_name="eur.xml")
    stored = store.get_activities(store.activity_ids())
    with TestClient(create_app(sqlite_settings, store)) as client:
        yield client, sorted(stored, key=lambda a: a.iati_identifier or "")
    store.close()


_DATA_EUR = re.compile(r'data-eur="(-?[0-9.]+)"')


def _first_eur(html: str, after: str = "") -> float:
    start = html.index(after) if after else 0
    found = _DATA_EUR.search(html, start)
    assert found, f"no EUR figure after {after!r}"
    return float(found.group(1))


def _cents(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def figures(client: TestClient, a: Activity) -> dict[str, float | None]:
    """Every place the registry shows activity `a`'s budget in EUR (each filtered so only `a` counts)."""
    country, place = a.countries[0], a.locations[0].name
    org = client.get("/api/organisations").json()["organisations"]
    org_id = next(o["id"] for o in org if o["name"] == a.participants[0].name)
    search = client.get(f"/activities?country={country}").text
    csv_rows = list(csv.DictReader(io.StringIO(client.get(f"/activities.csv?country={country}").text)))
    overview = client.get("/api/overview").json()
    return {
        "activity page": _first_eur(client.get(f"/activities/{a.id}").text, "<dt>Budget</dt>"),
        "search card": _first_eur(search, '<ol class="records"'),
        "search totals": _first_eur(search, 'id="totals-h"'),
        "search API": _cents(client.get(f"/api/activities?country={country}").json()["totals"]["eur"]),
        "country page": _first_eur(client.get(f"/countries/{country}").text, 'class="figures"'),
        "country API": _cents(client.get(f"/api/countries/{country}").json()["totals"]["eur"]),
        "place page": _first_eur(client.get(f"/places/{quote(place)}").text, 'class="figures"'),
        "place API": _cents(client.get(f"/api/places/{quote(place)}").json()["totals"]["eur"]),
        "organisation page": _first_eur(client.get(f"/organisations/{org_id}").text, 'class="figures"'),
        "organisation API": _cents(client.get(f"/api/organisations/{org_id}").json()["eur"]),
        "overview API": _cents(next(r["eur"] for r in overview["by_country"] if r["value"] == country)),
        "money API": _cents(client.get(f"/api/activities/{a.id}/money").json()["budget"]["value"]),
        "CSV": float(csv_rows[0]["budget_value_eur"]),
    }


def test_every_page_shows_the_same_eur_figure_for_the_same_amount(site) -> None:
    client, activities = site
    for a in activities[:4]:
        assert a.budget is not None
        expected = round(budget_eur(a.budget.value, a.budget.currency, a.budget.value_date, a.dates.start,
                                    a.dates.announced).eur or 0.0, 2)
        shown = figures(client, a)
        assert shown == dict.fromkeys(shown, expected), a.iati_identifier
    overview = client.get("/overview").text
    assert _first_eur(overview, 'class="figures"') == pytest.approx(
        sum(round(budget_eur(a.budget.value, a.budget.currency, None, a.dates.start, a.dates.announced).eur
                  or 0.0, 2) for a in activities if a.budget), abs=0.05)


def test_an_amount_without_a_rate_is_listed_not_dropped(site) -> None:
    client, activities = site
    undated = activities[4]
    page = client.get(f"/activities/{undated.id}").text
    assert "not converted to EUR: no date to convert at" in page
    totals = client.get("/api/activities").json()["totals"]
    assert totals["unconverted"] == 1 and totals["by_currency"]["USD"] == 3046789.0 + 50000.0
    albania = client.get("/api/countries/AL").json()["totals"]
    assert (albania["eur"], albania["unconverted"], albania["by_currency"]) == (0.0, 1, {"USD": 50000.0})
    row = next(csv.DictReader(io.StringIO(client.get("/activities.csv?country=AL").text)))
    assert (row["budget_value_eur"], row["budget_eur_basis"]) == ("", "no date to convert at")


def test_transactions_have_one_eur_figure_each_and_totals_add_them(site) -> None:
    client, activities = site
    a = activities[0]
    money = client.get(f"/api/activities/{a.id}/money").json()
    expected = activity_money(a)
    assert money["transactions"] == expected["transactions"]
    commitment, disbursement, in_mkd = money["transactions"]
    assert commitment["basis"].endswith("2008 annual mean") and disbursement["basis"].endswith("2010 annual mean")
    rows = list(csv.DictReader(io.StringIO(client.get("/activities.transactions.csv?country=BA").text)))
    assert [float(r["value_eur"]) for r in rows] == [round(c["value"], 2) for c in money["transactions"]]
    totals = client.get("/api/activities?country=BA").json()["totals"]
    assert totals["committed"]["eur"] == pytest.approx(commitment["value"])
    assert totals["disbursed"]["eur"] == pytest.approx(disbursement["value"] + in_mkd["value"])
    assert totals["disbursed"]["by_currency"] == {"MKD": 20000.0, "USD": 500000.0}
    page = client.get(f"/activities/{a.id}").text
    section = page[page.index('id="tx-h"'):]
    assert _first_eur(section) == round(commitment["value"], 2)  # the committed total leads the section
    assert "<svg" in section and "<title" in section and "<table" in section  # the chart and its table
    search = client.get("/activities?country=BA").text
    assert _first_eur(search, 'id="totals-h"') == round(a.budget.value / rates().per_eur[(2008, "USD")], 2) \
        if a.budget else False
