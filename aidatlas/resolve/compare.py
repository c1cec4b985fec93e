"""Are two organisation names the same organisation? Rules on signatures, then a fuzzy score to rank.

The rules, in order (each a reason a user can read):
1. Different countries (named in the names, given as metadata, or implied by a place) → different.
2. Acronyms are *explained* by the other name's initials (`LDA` ← Local Democracy Agency, `HCA BL` ←
   Helsinki Citizens' Assembly Banja Luka): the acronym then stands for what it explains.
3. Different places (`Mostar` vs `Prijedor`) → different: neither set of places contains the other.
4. Different distinctive words on both sides (`Juventas` vs `Iskra`, `UNDP` vs `UNFPA`) → different.
5. Whatever one name has more (a city, a word, a generic word) needs an *anchor*, a shared proper word or
   number: `Vaša prava BiH – Legal Aid Network` = `Vaša prava BiH`, but `Local Democracy Agency` ≠
   `Local Democracy Agency Mostar` and `JICA` ≠ `JICA Alumni Association`.
6. Names that both say what kind of body they are (association, centre, network, foundation, club …) must
   say the same kind: `Association for Energy Efficiency Tuzla` ≠ `Centre for Energy Efficiency Tuzla`.
7. Without an anchor the generic words must agree: `Center for Environment` = `Centar za životnu sredinu`,
   ≠ `Center for Environmental Law`.
Accepted pairs score 0.8–1.0 (rapidfuzz similarity of the folded names breaks ties); rejected ones < 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from aidatlas.resolve.signature import Signature

MERGE = 0.8
#: this many generic words in common make a name specific enough to tolerate a city on one side only
SPECIFIC = 4
#: generic words that do not change which organisation a name means
WEAK = frozenset({"royal", "kingdom", "republic"})
WEAK_ANCHORED = WEAK | {"association", "organization", "civic"}


@dataclass
class _View:
    """The sets of one side, widened by what its acronyms explain in the other name."""

    words: set[str]
    concepts: set[str]
    places: set[str]
    countries: set[str]
    explained: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, sig: Signature) -> _View:
        return cls(set(sig.words), set(sig.concepts), set(sig.places), set(sig.countries))


def _explain(view: _View, sig: Signature, other: Signature) -> None:
    """Replace each acronym of `sig` that the other name's initials spell by what it spells."""
    for acr in sig.words & sig.acronyms:
        if acr in other.words or acr in other.labels:
            continue
        forms = {acr} | {upper for value, upper in sig.capitals if value == acr}
        if len(acr) >= 3 and forms & (other.initials | other.full_initials):
            view.words.discard(acr)
            view.words |= other.words - other.acronyms
            view.concepts |= other.concepts
            if forms & other.full_initials:
                view.places |= other.places
                view.countries |= other.countries
            view.explained.append(acr)
        elif acr in other.place_initials and view.explained:
            view.words.discard(acr)
            view.places |= other.places
            view.explained.append(acr)


def _pair_words(a: set[str], b: set[str]) -> tuple[set[str], set[str], set[str]]:
    """Shared words (typos forgiven on long words), words only in a, words only in b."""
    shared = a & b
    only_a, only_b = a - shared, b - shared
    for w in sorted(only_a):
        if len(w) < 7 or not w.isalpha():       # short proper names differ by one letter (Iskra, Istra)
            continue
        limit = 1 if len(w) < 10 else 2
        hit = next((v for v in sorted(only_b) if v.isalpha() and abs(len(v) - len(w)) <= limit
                    and OSA.distance(w, v, score_cutoff=limit) <= limit), None)
        if hit:
            shared.add(w)
            only_a.discard(w)
            only_b.discard(hit)
    return shared, only_a, only_b


def _relation(a: set[str], b: set[str], weak: frozenset[str]) -> str:
    a, b = a - weak, b - weak
    if a == b:
        return "equal"
    if a < b:
        return "a<b"
    if b < a:
        return "b<a"
    return "differ"


def _countries(sig: Signature, view: _View, country: str | None) -> set[str]:
    out = set(view.countries) | set(sig.place_countries)
    if country:
        out.add(country)
    return out


def compare(a: Signature, ca: str | None, b: Signature, cb: str | None) -> tuple[float, str]:
    """Score in [0, 1] and the reason; `score >= MERGE` means the same organisation.

    A name in parts (`Institute of Chemistry … – Department of Chemistry, University of Belgrade`) also
    matches by its first part, the organisation itself.
    """
    score, why = _compare(a, ca, b, cb)
    if score < MERGE and why != "different countries":
        for x, y in ((a.head, b), (a, b.head)):
            if x is not None and y is not None:
                s2, w2 = _compare(x, ca, y, cb)
                if s2 >= MERGE:
                    return round(s2 - 0.03, 4), f"{w2}; by the first part of the name"
    return score, why


