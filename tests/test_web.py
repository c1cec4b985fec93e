"""The web app through the test client: search page and API, activity pages, JSON twins, errors, downloads,
and escaping of document text."""

from __future__ import annotations

import csv
import io
import json

from lxml import etree


def test_list_and_activity_pages(client):
    c, activities = client
    page = c.get("/")
    assert page.status_code == 200
    assert "&lt;script&gt;" in page.text and "<script>alert" not in page.text
    one = c.get(f"/activities/{activities[0].id}")
    assert one.status_code == 200 and "European Union" in one.text
    assert "<b>Tuzla</b>" not in one.text


def test_json_twins(client):
    c, activities = client
    listing = c.get("/api/activities").json()
    assert listing["records"][0]["id"] == activities[0].id
    record = c.get(f"/api/activities/{activities[0].id}").json()
    assert record["budget"] == {"value": 120000.0, "currency": "EUR"}
    assert record == activities[0].to_json() | {"source": record["source"]}


def test_not_found_is_json_on_the_api(client):
    c, _ = client
    response = c.get("/api/activities/act-missing")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert c.get("/activities/act-missing").status_code == 404
    assert c.get("/api/nothing-here").json()["error"] == "not_found"


def test_search_api_filters_facets_pages(any_client, validate_record):
    c, _ = any_client
    everything = c.get("/api/activities").json()
    assert everything["total"] == 61 and everything["pages"] == 4 and len(everything["records"]) == 20
    for record in everything["records"]:
        validate_record(record)
    assert set(everything["facets"]) == {"country", "municipality", "funder", "implementer", "kind", "sector",
                                         "year", "programme", "language"}
    ba = next(v for v in everything["facets"]["country"] if v["value"] == "BA")
    funder = everything["facets"]["funder"][0]
    both = c.get("/api/activities", params={"country": "BA", "funder": funder["value"], "per_page": 100}).json()
    assert 0 < both["total"] <= min(ba["count"], funder["count"])
    assert all("BA" in r["countries"] for r in both["records"])
    assert both["query"]["filters"] == {"country": ["BA"], "funder": [funder["value"]]}
    second = c.get(everything["links"]["next"]).json()
    assert second["page"] == 2 and not set(r["id"] for r in second["records"]) & set(
        r["id"] for r in everything["records"])
    assert c.get("/api/activities", params={"q": "Zvecan"}).json()["total"] == c.get(
        "/api/activities", params={"q": "Звечан"}).json()["total"] > 0


def test_search_page_shows_what_the_api_returns(rich):
    c, _ = rich
    params = {"country": "XK", "sort": "title"}
    api = c.get("/api/activities", params=params).json()
    page = c.get("/activities", params=params).text
    assert f"{api['total']} activities" in page
    positions = [page.index(f'/activities/{r["id"]}"') for r in api["records"]]
    assert positions == sorted(positions)
    assert 'aria-current="true"' in page and "Remove filter" in page  # the chosen country
    assert 'href="/activities.csv?country=XK&amp;sort=title"' in page


def test_errors_are_json_with_status(rich):
    c, _ = rich
    bad_sort = c.get("/api/activities", params={"sort": "random"})
    assert bad_sort.status_code == 400 and bad_sort.json()["error"] == "invalid_parameter"
    assert bad_sort.json()["parameter"] == "sort" and "relevance" in bad_sort.json()["allowed"]
    bad_page = c.get("/api/activities", params={"page": 0})
    assert bad_page.status_code == 400 and bad_page.json()["error"] == "invalid_parameter"
    assert bad_page.json()["parameter"] == "page"
    assert c.get("/activities", params={"page": "x"}).status_code == 400
    assert c.post("/api/activities").status_code == 405


def test_downloads_of_the_current_result(rich):
    c, _ = rich
    wanted = c.get("/api/activities", params={"country": "BA", "per_page": 200}).json()
    as_csv = c.get("/activities.csv", params={"country": "BA"})
    assert as_csv.status_code == 200 and "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["id"] for r in rows} == {r["id"] for r in wanted["records"]}
    as_json = c.get("/activities.json", params={"country": "BA"}).json()
    assert [r["id"] for r in as_json["records"]] == [r["id"] for r in wanted["records"]]
    xml = c.get("/activities.xml", params={"q": "clean water tuzla"})
    assert xml.status_code == 200
    root = etree.fromstring(xml.content)
    assert root.tag == "iati-activities" and len(root.findall("iati-activity")) == 1


def test_openapi_and_docs(rich):
    c, _ = rich
    spec = c.get("/openapi.json").json()
    assert {"/api/activities", "/api/activities/{activity_id}", "/api/organisations/{org_id}",
            "/api/countries/{code}", "/api/overview"} <= set(spec["paths"])
    params = {p["name"] for p in spec["paths"]["/api/activities"]["get"]["parameters"]}
    assert {"q", "country", "municipality", "funder", "implementer", "kind", "sector", "year", "programme",
            "language", "sort", "page", "per_page"} <= params
    docs = c.get("/docs")
    assert docs.status_code == 200 and "/api/activities" in docs.text and "<script" not in docs.text.replace(
        '<script src="/static/app.js" defer></script>', "")
    json.dumps(spec)


def test_security_headers(client):
    c, _ = client
    headers = c.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
