"""Ranking tiers, `a OR b`, and what an empty result offers (suggestions, any of the words), in the library,
the JSON API and the search page; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from aidatlas.db.search import Searcher, SearchQuery, terms_of, with_variants
from aidatlas.db.search_suggest import Vocabulary, corrections, relaxed
from aidatlas.db.store import Store
from aidatlas.ingest.documents import load_bytes
from aidatlas.normalize.variants import Variants
from aidatlas.records import Activity, Place, Source, stable_id
from aidatlas.reference.gazetteer import Gazetteer
from aidatlas.registry import open_store
from aidatlas.web.app import create_app


def _activity(key: str, title: dict[str, str], **fields) -> Activity:
    return Activity(id=stable_id("suggest", key), kind="project", title=title,
                    source=Source(document=f"{key}.txt"), **fields)


IN_TITLE = _activity("title", {"bs": "Ljetni festival u Jajcu"}, countries=["BA"])
IN_FIELDS = _activity("fields", {"bs": "Obnova tvrđave"}, description={"bs": "Radovi na staroj tvrđavi u Jajcu."},
                      countries=["BA"], locations=[Place(name="Sarajevo", country="BA")])
IN_DOCUMENT = _activity("document", {"bs": "Kulturna ruta kroz srednju Bosnu"}, countries=["BA"])
ELSEWHERE = _activity("elsewhere", {"sq": "Rindërtimi i urës në Prizren"}, countries=["XK"],
                      locations=[Place(name="Prizren", country="XK")])
CORPUS = [(IN_TITLE, "Festival traje tri dana."), (IN_FIELDS, "Radove finansira opština."),
          (IN_DOCUMENT, "Ruta povezuje Travnik, Jajce i Bugojno."), (ELSEWHERE, "Ura e vjetër mbi lumë.")]


def _fill(store: Store) -> None:
    for activity, text in CORPUS:
        store.save_document(load_bytes(f"{activity.id}.txt", f"{text}\n".encode()), [activity.model_copy(deep=True)])


@pytest.fixture
def searcher(store: Store) -> Searcher:
    _fill(store)
    return Searcher(store.engine)


def test_title_matches_rank_before_field_matches_before_document_matches(searcher: Searcher):
    result = searcher.search(SearchQuery(q="Jajce"))
    assert result.ids == [IN_TITLE.id, IN_FIELDS.id, IN_DOCUMENT.id]
    newest = searcher.search(SearchQuery(q="Jajce", sort="title"))
    assert set(newest.ids) == set(result.ids)


def test_or_joins_two_words_into_either(searcher: Searcher):
    assert set(searcher.search(SearchQuery(q="Prizren OR festival")).ids) == {ELSEWHERE.id, IN_TITLE.id}
    assert searcher.search(SearchQuery(q="Prizren festival")).total == 0
    assert [len(t.phrases) for t in terms_of("a OR b c")] == [2, 1]
    assert terms_of("a OR") == terms_of("a") and len(terms_of("OR a")) == 2  # a leading OR is a word


def test_an_empty_result_suggests_words_of_the_index(searcher: Searcher):
    result = searcher.search(SearchQuery(q="festivl"))
    assert result.total == 0 and result.suggestions is not None
    assert "festival" in result.suggestions.did_you_mean
    assert searcher.search(SearchQuery(q=result.suggestions.did_you_mean[0])).total == 1
    both = searcher.search(SearchQuery(q="Prizren festival"))
    assert both.suggestions is not None
    assert both.suggestions.any_words == "Prizren OR festival" and both.suggestions.any_words_total == 2
    assert searcher.search(SearchQuery(q="festival")).suggestions is None  # found: nothing to suggest
    nothing = searcher.search(SearchQuery(q="qwxzv"))
    assert nothing.suggestions is not None and nothing.suggestions.did_you_mean == []


def test_suggestions_keep_the_filters(searcher: Searcher):
    result = searcher.search(SearchQuery(q="festivl", filters={"country": ("XK",)}))
    assert result.suggestions is not None and result.suggestions.did_you_mean == []


def test_corrections_and_relaxed_are_pure():
    vocabulary = Vocabulary.build(1, ["ljetni festival u jajcu"], ["Prizren", "Bosnia and Herzegovina"])
    assert corrections("Prizern", vocabulary)[0] == "Prizren"
    assert corrections("festival", vocabulary) == []  # known words are not corrected
    assert corrections('"a phrase" tuz*', vocabulary) == []
    assert relaxed("a b") == "a OR b" and relaxed("a") is None and relaxed("a OR b") is None


def test_place_words_gain_the_places_other_names():
    variants = Variants.build(Gazetteer.load())
    terms = with_variants(terms_of("water Novi Sad"), variants)
    assert len(terms) == 2 and ("nov", "sad") in {p.words for p in terms[1].phrases}
    assert ("нови",) not in {p.words for p in terms[1].phrases}  # all folded
    pristina = with_variants(terms_of("Приштина"), variants)[0]
    assert {("prishtin",), ("pristin",)} <= {p.words for p in pristina.phrases}
    assert with_variants(terms_of("tuz*"), variants) == terms_of("tuz*")  # a prefix is left alone


@pytest.fixture
def client(sqlite_settings) -> Iterator[TestClient]:
    store = open_store(sqlite_settings)
    _fill(store)
    with TestClient(create_app(sqlite_settings, store)) as c:
        yield c
    store.close()


def test_the_api_and_the_page_carry_the_suggestions(client: TestClient):
    body = client.get("/api/activities", params={"q": "festivl"}).json()
    assert body["total"] == 0 and "festival" in body["suggestions"]["did_you_mean"]
    assert body["suggestions"]["did_you_mean_links"][0].startswith("/api/activities?q=")
    assert client.get("/api/activities", params={"q": "festival"}).json()["suggestions"] is None
    page = client.get("/activities", params={"q": "Prizren festival"}).text
    assert "any of them" in page and "Prizren+OR+festival" in page
    assert "Did you mean" in client.get("/activities", params={"q": "festivl"}).text
