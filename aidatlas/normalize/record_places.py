"""Where a record happens: the places its texts name (in any case form, villages after a village noun,
districts by their adjectives) and the municipalities that carry it out.

`PLACE_BODY` tells a municipality as a body (`Opština Bijelo Polje`, an organisation) from its place.
"""

from __future__ import annotations

import re

from aidatlas.normalize.countries import REGION
from aidatlas.normalize.inflection import district_places, inflected_places, village_places
from aidatlas.normalize.places import find_places
from aidatlas.records import Draft, Place, Snippet
from aidatlas.reference.gazetteer import Gazetteer

Spans = dict[str, list[tuple[int, int]]]

#: an organisation named so is a place's own body: its place still counts as the activity's location (searched,
#: not matched: `Municipality of X` and `X Municipality` alike)
PLACE_BODY = re.compile(r"(?:opštin|opstin|općin|opcin|municipality|komuna|општин|grad |град |bashki|city of|"
                        r"local government )", re.I)


def _span(s: Snippet) -> tuple[int, int]:
    return s.start, s.end


def local_body(place: str, gazetteer: Gazetteer) -> str:
    """`Jagodina` from a local-government column → `Grad Jagodina`, `Knjaževac` → `Opština Knjaževac`."""
    entries = [e for e in gazetteer.lookup(place) if e.kind in ("city", "municipality", "town")]
    city = bool(entries) and entries[0].kind == "city"
    if entries and entries[0].country == "AL":
        return f"Bashkia {place}"
    if entries and entries[0].country == "XK":
        return f"Komuna e {place}"
    cyrillic = bool(re.search(r"[а-яА-Я]", place))
    word = ("Град" if city else "Општина") if cyrillic else ("Grad" if city else "Opština")
    return f"{word} {place}"



def record_places(draft: Draft, gazetteer: Gazetteer, excluded: list[tuple[int, int]], spans: Spans) -> list[Place]:
    """The places a record's place texts name, outside the excluded spans (its organisations' names)."""
    out: dict[tuple[str, str], Place] = {}
    unique = {(s.start, s.end): s for s in draft.places}.values()  # a location line is also body text
    for s in unique:
        matches = find_places(s.text, gazetteer, countries=set(REGION))
        matches += inflected_places(s.text, gazetteer, [(m.start, m.end) for m in matches])
        matches += district_places(s.text, gazetteer)
        matches += village_places(s.text, gazetteer, [(m.start, m.end) for m in matches])
        matches = [m for m in matches if not any(o is not m and o.start <= m.start and m.end <= o.end
                                                 and o.end - o.start > m.end - m.start for o in matches)]
        for m in matches:
            start, end = s.start + m.start, s.start + m.end
            if any(a <= start < b for a, b in excluded):
                continue
            e = m.entry
            key = (e.name, e.country)
            if key not in out:
                spans[f"locations.{len(out)}"] = [(start, end)]
                out[key] = Place(name=e.name, country=e.country or None, admin1=e.admin1, lat=e.lat, lon=e.lon,
                                 geonames_id=e.geonames_id)
    return list(out.values())

def body_places(draft: Draft, gazetteer: Gazetteer, places: list[Place], spans: Spans) -> list[Place]:
    """A municipality that carries the activity out is where it happens (`Bashkia Korçë` → Korçë), even
    when the sentence that names it lies outside the activity's own text (a listing's lead)."""
    out: list[Place] = []
    have = {(p.name, p.country) for p in places}
    for dp in draft.participants:
        if dp.role not in ("implementer", "applicant") or not PLACE_BODY.search(dp.name.text):
            continue
        for m in find_places(dp.name.text, gazetteer, countries=set(REGION))[:1]:
            e = m.entry
            if (e.name, e.country) not in have and e.kind in ("municipality", "city", "town"):
                have.add((e.name, e.country))
                verbatim = dp.name.end - dp.name.start == len(dp.name.text)  # not "Local government X"
                spans[f"locations.{len(places) + len(out)}"] = [
                    (dp.name.start + m.start, dp.name.start + m.end) if verbatim else _span(dp.name)]
                out.append(Place(name=e.name, country=e.country or None, admin1=e.admin1, lat=e.lat, lon=e.lon,
                                 geonames_id=e.geonames_id))
    return out
