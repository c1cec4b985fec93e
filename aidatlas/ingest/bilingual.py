"""Bilingual documents: split at a language separator (`*ENGLISH*`), merge the parts' records into one.

The same project described twice (first in Bosnian, then in English) is one record with `{lang: text}`
narratives. Parts are aligned record by record; inside a record, list items and participants of the same
role are aligned by position, which is how translated sheets are written.
"""

from __future__ import annotations

import re

from aidatlas.normalize.script import fold
from aidatlas.records import Draft, DraftParticipant, Snippet

LANGUAGE_NAMES = {
    "english", "english version", "in english", "engleski", "na engleskom", "engleska verzija", "anglisht",
    "ne anglisht", "versioni ne anglisht", "angliski", "na angliski", "engleski jezik", "english below",
    "bosanski", "na bosanskom", "bhs", "bcs", "srpski", "na srpskom", "hrvatski", "na hrvatskom", "shqip",
    "ne shqip", "makedonski", "na makedonski", "crnogorski", "local language", "lokalni jezik",
}
# Possessive runs (`*+`): the same lines match, without the cubic backtracking a long run of blanks caused.
_SEPARATOR = re.compile(r"^[ \t]*+[*#_=\-]*+[ \t]*+(?P<name>[^\n*#_=]{2,30}?)[ \t]*+[*#_=\-:]*+[ \t]*+$", re.MULTILINE)


def split_parts(text: str) -> list[tuple[int, int]]:
    """[start, end) of each language part; the whole text when there is no separator line."""
    cuts = [m for m in _SEPARATOR.finditer(text) if fold(m.group("name")) in LANGUAGE_NAMES]
    if not cuts:
        return [(0, len(text))]
    bounds = [0] + [m.start() for m in cuts] + [len(text)]
    parts = [(bounds[i] if i == 0 else cuts[i - 1].end(), bounds[i + 1]) for i in range(len(bounds) - 1)]
    return [(a, b) for a, b in parts if text[a:b].strip()]


def merge_parts(parts: list[list[Draft]]) -> list[Draft]:
    """Merge language parts that hold the same number of records; otherwise keep every record."""
    parts = [p for p in parts if p]
    if len(parts) < 2 or len({len(p) for p in parts}) != 1:
        return [d for p in parts for d in p]
    merged = parts[-1]  # the last part is usually the English one: its names lead
    for other in parts[:-1]:
        merged = [merge_drafts(a, b) for a, b in zip(merged, other, strict=True)]
    return merged


def _zip_items(a: list[list[Snippet]], b: list[list[Snippet]]) -> list[list[Snippet]]:
    if len(a) != len(b):
        return a if len(a) >= len(b) else b
    return [x + y for x, y in zip(a, b, strict=True)]


def _merge_participants(a: list[DraftParticipant], b: list[DraftParticipant]) -> list[DraftParticipant]:
    out = [p.model_copy(deep=True) for p in a]
    others: dict[str, list[DraftParticipant]] = {}
    for p in b:
        others.setdefault(p.role, []).append(p)
    mine: dict[str, list[DraftParticipant]] = {}
    for p in out:
        mine.setdefault(p.role, []).append(p)
    for role, theirs in others.items():
        ours = mine.get(role, [])
        if len(ours) == len(theirs):
            for x, y in zip(ours, theirs, strict=True):
                x.aliases.append(y.name)
                x.country_hint = x.country_hint or y.country_hint
        else:
            out.extend(theirs[len(ours):] if len(ours) < len(theirs) else [])
    return out


def merge_drafts(a: Draft, b: Draft) -> Draft:
    """Two language versions of one record → one draft (a's names lead; b's become aliases)."""
    return a.model_copy(update={
        "title": a.title + b.title,
        "description": a.description + b.description,
        "programme": a.programme or b.programme,
        "participants": _merge_participants(a.participants, b.participants),
        "budget": a.budget + b.budget,
        "shares": a.shares + b.shares,
        "dates": {**b.dates, **a.dates},
        "places": a.places + b.places,
        "country_text": a.country_text + b.country_text,
        "country_codes": a.country_codes + b.country_codes,
        "objectives": _zip_items(a.objectives, b.objectives),
        "results": _zip_items(a.results, b.results),
        "activities": _zip_items(a.activities, b.activities),
        "beneficiaries": _zip_items(a.beneficiaries, b.beneficiaries),
        "target_groups": a.target_groups + b.target_groups,
        "target_text": a.target_text + b.target_text,
        "body": a.body + b.body,
    })
