"""The strict API (issue 15): every documented GET endpoint answers what `/openapi.json` says it answers,
malformed requests are a 4xx with the documented JSON error body (never a 500 or a traceback), unknown
parameters and invalid values name the parameter and what is allowed, lists come in pages, downloads hold
the whole result and refuse page/per_page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import jsonschema
import pytest
from fastapi.testclient import TestClient
from web_fixtures import fill
from web_grants_fixtures import World, login_as

from aidatlas.registry import open_store
from aidatlas.web.app import create_app


@pytest.fixture(scope="module")
def api(grants_web_world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, World]]:
    """The app over the grants world plus 40 synthetic activities, signed in as an admin (who holds every
    role, so every documented endpoint is reachable). Read-only: shared by the module's tests."""
    settings = grants_web_world.settings(tmp_path_factory.mktemp("api"))
    store = open_store(settings)
    fill(store, synthetic=40)
    with TestClient(create_app(settings, store), raise_server_exceptions=False) as client:
        login_as(client, grants_web_world, "admin")
        yield client, grants_web_world
    store.close()


@pytest.fixture(scope="module")
def spec(api: tuple[TestClient, World]) -> dict[str, Any]:
    answer = api[0].get("/openapi.json")
    assert answer.status_code == 200
    return dict(answer.json())


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A validator for one schema of the document, its `#/components/…` references resolved in it."""
    return jsonschema.Draft202012Validator({**schema, "components": spec["components"]})


def _check(spec: dict[str, Any], schema: dict[str, Any], body: Any, where: str) -> None:
    errors = sorted(_validator(spec, schema).iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, (where, [(list(e.absolute_path)[:6], e.message[:200]) for e in errors[:5]])


def _path_values(client: TestClient, world: World) -> dict[str, str]:
    org = client.get("/api/organisations").json()["organisations"][0]["id"]
    place = client.get("/api/places").json()["places"][0]["name"]
    return {"activity_id": world.activity_id, "document_id": world.extra["document_id"], "org_id": org,
            "code": "ba", "name": place, "call_id": str(world.demo.followup_call),
            "application_id": str(world.a_sub), "facet": "country"}


#: what a path needs in every request (the lookup wants three letters of a name)
NEEDED: dict[str, dict[str, str]] = {"/api/alumni/lookup": {"name": "Jovan"}}
#: valid parameters beyond the defaults, per documented path (each set is one more request)
VALID: dict[str, list[dict[str, str]]] = {
    "/api/activities": [{"country": "xk", "per_page": "5", "page": "2"},
                        {"q": "water", "sort": "newest", "kind": "Project", "language": "EN"},
                        {"year": "none"}, {"min_eur": "1,000", "max_eur": "5000000", "from": "2020"}],
    "/api/organisations": [{"page": "2", "per_page": "3"}, {"q": "union"}],
    "/api/places": [{"page": "2", "per_page": "2"}],
    "/api/facets/{facet}": [{"country": "ba", "per_page": "2"}, {"contains": "bos", "year": "none"}],
    "/api/documents": [{"per_page": "1"}],
    "/api/charts": [{"country": "BA"}],
    "/activities.json": [{"country": "BA", "sort": "title"}],
    "/api/audit": [{"limit": "5"}],
    "/api/outbox": [{"page": "2", "per_page": "3"}],
    "/api/calls": [{"per_page": "1"}],
}


def test_every_documented_get_answers_its_documented_schema(api: tuple[TestClient, World],
                                                            spec: dict[str, Any]) -> None:
    client, world = api
    values = _path_values(client, world)
    walked = 0
    for template, methods in spec["paths"].items():
        if "get" not in methods:
            continue
        op = methods["get"]
        path = template
        for name, value in values.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        assert "{" not in path, f"no test value for a parameter of {template}"
        documented = op["responses"]["200"]["content"]
        for params in [{}, *VALID.get(template, [])]:
            answer = client.get(path, params={**NEEDED.get(template, {}), **params})
            where = f"GET {path} {params}"
            assert answer.status_code == 200, (where, answer.text[:300])
            media = answer.headers["content-type"].split(";")[0]
            assert media in documented, (where, media, list(documented))
            if media == "application/json":
                _check(spec, documented[media]["schema"], answer.json(), where)
            walked += 1
    assert walked >= 40


def test_the_record_model_is_the_record_schema(spec: dict[str, Any], record_schema: dict[str, Any]) -> None:
    """The activity record in OpenAPI is the package's record.schema.json, definitions inlined."""
    record = spec["components"]["schemas"]["ActivityRecord"]
    assert record["required"] == record_schema["required"]
    assert set(record["properties"]) == set(record_schema["properties"])
    assert "$ref" not in str(record)


