"""Activities listed in prose: one sentence, one clause each, quoted paragraphs, sections."""

from __future__ import annotations

from aidatlas.ingest.lines import split_lines
from aidatlas.ingest.prose_items import (
    clause_items,
    passive_clause_items,
    quoted_project_items,
    section_items,
    sentence_list_items,
)


def test_grants_named_in_one_sentence_with_amounts_respectively():
    text = ("After the call, the grants went to the Hiking Club Vrelo in Bihać, the Weavers' Cooperative in Tuzla "
            "and the Youth Guides in Zenica, worth USD 24,500, USD 19,800 and USD 22,000 respectively.")
    items = sentence_list_items(split_lines(text))
    assert [i.implementer.text for i in items if i.implementer] == [
        "Hiking Club Vrelo", "Weavers' Cooperative", "Youth Guides"]
    assert [i.budget[0].text for i in items] == ["USD 24,500", "USD 19,800", "USD 22,000"]


def test_one_clause_per_grant():
    text = ("Opština Kolašin dobiće 45.000 eura za uređenje izletišta na Trebaljevu, Mojkovac 41.000 eura za "
            "rekonstrukciju ljetnje pozornice, a Žabljak 33.500 eura za obnovu pješačke staze.")
    items = clause_items(split_lines(text))
    assert [i.title.text for i in items] == ["uređenje izletišta na Trebaljevu", "rekonstrukciju ljetnje pozornice",
                                             "obnovu pješačke staze"]
    assert [i.implementer.text for i in items if i.implementer] == [
        "Opština Kolašin", "Opština Mojkovac", "Opština Žabljak"]


def test_quoted_project_paragraphs():
    text = ("Prvi projekat, „Zdrava voda za sela“, predviđa novi rezervoar. Vrijednost je 235.000 eura.\n\n"
            "Drugi projekat, „Pijaca za domaće proizvođače“, vrijedan je 140.000 eura.")
    assert [i.title.text for i in quoted_project_items(split_lines(text))] == [
        "Zdrava voda za sela", "Pijaca za domaće proizvođače"]


def test_projects_under_their_own_headings_but_not_generic_sections():
    text = ("Two projects signed today\n\nThe municipality signed two grant contracts with the EU Delegation.\n\n"
            "Sewerage for two lakeside villages\n\nThe larger project is worth € 1.180.000,00 and connects "
            "the villages to the wastewater system.\n\nEnergy renovation of the town kindergarten\n\n"
            "This project is worth € 320.000,00 and gives the building a new roof and insulation.\n\n"
            "How to apply\n\nApplications are sent by e-mail to the office with a budget of EUR 100.")
    titles = [i.title.text for i in section_items(split_lines(text))]
    assert titles == ["Sewerage for two lakeside villages", "Energy renovation of the town kindergarten"]


def test_one_passive_clause_per_project_with_its_shared_money():
    text = ("Me këto fonde do të asfaltohet rruga e fshatit Dardhë me 120.000 euro, nga të cilat 100.000 euro nga "
            "BE dhe 20.000 euro nga Bashkia, do të rregullohet parku qendror i Maliqit me 60.000 euro, ndërsa "
            "shkolla në Pojan do të ngrohet me 45.000 euro.")
    items = passive_clause_items(split_lines(text))
    assert [i.title.text for i in items] == ["do të asfaltohet rruga e fshatit Dardhë",
                                             "do të rregullohet parku qendror i Maliqit",
                                             "shkolla në Pojan do të ngrohet"]
    assert items[0].budget[0].text.startswith("120.000 euro, nga të cilat 100.000 euro nga BE")
    assert passive_clause_items(split_lines("Projekti do të zbatohet me 50.000 euro dhe do të zgjasë një vit.")) == []