def _compare(a: Signature, ca: str | None, b: Signature, cb: str | None) -> tuple[float, str]:
    sim = fuzz.token_sort_ratio(a.text, b.text) / 100.0
    no = min(0.5 * sim, 0.49)
    va, vb = _View.of(a), _View.of(b)
    ka, kb = _countries(a, va, ca), _countries(b, vb, cb)
    if ka and kb and not ka & kb:
        return 0.0, "different countries"
    if a.key == b.key:
        return 1.0, "same normalized name"
    if a.kinds and b.kinds and not a.kinds & b.kinds:     # `Association for X` is not `Network for X`
        return no, "different kinds of organisation: " + ", ".join(sorted(a.kinds | b.kinds))
    va.words |= vb.words & a.labels             # `KIESA` ~ `… Agency (KIESA)`
    vb.words |= va.words & b.labels
    _explain(va, a, b)
    _explain(vb, b, a)
    if va.countries and vb.countries and not va.countries & vb.countries:
        return 0.0, "different countries in the names"
    if va.places and vb.places and not (va.places <= vb.places or vb.places <= va.places):
        return 0.0, f"different places: {', '.join(sorted(va.places ^ vb.places))}"
    shared, only_a, only_b = _pair_words(va.words, vb.words)
    if only_a and only_b:
        return no, f"different names: {', '.join(sorted(only_a))} vs {', '.join(sorted(only_b))}"
    acronyms = a.acronyms | b.acronyms
    anchor = {w for w in shared if w.isdigit() or w not in acronyms}
    if not (a.acronym_only or b.acronym_only):
        anchor |= shared                        # `JICA Alumni Association Albania` ~ `JICA Alumni Albania`
    extra_geo = (va.places ^ vb.places) | _uncovered(va, vb, ca, cb)
    evidence = ["acronym " + "/".join(va.explained + vb.explained)] if va.explained or vb.explained else []
    for sig, other, view, oview in ((a, b, va, vb), (b, a, vb, va)):
        if sig.acronym_only and not view.explained and shared and not anchor:
            if shared & other.labels:           # the long name's places are part of what it abbreviates
                if view.places <= oview.places and view.words <= shared:
                    return _yes(sim, [*evidence, "acronym is the other name's own"])
            elif not other.acronym_only:
                return no, f"acronym {', '.join(sorted(shared))} is only part of the other name"
            elif not (extra_geo or only_a or only_b):
                return _yes(sim, [*evidence, "same acronym"])
    if anchor:
        rel = _relation(va.concepts, vb.concepts, WEAK_ANCHORED)
        if rel == "differ" or (only_a and rel == "a<b") or (only_b and rel == "b<a"):
            return no, "different kinds of organisation: " + ", ".join(sorted(va.concepts ^ vb.concepts))
        return _yes(sim, [*evidence, "shared: " + ", ".join(sorted(anchor))], extra=bool(only_a or only_b))
    if only_a or only_b:
        return no, f"only one name has {', '.join(sorted(only_a | only_b))}"
    words = sorted(va.concepts | shared)
    specific = min(len(va.concepts - WEAK_ANCHORED), len(vb.concepts - WEAK_ANCHORED)) >= SPECIFIC
    if specific and _relation(va.concepts, vb.concepts, WEAK_ANCHORED) == "equal":
        return _yes(sim, [*evidence, "same specific words: " + ", ".join(words)], extra=bool(extra_geo))
    if _relation(va.concepts, vb.concepts, WEAK) != "equal" or not words:
        return no, "different generic words: " + ", ".join(sorted(va.concepts ^ vb.concepts))
    if extra_geo and not (va.places & vb.places and not _uncovered(va, vb, ca, cb)):
        return no, f"only one name has {', '.join(sorted(extra_geo))}"
    return _yes(sim, [*evidence, "same words: " + ", ".join(words)], extra=bool(extra_geo))


def _uncovered(va: _View, vb: _View, ca: str | None, cb: str | None) -> set[str]:
    """Countries one name states that the other neither states nor is known to be in."""
    return {c for c in va.countries - vb.countries if c != cb} | {c for c in vb.countries - va.countries
                                                                   if c != ca}


def _yes(sim: float, evidence: list[str], extra: bool = False) -> tuple[float, str]:
    score = 0.85 + 0.15 * sim - (0.04 if extra else 0.0)
    return round(min(score, 0.99), 4), "; ".join(evidence)
