from aidatlas.normalize.countries import country_code, country_heading, find_countries


def codes(text):
    return [m.code for m in find_countries(text)]


def test_names_abbreviations_and_cases():
    assert codes("The citizens of BiH, MNE and SRB") == ["BA", "ME", "RS"]
    assert codes("u Bosni i Hercegovini i Crnoj Gori") == ["BA", "ME"]
    assert codes("Албанија, Косово и Северна Македонија") == ["AL", "XK", "MK"]


def test_rs_alone_is_not_serbia():
    assert codes("the situation in the RS") == []


def test_ethnic_compounds_are_not_countries():
    assert codes("between Kosovo Albanian and Kosovo Serb communities") == ["XK", "XK"]


def test_country_heading_and_code():
    assert country_heading("BOSNIA AND HERZEGOVINA") == "BA"
    assert country_heading("Knowledge Co-Creation Program in Albania") is None
    assert country_code("B&H") == "BA"
    assert country_code("Montenegro") == "ME"
