"""What each source of an activity says, and which one wins a conflict.

Precedence (documented in docs/storage.md): an IATI record (imported, or an awarded grant) beats an official
page or brochure, which beats a press release; between sources of the same rank the newer wins (its
`last_updated`, else the date it was announced); then the smaller id, so the choice is stable. Conflicts are
never resolved silently: `conflicts` lists every field on which the sources disagree, with each value, its
source and which one the precedence chose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aidatlas.normalize.script import fold
from aidatlas.records import Activity

RANKS = {"iati": 3, "page": 2, "press": 1}
RANK_NAMES = {"iati": "IATI record", "page": "official page", "press": "press release"}
_PRESS = re.compile(r"press release|press statement|news release|saop[sć]tenje|priop[cć]enje|саопштење|"
                    r"соопштение|njoftim për shtyp|komunikatë për shtyp|\bnews\b|vijesti|вести|lajme", re.I)
_DATELINE = re.compile(r"^\s*(?:[A-ZČĆŽŠĐА-ЯЁЂЈЉЊЋЏ][\wČĆŽŠĐčćžšđ\u0400-\u04FF.-]+\s?){1,3},?\s*\(?\d{1,2}\.?\s+"
                       r"\w+\.?\s+\d{4}\)?\s*[-–—:]", re.M)


@dataclass(frozen=True)
class SourceRecord:
    """One record of an activity with what decides its precedence."""

    activity: Activity
    kind: str            # iati | page | press
    name: str            # document name, IATI file or "application N"
    date: str | None     # newest of last_updated / announced

    @property
    def rank(self) -> tuple[int, str, str]:
        return (RANKS[self.kind], self.date or "", "")

    def label(self) -> str:
        return f"{RANK_NAMES[self.kind]} {self.name}" + (f" ({self.date[:10]})" if self.date else "")


def source_kind(activity: Activity, document_name: str | None, document_text: str | None) -> str:
    """iati for records with an IATI identifier and no document, press for a press release, else page."""
    return kind_of(activity.iati_identifier, document_name, document_text)


def kind_of(iati_identifier: str | None, document_name: str | None, document_text: str | None) -> str:
    if iati_identifier and document_name is None:
        return "iati"
    head = (document_text or "")[:400]
    if _PRESS.search(document_name or "") or _PRESS.search(head[:200]) or _DATELINE.search(head):
        return "press"
    return "page"


def source_date(activity: Activity) -> str | None:
    return activity.last_updated or activity.dates.announced


def by_precedence(sources: Sequence[SourceRecord]) -> list[SourceRecord]:
    """Best first: rank, then newer, then the smaller id (stable)."""
    return sorted(sources, key=lambda s: precedence_key(s.kind, s.date, s.activity.id or ""))


def precedence_key(kind: str, date: str | None, activity_id: str) -> tuple[int, tuple[int, str], str]:
    """The sort key of `by_precedence`, for callers that have rows rather than records."""
    return (-RANKS[kind], _neg(date), activity_id)


def _neg(date: str | None) -> tuple[int, str]:
    # newer first: sort by (has a date, inverted date string)
    return (0, "".join(chr(0x10FFFF - ord(c)) for c in date)) if date else (1, "")


@dataclass
class Conflict:
    name: str
    values: list[dict[str, Any]] = field(default_factory=list)   # [{source, activity_id, value, chosen}]

    def to_json(self) -> dict[str, Any]:
        return {"field": self.name, "values": self.values}


def _title(a: Activity) -> str | None:
    return a.primary_title() or None


def _budget(a: Activity) -> str | None:
    return f"{a.budget.value:,.0f} {a.budget.currency}" if a.budget else None


def _names(role: str) -> Any:
    def get(a: Activity) -> str | None:
        names = sorted({p.name for p in a.participants if p.role == role or (role == "implementer" and
                                                                            p.role == "applicant")})
        return "; ".join(names) or None
    return get


FIELDS: dict[str, Any] = {
    "title": _title,
    "budget": _budget,
    "start": lambda a: a.dates.start,
    "end": lambda a: a.dates.end,
    "funders": _names("funder"),
    "implementers": _names("implementer"),
    "countries": lambda a: ", ".join(sorted(a.countries)) or None,
    "places": lambda a: ", ".join(sorted({p.name for p in a.locations})) or None,
    "status": lambda a: a.status,
}


def conflicts(sources: Sequence[SourceRecord]) -> list[Conflict]:
    """Every field on which the sources disagree (values compared folded), best source's value chosen."""
    ordered = by_precedence(sources)
    out = []
    for name, get in FIELDS.items():
        values = [(s, get(s.activity)) for s in ordered]
        present = [(s, v) for s, v in values if v]
        if len({fold(v) for _, v in present}) <= 1:
            continue
        if name == "title" and _titles_agree([s.activity for s, _ in present]):
            continue
        if name in ("start", "end") and all(x.startswith(y) or y.startswith(x) for _, x in present
                                            for _, y in present):
            continue                            # 2024-03 and 2024-03-01 agree: one is only less precise
        chosen = present[0][1]
        out.append(Conflict(name, [{"source": s.label(), "activity_id": s.activity.id, "value": v,
                                    "chosen": v == chosen and s is present[0][0]} for s, v in present]))
    return out


def _titles_agree(activities: Sequence[Activity]) -> bool:
    """Titles in different languages are not a conflict when a language both have agrees."""
    first = {lang: fold(text) for lang, text in (activities[0].title or {}).items()}
    for other in activities[1:]:
        theirs = {lang: fold(text) for lang, text in (other.title or {}).items()}
        shared = set(first) & set(theirs)
        if not shared or any(first[k] != theirs[k] for k in shared):
            return False
    return True


def merged(sources: Sequence[SourceRecord]) -> Activity:
    """The record the registry shows: the best source's, with what it lacks filled from the next ones."""
    ordered = by_precedence(sources)
    best = ordered[0].activity.model_copy(deep=True)
    for s in ordered[1:]:
        other = s.activity
        best.title = {**(other.title or {}), **(best.title or {})}
        for name in ("budget", "status", "programme"):
            if getattr(best, name) is None and getattr(other, name) is not None:
                setattr(best, name, getattr(other, name))
        for name in ("start", "end", "announced"):
            if getattr(best.dates, name) is None:
                setattr(best.dates, name, getattr(other.dates, name))
        for name in ("countries", "locations", "participants", "objectives", "activities", "target_groups",
                     "sectors", "languages"):
            mine, theirs = getattr(best, name), getattr(other, name)
            if not mine and theirs:
                setattr(best, name, list(theirs))
    return best
