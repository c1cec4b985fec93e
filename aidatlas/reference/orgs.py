"""Known organisations of the field: canonical name, aliases in the region's languages, IATI type and ref.

Package data (`data/organisations.tsv`, see data/SOURCES.md), read by `KnownOrgs.load()`; nothing is read at
import time and the caller keeps the instance. Lookup is exact on `org_key` (so any script, diacritics,
word order or legal form finds the row) or, for a name written as an acronym, on the acronym itself.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from aidatlas.errors import InputError
from aidatlas.normalize.orgs import clean_org_name, is_acronym, org_key, split_acronym
from aidatlas.normalize.script import fold

#: IATI OrganisationType codes (codelist OrganisationType, version 2.03)
ORG_TYPES = frozenset({"10", "11", "15", "21", "22", "23", "24", "30", "40", "60", "70", "71", "72", "73",
                       "80", "90"})
_COLUMNS = ("canonical", "country", "org_type", "iati_ref", "parent", "aliases")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class KnownOrg:
    canonical: str
    country: str | None
    org_type: str | None    # IATI OrganisationType: 10 government, 21 INGO, 22 national NGO, 40 multilateral …
    iati_ref: str | None
    aliases: tuple[str, ...]
    parent: str | None      # canonical name of the parent organisation (an embassy's ministry)
    lookup_only: frozenset[str] = frozenset()  # aliases too ambiguous to search for in running text (~Japan)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.canonical, *self.aliases)


def parse_tsv(text: str, origin: str = "organisations.tsv", parents: Iterable[str] = ()) -> list[KnownOrg]:
    """Rows of the table; a malformed row is an error naming the file and line, never a silent skip."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise ValueError(f"{origin}: expected columns {_COLUMNS}, got {reader.fieldnames}")
    out = []
    for lineno, rec in enumerate(reader, start=2):
        values = {k: (rec.get(k) or "").strip() for k in _COLUMNS}
        country, org_type = values["country"] or None, values["org_type"] or None
        if not values["canonical"] or None in rec.values() or (country and not re.fullmatch(r"[A-Z]{2}", country)) \
                or (org_type and org_type not in ORG_TYPES):
            raise ValueError(f"{origin}, data row {lineno}: expected a canonical name, an ISO country or "
                             f"nothing, an IATI organisation type or nothing; got {rec!r}")
        raw = [a.strip() for a in values["aliases"].split("|") if a.strip()]
        aliases = tuple(a.lstrip("~") for a in raw)
        out.append(KnownOrg(values["canonical"], country, org_type, values["iati_ref"] or None, aliases,
                            values["parent"] or None, frozenset(a[1:] for a in raw if a.startswith("~"))))
    names = {o.canonical for o in out}
    for org in out:
        if org.parent and org.parent not in names and org.parent not in parents:
            raise ValueError(f"{origin}: parent {org.parent!r} of {org.canonical!r} is not a canonical name")
    if len(names) != len(out):
        raise ValueError(f"{origin}: a canonical name appears twice")
    return out


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Word tokens with offsets, each folded on its own so offsets stay those of the original text."""
    out = []
    for m in _TOKEN.finditer(text):
        for part in fold(m.group()).split():
            out.append((part, m.start(), m.end()))
    return out


class KnownOrgs:
    """The alias table, indexed by `org_key`, by acronym, and by folded token sequence (for text search)."""

    def __init__(self, orgs: Iterable[KnownOrg]) -> None:
        self._orgs = tuple(orgs)
        self._by_name = {o.canonical: o for o in self._orgs}
        self._by_key: dict[str, KnownOrg | None] = {}
        self._by_acronym: dict[str, KnownOrg | None] = {}
        self._phrases: dict[tuple[str, ...], KnownOrg | None] = {}
        self._acronyms: dict[str, KnownOrg | None] = {}   # exact upper-case spelling → org (text search)
        self._looked_up: dict[str, KnownOrg | None] = {}
        for org in self._orgs:
            for name in org.names:
                self._file(org, name)
        self._longest = max((len(p) for p in self._phrases), default=1)

    def _file(self, org: KnownOrg, name: str) -> None:
        """Index one name; a key two organisations share becomes ambiguous (None) rather than a guess."""
        def put(table: dict, key: object) -> None:
            if key and table.get(key, org) is not org:
                table[key] = None
            elif key:
                table[key] = org
        if is_acronym(name):
            put(self._by_acronym, fold(name).replace(" ", ""))
            if name.isupper():
                put(self._acronyms, name)
            return
        put(self._by_key, org_key(name))
        if name not in org.lookup_only:
            put(self._phrases, tuple(t for t, _, _ in _tokens(name)))

    @classmethod
    def load(cls, extra: str | Path | None = None) -> KnownOrgs:
        """The built-in table, extended by the user's own TSV (`Settings.org_table`): a row of the user's
        with the same canonical name replaces the built-in one (aliases, type, parent: how it is configured)."""
        path = resources.files("aidatlas").joinpath("reference/data/organisations.tsv")
        rows = {o.canonical: o for o in parse_tsv(path.read_text(encoding="utf-8"))}
        if extra:
            try:
                text = Path(extra).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(str(extra), f"cannot read the organisations table: {exc}") from exc
            try:
                mine = parse_tsv(text, str(extra), parents=rows)
            except ValueError as exc:
                raise InputError(str(extra), str(exc)) from exc
            claimed = {org_key(n) for o in mine for n in o.names}   # a name the user files elsewhere moves
            rows = {k: o for k, o in rows.items() if org_key(o.canonical) not in claimed}
            rows.update((o.canonical, o) for o in mine)
        return cls(rows.values())

    def __iter__(self) -> Iterator[KnownOrg]:
        return iter(self._orgs)

    def __len__(self) -> int:
        return len(self._orgs)

    def get(self, canonical: str) -> KnownOrg | None:
        return self._by_name.get(canonical)

    def lookup(self, name: str) -> KnownOrg | None:
        """The known organisation a name means, or None: exact on org_key, or on the acronym (memoised: the
        same names come back with every document)."""
        if name not in self._looked_up:
            if len(self._looked_up) > 200_000:
                self._looked_up.clear()
            self._looked_up[name] = self._lookup(name)
        return self._looked_up[name]

    def _lookup(self, name: str) -> KnownOrg | None:
        cleaned = clean_org_name(name)
        if is_acronym(cleaned):
            return self._by_acronym.get(fold(cleaned).replace(" ", ""))
        hit = self._by_key.get(org_key(cleaned))
        if hit is None:
            rest, acronym = split_acronym(cleaned)
            if acronym:
                by_name = self._by_key.get(org_key(rest))
                by_acr = self._by_acronym.get(fold(acronym).replace(" ", ""))
                hit = by_name or by_acr if not (by_name and by_acr and by_name is not by_acr) else None
        return hit

    def find_in_text(self, text: str) -> list[tuple[KnownOrg, int, int]]:
        """Mentions with character offsets, leftmost-longest, never overlapping.

        Names match whatever their script, case or diacritics; acronyms only as whole words written in
        capitals (`WHO`, not `who`).
        """
        toks = _tokens(text)
        out: list[tuple[KnownOrg, int, int]] = []
        i = 0
        while i < len(toks):
            for n in range(min(self._longest, len(toks) - i), 0, -1):
                org = self._phrases.get(tuple(t for t, _, _ in toks[i:i + n]))
                if org:
                    out.append((org, toks[i][1], toks[i + n - 1][2]))
                    i += n
                    break
            else:
                start, end = toks[i][1], toks[i][2]
                org = self._acronyms.get(text[start:end])
                if org:
                    out.append((org, start, end))
                i += 1
        return out
