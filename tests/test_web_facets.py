"""Every facet value is reachable: the search page's "All N values" link, `/facets/{facet}` and its JSON twin."""

from __future__ import annotations

import re
from html import unescape


def test_more_link_leads_to_every_value(rich):
    c, _ = rich
    page = c.get("/activities", params={"kind": "project"}).text
    links = [unescape(h) for h in re.findall(r'<p class="more"><a href="([^"]+)"', page)]
    assert links, "a facet with more than its top values offers them all"
    every = c.get(links[0])
    assert every.status_code == 200 and "Find a value" in every.text
    assert 'name="kind" value="project"' in every.text  # the search is kept


def test_api_facet_pages_and_filters(rich):
    c, _ = rich
    everything = c.get("/api/activities", params={"per_page": 1}).json()
    first = c.get("/api/facets/implementer", params={"per_page": 5}).json()
    assert first["facet"] == "implementer" and first["per_page"] == 5 and len(first["values"]) == 5
    assert first["total"] > 12 > len(everything["facets"]["implementer"]) - 1  # more than the page's top 12
    seen = []
    page = first
    while True:
        seen += [v["value"] for v in page["values"]]
        if not page["links"]["next"]:
            break
        page = c.get(page["links"]["next"]).json()
    assert len(seen) == len(set(seen)) == first["total"]
    one = first["values"][0]
    found = c.get("/api/facets/implementer", params={"contains": one["label"][:4].upper()}).json()
    assert one["value"] in [v["value"] for v in found["values"]]
    assert c.get(one["search"].replace("/activities", "/api/activities")).json()["total"] == one["count"]


def test_api_facet_counts_follow_the_click_rule(rich):
    c, _ = rich
    years = c.get("/api/facets/year").json()["values"]
    picked = years[0]["value"]
    with_choice = c.get("/api/facets/year", params={"year": picked}).json()
    values = {v["value"]: v for v in with_choice["values"]}
    assert values[picked]["selected"] and not values[picked]["adds"]
    assert len(values) == len(years)  # the other years stay, as "+n"
    total = c.get("/api/activities", params={"year": picked}).json()["total"]
    other = next(v for v in with_choice["values"] if not v["selected"])
    assert other["adds"]
    both = c.get("/api/activities", params=[("year", picked), ("year", other["value"])]).json()["total"]
    assert both == total + other["count"]


def test_unknown_facet_is_404(rich):
    c, _ = rich
    response = c.get("/api/facets/colour")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert c.get("/facets/colour").status_code == 404


def test_facet_page_html(rich):
    c, _ = rich
    page = c.get("/facets/country", params={"contains": "bosn"})
    assert page.status_code == 200 and "Bosnia and Herzegovina" in page.text and "Kosovo" not in page.text
    assert 'rel="alternate" type="application/json"' in page.text


def test_openapi_declares_the_facet_model(rich):
    c, _ = rich
    spec = c.get("/openapi.json").json()
    ok = spec["paths"]["/api/facets/{facet}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/FacetPage"}
    assert "self" in spec["components"]["schemas"]["FacetLinks"]["properties"]
