"""Places written in an inflected case after a preposition: `u Tuzli`, `у Нишу`, `u Novom Pazaru`.

Bosnian/Croatian/Serbian decline place names (locative `u Mostaru`, genitive `iz Kragujevca`), which a
gazetteer of nominatives does not hold. After a preposition of place, a capitalised word (or two) is turned
back into candidate nominatives by stripping a case ending (and restoring the fleeting `a` of -ac names:
Kragujevcu → Kragujevac); a candidate counts only when it is a municipality, city or town of the gazetteer.
"""

from __future__ import annotations

import re
from itertools import product

from aidatlas.normalize.countries import country_code
from aidatlas.normalize.places import PlaceMatch
from aidatlas.reference.gazetteer import Gazetteer, GazetteerEntry

_CAP = "A-ZČĆŠŽĐА-ЯЂЈЉЊЋЏЃЌЅ"
_WORD = rf"[{_CAP}][\w]+(?:-[{_CAP}][\w]+)?"
_AFTER_PREPOSITION = re.compile(
    rf"(?<!\w)(?:u|na|iz|od|do|kod|oko|prema|kroz|у|на|из|од|до|код|око|према|кроз|në|nga|"
    rf"(?:[Kk]omun\w*|[Qq]ytet\w*|[Ff]shat\w*)\s+(?:e|së|të))\s+(?P<name>{_WORD}(?:\s+{_WORD})?)")
#: the next item of a list of places in the same case: "u Loparama, Bratuncu … i Doboj Jugu"
_LIST_NEXT = re.compile(rf"(?:\s*,\s*|\s+(?:i|и|dhe|and|ili)\s+|\s*,\s*(?:i|и|dhe)\s+)(?P<name>{_WORD}(?:\s+{_WORD})?)")
_ENDINGS = ("ima", "ama", "om", "em", "oj", "ом", "ем", "ој", "u", "a", "e", "i", "у", "а", "е", "и",
            "it", "ës", "së", "in", "ës")  # the last: Albanian genitive/definite (Vitisë, Bujanocit, Likovës)
_NOMINATIVE = ("", "a", "o", "e", "i", "ë", "а", "о", "е", "и")
_KINDS = {"municipality", "city", "town"}


_DEVOICED = {"p": "b", "t": "d", "s": "z", "š": "ž", "п": "б", "т": "д", "с": "з", "ш": "ж"}


def nominatives(word: str) -> list[str]:
    """Candidate nominatives of an inflected word, the word itself first."""
    out = [word]
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            out += [stem + n for n in _NOMINATIVE]
            if len(stem) > 3 and stem[-1] in "cкцk" and stem[-2] not in "aeiouаеиоу":
                vowel = "а" if stem[-1] in "кц" else "a"
                out.append(stem[:-1] + vowel + stem[-1])  # Kragujevc-u → Kragujevac
                if stem[-2] in _DEVOICED:  # Šapc-u → Šabac: the consonant voices again before the restored a
                    out.append(stem[:-2] + _DEVOICED[stem[-2]] + vowel + stem[-1])
            if ending in ("i", "и") and stem[-1:] in ("c", "z", "s", "ц", "з", "с"):  # Luc-i → Luka (k → c)
                out.append(stem[:-1] + {"c": "ka", "z": "ga", "s": "ha", "ц": "ка", "з": "га", "с": "ха"}[stem[-1]])
            elif len(stem) > 4 and stem[-2:] in ("nj", "lj", "њ", "љ") and stem[-3] not in "aeiouаеиоу":
                out.append(stem[:-2] + "a" + stem[-2:])  # Kladnj-u → Kladanj
    return list(dict.fromkeys(out))


def _forms(word: str) -> list[str]:
    """Nominatives of a word; each half of a hyphenated name declines on its own (Domaljevcu-Šamcu)."""
    if "-" in word:
        return ["-".join(parts) for parts in product(*(nominatives(p) for p in word.split("-")))]
    return nominatives(word)


def _resolve(words: list[str], gazetteer: Gazetteer) -> GazetteerEntry | None:
    for combo in product(*(_forms(w) for w in words)):
        name = " ".join(combo)
        if country_code(name):
            return None
        for entry in gazetteer.lookup(name):
            if entry.kind in _KINDS:
                return entry
    return None


def inflected_places(text: str, gazetteer: Gazetteer, taken: list[tuple[int, int]]) -> list[PlaceMatch]:
    """Places after prepositions that the nominative matcher missed (spans in `taken` are skipped)."""
    found: list[PlaceMatch] = []
    for m in _AFTER_PREPOSITION.finditer(text):
        start, name = m.start("name"), m.group("name")
        resolved = 0
        while True:
            end = _one_place(text, start, name, gazetteer, taken, found)
            resolved += end is not None
            if not resolved or not (nxt := _LIST_NEXT.match(text, end or start + len(name.split()[0]))):
                break
            start, name = nxt.start("name"), nxt.group("name")
    return found


