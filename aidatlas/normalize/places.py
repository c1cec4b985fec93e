"""Find Western Balkans places in running text.

Longest match over token n-grams of the gazetteer's text-safe names, insensitive to script and diacritics
(`Приједор`, `Prijedor`, `PRIJEDOR`; `Zepce` for Žepče). Conservative on purpose — a wrong place in a record
is worse than a missed village: only capitalised words start a name, names that are also common words need
stronger evidence, countries are not places, and a village loses to any bigger place of the same name.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from aidatlas.normalize.script import fold
from aidatlas.reference.gazetteer import Gazetteer, GazetteerEntry

_TOKEN = re.compile(r"[\w\u0300-\u036f]+")  # combining accents too: text may come decomposed (NFD)
_MAX_TOKENS = 7
_fold = lru_cache(maxsize=65536)(fold)


def _folded(*names: str) -> frozenset[str]:
    return frozenset(fold(n) for n in names)


# Countries and regions (handled elsewhere, not places here), words that are names only in GeoNames'
# alternates, and foreign places that contain a Western Balkans name: matched only to consume their tokens.
_BLOCKED = _folded(
    "Serbia", "Srbija", "Republic of Serbia", "Republika Srbija", "Kosovo", "Kosova", "Kosovë",
    "Republic of Kosovo", "Kosovo and Metohija", "Kosovo i Metohija", "Bosnia", "Bosna", "Herzegovina",
    "Hercegovina", "Bosnia and Herzegovina", "Bosnia-Herzegovina", "Bosna i Hercegovina", "BiH",
    "Montenegro", "Crna Gora", "Macedonia", "North Macedonia", "Republic of North Macedonia", "Makedonija",
    "Severna Makedonija", "Albania", "Shqipëria", "Shqipëri", "Balkan", "Balkans", "Western Balkans",
    "Zapadni Balkan", "Balkani", "Europe", "Evropa", "Europa", "Croatia", "Hrvatska", "Slovenia", "EU",
    "RS", "Centar", "Aerodrom", "Gradsko", "Grad", "Selo", "Polje", "Luka", "Banja", "Most", "Mahala",
    "Lug", "Trn", "Morava", "Morave", "Gorica", "Sutjeska", "Bojana", "Kozara", "Kozare", "Boka",
    "Del Vina", "Bila", "Look", "Hot", "Paper", "India", "Indija", "Izvor", "Lig", "Chair", "Lock", "Tap",
    "Hrani", "Goran", "Dublje", "Bogova", "Otoka", "Rudnik", "Dekan", "Jakova", "Stijena", "Duboka",
    "Zvonik", "Krupan", "Ovca", "Jarak", "Vrane", "Tiran", "Strelci", "Ribari", "Potoci", "Korice", "Pade",
    "Zarez", "Skokovi", "Roza", "Mramor", "Taras", "Puke", "Pristine", "Cim", "Grams", "Koran", "Lok",
    "Lach", "Pekin", "Karakaya", "Sinja", "Bojane", "Sokola", "Konca", "Berta", "Meda", "Jana", "Golemi",
    "Popovi", "Dvorovi", "Kukuš", "Tirano", "Pesca", "Partes", "Ilias", "Slavonski Brod",
    "Hrvatska Kostajnica", "Hrvatska Dubica", "Kosovo Metohija",
)
# Names that are also common words (English, BCS, Albanian, Macedonian): matched only when capitalised
# mid-sentence, not in capitals, and not glued to a capitalised non-place word ("Pale Ale", "Bliski Istok").
_COMMON = _folded(
    "Bar", "Pale", "Ada", "Has", "Hasi", "Mat", "Mati", "Ub", "Bač", "Kać", "Laç", "Kula", "Brod", "Ravno",
    "Jezero", "Ribnik", "Stanari", "Osmaci", "Visoko", "Olovo", "Breza", "Grude", "Ključ", "Stolac",
    "Vitez", "Istok", "Istog", "Rudo", "Plav", "Plavë", "Zeta", "Titel", "Ilinden", "Mogila", "Novaci",
    "Rama", "Prozor", "Lopare", "Bor", "Brus", "Blace", "Klina", "Obilić", "Bijela", "Dobrota", "Slatina",
    "Bistrica", "Viti", "Likova", "Patos", "Golem", "Turbe", "Rubik", "Gege", "Šid", "Tuz", "Topola",
    "Berat", "Maliq", "Čaška",
)
# Capitalised words that do not make a name part of a longer proper noun ("Općina Ravno", "In Pale, …").
_GENERIC = _folded(
    "Municipality", "Municipalities", "City", "Town", "Village", "Canton", "District", "Region", "County",
    "Općina", "Opština", "Obcina", "Grad", "Komuna", "Bashkia", "Županija", "Okrug", "Kanton", "Mayor",
    "The", "In", "At", "From", "To", "Of", "For", "And", "Near", "U", "Iz", "Na", "Za", "Kod", "Od", "Do",
    "Prema", "Dhe", "Në", "Nga", "Komuna e", "Општина", "Град",
)
# "Mitrovica North and South": the second direction names a sibling place.
_DIRECTIONS = _folded(
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Upper", "Lower",
    "Severna", "Južna", "Istočna", "Zapadna", "Gornji", "Donji", "Gornja", "Donja", "Gornje", "Donje",
    "Veriut", "Jugut",
)
_SURNAME_ENDINGS = ("ic", "iq")  # folded Nikšić, Obiliq: also family names, so not next to a first name
_CONJUNCTIONS = _folded("and", "or", "i", "ili", "dhe", "ose", "и", "или")
_JOINERS = frozenset({"", "-", "‐", "–", "'", "’"})
_SENTENCE_END = frozenset(".!?…•·▪*\"“”„«»")  # not ":": "Location: Bar" names a place


@dataclass(frozen=True)
class PlaceMatch:
    entry: GazetteerEntry
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class _Index:
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[GazetteerEntry, ...]]]]  # longest first
    by_name: dict[tuple[str, ...], tuple[GazetteerEntry, ...]]
    minor: frozenset[GazetteerEntry]  # standalone GeoNames towns/villages: single words need strong evidence


_INDEXES: weakref.WeakKeyDictionary[Gazetteer, _Index] = weakref.WeakKeyDictionary()


def _index_for(gazetteer: Gazetteer) -> _Index:
    """First token → candidate n-grams, built once per Gazetteer."""
    index = _INDEXES.get(gazetteer)
    if index is None:
        by_name: dict[tuple[str, ...], tuple[GazetteerEntry, ...]] = {}
        for key, entries in gazetteer.text_index.items():
            tokens = tuple(key.split())
            if 0 < len(tokens) <= _MAX_TOKENS:
                by_name[tokens] = () if key in _BLOCKED else entries
        for key in _BLOCKED:
            by_name[tuple(key.split())] = ()
        by_first: dict[str, list[tuple[tuple[str, ...], tuple[GazetteerEntry, ...]]]] = {}
        for tokens, entries in by_name.items():
            by_first.setdefault(tokens[0], []).append((tokens, entries))
        for options in by_first.values():
            options.sort(key=lambda o: -len(o[0]))
        minor = frozenset(e for e in gazetteer.entries if e.kind in ("town", "village") and e.geonames_id)
        index = _Index(by_first, by_name, minor)
        _INDEXES[gazetteer] = index
    return index


@dataclass
class _Hit:
    first: int  # token indices [first, last)
    last: int
    tokens: tuple[str, ...]
    candidates: tuple[GazetteerEntry, ...]


class _Text:
    """Tokens of one text with lazily folded forms and the small tests the matcher asks of them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        self.words = [text[a:b] for a, b in self.spans]
        self._folded: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.spans)

    def word(self, i: int) -> str:
        return self.words[i]

    def key(self, i: int) -> str:
        if i not in self._folded:
            self._folded[i] = _fold(self.word(i))
        return self._folded[i]

    def gap(self, i: int) -> str:
        """The text between token i-1 and token i."""
        return self.text[self.spans[i - 1][1]:self.spans[i][0]] if i > 0 else self.text[:self.spans[0][0]]

    def joined(self, i: int) -> bool:
        """Tokens i-1 and i can belong to one name: a space, a hyphen, at most one line break."""
        gap = self.gap(i)
        return gap.strip() in _JOINERS and gap.count("\n") <= 1

    def capitalised(self, i: int) -> bool:
        return 0 <= i < len(self.words) and self.words[i][0].isupper()

    def name_like(self, i: int) -> bool:
        """A capitalised word (not an acronym, not "Municipality", "In", …) that may be part of a name."""
        word = self.word(i)
        return word[0].isupper() and not word.isupper() and self.key(i) not in _GENERIC

    def sentence_start(self, i: int) -> bool:
        """First word of a sentence, a line or a bullet point, where any word may be capitalised."""
        start = self.spans[i][0]
        before = self.text[max(0, start - 40):start].rstrip(" \t\u00a0")
        if not before or before[-1] in _SENTENCE_END or before[-1] == "\n":
            return True
        return before[-1] in "-–—" and before[:-1].rstrip(" \t")[-1:] in ("", "\n")


