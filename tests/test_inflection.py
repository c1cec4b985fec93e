import pytest

from aidatlas.normalize.inflection import district_places, inflected_places, nominatives, village_places
from aidatlas.reference.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize("text, name", [
    ("Projekat se provodi u Tuzli i okolini.", "Tuzla"),
    ("Уговор је потписан у Нишу.", "Niš"),
    ("радионице у Крагујевцу", "Kragujevac"),
    ("škole u Novom Pazaru", "Novi Pazar"),
    ("konferencija u Mostaru", "Mostar"),
    ("mladi iz Sarajeva", "Sarajevo"),
])
def test_inflected_places_after_prepositions(gazetteer, text, name):
    found = inflected_places(text, gazetteer, [])
    assert [m.entry.name for m in found] == [name] or name in [m.entry.name for m in found]


def test_no_place_from_ordinary_capitalised_words(gazetteer):
    assert inflected_places("u Bosni i Hercegovini, u Evropskoj uniji, na Konferenciji", gazetteer, []) == []


def test_nominatives():
    assert "Kragujevac" in nominatives("Kragujevcu")
    assert "Tuzla" in nominatives("Tuzli")


def test_a_list_of_places_after_one_preposition(gazetteer):
    text = "rekonstrukcija objekata u Loparama, Bratuncu, Kladnju, Gradačcu i Doboj Jugu"
    names = [m.entry.name for m in inflected_places(text, gazetteer, [])]
    assert {"Lopare", "Bratunac", "Kladanj", "Gradačac", "Doboj Jug"} <= set(names)


def test_albanian_genitives_and_palatalised_stems(gazetteer):
    assert "Viti" in [m.entry.name for m in inflected_places("komuna e Vitisë", gazetteer, [])]
    assert "Banja Luka" in [m.entry.name for m in inflected_places("obale u Banjoj Luci", gazetteer, [])]


def test_districts_named_by_adjectives_before_one_noun(gazetteer):
    found = district_places("u Pirotskom, Pčinjskom i Topličkom okrugu", gazetteer)
    assert len(found) == 3 and all("District" in m.entry.name for m in found)


def test_villages_after_a_village_noun_even_when_unknown(gazetteer):
    text = "vodovod u selu Kriva Feja i pijaca; the villages of Vranište and Dolna Belica"
    found = village_places(text, gazetteer, [])
    assert [m.surface for m in found] == ["Kriva Feja", "Vranište", "Dolna Belica"]


def test_villages_in_brackets_after_their_municipality(gazetteer):
    text = "Vendndodhja: Bashkia Shkodër (Theth, Nderlysaj) dhe Bashkia Malësi e Madhe (Vermosh, Lepushë)"
    assert [m.surface for m in village_places(text, gazetteer, [])] == ["Theth", "Nderlysaj", "Vermosh", "Lepushë"]


def test_districts_in_the_genitive_and_in_cyrillic(gazetteer):
    found = district_places("општине из Златиборског, Рашког и Пчињског округа", gazetteer)
    assert [m.entry.name for m in found] == ["Zlatibor District", "Raška District", "Pčinja District"]


def test_a_consonant_devoiced_before_the_case_ending_voices_again():
    assert "Šabac" in nominatives("Šapcu") and "Шабац" in nominatives("Шапцу")
