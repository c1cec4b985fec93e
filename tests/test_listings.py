"""Pages that list several activities: table rows, grant bullets, named projects in prose."""

from __future__ import annotations

from aidatlas.ingest.lines import split_lines
from aidatlas.ingest.listings import bullet_grant_items, listing_items, named_project_items, table_items

TABLE = """Odobreni projekti:

| Naziv projekta | Općina | Iznos |
|---|---|---|
| Uređenje dječjeg igrališta u naselju Polje | Zenica | 25.000 KM |
| Nabavka opreme za vatrogasnu jedinicu grada | Tuzla | 40.000 KM |
"""

BULLETS = """The Foundation awarded three grants:

- A 12-month, $120,000 grant to the Youth Centre Podgora to train young farmers in Pljevlja;
- An 18-month, $95,500 grant to Green Valley Association to restore river banks; and
- A 6-month, $30,000 grant to Radio Dolina to report on local budgets.
"""

PROSE = ("The Rural Roads Project, financed by a US$8 million IDA credit, will rebuild 120 km of roads. "
         "The Water Utilities Reform Project, financed by a US$3 million IDA grant, will help utilities cut losses.")


def test_table_rows_become_projects_with_place_grantee_and_money():
    items = table_items(split_lines(TABLE))
    assert [i.title.text for i in items] == ["Uređenje dječjeg igrališta u naselju Polje",
                                             "Nabavka opreme za vatrogasnu jedinicu grada"]
    assert items[0].place is not None and items[0].place.text == "Zenica"
    assert items[0].implementer is not None and items[0].implementer.text == "Općina Zenica"
    assert items[1].budget and items[1].budget[0].text == "40.000 KM"
    assert TABLE[items[1].title.start:items[1].title.end] == items[1].title.text


def test_a_table_of_numbers_is_not_a_list_of_activities():
    assert table_items(split_lines("| 2010 | 2011 | 2012 |\n|---|---|---|\n| 400.000 | 900.000 | 900.000 |\n")) == []


def test_grant_bullets_give_grantee_money_and_purpose():
    items = bullet_grant_items(split_lines(BULLETS))
    assert len(items) == 3
    assert items[0].implementer is not None and items[0].implementer.text == "Youth Centre Podgora"
    assert items[1].title.text.endswith("restore river banks")
    assert [o.text for o in items[2].objectives] == ["report on local budgets"]


def test_named_projects_in_prose_each_with_their_money_and_funder():
    items = named_project_items(split_lines(PROSE))
    assert [i.title.text for i in items] == ["Rural Roads Project", "Water Utilities Reform Project"]
    assert items[0].funder is not None and items[0].funder.text == "IDA"
    assert items[1].objectives[0].text.startswith("will help utilities")


def test_one_item_is_not_a_listing():
    assert listing_items(split_lines("- A 12-month, $120,000 grant to X Centre to train farmers.")) == []


def test_a_local_government_column_names_a_city_or_a_municipality_by_the_gazetteer(tmp_path):
    from aidatlas.ingest.pipeline import Extractor

    page = tmp_path / "rezultati.md"
    page.write_text("# Rezultati poziva za sela\n\nObjavljeno: 3. 6. 2024.\n\n"
                    "| R. br. | Naziv projekta | Lokalna samouprava | Iznos (EUR) |\n|---|---|---|---|\n"
                    "| 1. | Izgradnja trotoara do škole u selu Ralja | Smederevo | 41.200 |\n"
                    "| 2. | Rekonstrukcija vodovoda u selu Vina | Knjaževac | 36.900 |\n", encoding="utf-8")
    _, activities = Extractor().extract_path(page)
    grantees = [[p.name for p in a.participants if p.role == "implementer"] for a in activities]
    assert grantees == [["Grad Smederevo"], ["Opština Knjaževac"]]
    assert {p.name for p in activities[0].locations} >= {"Smederevo"}


def test_a_quoted_grantee_name_may_hold_a_preposition_or_a_hyphen(tmp_path):
    from aidatlas.ingest.pipeline import Extractor

    page = tmp_path / "grantovi.txt"
    page.write_text("Доделени грантови\n\nТетово, 2 мај 2024\n\nГрантови добија:\n\n"
                    "- Здружението „Жени од Шара“ од Тетово – 9.800 евра за мал погон за сирење во селото Вејце;\n"
                    "- Здружението „Агро-старт“ од Гостивар – 8.000 евра за обука на 30 млади земјоделци.\n\n"
                    "Двата проекта ги финансира Европската унија.\n", encoding="utf-8")
    _, activities = Extractor().extract_path(page)
    assert [[p.name for p in a.participants if p.role == "implementer"] for a in activities] == [
        ['Здружението "Жени од Шара"'], ['Здружението "Агро-старт"']]  # quotes normalised
    assert all(any(p.role == "funder" for p in a.participants) for a in activities)  # said of both, after them
