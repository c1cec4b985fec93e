"""Search on a real SQLite file and a real PostgreSQL server: full text across scripts, facets, sorts, money."""

from __future__ import annotations

import pytest

from aidatlas.db.engine import make_engine, upgrade
from aidatlas.db.search import QueryError, Searcher, SearchQuery, terms_of
from aidatlas.db.store import Store
from aidatlas.ingest.documents import load_bytes
from aidatlas.records import Activity, Dates, Money, Participant, Place, Source, stable_id
from aidatlas.reference.rates import rates
from aidatlas.registry import open_store
from aidatlas.synthetic import synthetic_activities


def _activity(i: int, title: dict[str, str], **fields) -> Activity:
    return Activity(id=stable_id("t", i), kind=fields.pop("kind", "project"), title=title,
                    source=Source(document="t.txt"), **fields)


def _save(store: Store, activities: list[Activity], name: str = "t.txt", text: str = "doc") -> None:
    store.save_document(load_bytes(name, f"{text} {name}\n".encode()), activities)


CYRILLIC = _activity(1, {"sr-Cyrl": "Водоснабдијевање у Приједору"}, countries=["BA"],
                     locations=[Place(name="Приједор", country="BA")],
                     participants=[Participant(name="Evropska unija", role="funder"),
                                   Participant(name="Udruženje Zvečan", role="implementer")],
                     budget=Money(value=195583, currency="BAM"), dates=Dates(start="2021-03"))
LATIN = _activity(2, {"en": "Youth centre in Zvečan", "sq": "Qendra rinore në Zveçan"}, countries=["XK"],
                  locations=[Place(name="Zvečan", country="XK")],
                  participants=[Participant(name="European Union", role="funder")],
                  budget=Money(value=50_000, currency="EUR"), dates=Dates(start="2023"), kind="event")
OTHER = _activity(3, {"en": "Water supply for Tuzla"}, countries=["BA", "RS"],
                  participants=[Participant(name="Evropska unija", role="funder")],
                  budget=Money(value=110_000, currency="USD"), dates=Dates(start="2019-05-01"))


@pytest.fixture
def searcher(store: Store) -> Searcher:
    _save(store, [CYRILLIC.model_copy(deep=True), LATIN.model_copy(deep=True), OTHER.model_copy(deep=True)])
    return Searcher(store.engine)


def ids(result) -> set[str]:
    return set(result.ids)


def test_full_text_ignores_script_and_diacritics(searcher: Searcher):
    assert ids(searcher.search(SearchQuery(q="Prijedor"))) == {CYRILLIC.id}
    assert ids(searcher.search(SearchQuery(q="prijedoru"))) == {CYRILLIC.id}
    assert ids(searcher.search(SearchQuery(q="Zvecan"))) == {LATIN.id, CYRILLIC.id}  # title and implementer
    assert ids(searcher.search(SearchQuery(q="ЗВЕЧАН"))) == {LATIN.id, CYRILLIC.id}
    assert ids(searcher.search(SearchQuery(q="zvecan youth"))) == {LATIN.id}
    assert ids(searcher.search(SearchQuery(q='"water supply"'))) == {OTHER.id}
    assert ids(searcher.search(SearchQuery(q='"supply water"'))) == set()
    assert ids(searcher.search(SearchQuery(q="tuz*"))) == {OTHER.id}
    assert searcher.search(SearchQuery(q="nothing-like-this")).total == 0


def test_relevance_puts_title_matches_first(searcher: Searcher):
    result = searcher.search(SearchQuery(q="zvecan"))
    assert result.ids[0] == LATIN.id


def test_facets_filter_and_count(searcher: Searcher):
    everything = searcher.search(SearchQuery())
    assert everything.total == 3
    countries = {v.value: v.count for v in everything.facets["country"]}
    assert countries == {"BA": 2, "XK": 1, "RS": 1}
    assert {v.label for v in everything.facets["country"]} >= {"Bosnia and Herzegovina", "Kosovo"}
    funders = everything.facets["funder"]
    # "Evropska unija" (twice) and "European Union" are one organisation of the curated table
    assert [v.count for v in funders] == [3]
    ba = searcher.search(SearchQuery(filters={"country": ("BA",)}))
    assert ids(ba) == {CYRILLIC.id, OTHER.id}
    assert {v.value: v.count for v in ba.facets["kind"]} == {"project": 2}
    assert [v.selected for v in ba.facets["country"] if v.value == "BA"] == [True]
    either = searcher.search(SearchQuery(filters={"country": ("XK", "RS")}))
    assert ids(either) == {LATIN.id, OTHER.id}
    both = searcher.search(SearchQuery(filters={"country": ("BA",), "year": ("2021",)}))
    assert ids(both) == {CYRILLIC.id}
    text_and_facet = searcher.search(SearchQuery(q="Evropska", filters={"kind": ("project",), "country": ("RS",)}))
    assert ids(text_and_facet) == {OTHER.id}
    unknown = searcher.search(SearchQuery(filters={"country": ("ZZ",)}))
    chosen = [v for v in unknown.facets["country"] if v.selected]
    assert unknown.total == 0 and [(v.value, v.count) for v in chosen] == [("ZZ", 0)]
    assert all(v.adds for v in unknown.facets["country"] if not v.selected)  # the others: "+n" (facet_counts)


