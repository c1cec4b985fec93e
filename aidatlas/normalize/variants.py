"""The other names of a place or country, for search: `Priština` finds what was written `Prishtinë` or `Приштина`.

Names come from the gazetteer (a place's text names and its curated lookup-only names such as `~Skadar`) and
the country names of `normalize.countries`. Everything here works on folded, stemmed words
(`normalize.script.fold`, then `normalize.stem.stem`), the form the search index holds, so `Prishtinës` and
`Mitrovicë` match a place's key too. Villages are left out: their names are too often ordinary words or
shared by many places for a query to be read as one of them. Pure: built from a gazetteer by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aidatlas.normalize.countries import NAMES
from aidatlas.normalize.script import fold
from aidatlas.normalize.stem import stem
from aidatlas.reference.gazetteer import Gazetteer
from aidatlas.reference.names import country_name

Words = tuple[str, ...]
MAX_WORDS = 4


def stemmed(name: str) -> Words:
    return tuple(stem(w) for w in fold(name).split())


def _usable(words: Words) -> bool:
    """Three letters or more (Niš, Peć), plain letters and digits (safe inside any full-text query)."""
    return len(" ".join(words)) >= 3 and all(w.isascii() and w.isalnum() for w in words)


def _spelled(name: str) -> bool:
    """A name rather than a code or abbreviation in capitals (SRB, SAD, UK, B&H), which are often words too."""
    return not name.isupper()


@dataclass(frozen=True)
class Variants:
    """Stemmed name → every stemmed name of the places and countries it names (itself included)."""

    names: dict[Words, frozenset[Words]]

    @classmethod
    def build(cls, gazetteer: Gazetteer) -> Variants:
        groups: list[tuple[Iterable[str], Iterable[str]]] = []  # (names that key the group, names searched)
        for entry in gazetteer.entries:
            if entry.kind == "village":
                continue
            spelled = {fold(entry.name), *gazetteer.text_names(entry)}
            groups.append(({*spelled, *gazetteer.search_names(entry)}, spelled))
        for code, names in NAMES.items():
            spelled = {fold(n) for n in (*names, country_name(code)) if _spelled(n) or n == "BiH"}
            groups.append((spelled, spelled))
        out: dict[Words, set[Words]] = {}
        for keys, searched in groups:
            alternatives = {w for w in map(stemmed, searched) if w and _usable(w)}
            for key in map(stemmed, keys):
                if key and len(key) <= MAX_WORDS and _usable(key):
                    out.setdefault(key, set()).update(alternatives | {key})
        return cls({k: frozenset(v) for k, v in out.items()})

    def of(self, words: Sequence[str]) -> frozenset[Words]:
        """The stemmed names of what the stemmed `words` name (empty when they name no place or country)."""
        return self.names.get(tuple(words), frozenset())

    def spans(self, words: Sequence[str]) -> list[tuple[int, int, frozenset[Words]]]:
        """Longest names first, left to right: (start, end, names) of the runs of `words` that name a place."""
        found, i = [], 0
        while i < len(words):
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                names = self.of(words[i:i + n])
                if names:
                    found.append((i, i + n, names))
                    i += n
                    break
            else:
                i += 1
        return found

    def index_text(self, names: Iterable[str]) -> list[str]:
        """For the search index: every other name of the given place/country names, as stemmed text."""
        out: dict[str, None] = {}
        for name in names:
            for words in sorted(self.of(stemmed(name))):
                out[" ".join(words)] = None
        return list(out)
