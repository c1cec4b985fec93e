"""Match organisation names against a registry, with blocking so 50,000 organisations stay fast.

Blocking keys are what a true match must share (see `compare` for the rules they mirror): a distinctive word
(or its first four letters, for typos), an acronym or initials together with a place, or — for names made of
generic words only — the exact set of concepts (with each place). A candidate that shares no key cannot be
accepted by the rules, so it is never scored. Keys naming more than `MAX_POSTING` names are too common to
narrow anything and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from aidatlas.reference.orgs import KnownOrgs
from aidatlas.resolve.compare import MERGE, SPECIFIC, WEAK, WEAK_ANCHORED, compare
from aidatlas.resolve.signature import Signature, signature

__all__ = ["MERGE", "Candidate", "OrgMatcher", "blocking_keys", "cluster"]

MAX_POSTING = 5000


@dataclass(frozen=True)
class Candidate:
    org_id: str
    name: str
    score: float
    evidence: str


@dataclass
class _Org:
    org_id: str
    country: str | None
    names: list[int] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    known: str | None = None


def blocking_keys(sig: Signature) -> set[str]:
    """The keys a name is filed under and looked up by; a match shares at least one."""
    keys = {"x:" + sig.key}
    for w in sig.words:
        keys.add("w:" + w)
        if len(w) >= 6 and w.isalpha() and w not in sig.acronyms:
            keys.add("f:" + w[:4])
    geo = set(sig.places) | set(sig.place_initials) or {"-"}
    short = {a for a in sig.acronyms if len(a) <= 3}
    letters = sig.acronyms | sig.labels | {i for i in sig.initials if len(i) >= 3}
    for lt in letters:
        keys.update(f"a:{lt}|{g}" for g in geo | (short - {lt}))
    for lt in sig.acronyms | sig.labels | {i for i in sig.full_initials if len(i) >= 3}:
        keys.add(f"a:{lt}|-")
    if not sig.words:
        concepts = " ".join(sorted(sig.concepts - WEAK))
        keys.add(f"g:{concepts}|{' '.join(sorted(sig.places))}")
        keys.update(f"p:{p}|{concepts}" for p in sig.places)
        specific = sig.concepts - WEAK_ANCHORED
        if len(specific) >= SPECIFIC:
            keys.add("s:" + " ".join(sorted(specific)))
    if sig.head is not None:
        keys |= blocking_keys(sig.head)
    return keys


class OrgMatcher:
    """A registry of organisations (each with one or more names) that finds where a new name belongs.

    `known` (the alias table) lets well-known bodies match by alias (`UNICEF` = United Nations Children's
    Fund) and keeps two different well-known bodies apart whatever their names look like.
    """

    def __init__(self, known: KnownOrgs | None = None) -> None:
        self._known = known
        self._orgs: dict[str, _Org] = {}
        self._entries: list[tuple[str, Signature]] = []
        self._index: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._orgs)

    def _known_of(self, name: str, country: str | None) -> str | None:
        """The alias table's organisation for a name, unless the name's country says it is another one."""
        hit = self._known.lookup(name) if self._known else None
        if hit is None or (country and hit.country and country != hit.country):
            return None
        return hit.canonical

    def add(self, org_id: str, names: Iterable[str], country: str | None = None, *, look_up: bool = True,
            known: str | None = None, index: bool = True) -> None:
        """File an organisation's names (again: adds names) and update the blocking index.

        The registry, which blocks in its database and asks `candidates(…, among=…)`, passes `index=False`
        (no in-memory index to build) and `look_up=False, known=…` (its rows carry the alias table's canonical
        name, which spares a table lookup per name)."""
        org = self._orgs.get(org_id)
        if org is None:
            org = self._orgs[org_id] = _Org(org_id, country)
        elif org.country is None:
            org.country = country
        if country:
            org.countries.add(country)
        for name in names:
            sig = signature(name)
            if not sig.key:                     # nothing to match on (empty, or only stop words)
                continue
            hit = self._known_of(name, country) if look_up else known
            if hit:
                org.known = org.known or hit
            org.countries |= sig.countries | sig.place_countries
            idx = len(self._entries)
            self._entries.append((org_id, sig))
            org.names.append(idx)
            if index:
                for key in blocking_keys(sig) | ({"k:" + hit} if hit else set()):
                    self._index.setdefault(key, []).append(idx)

    def _blocked(self, sig: Signature, known: str | None) -> set[int]:
        keys = blocking_keys(sig) | ({"k:" + known} if known else set())
        postings = [self._index[k] for k in keys if k in self._index]
        narrow = [p for p in postings if len(p) <= MAX_POSTING] or postings[:1]
        return {i for p in narrow for i in p}

    def candidates(self, name: str, country: str | None = None, limit: int = 5,
                   among: Iterable[str] | None = None) -> list[Candidate]:
        """The best-scoring organisations for a name, each with its best-matching name and the reason;
        `among`: only these organisations (blocked by the caller), instead of the in-memory index."""
        sig = signature(name)
        if not sig.key:
            return []
        known = self._known_of(name, country)
        best: dict[str, Candidate] = {}
        pool = self._blocked(sig, known) if among is None else \
            {j for o in among if o in self._orgs for j in self._orgs[o].names}
        for idx in pool:
            org_id, other = self._entries[idx]
            score, why = self._score(sig, country, known, self._orgs[org_id], idx)
            if org_id not in best or score > best[org_id].score:
                best[org_id] = Candidate(org_id, other.name, score, why)
        return sorted(best.values(), key=lambda c: (-c.score, c.org_id))[:limit]

    def _score(self, sig: Signature, country: str | None, known: str | None, org: _Org,
               idx: int) -> tuple[float, str]:
        """Compare with one name of an organisation; its other names can veto (no chaining)."""
        if known and org.known:
            if known == org.known:
                return 1.0, f"alias table: {known}"
            return 0.0, f"different known organisations: {known} / {org.known}"
        mine = set(sig.countries) | set(sig.place_countries) | ({country} if country else set())
        if mine and org.countries and not mine & org.countries:
            return 0.0, "different countries from the organisation's names"
        for j in org.names:
            places = self._entries[j][1].places
            if j != idx and sig.places and places and not (sig.places <= places or places <= sig.places):
                return 0.0, f"different places from the organisation's name {self._entries[j][1].name}"
        return compare(sig, country, self._entries[idx][1], org.country)

    def match(self, name: str, country: str | None = None) -> Candidate | None:
        """The organisation this name belongs to: best candidate above MERGE, unless two tie (ambiguous)."""
        cands = self.candidates(name, country, limit=2)
        if not cands or cands[0].score < MERGE:
            return None
        if len(cands) > 1 and cands[1].score >= cands[0].score - 1e-9:
            return None
        return cands[0]


def cluster(names: Sequence[tuple[str, str | None]], known: KnownOrgs | None = None) -> list[list[int]]:
    """Group (name, country) pairs by organisation: each name joins the organisation it matches, in order.

    Organisation-level checks (every name's places and countries) keep chains from merging two
    organisations through a vaguer third name. Identical pairs are resolved once.
    """
    matcher = OrgMatcher(known)
    groups: dict[str, list[int]] = {}
    seen: dict[tuple[str, str | None], str] = {}
    for i, (name, country) in enumerate(names):
        org_id = seen.get((name, country))
        if org_id is None:
            hit = matcher.match(name, country)
            org_id = hit.org_id if hit else str(i)
            matcher.add(org_id, [name], country)
            seen[(name, country)] = org_id
        groups.setdefault(org_id, []).append(i)
    return list(groups.values())
