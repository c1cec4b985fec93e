"""Lines → the document's parts: a preamble (prose before any record) and label-structured records.

A record opens at its first "head" label (applicant, implementing organisations, duration, a profile's
summary…) and its title is the line just above that label. A head label that the current record already has
opens the next record — that is how a brochure of examples or a grantee list splits, whatever the heading
levels. Headings that are just a country name (`## ALBANIA`) set the country of the records below them;
headings that mention follow-up/core support/events set the kind.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from aidatlas.ingest.labels import HEAD_FIELDS, Label, is_label, is_profile_label, match_label
from aidatlas.ingest.lines import Line, is_table_row, split_inline_fields, split_lines
from aidatlas.normalize.countries import country_code, country_heading
from aidatlas.normalize.dates import find_dates
from aidatlas.normalize.money import find_money


@dataclass
class Section:
    field: str
    label: Label | None
    label_line: Line | None
    lines: list[Line] = dataclasses.field(default_factory=list)
    inline: tuple[str, int, int] | None = None
    """the value written on the label's own line: (text, start, end)"""


@dataclass
class RecordBlock:
    title: Line | None
    sections: list[Section] = dataclasses.field(default_factory=list)
    country: str | None = None
    """from the nearest country heading above"""
    context: list[Line] = dataclasses.field(default_factory=list)
    """headings above the record (kind and programme hints)"""
    profile: bool = False

    def fields(self) -> set[str]:
        return {s.field for s in self.sections}

    def section_lines(self, *names: str) -> list[Line]:
        return [line for s in self.sections if s.field in names for line in s.lines]

    @property
    def start(self) -> int:
        return self.title.start if self.title else (self.sections[0].label_line or self.sections[0].lines[0]).start


@dataclass
class Segmented:
    lines: list[Line]
    preamble: list[Line]
    records: list[RecordBlock]
    trailer: list[Line] = dataclasses.field(default_factory=list)
    """lines after a stop label (contacts, links)"""


_FIELD_LIKE = re.compile(r"^[\w /’'\-]{2,40}:\s")
"""`Word(s): value`: a field of its own (a label we may not know), never the wrapped end of the one above"""


def _title_like(line: Line) -> bool:
    text = line.text
    if line.bullet or len(text) > 300 or text.endswith((":", ";", ",")):
        return False
    return not (len(text) > 160 and text.endswith("."))


def _typed_value(text: str) -> str | None:
    """What an unlabelled metadata value is: a money amount, a period, or a country."""
    if country_code(text):
        return "country"
    if find_money(text):
        return "budget"
    if find_dates(text):
        return "duration"
    return None


def _is_field(text: str) -> bool:
    return is_label(text) or (len(text) <= 60 and _typed_value(text) is not None)


def segment(text: str, offset: int = 0) -> Segmented:
    """Segment `text`; line offsets are shifted by `offset` (where `text` starts in the document)."""
    lines = split_inline_fields(split_lines(text, keep=is_label), _is_field)
    for line in lines:
        line.start += offset
        line.end += offset
    # "Pročitajte još:", "Lajmet e fundit:": links to other news end the page's own text
    related = next((i for i, line in enumerate(lines) if i > 2 and (label := match_label(line.text)) is not None
                    and label.field == "related"), None)
    lines = lines[:related] if related is not None else lines
    preamble: list[Line] = []
    records: list[RecordBlock] = []
    trailer: list[Line] = []
    current: RecordBlock | None = None
    section: Section | None = None
    country: str | None = None
    context: list[Line] = []
    stopped = False
    last_kept: Line | None = None
    pending_country: str | None = None
    pending: list[Section] = []
    for line in lines:
        if stopped:
            trailer.append(line)
            continue
        heading_country = country_heading(line.text) if (line.is_heading or line.text.isupper()
                                                         or line.piece) else None
        if heading_country and line.piece:
            pending_country = heading_country  # "Montenegro · Grant amount: …" belongs to one record
            continue
        if line.piece and not is_label(line.text) and (typed := _typed_value(line.text)):
            pending.append(Section(typed, None, None, [line]))  # "EUR 28,500 · 1 Sept 2023 – …"
            continue
        if heading_country:
            country = heading_country
            context = [line]
            continue
        label = None if is_table_row(line.text) else match_label(line.text)
        if label is None:
            if section is not None and section.inline and not section.lines and not line.gap and not line.bullet \
                    and not _FIELD_LIKE.match(line.text):
                text_, start_, _ = section.inline  # a label's value wrapped onto the next line (PDF layout)
                section.inline = (f"{text_} {line.text}", start_, line.end)
            elif section is not None:
                section.lines.append(line)
            elif current is None:
                preamble.append(line)
                if line.is_heading:
                    context.append(line)
            last_kept = line
            continue
        if label.field == "stop":
            if current is not None and label.value:
                section = None
            stopped = current is not None
            if not stopped:
                preamble.append(line)
            continue
        opens = current is None or (label.field in HEAD_FIELDS and label.field in current.fields())
        if current is not None and label.field in HEAD_FIELDS and not opens and _after_body(current):
            opens = True
        if current is not None and is_profile_label(label) and label.field == "description" \
                and "description" in current.fields():
            opens = True
        if current is not None and (pending or pending_country):
            opens = True  # a record's metadata line ("Country · amount · period") starts the next record
        if opens and current is not None and label.field in ("funder", "partners") and section is not None \
                and section.inline and not line.gap:
            opens = False  # "Commissioned by: … / Cofinanced by: …": a second funder in the same header block
        if opens:
            title = _take_title(last_kept, current, section, preamble)
            current = RecordBlock(title=title, country=pending_country or country, context=list(context))
            current.sections.extend(pending)
            pending_country, pending = None, []
            records.append(current)
        assert current is not None
        current.profile = current.profile or is_profile_label(label)
        section = Section(label.field, label, line)
        if label.value:
            section.inline = (label.value, line.start + label.value_offset, line.end)
        current.sections.append(section)
        last_kept = line
    return Segmented(lines, preamble, records, trailer)


def _after_body(record: RecordBlock) -> bool:
    """A head label after body sections (objectives, activities…) belongs to the next record."""
    body = {"objectives", "activities", "results", "beneficiaries", "target_groups"}
    return bool(record.fields() & body)


def _take_title(above: Line | None, current: RecordBlock | None, section: Section | None,
                preamble: list[Line]) -> Line | None:
    """The line just above a record's first label is its title; take it back from where it was filed."""
    owner = section.lines if section is not None else (preamble if current is None else None)
    if owner and above is not None and owner[-1] is above and _title_like(above):
        return owner.pop()
    return None


def heading_text(lines: list[Line]) -> str:
    return " ".join(line.text for line in lines)


def first_heading(lines: list[Line]) -> Line | None:
    for line in lines:
        if line.level or (line.emphasized and not is_label(line.text)):
            return line
    return None


_PROGRAMME_TITLE = re.compile(r"^(?P<programme>[^“”\"«»„]{4,120}?)\s*[“\"«„](?P<title>[^“”\"«»]{4,300})[”\"»“]\s*$")


def split_programme_title(text: str) -> tuple[str | None, str]:
    """`Knowledge Co-Creation Program “SME Development Policies”` → (programme, title)."""
    if m := _PROGRAMME_TITLE.match(text):
        return m.group("programme").strip(" –-:"), m.group("title").strip()
    return None, text
