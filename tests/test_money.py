import pytest

from aidatlas.errors import NormalizationError
from aidatlas.normalize.money import currency_code, find_money, find_percentages, parse_number


@pytest.mark.parametrize("text, value", [
    ("3,046,788.80", 3046788.80), ("545.897,00", 545897.0), ("545,897,00", 545897.0), ("12.500.000", 12500000),
    ("12 500", 12500), ("344.29", 344.29), ("1,5", 1.5), ("150.000", 150000), ("7", 7),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_budget_with_equivalent_in_parentheses():
    found = find_money("totalling 3,046,788.80 US dollars (approximately 344.29 million yen) through")
    assert [(m.value, m.currency, m.approximate) for m in found] == [
        (3046788.80, "USD", False), (344290000.0, "JPY", True)]


@pytest.mark.parametrize("text, value, currency", [
    ("Ukupna vrijednost projekta je 545,897,00 EUR", 545897.0, "EUR"),
    ("budžet 12.500.000 динара", 12500000, "RSD"), ("120.000 KM", 120000, "BAM"),
    ("EUR 1,250,000", 1250000, "EUR"), ("€ 45.000", 45000, "EUR"), ("1,2 милиони евра", 1200000, "EUR"),
    ("buxheti 2.500.000 lekë", 2500000, "ALL"),
])
def test_currencies_in_the_region(text, value, currency):
    m = find_money(text)[0]
    assert (m.value, m.currency) == (pytest.approx(value), currency)


def test_english_all_is_not_albanian_lek():
    assert find_money("We thank all 12 partners and all donors") == []


def test_unknown_currency_is_a_clear_error():
    with pytest.raises(NormalizationError, match="unknown currency 'XYZ'"):
        currency_code("XYZ")


def test_percentages():
    assert [v for v, _, _ in find_percentages("EU finansira/financira 89,92%, ostalo 10.08 %")] == [0.8992, 0.1008]


def test_ceilings_are_not_budgets():
    found = find_money("grants of up to EUR 30,000; budžet od 120.000 KM; grantovi do 8.000 евра")
    assert [(m.value, m.ceiling) for m in found] == [(30000, True), (120000, False), (8000, True)]


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("fond od 700.000 франака", 700000, "CHF"),
    ("skoro pola miliona KM", 500000, "BAM"),
    ("Ukupna sredstva su 120.000 od čega opština 20.000 eura", 120000, "EUR"),
])
def test_amounts_as_real_pages_write_them(text, value, currency):
    first = find_money(text)[0]
    assert (first.value, first.currency) == (value, currency)


def test_kilometres_are_not_convertible_marks():
    assert find_money("14 km of sewer pipes and 12 km puta") == []
    assert find_percentages("Evropska unija finansira 80 odsto") == [(0.8, 25, 33)]