def test_errors_are_documented_as_the_body_the_app_sends(spec: dict[str, Any]) -> None:
    """No operation documents FastAPI's 422 `HTTPValidationError`: each names the one error body."""
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for template, methods in spec["paths"].items():
        for method, op in methods.items():
            assert "400" in op["responses"], (method, template)
            for code, response in op["responses"].items():
                if code.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, template, code)
            if "{" in template:
                assert "404" in op["responses"], (method, template)


#: (request, status, the parameter the error names or None) — each must be a 4xx with the JSON error body
MALFORMED: list[tuple[str, int, str | None]] = [
    ("/api/activities?contry=XK", 400, "contry"),
    ("/api/activities?Country=BA", 400, "Country"),
    ("/api/activities?limit=5", 400, "limit"),
    ("/api/activities?country=ZZ", 400, "country"),
    ("/api/activities?country=Bosnia", 400, "country"),
    ("/api/activities?year=abc", 400, "year"),
    ("/api/activities?year=20211", 400, "year"),
    ("/api/activities?kind=grant", 400, "kind"),
    ("/api/activities?sector=abc", 400, "sector"),
    ("/api/activities?sector=99999", 400, "sector"),
    ("/api/activities?language=english", 400, "language"),
    ("/api/activities?funder=European%20Union", 400, "funder"),
    ("/api/activities?implementer=%3Cscript%3E", 400, "implementer"),
    ("/api/activities?sort=random", 400, "sort"),
    ("/api/activities?page=0", 400, "page"),
    ("/api/activities?page=x", 400, "page"),
    ("/api/activities?per_page=1000", 400, "per_page"),
    ("/api/activities?min_eur=lots", 400, "min_eur"),
    ("/api/activities?max_eur=inf", 400, "max_eur"),
    ("/api/activities?from=yesterday", 400, None),
    ("/api/activities?min_eur=10&max_eur=5", 400, None),
    ("/api/activities?q=" + "x" * 600, 400, "q"),
    ("/activities.csv?page=2", 400, "page"),
    ("/activities.json?per_page=10", 400, "per_page"),
    ("/activities.xml?country=ZZ", 400, "country"),
    ("/activities.transactions.csv?page=1", 400, "page"),
    ("/api/charts?page=2", 400, "page"),
    ("/api/organisations?limit=5", 400, "limit"),
    ("/api/organisations?per_page=0", 400, "per_page"),
    ("/api/organisations?page=-3", 400, "page"),
    ("/api/places?per_page=abc", 400, "per_page"),
    ("/api/documents?q=water", 400, "q"),
    ("/api/overview?x=1", 400, "x"),
    ("/api/activities/{activity}?fields=title", 400, "fields"),
    ("/api/calls/abc", 400, "call_id"),
    ("/api/audit?limit=0", 400, "limit"),
    ("/api/inbox?before=x", 400, "before"),
    ("/api/outbox?per_page=500", 400, "per_page"),
    ("/api/my/applications?page=zero", 400, "page"),
    ("/api/countries/ZZ", 404, None),
    ("/api/countries/B4", 404, None),
    ("/api/activities/act-missing", 404, None),
    ("/api/organisations/org-missing", 404, None),
    ("/api/places/Atlantis", 404, None),
    ("/api/documents/nope", 404, None),
    ("/api/calls/999999", 404, None),
    ("/api/nothing-here", 404, None),
]


