from aidatlas.normalize.targets import find_counts


def test_counted_groups():
    text = ("at least 4500 elementary and at least 4500 high school students and at least 21 journalists, "
            "60 police officers and 30 representatives of youth NGOs")
    assert [c for c, *_ in find_counts(text)] == [4500, 4500, 21, 60, 30]


def test_years_money_and_durations_are_not_counts():
    assert find_counts("in 2023, for 12 months, 45.000 EUR, 20% of 3 years") == []
