"""The other names of places and countries, keyed by folded, stemmed words (`normalize.variants`)."""

from __future__ import annotations

import pytest

from aidatlas.normalize.variants import Variants, stemmed
from aidatlas.reference.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def variants() -> Variants:
    return Variants.build(Gazetteer.load())


@pytest.mark.parametrize(("a", "b"), [
    ("Prishtina", "Приштина"), ("Priština", "Prishtinës"), ("Mitrovicë", "Митровица"), ("Skadar", "Shkodër"),
    ("Скадар", "Shkodra"), ("Peć", "Pejë"), ("Skopje", "Shkup"), ("Podgorica", "Titograd"),
    ("Kosovo", "Kosovë"), ("Crna Gora", "Mali i Zi"), ("Srbija", "Serbia"), ("Bosna", "Bosnia and Herzegovina"),
])
def test_any_name_of_a_place_or_country_reaches_the_others(variants: Variants, a: str, b: str):
    assert stemmed(b) in variants.of(stemmed(a))


def test_villages_codes_and_unknown_words_are_not_expanded(variants: Variants):
    assert variants.of(stemmed("water")) == frozenset()
    assert variants.of(stemmed("SAD")) == frozenset()  # a code in capitals (and the word "now")
    assert variants.of(stemmed("BiH"))  # the one abbreviation kept


def test_spans_take_the_longest_name_first(variants: Variants):
    words = list(stemmed("voda Novi Sad i Bosna i Hercegovina"))
    found = [(start, end) for start, end, _names in variants.spans(words)]
    assert (1, 3) in found and (4, 7) in found


def test_index_text_lists_other_names_once(variants: Variants):
    text = variants.index_text(["Skadar", "Shkodër"])
    assert "shkoder" in text and "skadar" in text and len(text) == len(set(text))


def test_skadar_is_for_queries_only():
    gazetteer = Gazetteer.load()
    shkoder = next(e for e in gazetteer.lookup("Shkodër") if e.kind == "municipality")
    assert "skadar" in gazetteer.search_names(shkoder) and "skadar" not in gazetteer.text_names(shkoder)
