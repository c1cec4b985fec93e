"""One activity from several sources: linked on write, counted once, conflicts shown, precedence applied."""

from __future__ import annotations

from aidatlas.db.search import Searcher, SearchQuery
from aidatlas.db.store import Store
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.records import Activity, Dates, Money, Participant
from aidatlas.resolve import activities as dedup
from aidatlas.resolve import decisions as dec
from aidatlas.resolve.activities import activity_view
from aidatlas.resolve.sources import SourceRecord, by_precedence, conflicts, source_kind
from aidatlas.resolve.undo import undo

PAGE = """Project title: Clean Water for Rural Households in Tuzla

Donor: Swedish International Development Cooperation Agency (Sida)

Implementing organisation: Udruženje "Sunce" Tuzla

Budget: EUR 240,000

Duration: 1 March 2024 – 28 February 2026

Location: Tuzla, Lukavac
"""
PRESS = """TUZLA, 12 March 2024 – Press release

Clean water for rural households in Tuzla

Sida and the association Sunce today launched the project "Clean Water for Rural Households in Tuzla".
The project, worth EUR 250,000, runs from March 2024 to February 2026 in Tuzla and Lukavac.
"""
OTHER_LANGUAGE = """Naziv projekta: Čista voda za seoska domaćinstva u Tuzli

Donator: Švedska agencija za međunarodnu razvojnu saradnju (Sida)

Nosilac projekta: Udruženje "Sunce" Tuzla

Budžet: 240.000 EUR

Trajanje: 1. mart 2024 – 28. februar 2026

Lokacija: Tuzla, Lukavac
"""


def ingest(store: Store, name: str, text: str) -> list[Activity]:
    document = load_bytes(name, text.encode("utf-8"))
    activities = Extractor().extract(document)
    store.save_document(document, activities)
    return activities


def total(store: Store, q: str = "") -> int:
    return Searcher(store.engine).search(SearchQuery(q=q), facets=False).total


def test_press_release_and_project_page_are_one_activity(store: Store):
    page = ingest(store, "project-page.txt", PAGE)[0]
    press = ingest(store, "news.txt", PRESS)[0]
    assert total(store) == 1                       # counted once
    assert total(store, "rural households") == 1
    view = activity_view(store, press.id)
    assert view.primary == page.id                 # official page beats press release
    assert [s.kind for s in view.sources] == ["page", "press"]
    budget = next(c for c in view.conflicts if c.name == "budget")
    assert [(v["value"], v["chosen"]) for v in budget.values] == [("240,000 EUR", True), ("250,000 EUR", False)]
    assert not [c for c in view.conflicts if c.name in ("start", "end")]   # 2024-03 agrees with 2024-03-01
    with store.engine.connect() as conn:
        link = next(d for d in dec.history(conn, subject="activity") if d.action == "merge")
    assert link.actor == dec.AUTOMATIC and "titles 100% alike" in link.details["evidence"]


def test_an_iati_record_becomes_the_primary_source(store: Store):
    page = ingest(store, "project-page.txt", PAGE)[0]
    iati = page.model_copy(deep=True)
    iati.id = None
    iati.iati_identifier = "SE-0-SE-6-1234"
    iati.last_updated = "2025-01-10T00:00:00"
    iati.budget = Money(value=245_000, currency="EUR")
    store.import_activities([iati], source_name="sida.xml")
    view = activity_view(store, page.id)
    assert view.sources[0].kind == "iati" and view.primary == view.sources[0].activity.id
    assert total(store) == 1


def test_undoing_a_link_separates_them_for_good(store: Store):
    ingest(store, "project-page.txt", PAGE)
    ingest(store, "news.txt", PRESS)
    with store.engine.begin() as conn:
        link = next(d for d in dec.history(conn, subject="activity") if d.action == "merge")
        undo(conn, link.id, actor="ana", reason="phase two, not the same project")
    assert total(store) == 2
    press = ingest(store, "news.txt", PRESS + "\nMore details follow.\n")[0]  # a new version: still apart
    assert total(store) == 2
    assert activity_view(store, press.id).primary == press.id


def test_other_language_version_is_proposed_not_linked(store: Store):
    ingest(store, "project-page.txt", PAGE)
    ingest(store, "projekat.txt", OTHER_LANGUAGE)
    assert total(store) == 2
    with store.engine.connect() as conn:
        open_pairs = conn.execute(dec.CANDIDATES.select().where(dec.CANDIDATES.c.subject == "activity",
                                                                dec.CANDIDATES.c.status == "open")).all()
    assert len(open_pairs) == 1 and 0.6 <= open_pairs[0].score < dedup.AUTO_LINK
    with store.engine.begin() as conn:
        dedup.link(conn, open_pairs[0].a, open_pairs[0].b, actor="ana", reason="the same project in Bosnian")
    assert total(store) == 1
    assert total(store, "seoska domacinstva") == 1   # the other source's words find the activity


def test_two_records_of_one_document_are_never_linked(store: Store):
    text = PAGE + "\n\n" + PAGE.replace("Tuzla\n\nDonor", "Tuzla II\n\nDonor")
    ingest(store, "two.txt", text)
    assert total(store) == 2


def test_replacing_the_primary_document_keeps_the_other_source(store: Store):
    ingest(store, "project-page.txt", PAGE)
    press = ingest(store, "news.txt", PRESS)[0]
    changed = PAGE.replace("Budget: EUR 240,000", "Budget: EUR 260,000\n\nStatus: ongoing")
    new_page = ingest(store, "project-page.txt", changed)[0]
    assert total(store) == 1
    view = activity_view(store, press.id)
    assert {s.activity.id for s in view.sources} == {press.id, new_page.id}


def _record(budget: float, kind_name: str, updated: str | None = None) -> Activity:
    return Activity(id=f"act-{kind_name}-{budget}", kind="project", title={"en": "Water"},
                    budget=Money(value=budget, currency="EUR"), source={"document": kind_name},
                    participants=[Participant(name="Sida", role="funder")], last_updated=updated,
                    dates=Dates(start="2024-03"))


def test_precedence_iati_then_page_then_press_then_newer():
    press = SourceRecord(_record(1, "press"), "press", "news.txt", "2025-01-01")
    page_old = SourceRecord(_record(2, "page"), "page", "old.html", "2023-01-01")
    page_new = SourceRecord(_record(3, "page"), "page", "new.html", "2024-06-01")
    iati = SourceRecord(_record(4, "iati"), "iati", "sida.xml", None)
    assert [s.name for s in by_precedence([press, page_old, iati, page_new])] == \
        ["sida.xml", "new.html", "old.html", "news.txt"]
    budget = conflicts([press, page_new])[0]
    assert budget.name == "budget" and budget.values[0]["chosen"] and budget.values[0]["value"] == "3 EUR"


def test_source_kind():
    record = _record(1, "x")
    assert source_kind(record, "news.txt", "Anything") == "press"
    assert source_kind(record, "page.html", "SARAJEVO, 3. mart 2024 – Danas je potpisan") == "press"
    assert source_kind(record, "page.html", "Project title: Water") == "page"
    record.iati_identifier = "XM-1"
    assert source_kind(record, None, None) == "iati"
