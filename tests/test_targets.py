from aidatlas.normalize.targets import find_counts


def test_counted_groups():
    text = ("at least 4500 elementary and at least 4500 high school students and at least 21 journalists, "
            "60 police officers and 30 representatives of youth NGOs")
    assert [c for c, *_ in find_counts(text)] == [4500, 4500, 21, 60, 30]


def test_years_money_and_durations_are_not_counts():
    assert find_counts("in 2023, for 12 months, 45.000 EUR, 20% of 3 years") == []


def test_units_shares_files_villages_and_projects_are_not_people():
    text = ("80 odsto iznosa, 40 kilometara cijevi, 14 села, PDF 410 KB, između 15 i 20 projekata, "
            "1,100 house connections")
    assert find_counts(text) == []


def test_numbers_in_words_count_before_a_word_for_people_only():
    found = find_counts("posao će dobiti osam osoba s invaliditetom, a zaposliće pet članova udruženja u tri opštine")
    assert [c for c, *_ in found] == [8, 5]
    assert [c for c, *_ in find_counts("five women and two tranches")] == [5]
