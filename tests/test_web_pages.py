"""Activity sources, documents, organisations, countries, places and the overview: HTML and JSON twins."""

from __future__ import annotations

import re

from aidatlas.web.maps import project, render_map


def test_activity_sources_and_document_view(client):
    c, activities = client
    a = activities[0]
    sources = c.get(f"/api/activities/{a.id}/sources").json()
    budget = sources["fields"]["budget"][0]
    assert budget["sentence"] == "Budget: EUR 120,000"
    page = c.get(f"/activities/{a.id}").text
    assert "Budget: <mark>EUR 120,000</mark>" in page
    link = re.search(r'href="(/documents/[0-9a-f]+\?start=\d+&amp;end=\d+&amp;field=budget#source)"', page)
    assert link
    doc = c.get(link.group(1).replace("&amp;", "&"))
    assert doc.status_code == 200
    assert '<mark id="source" title="budget">EUR 120,000</mark>' in doc.text
    assert "&lt;script&gt;alert" in doc.text and "<script>alert" not in doc.text
    assert "<b>Tuzla</b>" not in doc.text and "&lt;b&gt;Tuzla&lt;/b&gt;" in doc.text
    every = c.get(f"/documents/{a.source.sha256}").text
    assert 'title="budget">EUR 120,000</mark>' in every and 'title="participants.0"' in every  # overlaps merge
    api = c.get(f"/api/documents/{a.source.sha256}").json()
    assert api["activities"] == [a.id] and "Clean water" in api["text"]


def test_language_switch(rich):
    c, _ = rich
    record = c.get("/api/activities", params={"q": "Unapređenje"}).json()["records"][0]
    en = c.get(f"/activities/{record['id']}").text
    bs = c.get(f"/activities/{record['id']}", params={"text": "bs"}).text
    assert "<h1>" + record["title"]["en"] in en.replace('<span lang="en">', "")
    assert 'lang="bs">' + record["title"]["bs"] + "</span></h1>" in bs
    assert 'aria-current="true">Bosnian' in bs


def test_organisation_page_and_twin(rich):
    c, _ = rich
    funder = c.get("/api/activities").json()["facets"]["funder"][0]
    org = c.get(f"/api/organisations/{funder['value']}").json()
    assert org["name"] == funder["label"]
    assert org["roles"]["funder"] == funder["count"] == org["activities"]["total"]
    assert org["aliases"] and org["countries"] and org["timeline"]
    assert sum(org["by_currency"].values()) > 0 and org["eur"] > 0
    page = c.get(f"/organisations/{funder['value']}")
    assert page.status_code == 200 and funder["label"] in page.text and "Timeline" in page.text
    assert c.get("/api/organisations/org-missing").status_code == 404
    found = c.get("/api/organisations", params={"q": funder["label"][:6].upper()}).json()["organisations"]
    assert funder["value"] in [o["id"] for o in found]
    assert funder["label"] in c.get("/organisations", params={"q": funder["label"][:6]}).text


def test_country_and_place_pages(rich):
    c, _ = rich
    xk = c.get("/api/countries/XK").json()
    assert xk["name"] == "Kosovo" and xk["activities"]["total"] > 0
    assert all("XK" in r["countries"] for r in xk["activities"]["latest"])
    assert xk["funders"] and xk["totals"]["activities"] == xk["activities"]["total"]
    page = c.get("/countries/xk")
    assert page.status_code == 200 and "<svg" in page.text and 'class="country stressed"' in page.text
    place = xk["places"][0]["name"]
    assert c.get(f"/api/places/{place}").json()["activities"]["total"] == xk["places"][0]["activities"]
    assert c.get(f"/places/{place}").status_code == 200
    assert c.get("/places/Nowhere-at-all").status_code == 404
    assert c.get("/api/countries/Kosovo").status_code == 404


def test_overview_converts_and_shows_originals(rich):
    c, _ = rich
    data = c.get("/api/overview").json()
    assert data["totals"]["activities"] == 61
    assert sum(r["activities"] for r in data["by_year"]) <= 61
    ba = next(r for r in data["by_country"] if r["value"] == "BA")
    assert ba["eur"] > 0 and set(ba["by_currency"]) <= {"EUR", "USD", "BAM"}
    assert data["rates"]["pegs"] == {"BAM": 1.95583}
    page = c.get("/overview").text
    assert "Money by country" in page and "<svg" in page and "million EUR" in page
    assert "BAM" in page  # originals beside the converted figures


def test_map_is_offline_svg():
    svg = render_map([{"name": "Tuzla <x>", "lat": 44.54, "lon": 18.67, "activities": 3}], highlight=["BA"],
                     title="T", description="D")
    assert svg.startswith("<svg") and "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "Tuzla &lt;x&gt;: 3 activities" in svg and svg.count("<circle") == 1
    x, y = project(18.67, 44.54)
    assert 0 < x < 600 and y > 0
