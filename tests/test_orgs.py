"""Organisation names: cleaning, acronyms, the comparison key, distinctive tokens, and the alias table."""

from __future__ import annotations

from functools import lru_cache

import pytest

from aidatlas.normalize.orgs import (
    clean_org_name,
    distinctive_tokens,
    is_acronym,
    org_key,
    org_tokens,
    split_acronym,
)
from aidatlas.reference.orgs import ORG_TYPES, KnownOrgs, parse_tsv


@lru_cache(maxsize=1)
def known() -> KnownOrgs:
    return KnownOrgs.load()


@pytest.mark.parametrize(("raw", "clean"), [
    ("Employee of the Ministry of Labour, Social Affairs and Equal Opportunities of Albania",
     "Ministry of Labour, Social Affairs and Equal Opportunities of Albania"),
    ("Employee of the Kosovo Investment and Enterprise Support Agency (KIESA)",
     "Kosovo Investment and Enterprise Support Agency (KIESA)"),
    ("NGO Juventas, Lead applicant, Montenegro", "NGO Juventas"),
    ("Građanska alijansa / Civic Alliance, Partner, Montenegro", "Građanska alijansa / Civic Alliance"),
    ("Grupa 484 / Group 484, Serbia", "Grupa 484 / Group 484, Serbia"),       # no role: the country stays
    ("  • “Center for Environment”.", "Center for Environment"),
    ("**Applicant:**", "Applicant"),
    ("1) Institute of Chemistry, Technology and Metallurgy –  Department of\n Chemistry",
     "Institute of Chemistry, Technology and Metallurgy – Department of Chemistry"),
    ("Association “Vaša prava BiH” –  Legal Aid Network, Lead applicant, B&H",
     'Association "Vaša prava BiH" – Legal Aid Network'),
    ("Helsinki Citizens’ Assembly Banjaluka", "Helsinki Citizens' Assembly Banjaluka"),
    ("Infohouse d.o.o.", "Infohouse d.o.o."),
    ("JICA (Lead partner)", "JICA"),
    ("Центар за животну средину", "Центар за животну средину"),
])
def test_clean_org_name(raw: str, clean: str) -> None:
    assert clean_org_name(raw) == clean


@pytest.mark.parametrize(("name", "split"), [
    ("Kosovo Investment and Enterprise Support Agency (KIESA)",
     ("Kosovo Investment and Enterprise Support Agency", "KIESA")),
    ("Centar za razvoj Hercegovine (CRH) Trebinje", ("Centar za razvoj Hercegovine Trebinje", "CRH")),
    ("Local Democracy Agency Mostar (LDA Mostar)", ("Local Democracy Agency Mostar", "LDA")),
    ("ALDA – European Association for Local Democracy", ("European Association for Local Democracy", "ALDA")),
    ("MAEC - Ministerio de Asuntos Exteriores y de Cooperación",
     ("Ministerio de Asuntos Exteriores y de Cooperación", "MAEC")),
    ("UPV/EHU - Universidad del País Vasco", ("Universidad del País Vasco", "UPV/EHU")),
    ("Association “Vaša prava BiH” – Legal Aid Network", ("Association “Vaša prava BiH” – Legal Aid Network", None)),
    ("Ministry of Social Welfare (former Ministry)", ("Ministry of Social Welfare (former Ministry)", None)),
    ("UNDP", ("UNDP", None)),
])
def test_split_acronym(name: str, split: tuple[str, str | None]) -> None:
    assert split_acronym(name) == split


def test_is_acronym() -> None:
    assert all(map(is_acronym, ["UNDP", "IChTM", "BiH", "CoE", "UPV/EHU", "BLINK"]))
    assert not any(map(is_acronym, ["Sida", "Juventas", "EduTask", "U", "Local Democracy"]))


@pytest.mark.parametrize("names", [
    ["Norwegian Ministry of Foreign Affairs", "Ministry of Foreign Affairs of Norway",
     "Ministarstvo vanjskih poslova Norveške", "Министерство за надворешни работи на Норвешка"],
    ["Centar za životnu sredinu", "Center for Environment", "Центар за животну средину", "Centre for Environment"],
    ["Agencija lokalne demokratije Mostar", "Local Democracy Agency Mostar", "Агенција локалне демократије Мостар",
     "Agencija lokalne demokracije Mostaru"],
    ["NGO Juventas", "NVO Juventas", "Juventas", "НВО Јувентас"],
    ["European Union", "Europska unija", "Evropska unija", "Европска унија", "Bashkimi Evropian"],
    ["Udruženje građana Zelena akcija", "Association Green Action", "Zelena akcija"],
])
def test_org_key_alike_across_languages_scripts_and_legal_forms(names: list[str]) -> None:
    assert len({org_key(n) for n in names}) == 1, {n: org_key(n) for n in names}


@pytest.mark.parametrize(("a", "b"), [
    ("LDA Mostar", "LDA Prijedor"),
    ("Center for Environment", "Center for Environmental Law"),
    ("Ministry of Health of Serbia", "Ministry of Health of Montenegro"),
    ("Centar za promociju civilnog društva", "Centar za razvoj civilnog društva"),
    ("Grupa 484", "Grupa 485"),
])
def test_org_key_keeps_different_organisations_apart(a: str, b: str) -> None:
    assert org_key(a) != org_key(b)


