from lxml import etree

from aidatlas.normalize.sectors import SECTOR_STEMS, find_sectors


def test_every_code_is_in_the_iati_sector_codelist():
    from importlib.resources import files

    codelist = files("aidatlas.reference").joinpath("data/iati/codelists/Sector.xml").read_bytes()
    codes = {item.findtext("code") for item in etree.fromstring(codelist).iter("codelist-item")}
    assert set(SECTOR_STEMS) <= codes


def test_sectors_from_the_records_own_words():
    codes = [s.code for s in find_sectors("Clean Lim: Wastewater Pre-treatment for Berane",
                                          "Untreated wastewater pollutes the river. Sewage outlet, pollution.")]
    assert codes[0] == "14030"
    assert "41010" in codes
    bosnian = find_sectors("Jačanje lokalne samouprave", "Projekt jača organizacije civilnog društva i "
                           "lokalnu samoupravu; zagovaranje i civilno društvo.")
    assert {s.code for s in bosnian} >= {"15112", "15150"}


def test_no_sector_without_support():
    assert find_sectors("Annual report", "The meeting took place on Monday.") == []