def _allowed(entries: tuple[GazetteerEntry, ...], countries: set[str] | None) -> tuple[GazetteerEntry, ...]:
    """Entries in the wanted countries; villages only when no bigger place has the name."""
    if countries is not None:
        entries = tuple(e for e in entries if e.country in countries)
    if any(e.kind != "village" for e in entries):
        entries = tuple(e for e in entries if e.kind != "village")
    return entries


def _plausible(doc: _Text, index: _Index, first: int, last: int, tokens: tuple[str, ...],
               entries: tuple[GazetteerEntry, ...], previous_end: int) -> bool:
    """Is this capitalised n-gram really a place name here, not an acronym, a common word or a surname?"""
    word = doc.word(first)
    if len(tokens) > 1:
        return True
    if word.isupper() and len(word) <= 4:  # RS, BAR, ADA, PEC: acronyms
        return False
    strict = tokens[0] in _COMMON or all(e in index.minor for e in entries)
    if strict and (word.isupper() or doc.sentence_start(first)):
        return False
    if not strict and not tokens[0].endswith(_SURNAME_ENDINGS):
        return True
    # Glued to a capitalised word that is no place: "Pale Ale", "Bliski Istok", "Ivan Nikšić".
    prev, nxt = first - 1, last
    if prev >= max(previous_end, 0) and doc.joined(first) and doc.name_like(prev):
        return False
    return not (nxt < len(doc) and doc.joined(nxt) and doc.name_like(nxt)
                and doc.key(nxt) not in index.by_first)


