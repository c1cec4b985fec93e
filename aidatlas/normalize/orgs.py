"""Organisation names: clean a name as a document writes it, split off its acronym, and read it as tokens.

A name is read into typed tokens — concept (generic word, one id in every language: `Centar`, `Center`,
`Qendra`, `Центар` → center), place, country, legal form, stop word, number, acronym, or word (everything
else: proper names, rare words). Generic words say *what kind* of organisation it is; the rest says *which
one*. The vocabulary is in `aidatlas.resolve.vocab`; these functions are pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from aidatlas.normalize.script import fold
from aidatlas.reference.vocab import vocabulary

__all__ = ["FORM_CONCEPTS", "OrgToken", "clean_org_name", "distinctive_tokens", "is_acronym", "org_key", "org_tokens",
           "split_acronym"]

#: concepts dropped by `org_key` like legal forms: they say how a body is constituted, rarely which one
#: prefix of a grantee read from a "local self-government" column: the normalizer names the body (Grad/Opština)
LOCAL_BODY = "Local government"
FORM_CONCEPTS = frozenset({"association", "foundation"})
DISTINCTIVE_KINDS = frozenset({"word", "acronym", "number", "place", "country"})
_STEM_SUFFIX = 5
_VIA = ("exact", "stem", "typo")  # how surely a token was read, surest first

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
                         "‘": "'", "’": "'", "‚": "'", "‛": "'", "‹": "'", "›": "'", "`": "'", "´": "'"})
_DASH = re.compile(r"\s*[–—―‒]\s*|\s+-\s+")
_BULLET = re.compile(r"^(?:[-*•·▪►◦‣+]+\s*|\(?\d{1,2}[.)]\s+|\(?[a-hA-H]\)\s+)")
_EMPLOYEE = re.compile(r"^(?:an?\s+)?(?:(?:former\s+)?employees?|staff(?:\s+members?)?|members?|"
                       r"zaposleni[ck]?a?|uposlenik)\s+(?:of|u|iz|at|in|from)\s+(?:the\s+)?", re.I)
_ROLE = re.compile(r"^(?:the\s+)?(?:lead|main|associated?|affiliated?|implementing|co|junior|senior)?[\s-]*"
                   r"(?:applicants?|partners?|co-?applicants?|entity|affiliates?|donors?|funders?|"
                   r"coordinators?|beneficiar(?:y|ies)|organi[sz]ations?|aplikant|podnosilac|nosilac|"
                   r"partneri?|pridru[žz]eni partner|апликант|партнер|носител)$", re.I)
_PAREN = re.compile(r"\(([^()]{1,24})\)")
_TAIL_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_SEP = re.compile(r"\s*[,;]\s*|\s+[–-]\s+")
_LEAD_ACR = re.compile(r"^(\S{2,16})\s+[-–:/]\s+(.+)$")
_TAIL_ACR = re.compile(r"^(.+?)\s+[–-]\s+(\S{2,16})$")
_WORD = re.compile(r"\w+")


def is_acronym(token: str) -> bool:
    """`UNDP`, `IChTM`, `BLINK`, `UPV/EHU`: one token, mostly capitals, at least two of them."""
    if len(token) > 16 or " " in token:
        return False
    letters = [c for c in token if c.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper * 2 >= len(letters)


def _is_country(segment: str) -> bool:
    toks = org_tokens(segment)
    return bool(toks) and all(t.kind in ("country", "stop") for t in toks)


def _strip_roles(name: str) -> str:
    """`NGO Juventas, Lead applicant, Montenegro` → `NGO Juventas`: role segments (and countries after them)."""
    m = _TAIL_PAREN.search(name)
    if m and _ROLE.match(m.group(1).strip()):
        name = name[:m.start()]
    seps = list(_SEP.finditer(name))
    for k, sep in enumerate(seps):
        ends = [s.start() for s in seps[k + 1:]] + [len(name)]
        starts = [s.end() for s in seps[k:]]
        tail = [name[a:b].strip() for a, b in zip(starts, ends, strict=True)]
        if _ROLE.match(tail[0]) and all(_ROLE.match(t) or _is_country(t) for t in tail):
            return name[:sep.start()]
    return name


def clean_org_name(raw: str) -> str:
    """The organisation's name as a document writes it, minus bullets, quotes, role words and `Employee of`.

    Diacritics and script stay; typographic quotes become ASCII, separating dashes become ` – `.
    `Association “Vaša prava BiH” – Legal Aid Network` keeps its full form: aliases cover the short one.
    """
    name = " ".join(raw.translate(_QUOTES).split())
    name = name.strip("*_ ")
    name = _BULLET.sub("", name)
    name = _DASH.sub(" – ", name)
    name = _EMPLOYEE.sub("", name)
    for _ in range(2):
        name = re.sub(r"[\s,;:·•]+$", "", name)
        if name.endswith(".") and re.search(r"(?:^|\s)[^\s.]{4,}\.$", name):
            name = name[:-1]
        if len(name) > 2 and name[0] == name[-1] and name[0] in "\"'":
            name = name[1:-1].strip()
    name = _strip_roles(name)
    return name.strip(" ,;:–-")


def split_acronym(name: str) -> tuple[str, str | None]:
    """`Name (ACR) City` → (`Name City`, `ACR`); `ACR - Name` and `Name – ACR` alike; else (name, None)."""
    m = _PAREN.search(name)
    if m:
        rest = " ".join((name[:m.start()] + " " + name[m.end():]).split()).strip(" ,;:–-")
        inner = m.group(1).split()
        known = set(fold(rest).split())
        if rest and inner and is_acronym(inner[0]) and all(fold(w) in known for w in inner[1:]):
            return rest, inner[0]               # `(KIESA)`, and `(LDA Mostar)` after `… Mostar`
    m = _LEAD_ACR.match(name)
    if m and is_acronym(m.group(1)) and not is_acronym(m.group(2)):
        return m.group(2).strip(), m.group(1)
    m = _TAIL_ACR.match(name)
    if m and is_acronym(m.group(2)) and not is_acronym(m.group(1)):
        return m.group(1).strip(), m.group(2)
    return name, None


@dataclass(frozen=True, slots=True)
class OrgToken:
    """One unit of a name. `value`: concept id, canonical place, country code, stop id or folded word."""

    kind: str      # concept | place | country | stop | legal | number | acronym | word
    value: str
    initials: str  # what the token gives an acronym: `c` for Centar, `bl` for Banja Luka, `zs` for životnu sredinu
    upper: str = ""  # acronym written in mixed case (IChTM): its capitals only, folded (ictm)
    surface: str = ""  # the folded word(s) as written
    via: str = "exact"  # how it was read: exact, stem (Mostaru) or typo (Enviroment)


@lru_cache(maxsize=200_000)
def _lookup(word: str) -> tuple[str, str, str] | None:
    """Exact form, else the longest stem that leaves an inflection of at most five letters."""
    voc = vocabulary()
    hit = voc.exact.get(word)
    if hit:
        return (*hit, "exact")
    for n in range(min(len(word), 16), 2, -1):
        hit = voc.stems.get(word[:n])
        if hit and len(word) - n <= _STEM_SUFFIX + (hit[0] == "place"):   # Tuzla → tuzlanskog
            return (*hit, "stem")
    return None


_Targets = tuple[list[str], list[tuple[str, str]]]


@lru_cache(maxsize=2)
def _fuzzy_targets(places: bool) -> tuple[_Targets, dict[int, _Targets]]:
    """Exact forms (six letters or more) and stems (six or more) to correct typos against."""
    voc = vocabulary()
    keep = ("concept", "place", "country") if places else ("concept",)
    exact: _Targets = ([], [])
    for w, v in voc.exact.items():
        if v[0] in keep and len(w) >= 6:
            exact[0].append(w)
            exact[1].append(v)
    by_len: dict[int, _Targets] = {}
    for stem, v in voc.stems.items():
        if v[0] in keep and len(stem) >= 6:
            words, values = by_len.setdefault(len(stem), ([], []))
            words.append(stem)
            values.append(v)
    return exact, by_len


@lru_cache(maxsize=100_000)
def _fuzzy(word: str) -> tuple[str, str] | None:
    """A misspelt generic word or place (`Enviroment`, `Agnecy`, `Pogdorica`): one edit, two from nine letters.

    Places only from seven letters: a six-letter proper name one letter from a city (Tirena) stays a name.
    """
    if len(word) < 6 or not word.isalpha():
        return None
    (words, values), by_len = _fuzzy_targets(len(word) >= 7)
    limit = 1 if len(word) < 9 else 2
    best = process.extractOne(word, words, scorer=OSA.distance, score_cutoff=limit)
    if best:
        return values[best[2]]
    if len(word) < 7:
        return None
    for n, (stems, stem_values) in sorted(by_len.items(), reverse=True):
        if len(word) - n > _STEM_SUFFIX or len(word) < n - 1:
            continue
        for cut in (n - 1, n, n + 1):
            hit = process.extractOne(word[:cut], stems, scorer=OSA.distance, score_cutoff=1)
            if hit:
                return stem_values[hit[2]]
    return None


def _classify(folded: str, raw: str, shouting: bool) -> OrgToken:
    """Type one word; in a name written all in capitals only short unknown words count as acronyms."""
    first = folded[:1]
    if folded.isdigit():
        return OrgToken("number", folded, first, surface=folded)
    hit = _lookup(folded)
    if hit is None and is_acronym(raw) and not (shouting and len(folded) > 5):
        capitals = fold("".join(c for c in raw if c.isupper()))
        return OrgToken("acronym", folded, first, capitals if capitals != folded else "", folded)
    if hit is None:
        typo = _fuzzy(folded)
        hit = (*typo, "typo") if typo else None
    if hit is None:
        return OrgToken("word", folded, first, surface=folded)
    kind, value, via = hit
    return OrgToken(kind, value, "" if kind == "legal" else first, surface=folded, via=via)


@lru_cache(maxsize=200_000)
def org_tokens(name: str) -> tuple[OrgToken, ...]:
    """The typed tokens of a name, phrases first (`Banja Luka`, `Crna Gora`, `d.o.o.`), in order.

    Two generic words for one concept in a row (`životnu sredinu`) become one token with both initials.
    """
    voc = vocabulary()
    raws = _WORD.findall(name)
    pairs = [(f, r) for r in raws for f in fold(r).split()]
    shouting = len(raws) >= 3 and not any(c.islower() for c in name)
    folded = [f for f, _ in pairs]
    out: list[OrgToken] = []
    i = 0
    while i < len(pairs):
        for n in range(min(voc.max_phrase, len(pairs) - i), 1, -1):
            hit = voc.phrases.get(tuple(folded[i:i + n]))
            if hit:
                kind, value = hit
                initials = "" if kind == "legal" else "".join(f[:1] for f in folded[i:i + n])
                out.append(OrgToken(kind, value, initials, surface=" ".join(folded[i:i + n])))
                i += n
                break
        else:
            out.append(_classify(*pairs[i], shouting))
            i += 1
    merged: list[OrgToken] = []
    for tok in out:
        prev = merged[-1] if merged else None
        if prev and tok.kind == "concept" and prev.kind == "concept" and prev.value == tok.value:
            via = _VIA[max(_VIA.index(prev.via), _VIA.index(tok.via))]
            merged[-1] = OrgToken("concept", tok.value, prev.initials + tok.initials,
                                  surface=f"{prev.surface} {tok.surface}", via=via)
        else:
            merged.append(tok)
    return tuple(merged)


def _key_part(tok: OrgToken) -> str:
    if tok.kind == "country":
        return vocabulary().country_names.get(tok.value, tok.value.lower())
    return tok.value


def org_key(name: str) -> str:
    """Comparison key: folded, translated to concept ids, legal forms and stop words out, tokens sorted.

    Sorted because word order changes with language (`Ministry of Foreign Affairs of Norway`,
    `Norwegian Ministry of Foreign Affairs`); `association`/`foundation` words go like legal forms.
    """
    core, _ = split_acronym(clean_org_name(name))
    toks = [t for t in org_tokens(core) if t.kind not in ("stop", "legal")]
    parts = {_key_part(t) for t in toks if not (t.kind == "concept" and t.value in FORM_CONCEPTS)}
    parts = parts or {_key_part(t) for t in toks}
    return " ".join(sorted(parts)) if parts else fold(name)


def distinctive_tokens(name: str) -> set[str]:
    """Tokens that tell organisations apart: places, countries, acronyms, numbers, rare words.

    Generic words of any language (agency, centar, shoqata, здружение …) are never distinctive.
    """
    core, acronym = split_acronym(clean_org_name(name))
    out = {_key_part(t) for t in org_tokens(core) if t.kind in DISTINCTIVE_KINDS}
    if acronym:
        out.add(fold(acronym).replace(" ", ""))
    return out