_REGION_NOUN = r"(?:okrug|kanton|region|oblast|округ|кантон|регион|област)\w*"
#: "u Jablaničkom, Pirotskom … i Topličkom okrugu": several adjectives share one district noun
_SHARED_NOUN = re.compile(rf"(?P<adjs>{_WORD}(?:(?:\s*,\s*|\s+(?:i|и)\s+){_WORD})*)\s+(?P<noun>{_REGION_NOUN})\b")
_ADJ_ENDINGS = ("skom", "čkom", "ckom", "škom", "skoj", "čkoj", "škoj", "skog", "čkog", "škog", "ском", "чком", "шком",
                "ској", "чкој", "шкој", "ског", "чког", "шког")


def district_places(text: str, gazetteer: Gazetteer) -> list[PlaceMatch]:
    """Districts and cantons named by adjectives before one shared noun, each resolved in the nominative."""
    found = []
    for m in _SHARED_NOUN.finditer(text):
        nouns = [n for n in nominatives(m.group("noun")) if n[-1:] not in "aeiouаеиоу" or n == m.group("noun")]
        for adj in re.finditer(_WORD, m.group("adjs")):
            word = adj.group(0)
            ending = next((e for e in _ADJ_ENDINGS if word.endswith(e)), None)
            if ending is None:
                continue
            base = word[: -len(ending) + 2] + ("и" if ending[0] in "сч" else "i")  # Jablaničkom → Jablanički
            entry = next((e for noun in nouns for e in gazetteer.lookup(f"{base} {noun}")), None)
            if entry is not None:
                start = m.start("adjs") + adj.start()
                found.append(PlaceMatch(entry, start, start + len(word), word))
    return found


def _one_place(text: str, start: int, name: str, gazetteer: Gazetteer, taken: list[tuple[int, int]],
               found: list[PlaceMatch]) -> int | None:
    """Resolve one (possibly two-word) inflected name at `start`; returns where it ends, None when no place."""
    words = name.split()
    for n in (len(words), 1):  # "Novom Pazaru" together, else the first word alone
        entry = _resolve(words[:n], gazetteer)
        if entry is not None:
            end = start + len(" ".join(words[:n]))
            if not any(a <= start and end <= b for a, b in taken):  # a longer name wins ("Doboj Jugu")
                found.append(PlaceMatch(entry, start, end, text[start:end]))
            return end
    return None


_VILLAGE_NOUN = (r"(?:u\s+selu|u\s+selima|u\s+naselju|u\s+naseljima|selo|sela|selima|у\s+селу|у\s+селима|село|села|"
                 r"селото|селата|fshatin|fshatrat|fshatit|fshati|the\s+villages?\s+of|villages?\s+of|villages)")
_NAME = rf"[{_CAP}][\w\-]+(?:\s+[{_CAP}][\w\-]+){{0,2}}"
_VILLAGES = re.compile(rf"(?<!\w){_VILLAGE_NOUN}\s+(?P<names>{_NAME}(?:(?:\s*,\s*|\s+(?:i|и|and|dhe|e)\s+){_NAME})*)")
#: "Bashkia Shkodër (Theth, Nderlysaj)": the places listed in brackets after a municipality are its villages
_BRACKETED = re.compile(rf"(?:Bashkia|Komuna|Opština|Općina|Opstina|Municipality of|Општина|Grad|Град)\s+{_NAME}"
                        rf"(?:\s+e\s+{_NAME})?\s*\((?P<names>{_NAME}(?:(?:\s*,\s*|\s+(?:i|и|and|dhe|e)\s+){_NAME})*)\)")


def village_places(text: str, gazetteer: Gazetteer, taken: list[tuple[int, int]]) -> list[PlaceMatch]:
    """Villages named after a village noun (`u selu Krivа Feja`, `во селото Чегране`, `në fshatin Voskop`,
    `the villages of Vranište and Dolna Belica`, `Bashkia Shkodër (Theth, Nderlysaj)`): the name stands in
    the nominative there, so a village the gazetteer does not hold is still a place of the record (without
    coordinates or country)."""
    found = []
    for m in (*_VILLAGES.finditer(text), *_BRACKETED.finditer(text)):
        names = m.group("names")
        for part in re.finditer(_NAME, names):
            name = part.group(0)
            if name.lower() in {"and", "i", "и", "dhe", "e"}:
                continue
            start = m.start("names") + part.start()
            if any(a <= start < b for a, b in taken):
                continue
            known = next((e for e in gazetteer.lookup(name)), None)
            entry = known or GazetteerEntry(name, "", "village", None, None, None, None, None, ())
            found.append(PlaceMatch(entry, start, start + len(name), name))
    return found