def _scan(doc: _Text, index: _Index, countries: set[str] | None) -> list[_Hit]:
    """Left to right, longest n-gram first; blocked names consume their tokens and yield nothing."""
    hits: list[_Hit] = []
    n, previous_end, resume = len(doc), 0, 0
    for i in (k for k, word in enumerate(doc.words) if word[0].isupper()):  # a name starts capitalised
        if i < resume:
            continue
        options = index.by_first.get(doc.key(i))
        for tokens, entries in options or ():
            k = len(tokens)
            if i + k > n or any(doc.key(i + t) != tokens[t] or not doc.joined(i + t) for t in range(1, k)):
                continue
            if not entries:
                resume = i + k  # a blocked name consumes its tokens
                break
            allowed = _allowed(entries, countries)
            if allowed and _plausible(doc, index, i, i + k, tokens, allowed, previous_end):
                hits.append(_Hit(i, i + k, tokens, allowed))
                previous_end = resume = i + k
                break
    return hits


def _connector(doc: _Text, i: int) -> int | None:
    """Index of the token after a connector starting at i ("and South", ", South", "/ South"), or None."""
    if i < len(doc) and doc.key(i) in _CONJUNCTIONS and doc.gap(i).strip() in ("", ","):
        return i + 1 if i + 1 < len(doc) and doc.gap(i + 1).strip() == "" else None
    if i < len(doc) and doc.gap(i).strip() in (",", "/", "&"):
        return i
    return None


def _ellipses(doc: _Text, index: _Index, hits: list[_Hit], countries: set[str] | None) -> list[_Hit]:
    """'Mitrovica North and South', 'North and South Mitrovica': the bare direction is a sibling place."""
    covered = {t for h in hits for t in range(h.first, h.last)}
    extra: list[_Hit] = []

    def sibling(at: int, tokens: tuple[str, ...]) -> bool:
        entries = _allowed(index.by_name.get(tokens, ()), countries)
        if at in covered or not entries:
            return False
        extra.append(_Hit(at, at + 1, tokens, entries))
        covered.add(at)
        return True

    for hit in hits:
        if hit.tokens[-1] in _DIRECTIONS and len(hit.tokens) > 1:
            at = _connector(doc, hit.last)
            while at is not None and doc.key(at) in _DIRECTIONS:
                if not sibling(at, (*hit.tokens[:-1], doc.key(at))):
                    break
                at = _connector(doc, at + 1)
        if hit.tokens[0] in _DIRECTIONS and len(hit.tokens) > 1 and hit.first >= 2:
            before = hit.first - 1 if doc.key(hit.first - 1) in _CONJUNCTIONS else hit.first
            if before < hit.first or doc.gap(hit.first).strip() in (",", "/", "&"):
                at = before - 1
                if at >= 0 and doc.key(at) in _DIRECTIONS:
                    sibling(at, (doc.key(at), *hit.tokens[1:]))
    return sorted(hits + extra, key=lambda h: h.first)


def _choose(hit: _Hit, votes: Counter[str]) -> GazetteerEntry:
    """Best candidate; a homonym in another country loses to the country the rest of the text is about."""
    countries = {e.country for e in hit.candidates}
    if len(countries) > 1:
        top = max(countries, key=lambda c: votes[c])
        if votes[top] > 0:
            return next(e for e in hit.candidates if e.country == top)
    return hit.candidates[0]


def find_places(text: str, gazetteer: Gazetteer, *, countries: set[str] | None = None) -> list[PlaceMatch]:
    """Every place mention in `text`, in order, with character offsets; `countries` restricts the search."""
    if not text:
        return []
    doc = _Text(text)
    if not doc.spans:
        return []
    index = _index_for(gazetteer)
    hits = _ellipses(doc, index, _scan(doc, index, countries), countries)
    votes = Counter(h.candidates[0].country for h in hits if len({e.country for e in h.candidates}) == 1)
    out: list[PlaceMatch] = []
    for hit in hits:
        start, end = doc.spans[hit.first][0], doc.spans[hit.last - 1][1]
        entry = _choose(hit, votes)
        if out and out[-1].entry == entry and text[out[-1].end:start].strip() == "/":
            start = out.pop().start  # "Zvečan/Zveçan": one mention in two languages
        out.append(PlaceMatch(entry, start, end, text[start:end]))
    return out
