"""Country mentions → ISO 3166-1 alpha-2 (XK for Kosovo), in the region's languages, scripts and cases.

`RS` alone is never read as Serbia: in Bosnian texts it means Republika Srpska. An ethnic compound such as
`Kosovo Albanian` or `Kosovo Serb` names a community, not a second country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from aidatlas.normalize.script import fold

#: the countries whose mentions make a record's recipient countries
REGION = ("AL", "BA", "ME", "MK", "RS", "XK")

NAMES: dict[str, tuple[str, ...]] = {
    "BA": ("Bosnia and Herzegovina", "Bosnia & Herzegovina", "Bosnia-Herzegovina", "Bosnia", "BiH", "B&H",
           "BH", "Bosna i Hercegovina", "Bosne i Hercegovine", "Bosni i Hercegovini", "Bosnu i Hercegovinu",
           "Bosnom i Hercegovinom", "Босна и Херцеговина", "Босне и Херцеговине", "Босни и Херцеговини",
           "Bosnje dhe Hercegovines", "Bosnja dhe Hercegovina", "Bosnje e Hercegovine",
           "Босна и Херцеговина", "Bosna", "Bosni", "Bosne"),
    "RS": ("Serbia", "Republic of Serbia", "Srbija", "Srbije", "Srbiji", "Srbiju", "Србија", "Србије",
           "Србији", "Србију", "Serbi", "Serbia", "Serbise", "Serbisë", "SRB"),
    "XK": ("Kosovo", "Republic of Kosovo", "Kosova", "Kosovë", "Kosoves", "Kosovës", "Kosovu", "Kosova",
           "Косово", "Косову", "Косова", "RKS"),
    "ME": ("Montenegro", "Crna Gora", "Crne Gore", "Crnoj Gori", "Crnu Goru", "Црна Гора", "Црне Горе",
           "Црној Гори", "Mali i Zi", "Malit të Zi", "Malin e Zi", "MNE", "CG"),
    "MK": ("North Macedonia", "Republic of North Macedonia", "Macedonia", "Sjeverna Makedonija",
           "Severna Makedonija", "Sjeverne Makedonije", "Severne Makedonije", "Makedonija", "Makedonije",
           "Makedoniji", "Северна Македонија", "Македонија", "Македонији", "Maqedonia e Veriut",
           "Maqedonisë së Veriut", "Maqedoni", "Maqedonia", "Maqedonisë", "MKD"),
    "AL": ("Albania", "Republic of Albania", "Albanija", "Albanije", "Albaniji", "Албанија", "Shqipëri",
           "Shqipëria", "Shqipërisë", "Shqiperi", "Shqiperia", "ALB"),
    "HR": ("Croatia", "Hrvatska", "Hrvatske", "Hrvatskoj", "Хрватска"),
    "SI": ("Slovenia", "Slovenija"),
    "JP": ("Japan", "Japana", "Japanu", "Јапан", "Japoni", "Japonia"),
    "NO": ("Norway", "Norveška", "Norveska", "Norveške", "Норвешка", "Norvegji", "Norvegjia"),
    "SE": ("Sweden", "Švedska", "Svedska", "Шведска", "Suedi"),
    "CH": ("Switzerland", "Švicarska", "Švajcarska", "Швајцарија", "Zvicër", "Zvicra"),
    "DE": ("Germany", "Njemačka", "Nemačka", "Германија", "Gjermani"),
    "US": ("United States", "USA", "Sjedinjene Američke Države", "SAD"),
    "GB": ("United Kingdom", "UK", "Velika Britanija"),
    "NL": ("Netherlands", "Nizozemska", "Holandija"),
    "AT": ("Austria", "Austrija"),
    "IT": ("Italy", "Italija", "Itali"),
    "FR": ("France", "Francuska", "Francë"),
    "TR": ("Turkey", "Türkiye", "Turska"),
}
DEMONYMS: dict[str, tuple[str, ...]] = {
    "BA": ("Bosnian", "Bosnian-Herzegovinian", "bosanskohercegovački", "bosanskohercegovačkih"),
    "RS": ("Serbian",),
    "XK": ("Kosovar", "Kosovan"),
    "ME": ("Montenegrin", "crnogorski", "crnogorskih"),
    "MK": ("Macedonian",),
    "AL": ("Albanian",),
    "JP": ("Japanese",),
    "NO": ("Norwegian",),
}
#: an ethnic group, not a country, when a demonym follows one of these
_ETHNIC_PREFIX = re.compile(r"(kosovo|bosnian|montenegrin|macedonian|serbian|albanian)\s*$", re.I)
_ETHNIC_SUFFIX = re.compile(r"^\s+(communit|minorit|ethnic|people|language|speaking|nationalit|serb|croat)",
                            re.I)
#: short codes that are only codes when written in capitals
_CAPS_ONLY = {"BIH", "B&H", "BH", "SRB", "RKS", "MNE", "CG", "MKD", "ALB", "USA", "UK", "SAD"}


@dataclass(frozen=True)
class CountryMention:
    code: str
    start: int
    end: int
    surface: str
    demonym: bool = False


_WORD = re.compile(r"[\w&]+")


@cache
def _index() -> dict[str, list[tuple[tuple[str, ...], str, bool]]]:
    """First word (casefolded) → every spelling that starts with it, as word tuples, longest first."""
    index: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
    for table, demonym in ((NAMES, False), (DEMONYMS, True)):
        for code, names in table.items():
            for name in names:
                words = tuple(w.casefold() for w in _WORD.findall(name))
                index.setdefault(words[0], []).append((words, code, demonym))
    for candidates in index.values():
        candidates.sort(key=lambda c: -len(c[0]))
    return index


def find_countries(text: str, *, demonyms: bool = True) -> list[CountryMention]:
    index = _index()
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    folded = [w.casefold() for w, _, _ in words]
    found = []
    i = 0
    while i < len(words):
        for names, code, is_demonym in index.get(folded[i], ()):
            n = len(names)
            if tuple(folded[i:i + n]) != names or not _spaced(text, words, i, n):
                continue
            start, end = words[i][1], words[i + n - 1][2]
            surface = text[start:end]
            if _accept(text, surface, start, end, is_demonym, demonyms):
                found.append(CountryMention(code, start, end, surface, is_demonym))
                i += n - 1
                break
        i += 1
    return found


def _spaced(text: str, words: list[tuple[str, int, int]], i: int, n: int) -> bool:
    """The words of a multi-word name are separated by spaces or a hyphen only ("Bosnia-Herzegovina")."""
    return all(text[words[j][2]:words[j + 1][1]] in (" ", "-", " & ") for j in range(i, i + n - 1))


def _accept(text: str, surface: str, start: int, end: int, is_demonym: bool, demonyms: bool) -> bool:
    if surface.upper() in _CAPS_ONLY and surface != surface.upper() and surface != "BiH":
        return False
    if surface[0].islower() and not is_demonym:
        return False
    if is_demonym:
        if not demonyms:
            return False
        if _ETHNIC_PREFIX.search(text[max(0, start - 14):start]) or _ETHNIC_SUFFIX.match(text[end:end + 16]):
            return False
    return True


@cache
def country_code(text: str) -> str | None:
    """The country a short text names (`Montenegro`, `B&H`, `Србија`), or None."""
    text = text.strip(" .,;:()")
    mentions = find_countries(text, demonyms=False)
    if len(mentions) == 1 and mentions[0].end - mentions[0].start >= len(text) - 1:
        return mentions[0].code
    return None


def country_heading(text: str) -> str | None:
    """A heading that is only a country's name (`## ALBANIA`, `BOSNA I HERCEGOVINA`) → its code."""
    cleaned = text.strip(" #*:")
    if len(cleaned) > 40:
        return None
    if cleaned.isupper() and (tail := re.split(r"\s[–—:-]\s", cleaned)[-1]) != cleaned:
        cleaned = tail  # "PROJECT 2 – MONTENEGRO"
    titled = cleaned.title() if cleaned.isupper() else cleaned
    for candidate in (titled, cleaned):
        mentions = find_countries(candidate, demonyms=False)
        if len(mentions) == 1 and fold(mentions[0].surface) == fold(candidate):
            return mentions[0].code
    return None
