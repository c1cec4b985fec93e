"""Range filters on SQLite and PostgreSQL: budget in EUR between bounds, activity period overlapping a date range,
several years at once; in the URL, the API and the downloads; bad bounds are a clear error naming the parameter."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from aidatlas.db.search import Searcher, SearchQuery
from aidatlas.db.search_ranges import NO_DAY, check_ranges, day_number
from aidatlas.db.store import Store
from aidatlas.errors import QueryError
from aidatlas.ingest.documents import load_bytes
from aidatlas.records import Activity, Dates, Money, Source, stable_id
from aidatlas.settings import Settings
from aidatlas.web import urls
from aidatlas.web.app import create_app


def _activity(i: int, budget: Money | None, dates: Dates) -> Activity:
    return Activity(id=stable_id("r", i), kind="project", title={"en": f"Range {i}"}, budget=budget, dates=dates,
                    countries=["BA"], source=Source(document="r.txt"))


SMALL = _activity(1, Money(value=10_000, currency="EUR"), Dates(start="2018-03-01", end="2019-06-30"))
LARGE = _activity(2, Money(value=2_000_000, currency="EUR"), Dates(start="2021"))  # no end: covers 2021
MKD = _activity(3, Money(value=6_150_000, currency="MKD"), Dates(start="2020-01", end="2022-12"))  # ≈ 100,000 EUR
UNDATED = _activity(4, Money(value=50_000, currency="USD"), Dates())  # no date: no EUR value, no period


@pytest.fixture
def searcher(store: Store) -> Searcher:
    store.save_document(load_bytes("r.txt", b"ranges\n"), [a.model_copy(deep=True)
                                                           for a in (SMALL, LARGE, MKD, UNDATED)])
    return Searcher(store.engine)


def found(searcher: Searcher, **ranges: object) -> set[str | None]:
    return set(searcher.search(SearchQuery(**ranges)).ids)  # type: ignore[arg-type]


def test_amount_range_uses_the_converted_budget(searcher: Searcher) -> None:
    assert found(searcher, min_eur=50_000) == {LARGE.id, MKD.id}
    assert found(searcher, min_eur=50_000, max_eur=500_000) == {MKD.id}
    assert found(searcher, max_eur=10_000) == {SMALL.id}  # inclusive; an unconverted budget never matches


def test_date_range_matches_overlapping_periods(searcher: Searcher) -> None:
    assert found(searcher, date_from="2019-06-30", date_to="2019-12") == {SMALL.id}
    assert found(searcher, date_from="2019-07-01", date_to="2019-12-31") == set()
    assert found(searcher, date_from="2021-12") == {LARGE.id, MKD.id}
    assert found(searcher, date_to="2020-01-01") == {SMALL.id, MKD.id}
    assert found(searcher, date_from="2023") == set()  # MKD ended 2022-12, LARGE's year is 2021


def test_ranges_combine_with_facets_and_several_years(searcher: Searcher) -> None:
    result = searcher.search(SearchQuery(filters={"year": ("2018", "2021")}, min_eur=5_000), totals=True)
    assert set(result.ids) == {SMALL.id, LARGE.id}
    assert result.totals is not None and result.totals["eur"] == pytest.approx(2_010_000)


def test_bad_bounds_name_the_parameter() -> None:
    for args, message in [((None, None, "2019-13", None), "from must be an ISO date"),
                          ((None, None, "2020", "2019"), "from (2020) is after to (2019)"),
                          ((5.0, 1.0, None, None), "min_eur (5) is above max_eur (1)"),
                          ((float("nan"), None, None, None), "min_eur must be a finite amount")]:
        with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
            check_ranges(*args)  # type: ignore[arg-type]
    assert day_number("2021", end=True) - day_number("2021", end=False) == 364
    assert day_number("2021-02-30", end=False) == NO_DAY


@pytest.fixture
def client(sqlite_settings: Settings) -> Iterator[TestClient]:
    from aidatlas.registry import open_store

    store = open_store(sqlite_settings)
    store.save_document(load_bytes("r.txt", b"ranges\n"), [a.model_copy(deep=True)
                                                           for a in (SMALL, LARGE, MKD, UNDATED)])
    with TestClient(create_app(sqlite_settings, store)) as c:
        yield c
    store.close()


def test_ranges_in_the_url_the_api_and_the_downloads(client: TestClient) -> None:
    query = SearchQuery(min_eur=50_000, date_from="2021")
    assert urls.search(query) == "/activities?min_eur=50000&from=2021"
    api = client.get(urls.api_search(query)).json()
    assert {r["id"] for r in api["records"]} == {LARGE.id, MKD.id}
    assert (api["query"]["min_eur"], api["query"]["from"]) == (50_000, "2021")
    assert api["links"]["csv"] == "/activities.csv?min_eur=50000&from=2021"
    rows = list(csv.DictReader(io.StringIO(client.get(api["links"]["csv"]).text)))
    assert {r["id"] for r in rows} == {LARGE.id, MKD.id}
    page = client.get(urls.search(query)).text
    assert 'name="min_eur"' in page and 'value="50000"' in page and 'value="2021"' in page
    bad = client.get("/api/activities?from=2021&to=2020")
    assert bad.status_code == 400 and "from (2021) is after to (2020)" in bad.text
    empty = client.get("/api/activities?q=&min_eur=&max_eur=&from=&to=")  # what the search form sends
    assert empty.status_code == 200 and empty.json()["total"] == 4
    bad = client.get("/api/activities?min_eur=lots")
    assert bad.status_code == 400 and "min_eur must be an amount in EUR, not 'lots'" in bad.text