def test_sorts_and_pages(searcher: Searcher):
    assert searcher.search(SearchQuery(sort="newest")).ids == [LATIN.id, CYRILLIC.id, OTHER.id]
    assert searcher.search(SearchQuery(sort="oldest")).ids == [OTHER.id, CYRILLIC.id, LATIN.id]
    assert searcher.search(SearchQuery(sort="title")).ids == [CYRILLIC.id, OTHER.id, LATIN.id]  # vodosnabdijevanje
    # budgets in EUR: 195,583 BAM = 100,000 EUR (peg); 110,000 USD ≈ 93,000 EUR (2019 mean); 50,000 EUR
    assert searcher.search(SearchQuery(sort="budget")).ids == [CYRILLIC.id, OTHER.id, LATIN.id]
    page2 = searcher.search(SearchQuery(sort="newest", page=2, per_page=2))
    assert page2.ids == [OTHER.id] and page2.total == 3 and page2.pages == 2


def test_money_is_converted_at_documented_rates(searcher: Searcher):
    totals = searcher.totals(SearchQuery(filters={"country": ("BA",)}))
    usd_2019 = rates().rate("USD", 2019)
    assert usd_2019 is not None and usd_2019[1] == 2019
    assert totals["eur"] == pytest.approx(100_000 + 110_000 / usd_2019[0])
    assert totals["by_currency"] == {"BAM": 195_583, "USD": 110_000}
    by_country = {r["value"]: r for r in searcher.aggregate(SearchQuery(), "country")}
    assert by_country["XK"]["eur"] == pytest.approx(50_000)
    assert by_country["BA"]["activities"] == 2
    with pytest.raises(QueryError):
        searcher.aggregate(SearchQuery(), "colour")


def test_bad_queries_are_refused():
    with pytest.raises(QueryError):
        SearchQuery(sort="random")
    with pytest.raises(QueryError):
        SearchQuery(filters={"colour": ("red",)})
    with pytest.raises(QueryError):
        SearchQuery(page=0)
    assert terms_of('  "a  phrase" word* -  ') == terms_of('"A phrase" WORD* -')


def test_index_follows_writes_from_any_process(store: Store, searcher: Searcher):
    assert searcher.search(SearchQuery(q="Tuzla")).total == 1
    other = Searcher(store.engine)  # another process's searcher, with its own snapshot
    assert other.search(SearchQuery()).total == 3
    _save(store, [_activity(9, {"en": "Museum in Bitola"})], name="t.txt", text="version two")  # replaces t.txt
    assert searcher.search(SearchQuery(q="Tuzla")).total == 0
    assert ids(other.search(SearchQuery(q="bitola"))) == {stable_id("t", 9)}
    assert other.search(SearchQuery()).facets["country"] == []
    assert searcher.iter_ids(SearchQuery()).__next__() == [stable_id("t", 9)]


def test_export_order_and_large_pages(store: Store):
    activities = list(synthetic_activities(120))
    for i, a in enumerate(activities):
        a.id = stable_id("s", i)
    _save(store, activities, name="many.txt")
    searcher = Searcher(store.engine)
    batches = list(searcher.iter_ids(SearchQuery(sort="title"), batch_size=50))
    assert [len(b) for b in batches] == [50, 50, 20]
    assert [i for b in batches for i in b] == searcher.search(SearchQuery(sort="title", per_page=200)).ids
    assert searcher.search(SearchQuery(q="Zvecan")).total == searcher.search(
        SearchQuery(filters={"municipality": ("Zvečan",)})).total > 0


def test_migration_indexes_an_old_database(sqlite_settings):
    from sqlalchemy import insert

    from aidatlas.db.mapping import activity_rows
    from aidatlas.db.store import TABLES

    engine = make_engine(sqlite_settings.database_url)
    upgrade(engine, "0001")
    old = CYRILLIC.model_copy(deep=True, update={"participants": []})
    with engine.begin() as conn:  # rows as a 0001-era registry holds them
        for table, rows in activity_rows(old, None, 0, {}).items():
            conn.execute(insert(TABLES[table]), rows)
    upgrade(engine)
    assert ids(Searcher(engine).search(SearchQuery(q="prijedor"))) == {CYRILLIC.id}
    engine.dispose()


def test_facet_counts_agree_for_small_and_large_results(sqlite_settings):
    import numpy as np

    store = open_store(sqlite_settings)
    activities = list(synthetic_activities(200))
    for i, a in enumerate(activities):
        a.id = stable_id("s", i)
    _save(store, activities, name="many.txt")
    searcher = Searcher(store.engine)
    snap = searcher.snapshot()
    for query in (SearchQuery(filters={"municipality": ("Zvečan",)}), SearchQuery(filters={"kind": ("project",)}),
                  SearchQuery(q="water")):
        mask = searcher.mask(snap, query)[0]
        assert mask is not None
        slow = np.bincount(snap.post_term[mask[snap.post_pos]], minlength=len(snap.term_value))
        assert (snap.term_counts(mask) == slow).all()
    store.close()
