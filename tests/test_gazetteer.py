"""The gazetteer's package data and lookups: every spelling and script finds the one canonical place."""

from __future__ import annotations

import csv
from collections import Counter
from functools import lru_cache
from importlib import resources

import pytest

from aidatlas.reference.gazetteer import COUNTRIES, KINDS, Gazetteer, GazetteerEntry, _parse

DATA = resources.files("aidatlas.reference") / "data"
# Municipalities and cities (municipality-level) per country, as counted by each country's law.
EXPECTED = {"BA": 143, "RS": 170, "XK": 38, "ME": 25, "MK": 80, "AL": 61}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def curated_rows() -> list[dict[str, str]]:
    text = (DATA / "gazetteer_curated.tsv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


def names(entries: list[GazetteerEntry]) -> list[tuple[str, str]]:
    return [(e.name, e.country) for e in entries]


def test_every_curated_row_parses_with_a_valid_country_and_kind():
    rows = curated_rows()
    assert rows
    for row in rows:
        assert row["name"].strip() == row["name"] and row["name"], row
        assert row["country"] in {"BA", "RS", "XK", "ME", "MK", "AL"}, row
        assert row["kind"] in KINDS, row
        assert all(alt.strip() for alt in row["alt_names"].split("|") if row["alt_names"]), row
    assert len(_parse((DATA / "gazetteer_curated.tsv").read_text("utf-8"), "curated")) == len(rows)


def test_each_country_has_all_its_municipalities():
    counts = Counter(r["country"] for r in curated_rows() if r["kind"] in ("municipality", "city"))
    for country, expected in EXPECTED.items():
        assert 0.95 * expected <= counts[country] <= 1.05 * expected, (country, counts[country])


def test_no_duplicate_curated_place():
    keys = Counter((r["name"], r["country"], r["admin1"]) for r in curated_rows())
    assert [k for k, n in keys.items() if n > 1] == []


def test_generated_file_is_small_and_parses():
    path = DATA / "gazetteer.tsv"
    text = path.read_text("utf-8")
    assert len(text.encode()) < 2_000_000
    rows = _parse(text, "gazetteer.tsv")
    assert {r.country for r in rows} <= COUNTRIES
    assert sum(r.source == "geonames" for r in rows) > 1000


def test_malformed_row_names_file_and_line():
    bad = "name\tcountry\tkind\nSarajevo\tBA\tmunicipality\nParis\tFR\tcity\n"
    with pytest.raises(ValueError, match=r"bad.tsv, line 3"):
        _parse(bad, "bad.tsv")


def test_most_municipalities_have_coordinates_and_geonames_ids():
    municipal = [e for e in gazetteer().entries if e.kind in ("municipality", "city")]
    assert sum(e.lat is not None for e in municipal) / len(municipal) > 0.9
    assert sum(e.geonames_id is not None for e in municipal) / len(municipal) > 0.8
    sarajevo = gazetteer().lookup("Sarajevo")[0]
    assert sarajevo.geonames_id == 3191281 and abs(sarajevo.lat - 43.85) < 0.05  # type: ignore[operator]


@pytest.mark.parametrize("spelling", ["Zvečan", "Zveçan", "Zvecan", "Звечан", "ZVEČAN"])
def test_lookup_is_script_and_diacritics_insensitive(spelling):
    assert names(gazetteer().lookup(spelling)) == [("Zvečan", "XK")]


@pytest.mark.parametrize(("spelling", "expected"), [
    ("Banjaluka", ("Banja Luka", "BA")),
    ("Бања Лука", ("Banja Luka", "BA")),
    ("Приједор", ("Prijedor", "BA")),
    ("Beograd", ("Belgrade", "RS")),
    ("Београд", ("Belgrade", "RS")),
    ("Скопје", ("Skopje", "MK")),
    ("Shkup", ("Skopje", "MK")),
    ("Tiranë", ("Tirana", "AL")),
    ("Shkodra", ("Shkodër", "AL")),
    ("Fushe Arrez", ("Fushë-Arrëz", "AL")),
    ("Mitrovicë e Veriut", ("Mitrovica North", "XK")),
    ("Severna Mitrovica", ("Mitrovica North", "XK")),
    ("Mitrovicë", ("Mitrovica South", "XK")),
    ("Priština", ("Prishtina", "XK")),
    ("Uroševac", ("Ferizaj", "XK")),
    ("Đakovica", ("Gjakova", "XK")),
    ("Srednjobosanski kanton", ("Central Bosnia Canton", "BA")),
    ("Bosanski Novi", ("Novi Grad", "BA")),
    ("Nikšić", ("Nikšić", "ME")),
    ("Titograd", ("Podgorica", "ME")),
    ("Sremski Karlovci", ("Sremski Karlovci", "RS")),
    ("Općina Žepče", ("Žepče", "BA")),
    ("Municipality of Ravno", ("Ravno", "BA")),
])
def test_lookup_finds_the_canonical_place(spelling, expected):
    assert names(gazetteer().lookup(spelling))[0] == expected


def test_entities_and_districts():
    (srpska,) = gazetteer().lookup("Republika Srpska")
    assert (srpska.country, srpska.kind) == ("BA", "entity")
    assert gazetteer().lookup("Federacija Bosne i Hercegovine")[0].kind == "entity"
    assert gazetteer().lookup("Brčko distrikt")[0].kind == "district"
    assert gazetteer().lookup("RS") == []


def test_lookup_ranks_municipalities_first_and_filters_by_country():
    korce = gazetteer().lookup("Korçë")
    assert [e.kind for e in korce[:2]] == ["municipality", "county"]
    both = gazetteer().lookup("Gračanica")
    assert {"BA", "XK"} <= {e.country for e in both}
    assert all(e.country == "XK" for e in gazetteer().lookup("Gračanica", country="XK"))
    assert gazetteer().lookup("Gračanica", country="XK")[0].kind == "municipality"
    assert gazetteer().lookup("Prijedor", country="RS") == []
    assert gazetteer().lookup("Nowhere at all") == []


def test_homonyms_within_a_country_stay_apart():
    trnovo = gazetteer().lookup("Trnovo", country="BA")
    assert {e.admin1 for e in trnovo if e.kind == "municipality"} == {"Sarajevo Canton", "Republika Srpska"}


def test_countries_and_a_hand_built_gazetteer():
    assert gazetteer().countries() == COUNTRIES
    entry = GazetteerEntry("Ravno", "BA", "municipality", None, None, None, None, None, ("Равно",))
    small = Gazetteer([entry])
    assert small.lookup("RAVNO") == [entry] and small.countries() == {"BA"}
