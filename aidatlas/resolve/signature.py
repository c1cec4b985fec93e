"""The signature of an organisation name: the sets the pairwise rules and the blocking index work on.

Computed once per name (cached): which distinctive words, generic concepts, places and countries it has,
which acronyms it gives itself, and the initials its words make in each of the region's languages — so that
`LDA` meets `Agencija lokalne demokratije` (initials of the English rendering, head noun last) and `CZZS`
meets `Center for Environment` (initials of the Bosnian rendering, `za` included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from aidatlas.normalize.orgs import FORM_CONCEPTS, OrgToken, clean_org_name, org_tokens, split_acronym
from aidatlas.normalize.script import fold
from aidatlas.reference.vocab import LANGS, STOP_RENDER, vocabulary

GEO = ("place", "country")
#: what kind of body a name says it is: two names saying different kinds are two organisations
KINDS = frozenset({"academy", "agency", "alliance", "association", "center", "chamber", "club", "coalition",
                   "cooperative", "council", "foundation", "forum", "institute", "league", "movement", "network",
                   "platform", "union"})


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    words: frozenset[str]        # distinctive, not geo: proper names, rare words, numbers, acronyms (folded)
    acronyms: frozenset[str]     # words written as acronyms, plus capitals-only forms (IChTM → ictm)
    capitals: frozenset[tuple[str, str]]  # (acronym, its capitals-only form) for mixed-case ones: (ichtm, ictm)
    labels: frozenset[str]       # acronyms the name gives itself: `(KIESA)`, `MAEC - …`, a trailing `ARSIS`
    concepts: frozenset[str]     # generic words as concept ids
    places: frozenset[str]       # canonical places (cities, regions)
    countries: frozenset[str]    # countries named in the name (ISO codes)
    initials: frozenset[str]     # initials of the name without its places/countries, every rendering
    full_initials: frozenset[str]  # initials with places/countries (KIESA ← Kosovo Investment …)
    place_initials: frozenset[str]  # BL ← Banja Luka
    text: str                    # folded name for fuzzy ranking
    key: str                     # exact key: sorted concepts, words, places, countries
    head: Signature | None = None  # first part of a name in parts (`A – B`), the organisation itself
    kinds: frozenset[str] = frozenset()  # what kind of body it says it is (association, centre …), legal form too

    @property
    def acronym_only(self) -> bool:
        """`UNDP`, `LDA Mostar`, `HCA BL`: nothing but acronyms (and places) to go on."""
        return bool(self.words) and not self.concepts and self.words <= self.acronyms

    @property
    def place_countries(self) -> frozenset[str]:
        voc = vocabulary()
        return frozenset(voc.place_country[p] for p in self.places if p in voc.place_country)


def _letters(tok: OrgToken, lang: int) -> str:
    """What one token gives an acronym when the name is rendered in language `lang` (-1: as written)."""
    if lang < 0 or tok.kind not in ("concept", "stop"):
        return tok.initials
    if tok.kind == "concept":
        return vocabulary().render.get(tok.value, (tok.initials,) * 4)[lang]
    return STOP_RENDER.get(tok.value, ("",) * 4)[lang]


def _initials_of(tokens: list[OrgToken]) -> set[str]:
    """Initials in every rendering, with and without stop words, and head-noun-last (Agencija X → X Agency)."""
    out: set[str] = set()
    tokens = [t for t in tokens if t.kind != "number"]
    content = [t for t in tokens if t.kind != "stop"]
    rotated = content[1:] + content[:1]
    for lang in range(-1, len(LANGS)):
        out.add("".join(_letters(t, lang) for t in tokens))
        out.add("".join(_letters(t, lang) for t in content))
        out.add("".join(_letters(t, lang) for t in rotated))
    return {i for i in out if len(i) >= 2}


@lru_cache(maxsize=300_000)
def signature(raw: str) -> Signature:
    """Read a name once: clean it, split off its own acronym, type its tokens, collect the sets."""
    name, label = split_acronym(clean_org_name(raw))
    tokens = [t for t in _tokens(name) if t.kind != "legal"]
    labels = {fold(label).replace(" ", ""), *fold(label).split()} if label else set()   # UPV/EHU
    core = [t for t in tokens if not (t.kind == "acronym" and t.value in labels)]
    last = [t for t in core if t.kind not in (*GEO, "stop", "number")]
    if len(last) >= 3 and last[-1].kind == "acronym":
        labels.add(last[-1].value)              # `Nisma për Ndryshim Shoqëror ARSIS`
    nogeo = [t for t in core if t.kind not in GEO]
    initials = _initials_of(nogeo)
    full: set[str] = set()
    if len(nogeo) != len(core):               # KIESA ← Kosovo …; CRH ← Centar za razvoj Hercegovine (Trebinje)
        full = _initials_of(core)
        for part in (core[:-1] if core[-1].kind in GEO else [], core[1:] if core[0].kind in GEO else []):
            full |= _initials_of(part)
    words = {t.value for t in core if t.kind in ("word", "number", "acronym")}
    acronyms = {t.value for t in core if t.kind == "acronym"} | {t.upper for t in core if t.upper}
    own = {a for a in acronyms if a in _initials_of([t for t in nogeo if t.kind != "acronym"])}
    words -= own                                # `Local Democracy Agency Mostar (LDA Mostar)`
    labels |= own
    concepts = frozenset(t.value for t in core if t.kind == "concept")
    places = frozenset(t.value for t in core if t.kind == "place")
    countries = frozenset(t.value for t in core if t.kind == "country")
    voc = vocabulary()
    place_initials = frozenset(voc.place_initials[p] for p in places if p in voc.place_initials)
    key_parts = sorted(concepts | words | places | {c.lower() for c in countries})
    return Signature(
        name=raw, words=frozenset(words), acronyms=frozenset(acronyms), labels=frozenset(labels),
        capitals=frozenset((t.value, t.upper) for t in core if t.upper),
        concepts=concepts, places=places, countries=countries, initials=frozenset(initials),
        full_initials=frozenset(full - initials), place_initials=place_initials,
        text=fold(name), key=" ".join(key_parts),
        head=signature(name.split(" – ")[0]) if " – " in name and not name.startswith(" – ") else None,
        kinds=frozenset(t.value for t in org_tokens(name) if t.kind == "concept" and t.value in KINDS),
    )


_QUOTED = re.compile(r'"[^"]{2,}"')


def _tokens(name: str) -> list[OrgToken]:
    """Tokens of a name whose proper part may be quoted: `Udruženje "Sunce" Tuzla`.

    Outside the quotes `association`/`foundation` is a legal form; inside them is a proper name, so a word
    that only looks like an inflected place or a misspelt generic word (`"Kotore"`, `"Pirine"`) stays a word.
    """
    m = _QUOTED.search(name)
    if not m:
        return list(org_tokens(name))
    before, after = ([t for t in org_tokens(part) if not (t.kind == "concept" and t.value in FORM_CONCEPTS)]
                     for part in (name[:m.start()], name[m.end():]))
    inside = [OrgToken("word", t.surface, t.initials, surface=t.surface)
              if t.via == "typo" or (t.kind in GEO and t.via == "stem") else t for t in org_tokens(m.group())]
    return before + inside + after
