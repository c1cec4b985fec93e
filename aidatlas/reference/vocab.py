"""Organisation vocabulary of the region: generic words and their translations, places, stop words, legal forms.

The tables are package data (`data/vocabulary/*.txt`, their format in each file's header), parsed once, on
first use, into lookup tables. A word listed there is *generic*: it says what kind of organisation or theme a
name has (agency, centre, women, environment) and maps to one concept id whatever the language. A word *not*
listed is distinctive (a place, a proper name, an acronym): that is what entity resolution keys on.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from aidatlas.normalize.script import fold

# Rendering of a stop word in each language: en, bcs, sq, mk.
STOP_RENDER = {"for": ("f", "z", "p", "z"), "and": ("a", "i", "d", "i"), "of": ("o", "", "e", "n"),
               "the": ("t", "", "", ""), "in": ("i", "u", "n", "v")}
LANGS = ("en", "bcs", "sq", "mk")


def _table(name: str) -> list[str]:
    """The data lines of one vocabulary file (comments and blank lines dropped)."""
    text = resources.files("aidatlas").joinpath(f"reference/data/vocabulary/{name}.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Vocabulary:
    """Lookup tables built from the data files; `vocabulary()` builds it once."""

    exact: dict[str, tuple[str, str]]   # folded word → (kind, value); kinds: legal, country, place, concept, stop
    stems: dict[str, tuple[str, str]]   # folded stem → (kind, value)
    phrases: dict[tuple[str, ...], tuple[str, str]]   # folded token tuple → (kind, value)
    render: dict[str, tuple[str, ...]]  # concept → its initials in en, bcs, sq, mk
    place_country: dict[str, str]       # canonical place → country code
    place_initials: dict[str, str]      # canonical place of two or more words → its initials (banjaluka → bl)
    country_names: dict[str, str]       # country code → canonical English name
    max_phrase: int


def _forms(column: str) -> list[str]:
    return [f for f in column.split() if f != "-"]


def _folded(form: str) -> str:
    return fold(form.replace("*", "").replace("+", " ").replace("_", " "))


def _add(tables: dict[str, dict], form: str, value: tuple[str, str]) -> None:
    """Route one form to the exact, stem or phrase table; the first entry for a key wins."""
    key = _folded(form)
    if not key or "+" in form:
        return
    if " " in key:
        tables["phrases"].setdefault(tuple(key.split()), value)
    elif form.endswith("*"):
        tables["stems"].setdefault(key, value)
    else:
        tables["exact"].setdefault(key, value)


@cache
def vocabulary() -> Vocabulary:
    """Parse the tables once. Priority on clashes: legal form, country, place, concept, stop word."""
    tables: dict[str, dict] = {"exact": {}, "stems": {}, "phrases": {}}
    render: dict[str, tuple[str, ...]] = {}
    place_country: dict[str, str] = {}
    place_initials: dict[str, str] = {}
    country_names: dict[str, str] = {}
    for form in " ".join(_table("legal")).split():
        _add(tables, form, ("legal", "legal"))
    for line in _table("countries"):
        code, canonical, forms = (c.strip() for c in line.split("|"))
        country_names[code] = canonical.replace("_", " ")
        for form in _forms(forms):
            _add(tables, form, ("country", code))
    for line in _table("places"):
        code, entries = (c.strip() for c in line.split("|"))
        for entry in entries.split():
            alts = entry.split("/")
            canonical = _folded(alts[0]).replace(" ", "")
            place_country[canonical] = code
            multi = [_folded(a) for a in alts if "_" in a]
            if multi:
                place_initials.setdefault(canonical, "".join(w[:1] for w in multi[0].split()))
            for form in alts:
                _add(tables, form, ("place", canonical))
    for line in _table("concepts"):
        cid, *columns = (c.strip() for c in line.split("|"))
        if cid not in render:               # a row continued on the next line keeps the first's initials
            render[cid] = tuple("".join(w[:1] for w in _folded(_forms(col)[0]).split()) for col in columns[:4])
        for col in columns:
            for form in _forms(col):
                _add(tables, form, ("concept", cid))
    for line in _table("stops"):
        sid, *columns = (c.strip() for c in line.split("|"))
        for col in columns:
            for form in _forms(col):
                _add(tables, form, ("stop", sid))
    return Vocabulary(
        exact=tables["exact"], stems=tables["stems"], phrases=tables["phrases"], render=render,
        place_country=place_country, place_initials=place_initials, country_names=country_names,
        max_phrase=max(len(p) for p in tables["phrases"]),
    )
