import pytest

from aidatlas.normalize.dates import find_dates, find_dates_in_year, month_number


@pytest.mark.parametrize("text, start, end", [
    ("organized on December 11 and 12, 2023, in Sarajevo", "2023-12-11", "2023-12-12"),
    ("11-12 December 2023", "2023-12-11", "2023-12-12"),
    ("11 и 12 декември 2023", "2023-12-11", "2023-12-12"),
    ("01.01.2021. – 31.12.2023.", "2021-01-01", "2023-12-31"),
    ("januar/siječanj, 2021. – decembar/prosinac, 2023.", "2021-01", "2023-12"),
    ("January 2021 – December 2023", "2021-01", "2023-12"),
    ("shkurt 2023 – janar 2026", "2023-02", "2026-01"),
    ("Strategic Plan for the period 2024 – 2026", "2024", "2026"),
    ("October 31, 2008", "2008-10-31", None),
    ("15. јануара 2024.", "2024-01-15", None),
    ("3. ožujka 2022.", "2022-03-03", None),
])
def test_dates_keep_their_precision(text, start, end):
    found = find_dates(text)[0]
    assert (found.start_date, found.end_date) == (start, end)


@pytest.mark.parametrize("word, month", [
    ("siječnja", 1), ("Декември", 12), ("dhjetor", 12), ("Dec.", 12), ("januar/siječanj", 1), ("nëntor", 11),
    ("октомври", 10), ("kolovoza", 8),
])
def test_month_names_in_five_languages(word, month):
    assert month_number(word) == month


def test_a_day_without_year_is_not_a_date():
    assert find_dates("On 31 October, the Government decided") == []


@pytest.mark.parametrize(("text", "start", "end"), [
    ("od 1. jula do 31. decembra 2023. godine", "2023-07-01", "2023-12-31"),
    ("Projekti će se provoditi od juna do decembra 2024.", "2024-06", "2024-12"),
    ("трајаће од децембра 2023. до краја јуна 2024. године", "2023-12", "2024-06"),
    ("2025/10/6", "2025-10-06", None),
    ("26.Mar.2018.", "2018-03-26", None),
])
def test_ranges_and_formats_of_real_pages(text, start, end):
    first = find_dates(text)[0]
    assert (first.start_date, first.end_date) == (start, end)


def test_days_without_a_year_take_the_date_lines_year():
    (first,) = find_dates_in_year("на 15 – 16 и 22 -23 септември во Берово", "2011")
    assert (first.start_date, first.end_date) == ("2011-09-15", "2011-09-23")
