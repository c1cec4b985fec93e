"""An activity a page lists (a table row, a grant bullet, a named project): title and the text of the rest."""

from __future__ import annotations

from dataclasses import dataclass, field

from aidatlas.ingest.lines import Line
from aidatlas.records import Snippet


@dataclass
class Item:
    """One activity a listing names: its title and the pieces of text that say the rest."""

    title: Snippet
    text: Snippet
    """the whole row, bullet or sentence: read for places, countries, sectors"""
    budget: list[Snippet] = field(default_factory=list)
    budget_parts: list[Snippet] = field(default_factory=list)
    """amounts from different payers that add up to the total (no total said)"""
    implementer: Snippet | None = None
    funder: Snippet | None = None
    place: Snippet | None = None
    objectives: list[Snippet] = field(default_factory=list)
    activities: list[Snippet] = field(default_factory=list)
    extra: list[Snippet] = field(default_factory=list)
    """further paragraphs that belong to the activity (a section's body below its first paragraph)"""
    follow_ups: list[Snippet] = field(default_factory=list)
    """later sentences that name this activity alone: what it will do, for whom"""


def sub(line: Line, start: int, end: int) -> Snippet:
    """The words of `line` between `start` and `end`, trimmed, as a snippet with document offsets."""
    raw = line.text[start:end]
    lead = len(raw) - len(raw.lstrip())
    return Snippet(text=raw.strip(), start=line.start + start + lead, end=line.start + start + lead + len(raw.strip()))



