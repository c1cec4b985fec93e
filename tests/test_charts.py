"""Money charts: inline SVG with a title and description, no script or external resource, beside a table of the
same figures; on the overview, country, place, organisation and search-result pages; real pages in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from browser_support import chromium, live_server, needs_chromium
from fastapi.testclient import TestClient
from lxml import etree
from test_eur import ACTIVITIES

from aidatlas.normalize.eur import flow_eur
from aidatlas.registry import open_store
from aidatlas.settings import Settings
from aidatlas.web import charts
from aidatlas.web.app import create_app

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> Any:
    root = etree.fromstring(markup.encode())
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    text = markup.lower()
    assert "<script" not in text and "href" not in text and "@import" not in text and "url(" not in text
    return root


def test_each_chart_is_labelled_svg_without_scripts() -> None:
    rows = [{"year": 2019, "budget": 100.0, "committed": 50.0, "disbursed": 0.0},
            {"year": 2020, "budget": 0.0, "committed": 0.0, "disbursed": 25.0}]
    root = parse(charts.year_bars(rows, ("budget", "committed", "disbursed"), title="By year", description="d"))
    bars = root.findall(f"{SVG}rect")
    assert [b.get("class") for b in bars] == ["series budget", "series committed", "series disbursed"]
    assert [b.findtext(f"{SVG}title") for b in bars] == ["2019 budget: 100 EUR", "2019 committed: 50 EUR",
                                                        "2020 disbursed: 25 EUR"]
    assert float(bars[0].get("height")) == 2 * float(bars[1].get("height"))
    root = parse(charts.hbars([("Health <&>", 10.0), ("Water", 5.0), ("None", 0.0)], title="t", description="d"))
    assert [r.findtext(f"{SVG}title") for r in root.findall(f"{SVG}rect")] == ["Health <&>: 10 EUR", "Water: 5 EUR"]
    points = [charts.Point("2020-01-01", 10.0, "committed", "c"), charts.Point("2021", 5.0, "disbursed", "d1"),
              charts.Point("2021-06", 5.0, "disbursed", "d2"), charts.Point("nonsense", 1.0, "disbursed", "x")]
    root = parse(charts.cumulative(points, title="t", description="d"))
    assert [c.findtext(f"{SVG}title") for c in root.findall(f"{SVG}circle")] == ["c", "d1", "d2"]
    assert charts.hbars([], title="t", description="d") is None and charts.year_bars([], ("a",), title="t",
                                                                                     description="d") is None


@pytest.fixture(name="site")
def site_fixture(sqlite_settings: Settings) -> Iterator[TestClient]:
    store = open_store(sqlite_settings)
    store.import_activities([a.model_copy(deep=True) for a in ACTIVITIES], source_name="eur.xml")
    with TestClient(create_app(sqlite_settings, store)) as client:
        yield client
    store.close()


def test_charts_on_every_money_page_with_their_tables(site: TestClient) -> None:
    org = next(o["id"] for o in site.get("/api/organisations").json()["organisations"] if o["name"] == "Funder 1")
    for url in ("/overview", "/countries/BA", f"/places/{quote('Tuzla')}", f"/organisations/{org}",
                "/charts?country=BA"):
        html = site.get(url).text
        section = html[html.index('id="charts-h"'):]
        assert section.count('<svg class="chart"') >= 2, url
        assert "Money by year as a table" in section and "<table" in section, url


def test_chart_figures_are_the_results_totals(site: TestClient) -> None:
    data = site.get("/api/charts?country=BA").json()
    tuzla = ACTIVITIES[0]
    by_year = {r["year"]: r for r in data["by_year"]}
    assert set(by_year) == {2008, 2010, 2011}  # budget and commitment in 2008, disbursements 2010 and 2011
    expected_2010 = flow_eur(500000.0, "USD", None, "2010-03-01", tuzla.dates.start, None).eur
    assert by_year[2010]["disbursed"] == pytest.approx(expected_2010)
    totals = site.get("/api/activities?country=BA").json()["totals"]
    assert sum(r["committed"] for r in data["by_year"]) == pytest.approx(totals["committed"]["eur"])
    assert sum(r["disbursed"] for r in data["by_year"]) == pytest.approx(totals["disbursed"]["eur"])
    assert data["by_country"][0]["eur"] == pytest.approx(totals["eur"])


@pytest.mark.browser
@needs_chromium
def test_charts_page_in_chromium(sqlite_settings: Settings) -> None:
    store = open_store(sqlite_settings)
    store.import_activities([a.model_copy(deep=True) for a in ACTIVITIES], source_name="eur.xml")
    with live_server(create_app(sqlite_settings, store)) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{url}/charts")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits a phone
        chart = page.locator("svg.chart").first
        assert chart.bounding_box()["width"] > 300
        assert page.get_by_role("img", name="Money by year, this result").is_visible()
        page.get_by_text("Money by year as a table").click()
        assert page.get_by_role("table", name="Money by year, in EUR").is_visible()
    store.close()
