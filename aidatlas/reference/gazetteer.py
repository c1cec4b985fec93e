"""The Western Balkans gazetteer: package data indexed by folded name, so any spelling or script finds it.

Two TSV files (see data/SOURCES.md): `gazetteer_curated.tsv` (hand-written municipalities, cities, cantons,
entities — the canonical places) and `gazetteer.tsv` (generated from pycountry and GeoNames by
scripts/build_gazetteer.py). Loading merges them: a generated row that names a curated place (same country,
same folded name, compatible kind) lends it coordinates, GeoNames id, population and spellings instead of
becoming a second entry. Nothing is read at import time: `Gazetteer.load()` reads, the caller keeps the
instance.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

from aidatlas.normalize.script import fold

COUNTRIES = frozenset({"BA", "RS", "XK", "ME", "MK", "AL"})
KINDS = frozenset({"municipality", "city", "town", "village", "entity", "canton", "district", "region",
                   "county"})
SETTLEMENTS = frozenset({"municipality", "city", "town", "village"})
_KIND_RANK = {"city": 0, "municipality": 0, "entity": 1, "canton": 1, "district": 1, "region": 1, "county": 1,
              "town": 2, "village": 3}
# Words around a name that lookup() may drop: "Municipality of Žepče", "Općina Ravno", "Bashkia Tiranë".
_AFFIXES = ("municipality of ", "city of ", "town of ", "opcina ", "opstina ", "grad ", "komuna e ",
            "bashkia ", "obcina ", " municipality", " opcina", " opstina", " city")


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    country: str
    kind: str
    admin1: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    population: int | None
    alt_names: tuple[str, ...]


def rank_key(entry: GazetteerEntry) -> tuple[int, int, str, str]:
    """Best first: municipalities and cities before regions, towns and villages; then by population."""
    return (_KIND_RANK.get(entry.kind, 9), -(entry.population or 0), entry.name, entry.country)


@dataclass
class _Row:
    """A TSV row while the two files are merged; frozen into a GazetteerEntry afterwards."""

    name: str
    country: str
    kind: str
    admin1: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    population: int | None
    alts: list[str]
    seat: str | None
    source: str
    in_text: bool
    text_names: set[str] = field(default_factory=set)
    query_names: set[str] = field(default_factory=set)
    """curated lookup-only names (`~Skadar`): what a searcher may type, never matched in running text"""
    absorbed: set[str] = field(default_factory=set)

    def names(self) -> list[str]:
        return [self.name, *self.alts]


def _opt(value: str) -> str | None:
    return value.strip() or None


def _parse(text: str, origin: str) -> list[_Row]:
    """Rows of one TSV; a malformed row is an error naming the file and line, never a silent skip."""
    rows = []
    for lineno, rec in enumerate(csv.DictReader(io.StringIO(text), delimiter="\t",
                                                quoting=csv.QUOTE_NONE), start=2):
        try:
            alts = [a for a in (rec.get("alt_names") or "").split("|") if a]
            row = _Row(
                name=rec["name"].strip(), country=rec["country"].strip(), kind=rec["kind"].strip(),
                admin1=_opt(rec.get("admin1") or ""),
                lat=float(rec["lat"]) if _opt(rec.get("lat") or "") else None,
                lon=float(rec["lon"]) if _opt(rec.get("lon") or "") else None,
                geonames_id=int(rec["geonames_id"]) if _opt(rec.get("geonames_id") or "") else None,
                population=int(rec["population"]) if _opt(rec.get("population") or "") else None,
                alts=[a.lstrip("~") for a in alts], seat=_opt(rec.get("seat") or ""),
                source=(rec.get("source") or origin).strip(), in_text=(rec.get("in_text") or "yes") != "no",
            )
        except (KeyError, ValueError, AttributeError) as exc:
            raise ValueError(f"{origin}, line {lineno}: cannot read row ({exc!r})") from exc
        if not row.name or row.country not in COUNTRIES or row.kind not in KINDS:
            raise ValueError(f"{origin}, line {lineno}: expected a name, a country in {sorted(COUNTRIES)} "
                             f"and a kind in {sorted(KINDS)}, got {row.name!r} {row.country!r} {row.kind!r}")
        if row.in_text:
            row.text_names = {fold(n) for n in [row.name, *(a for a in alts if not a.startswith("~"))]}
        if row.source == "curated":
            row.query_names = {fold(a) for a in row.alts}
        rows.append(row)
    return rows


def _compatible(a: str, b: str) -> bool:
    return a == b or (a in SETTLEMENTS and b in SETTLEMENTS)


def _merge(curated: list[_Row], generated: list[_Row]) -> list[_Row]:
    """Fold generated rows into the curated places they name; the rest stay entries of their own."""
    by_name: dict[tuple[str, str], list[_Row]] = {}
    for row in curated:
        for n in row.names():
            bucket = by_name.setdefault((row.country, fold(n)), [])
            if row not in bucket:
                bucket.append(row)
    parents = {(r.country, fold(r.name)): r for r in curated}

    def chain(row: _Row) -> set[str]:  # admin1, its admin1, …: canton → entity
        out: set[str] = set()
        while row.admin1 and fold(row.admin1) not in out:
            out.add(fold(row.admin1))
            parent = parents.get((row.country, fold(row.admin1)))
            if parent is None:
                break
            row = parent
        return out

    rest = []
    gn_by_id = {g.geonames_id: g for g in generated if g.geonames_id is not None}
    gn_by_name: dict[tuple[str, str], _Row] = {}
    pinned = {c.geonames_id: c for c in curated if c.geonames_id is not None}  # the homonym is named by id
    for c in curated:  # seated elsewhere: a GeoNames place of the same name is a homonym, not the seat
        if c.seat and fold(c.seat) not in {fold(n) for n in c.names()}:
            c.absorbed.add("geonames")
    for gen in sorted(generated, key=lambda r: (r.source == "geonames", -(r.population or 0))):
        kind_of_source = "geonames" if gen.source == "geonames" else "iso"
        if gen.source == "geonames":
            gn_by_name.setdefault((gen.country, fold(gen.name)), gen)
        if gen.geonames_id in pinned:
            cands = [pinned[gen.geonames_id]]
        else:
            cands = [c for c in by_name.get((gen.country, fold(gen.name)), [])
                     if _compatible(c.kind, gen.kind) and kind_of_source not in c.absorbed
                     and not (kind_of_source == "geonames" and c.geonames_id is not None)]
        if gen.admin1 and any(fold(gen.admin1) in chain(c) for c in cands):
            cands = [c for c in cands if fold(gen.admin1) in chain(c)]
        if not cands:
            rest.append(gen)
            continue
        target = min(cands, key=lambda c: _KIND_RANK.get(c.kind, 9))
        target.absorbed.add(kind_of_source)
        if target.lat is None and gen.lat is not None:
            target.lat, target.lon = gen.lat, gen.lon
        target.geonames_id = target.geonames_id or gen.geonames_id
        target.population = target.population or gen.population
        known = {fold(n) for n in target.names()}
        for alt in gen.names():
            if fold(alt) not in known:
                known.add(fold(alt))
                target.alts.append(alt)
        target.text_names |= gen.text_names
    for row in curated:  # coordinates of the seat (a name, or a GeoNames id for a homonym) when GeoNames
        seat = None      # knows the place by another name
        if row.seat:
            seat = gn_by_id.get(int(row.seat)) if row.seat.isdigit() else gn_by_name.get((row.country,
                                                                                           fold(row.seat)))
        if row.lat is None and seat is not None and row.kind in SETTLEMENTS | {"district"}:
            row.lat, row.lon = seat.lat, seat.lon
    return curated + rest


class Gazetteer:
    """Places of the six countries, looked up by any spelling or script; indexes are built on first use."""

    def __init__(self, entries: Iterable[GazetteerEntry],
                 text_names: Mapping[GazetteerEntry, Iterable[str]] | None = None,
                 query_names: Mapping[GazetteerEntry, Iterable[str]] | None = None) -> None:
        """`text_names`: per entry, the folded names safe to match in running text (default: all names);
        `query_names`: further names a search query may use for it (curated lookup-only names)."""
        self._entries = tuple(entries)
        self._text_names = {e: frozenset(fold(n) for n in text_names[e]) if text_names is not None
                            else frozenset(fold(n) for n in (e.name, *e.alt_names)) for e in self._entries}
        self._query_names = {e: frozenset(fold(n) for n in query_names.get(e, ())) for e in self._entries} \
            if query_names is not None else {}

    @classmethod
    def load(cls) -> Gazetteer:
        """Read and merge the package's TSV files (tens of milliseconds; the caller caches the instance)."""
        data = resources.files("aidatlas.reference") / "data"
        curated = _parse((data / "gazetteer_curated.tsv").read_text("utf-8"), "gazetteer_curated.tsv")
        generated = _parse((data / "gazetteer.tsv").read_text("utf-8"), "gazetteer.tsv")
        entries, text, query = [], {}, {}
        for row in _merge(curated, generated):
            entry = GazetteerEntry(row.name, row.country, row.kind, row.admin1, row.lat, row.lon,
                                   row.geonames_id, row.population, tuple(row.alts))
            entries.append(entry)
            text[entry] = row.text_names
            query[entry] = row.query_names
        return cls(entries, text, query)

    @property
    def entries(self) -> tuple[GazetteerEntry, ...]:
        return self._entries

    def text_names(self, entry: GazetteerEntry) -> frozenset[str]:
        """The folded names of `entry` safe to match in running text (what search indexes for a place)."""
        return self._text_names.get(entry, frozenset())

    def search_names(self, entry: GazetteerEntry) -> frozenset[str]:
        """The folded names a search query may use for `entry`: its text names and curated lookup-only ones."""
        return self.text_names(entry) | self._query_names.get(entry, frozenset())

    def countries(self) -> frozenset[str]:
        return frozenset(e.country for e in self._entries)

    @cached_property
    def _index(self) -> dict[str, tuple[GazetteerEntry, ...]]:
        return _build_index((fold(n), e) for e in self._entries for n in (e.name, *e.alt_names))

    @cached_property
    def text_index(self) -> dict[str, tuple[GazetteerEntry, ...]]:
        """Folded name → entries, best first, for the names that may be matched in running text."""
        return _build_index((n, e) for e, names in self._text_names.items() for n in names)

    def lookup(self, name: str, country: str | None = None) -> list[GazetteerEntry]:
        """Entries called `name` in any spelling or script, best first; generic words ("Općina …") ignored."""
        key = fold(name)
        found = self._index.get(key, ())
        if not found:
            for affix in _AFFIXES:
                stripped = key.removeprefix(affix) if affix.endswith(" ") else key.removesuffix(affix)
                if stripped != key and (found := self._index.get(stripped.strip(), ())):
                    break
        return [e for e in found if country is None or e.country == country]


def _build_index(pairs: Iterable[tuple[str, GazetteerEntry]]) -> dict[str, tuple[GazetteerEntry, ...]]:
    buckets: dict[str, dict[GazetteerEntry, None]] = {}
    for key, entry in pairs:
        if key:
            buckets.setdefault(key, {})[entry] = None
    return {k: tuple(sorted(v, key=rank_key)) for k, v in buckets.items()}
