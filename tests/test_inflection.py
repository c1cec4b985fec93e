import pytest

from aidatlas.normalize.inflection import inflected_places, nominatives
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
