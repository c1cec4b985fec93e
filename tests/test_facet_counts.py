"""Facet counts answer "how many would I get if I clicked this": checked against the search a click runs."""

from __future__ import annotations

import pytest

from aidatlas.db.facet_counts import NO_VALUE, FacetValue, matching, top
from aidatlas.db.search import Searcher, SearchQuery
from aidatlas.db.store import Store
from aidatlas.ingest.documents import load_bytes
from aidatlas.records import Activity, Dates, Source, stable_id


def _activity(i: int, countries: list[str], start: str | None, kind: str = "project") -> Activity:
    return Activity(id=stable_id("fc", i), kind=kind, title={"en": f"Activity {i} water"}, countries=countries,
                    dates=Dates(start=start), source=Source(document="fc.txt"))


A = _activity(1, ["BA"], "2021-03")
B = _activity(2, ["XK"], "2023", kind="event")
C = _activity(3, ["BA", "RS"], "2019-05-01")
D = _activity(4, ["RS"], None)


@pytest.fixture
def searcher(store: Store) -> Searcher:
    store.save_document(load_bytes("fc.txt", b"facet counts\n"), [a.model_copy(deep=True) for a in (A, B, C, D)])
    return Searcher(store.engine)


def _clicked(query: SearchQuery, facet: str, value: str) -> SearchQuery:
    filters = dict(query.filters)
    filters[facet] = (*filters.get(facet, ()), value)
    return SearchQuery(q=query.q, filters=filters)


QUERIES = [SearchQuery(), SearchQuery(filters={"country": ("BA",)}), SearchQuery(filters={"year": ("2021",)}),
           SearchQuery(filters={"country": ("BA",), "year": ("2021",)}), SearchQuery(filters={"year": (NO_VALUE,)}),
           SearchQuery(q="water", filters={"kind": ("event",), "country": ("XK", "RS")})]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: repr(dict(q.filters)))
def test_every_count_is_what_a_click_gives(searcher: Searcher, query: SearchQuery):
    now = searcher.search(query, facet_limit=100)
    for facet, values in now.facets.items():
        for v in values:
            if v.selected:
                continue
            after = searcher.search(_clicked(query, facet, v.value), facets=False).total
            if v.adds:
                assert after == now.total + v.count, (facet, v)
            else:
                assert after == v.count, (facet, v)


def test_a_chosen_year_keeps_the_other_years(searcher: Searcher):
    result = searcher.search(SearchQuery(filters={"year": ("2021",)}))
    years = {v.value: (v.count, v.selected, v.adds) for v in result.facets["year"]}
    assert years == {"2021": (1, True, False), "2023": (1, False, True), "2019": (1, False, True),
                     NO_VALUE: (1, False, True)}
    assert [v.value for v in result.facets["year"]] == ["2023", "2021", "2019", NO_VALUE]  # "No year" last


def test_or_within_and_across(searcher: Searcher):
    ba = searcher.search(SearchQuery(filters={"country": ("BA",)}))
    countries = {v.value: (v.count, v.adds) for v in ba.facets["country"]}
    assert countries == {"BA": (2, False), "XK": (1, True), "RS": (1, True)}  # RS adds D only: C is in already
    both = searcher.search(SearchQuery(filters={"country": ("BA",), "year": ("2021",)}))
    assert {v.value: v.count for v in both.facets["country"]} == {"BA": 1}  # no other country has 2021
    assert {v.value: (v.count, v.adds) for v in both.facets["year"]} == {"2021": (1, False), "2019": (1, True)}


def test_no_year_is_a_value(searcher: Searcher):
    everything = searcher.search(SearchQuery())
    assert ("none", "No year", 1) in {(v.value, v.label, v.count) for v in everything.facets["year"]}
    none = searcher.search(SearchQuery(filters={"year": (NO_VALUE,)}))
    assert set(none.ids) == {D.id}
    either = searcher.search(SearchQuery(filters={"year": (NO_VALUE, "2023")}))
    assert set(either.ids) == {D.id, B.id}


def test_every_value_of_a_facet(searcher: Searcher):
    all_countries = searcher.facet_all(SearchQuery(filters={"year": ("2021",)}), "country")
    assert [(v.value, v.count) for v in all_countries] == [("BA", 1)]
    every = searcher.facet_all(SearchQuery(), "country")
    assert [v.value for v in every] == ["BA", "RS", "XK"]
    assert [v.value for v in matching(every, "kosov")] == ["XK"]  # by label, diacritics and case ignored
    assert [v.value for v in matching(every, "КОСОВ")] == ["XK"]  # any script
    assert matching(every, " ") == every


def test_top_keeps_chosen_values_past_the_limit():
    values = [FacetValue(str(i), str(i), 10 - i) for i in range(5)] + [FacetValue("z", "z", 1, True)]
    kept = top("country", values, 2, ("z", "gone"))
    assert [v.value for v in kept] == ["0", "1", "z", "gone"]
    assert kept[-1].selected and kept[-1].count == 0