def test_malformed_requests_are_4xx_with_the_documented_error_body(api: tuple[TestClient, World],
                                                                     spec: dict[str, Any]) -> None:
    client, world = api
    error_schema = {"$ref": "#/components/schemas/ErrorBody"}
    for request, status, parameter in MALFORMED:
        request = request.replace("{activity}", world.activity_id)
        answer = client.get(request)
        where = f"GET {request[:80]}"
        assert answer.status_code == status, (where, answer.status_code, answer.text[:300])
        assert answer.headers["content-type"].startswith("application/json"), where
        assert "Traceback" not in answer.text and 'File "' not in answer.text, where
        body = answer.json()
        _check(spec, error_schema, body, where)
        if parameter is not None:
            assert body["error"] == "invalid_parameter" and body["parameter"] == parameter, (where, body)
    assert len(MALFORMED) >= 36


def test_an_unknown_parameter_names_the_ones_the_route_documents(api: tuple[TestClient, World],
                                                                 spec: dict[str, Any]) -> None:
    """The allowed names come from each route's own declaration: they are exactly its documented query
    parameters, plus `lang` (every page takes the interface language)."""
    client, world = api
    values = _path_values(client, world)
    for template, methods in spec["paths"].items():
        if "get" not in methods:
            continue
        path = template
        for name, value in values.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        needed = NEEDED.get(template, {})
        body = client.get(path, params={**needed, "nonsense": "1"}).json()
        documented = {p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"}
        assert body["parameter"] == "nonsense" and set(body["allowed"]) == documented | {"lang"}, template
        assert client.get(path, params={**needed, "lang": "sq"}).status_code == 200, template


def test_codes_are_normalised_and_invalid_values_name_what_is_allowed(api: tuple[TestClient, World]) -> None:
    client, _ = api
    lower = client.get("/api/activities", params={"country": "xk"}).json()
    assert lower["query"]["filters"] == {"country": ["XK"]}
    assert lower["total"] == client.get("/api/activities", params={"country": "XK"}).json()["total"] > 0
    assert client.get("/api/countries/xk").json()["code"] == "XK"
    refused = client.get("/api/activities", params={"country": "ZZ"}).json()
    assert "XK" in refused["allowed"] and "BA" in refused["allowed"] and "ZZ" not in refused["allowed"]
    kinds = client.get("/api/activities", params={"kind": "grant"}).json()
    assert kinds["allowed"] == ["project", "follow-up", "core-support", "event", "programme"]
    assert client.get("/api/activities", params={"year": "none"}).status_code == 200
    everything = client.get("/api/activities").json()["total"]
    assert client.get("/api/activities", params={"contry": "XK"}).status_code == 400 and everything > 0


def test_organisations_come_in_pages_that_cover_the_whole_list(api: tuple[TestClient, World]) -> None:
    client, _ = api
    first = client.get("/api/organisations", params={"per_page": 4}).json()
    seen: list[str] = []
    page: dict[str, Any] | None = first
    while page is not None:
        seen += [o["id"] for o in page["organisations"]]
        following = page["links"]["next"]
        page = client.get(following).json() if following else None
    assert len(seen) == len(set(seen)) == first["total"] > 4
    assert first["pages"] == -(-first["total"] // 4) and first["links"]["prev"] is None
    last = client.get(first["links"]["last"]).json()
    assert last["links"]["next"] is None and last["page"] == first["pages"]


def test_places_and_documents_are_listed_in_pages(api: tuple[TestClient, World]) -> None:
    client, _ = api
    places = client.get("/api/places", params={"per_page": 2}).json()
    assert places["total"] > 2 and len(places["places"]) == 2 and places["links"]["next"]
    assert client.get(places["places"][0]["url"]).status_code == 200
    one = places["places"][0]["name"]
    assert one in [p["name"] for p in client.get("/api/places", params={"q": one[:3].lower()}).json()["places"]]
    documents = client.get("/api/documents").json()
    assert documents["total"] == len(documents["documents"]) >= 2
    assert all(client.get(d["url"]).status_code == 200 for d in documents["documents"])


def test_downloads_stream_the_whole_result_whatever_its_size(api: tuple[TestClient, World]) -> None:
    client, _ = api
    total = client.get("/api/activities", params={"per_page": 1}).json()["total"]
    rows = list(csv.DictReader(io.StringIO(client.get("/activities.csv").text)))
    assert len(rows) == total > 20
    records = client.get("/activities.json").json()["records"]
    assert len(records) == total
    refused = client.get("/activities.csv", params={"per_page": 5}).json()
    assert "whole result" in refused["detail"] and "per_page" not in refused["allowed"]
