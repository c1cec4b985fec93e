"""Sectors: OECD DAC 5-digit purpose codes (IATI vocabulary 1) where the record's own words support one.

A table of stems in the region's languages per code; a code is given when its stems occur in the title or at
least twice in the text, at most three codes per record, strongest first. Codes exist in the IATI Sector
codelist (tests check every one against it).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from aidatlas.normalize.script import fold, has_cyrillic, strip_diacritics
from aidatlas.records import Sector

#: DAC code → folded stems (English, Bosnian/Croatian/Serbian, Albanian, Macedonian transliterated)
SECTOR_STEMS: dict[str, tuple[str, ...]] = {
    "15112": ("local government", "local self government", "decentralis", "decentraliz", "municipal administration",
              "lokaln samouprav", "opcinsk uprav", "pushtet lokal", "qeverisj lokal", "lokalna samouprava"),
    "15113": ("corruption", "korupcij", "korrupsion", "integrity index", "whistleblow"),
    "15150": ("civil society", "civic activism", "civic participation", "civilnog drustv", "civilno drustv",
              "shoqeri civil", "gragjansk", "advocacy", "zagovaranj", "democratic participation"),
    "15153": ("media", "journalist", "novinar", "gazetar", "free flow of information", "medij"),
    "15160": ("human rights", "ljudsk prava", "minority rights", "te drejtat e njeriut", "covekov prava"),
    "15170": ("gender equality", "gender mainstreaming", "women s rights", "rodn ravnopravnost",
              "barazi gjinore", "rodova ednakvost", "women led", "women farmers"),
    "15180": ("gender based violence", "violence against women", "domestic violence", "nasilje nad zenama",
              "rodno zasnovano nasilje", "dhune ndaj grave", "online violence"),
    "15190": ("migration", "migrant", "smuggling of migrants", "migracij", "asylum"),
    "15210": ("security sector", "police officer", "policij", "law enforcement"),
    "15220": ("peacebuilding", "peace building", "reconciliation", "pomirenj", "conflict prevention",
              "violent extremism", "peace education", "transitional justice"),
    "15130": ("legal aid", "judicial", "pravna pomoc", "access to justice", "ndihme ligjor"),
    "11110": ("education policy", "education system", "education for peace", "obrazovn"),
    "11330": ("vocational training", "vocational education", "strucn obrazovan", "arsim profesional",
              "green skills", "zelene vestine"),
    "12110": ("health policy", "public health", "zdravstv", "shendetes"),
    "12261": ("health education", "food safety", "food sanitation", "bezbednost hrane"),
    "14030": ("drinking water", "water supply", "vodosnabd", "ujesjelles", "wastewater", "otpadne vode",
              "sewage"),
    "14050": ("waste management", "solid waste", "landfill", "recycling", "recikl", "otpad", "mbetje",
              "composter", "biowaste"),
    "16010": ("social protection", "social welfare", "socijaln zastit", "mbrojtje social"),
    "16020": ("employment", "job creation", "zaposljav", "zaposlenj", "punesim", "vrabotuvanj"),
    "23183": ("energy efficien", "energetsk efikasn", "efikasitet energjetik", "public lighting",
              "javna rasvjeta", "led lighting"),
    "31120": ("agricultur", "poljoprivred", "bujqesi", "zemjodelstv", "farmer"),
    "31194": ("agricultural cooperative", "poljoprivredn zadrug", "kooperativ bujqesor"),
    "32130": ("sme", "small and medium", "export promotion", "mala i srednja preduzec", "entrepreneur",
              "micro business"),
    "33210": ("tourism", "turiz", "turizem", "turizm", "visitors"),
    "41010": ("environmental protection", "environment", "zivotn sredin", "zastit okolis", "mjedis",
              "zivotna sredina", "pollut", "air quality", "zagadj", "bioremediation"),
    "43040": ("rural development", "ruraln razvoj", "zhvillim rural", "ruralnog turizm"),
    "43060": ("disaster risk", "flood", "poplav", "permbytj", "crisis management"),
    "22040": ("digital literacy", "digitalization", "digitalisation", "e governance", "digital platform",
              "digital tools", "ict"),
    "16061": ("cultural heritage", "traditional crafts", "kulturn nasljedj", "trashegimi kulturor"),
}


@cache
def _stems_by_prefix() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """A stem's first three letters → (all its words, code). Each word of a stem is a prefix of a word in the
    text; keying on three letters makes one lookup per word (plus two for the rare shorter first words)."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for code, stems in SECTOR_STEMS.items():
        for stem in stems:
            words = tuple(stem.split())
            index.setdefault(words[0][:3], []).append((words, code))
    return index


def _hits(folded: str) -> Counter[str]:
    """How often each code's stems occur in folded text (one pass over its words)."""
    index = _stems_by_prefix()
    words = folded.split()
    hits: Counter[str] = Counter()
    for i, word in enumerate(words):
        keys = (word[:3], word[:2], word[:1]) if len(word) > 2 else (word, word[:1]) if len(word) == 2 else (word,)
        for key in keys:
            for stem, code in index.get(key, ()):
                if word.startswith(stem[0]) and all(
                        j < len(words) and words[j].startswith(w) for j, w in enumerate(stem[1:], start=i + 1)):
                    hits[code] += 1
    return hits


def find_sectors(title: str, text: str, limit: int = 3) -> list[Sector]:
    """DAC codes the record's title and text support, strongest first."""
    in_title = _hits(fold(title))
    hits = _hits(fold(text))
    scored = sorted(((code in in_title, hits[code], code) for code in set(in_title) | set(hits)
                     if code in in_title or hits[code] >= 2), reverse=True)
    return [Sector(code=code, vocabulary="1") for _, _, code in scored[:limit]]


def sector_spans(codes: list[str], text: str) -> dict[str, tuple[int, int]]:
    """Where in `text` a stem of each sector code occurs: the words the code was read from."""
    wanted = {code: [stem.split() for stem in SECTOR_STEMS.get(code, ())] for code in codes}
    low = strip_diacritics(text).lower()
    if not has_cyrillic(text) and not any(parts[0][:4] in low for stems in wanted.values() for parts in stems):
        return {}  # no stem can be in this text: skip the word-by-word pass
    words = [(m.start(), m.end(), fold(m.group(0))) for m in re.finditer(r"\w+", text)]
    by_prefix: dict[str, list[tuple[str, list[str]]]] = {}
    for code, stems in wanted.items():
        for parts in stems:
            by_prefix.setdefault(parts[0][:3], []).append((code, parts))
    found: dict[str, tuple[int, int]] = {}
    for i, (start, _end, word) in enumerate(words):
        for key in dict.fromkeys((word[:3], word[:2], word[:1])):  # in order: spans must not depend on hashing
            for code, parts in by_prefix.get(key, ()):
                if code not in found and word.startswith(parts[0]) and all(
                        i + j < len(words) and words[i + j][2].startswith(p) for j, p in enumerate(parts[1:], start=1)):
                    found[code] = (start, words[i + len(parts) - 1][1])
        if len(found) == len(wanted):
            break
    return found