def test_distinctive_tokens() -> None:
    assert distinctive_tokens("Local Democracy Agency Subotica") == {"subotica"}
    assert distinctive_tokens("Agencija lokalne demokratije Nikšić") == {"niksic"}
    assert distinctive_tokens("Центар за животну средину") == set()
    assert distinctive_tokens("Kosovo Investment and Enterprise Support Agency (KIESA)") == {"kosovo", "kiesa"}
    assert distinctive_tokens("Center for Social Innovations BLINK 42-21") == {"blink", "42", "21"}
    assert distinctive_tokens("Helsinki Citizens' Assembly Banja Luka") == {"helsinki", "banjaluka"}
    generic = ("Association Institute Ministry Foundation Udruženje Shoqata Здружение Qendra Agencija Local "
               "Democracy Center Centar Agjencia Fondacija Instituti Ministarstvo Lokalne Demokratije Demokracisë")
    assert distinctive_tokens(generic) == set()


def test_tokens_read_inflection_typos_and_phrases() -> None:
    kinds = [(t.kind, t.value) for t in org_tokens("Enviromental Center in Banja Luka, Republika Srpska d.o.o.")]
    assert kinds == [("concept", "environment"), ("concept", "center"), ("stop", "in"), ("place", "banjaluka"),
                     ("place", "srpska"), ("legal", "legal")]
    assert [t.value for t in org_tokens("Ministarstvo obrazovanja Tuzlanskog kantona")][2] == "tuzla"
    assert [t.kind for t in org_tokens("Tirena")] == ["word"]        # a proper name, not a misspelt Tirana
    assert [t.initials for t in org_tokens("Centar za životnu sredinu")] == ["c", "z", "zs"]


def test_alias_table_is_well_formed() -> None:
    orgs = list(known())
    assert 100 <= len(orgs) <= 200
    names = {o.canonical for o in orgs}
    for org in orgs:
        assert org.org_type in ORG_TYPES
        assert org.parent is None or org.parent in names
        assert org.country is None or len(org.country) == 2
    refs = [o.iati_ref for o in orgs if o.iati_ref]
    assert len(refs) == len(set(refs))


def test_alias_table_rejects_bad_rows() -> None:
    header = "canonical\tcountry\torg_type\tiati_ref\tparent\taliases\n"
    with pytest.raises(ValueError, match="data row 2"):
        parse_tsv(header + "X\tSerbia\t10\t\t\t\n")
    with pytest.raises(ValueError, match="parent"):
        parse_tsv(header + "X\tRS\t10\t\tNobody\t\n")


@pytest.mark.parametrize(("name", "canonical"), [
    ("UNICEF", "United Nations Children's Fund"),
    ("United Nations Children’s Fund", "United Nations Children's Fund"),
    ("Европска унија", "European Union"),
    ("Bashkimi Evropian", "European Union"),
    ("Ministry of Foreign Affairs of Norway", "Norwegian Ministry of Foreign Affairs"),
    ("Norway MFA", "Norwegian Ministry of Foreign Affairs"),
    ("Ambasada Norveške u Sarajevu", "Royal Norwegian Embassy in Sarajevo"),
    ("Japan", "Government of Japan"),
    ("JICA", "Japan International Cooperation Agency"),
    ("Sida", "Swedish International Development Cooperation Agency"),
    ("CZZS", "Center for Environment"),
    ("Local Democracy Agency Mostar (LDA Mostar)", "Local Democracy Agency Mostar"),
    ("FAO - Organización de las Naciones Unidas para la Agricultura y la Alimentación",
     "Food and Agriculture Organization of the United Nations"),
    ("Employee of the Food and Veterinary Agency", "Food and Veterinary Agency"),
])
def test_lookup(name: str, canonical: str) -> None:
    hit = known().lookup(name)
    assert hit is not None and hit.canonical == canonical


def test_lookup_misses_and_parents() -> None:
    assert known().lookup("who") is None                     # acronyms only as acronyms
    assert known().lookup("Local Democracy Agency") is None
    embassy = known().lookup("Royal Norwegian Embassy in Sarajevo")
    assert embassy is not None and embassy.parent == "Norwegian Ministry of Foreign Affairs"
    assert known().lookup("Norwegian MFA") is not embassy
    undp = known().lookup("UNDP")
    assert undp is not None and undp.iati_ref == "XM-DAC-41114" and undp.org_type == "40"


def test_find_in_text() -> None:
    text = ("Funded by the European Union and UNICEF, with Japan; who knows. Европска унија, "
            "the World Health Organization (WHO) and UN Women. Aplikant: Agencija lokalne demokratije Mostar")
    found = [(o.canonical, text[a:b]) for o, a, b in known().find_in_text(text)]
    assert found == [
        ("European Union", "European Union"), ("United Nations Children's Fund", "UNICEF"),
        ("European Union", "Европска унија"), ("World Health Organization", "World Health Organization"),
        ("World Health Organization", "WHO"), ("UN Women", "UN Women"),
        ("Local Democracy Agency Mostar", "Agencija lokalne demokratije Mostar"),
    ]
