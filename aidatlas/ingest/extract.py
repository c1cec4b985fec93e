"""Document → Drafts: which records a document holds and what each says, as raw snippets with spans.

Order of reading: split a bilingual document into its language parts; in each part, segment into a
preamble and label-structured records; read the preamble as prose (a programme it describes, an event it
reports, or — when there are no structured records — the one project it announces); then merge the
language parts record by record into multilingual drafts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from aidatlas.ingest import narrative as nar
from aidatlas.ingest.behind_event import records_behind_event
from aidatlas.ingest.bilingual import merge_parts, split_parts
from aidatlas.ingest.blocks import block_draft, snippet
from aidatlas.ingest.kinds import classify
from aidatlas.ingest.lines import Line
from aidatlas.ingest.listings import Item, listing_items
from aidatlas.ingest.prose import (
    BUDGET_WORDS,
    activity_sentences,
    find_dateline,
    first_range,
    goal_sentences,
    org_mentions,
    participants_of,
    prose_lines,
    target_lines,
)
from aidatlas.ingest.prose_records import (
    event_from_prose,
    programme_from_brochure,
    programme_from_prose,
    record_from_prose,
)
from aidatlas.ingest.segment import RecordBlock, Segmented, first_heading, segment
from aidatlas.normalize.countries import CountryMention, find_countries
from aidatlas.normalize.dates import find_dates, find_dates_in_year
from aidatlas.normalize.language import LanguageDetector
from aidatlas.normalize.money import find_money
from aidatlas.normalize.script import fold
from aidatlas.records import Document, Draft, DraftParticipant, DraftTargetGroup, Snippet

_FOLLOW_UP = re.compile(r"follow[- ]?up|naknadn", re.IGNORECASE)
_TRAINING_PROGRAMME = re.compile(r"training|co-creation|course|alumni|ex-participant|obuk|trajnim", re.I)


def extract_drafts(document: Document, detector: LanguageDetector | None = None,
                   mentions: list[CountryMention] | None = None) -> list[Draft]:
    text = document.text
    mentions = find_countries(text) if mentions is None else mentions
    parts = []
    for start, end in split_parts(text):
        drafts = absorb_duplicates(extract_part(text, start, end))
        if detector is not None:
            part = text[start:end]
            mentioned = Counter(m.code for m in mentions if start <= m.start < end and not m.demonym)
            lang = detector.detect(part, mentioned.most_common(1)[0][0] if mentioned else None)
            for draft in drafts:
                stamp_language(draft, lang)
        parts.append(drafts)
    return merge_parts(parts)


def stamp_language(draft: Draft, lang: str | None) -> None:
    """Give every snippet of a draft that has no language the language of its part of the document."""
    if lang is None:
        return
    for value in draft.__dict__.values():
        for item in _walk(value):
            if isinstance(item, Snippet) and item.lang is None:
                item.lang = lang


def _walk(value: object) -> Iterator[object]:
    if isinstance(value, list | tuple):
        for v in value:
            yield from _walk(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, DraftParticipant | DraftTargetGroup):
        yield from _walk(list(value.__dict__.values()))
    else:
        yield value


def absorb_duplicates(drafts: list[Draft]) -> list[Draft]:
    """One part that states the same record twice (a summary box, then the full sheet) → one draft."""
    out: list[Draft] = []
    by_title: dict[str, Draft] = {}
    for draft in drafts:
        key = fold(draft.title[0].text) if draft.title else ""
        first = by_title.get(key)
        if first is None or not key:
            by_title[key] = draft
            out.append(draft)
            continue
        names = {fold(p.name.text) for p in first.participants}
        first.participants += [p for p in draft.participants if fold(p.name.text) not in names]
        first.programme = first.programme or draft.programme
        for name in ("objectives", "results", "activities", "beneficiaries", "target_groups"):
            if len(getattr(draft, name)) > len(getattr(first, name)):
                setattr(first, name, getattr(draft, name))
        for name in ("description", "budget", "shares", "places", "country_text", "target_text", "body"):
            getattr(first, name).extend(getattr(draft, name))
        first.dates = {**draft.dates, **first.dates}
    return out


def extract_part(text: str, start: int, end: int) -> list[Draft]:
    seg = segment(text[start:end], offset=start)
    programme = programme_from_prose(text, seg)
    drafts: list[Draft] = []
    if programme is not None:
        drafts.append(programme)
    follow_up = any(_FOLLOW_UP.search(line.text) for line in seg.preamble if line.is_heading)
    inherited_funders = programme.participants if programme else []
    programme_name = programme.title[0].text if programme else None
    event = event_from_prose(text, seg, programme)
    if event is not None:
        drafts.append(event)
        drafts += records_behind_event(seg, event)
    if seg.records:
        brochure = programme is None and event is None and len(seg.records) >= 2 and first_heading(seg.preamble)
        if brochure:
            programme = programme_from_brochure(text, seg)
            if programme is not None:
                drafts.insert(0, programme)
                inherited_funders = programme.participants
                programme_name = programme.title[0].text
        for block in seg.records:
            if _only_about(block):
                continue
            draft = block_draft(text, block, follow_up=follow_up)
            if draft is None:
                continue
            if draft.programme and _TRAINING_PROGRAMME.search(draft.programme.text) and draft.kind == "project":
                draft.kind = "follow-up"
            if draft.kind == "project" and len(seg.records) == 1:
                draft.kind = classify(draft.title[0].text, "")  # type: ignore[assignment]
            if len(seg.records) == 1 and programme is None and event is None and seg.preamble:
                _absorb_prose(draft, seg)
            if draft.programme is None and programme_name:
                draft.programme = Snippet(text=programme_name, start=0, end=0)
            names = {p.name.text for p in draft.participants}
            draft.participants += [p for p in inherited_funders if p.role == "funder" and p.name.text not in names]
            drafts.append(draft)
    elif items := listing_items(seg.preamble + seg.trailer):
        drafts += _listed_drafts(items, seg, programme)
    elif event is None:
        drafts.append(record_from_prose(text, seg))
    return drafts


def _only_about(block: RecordBlock) -> bool:
    """A page's "About the project" section under a sentence is background, not a record of its own (the
    project it describes is read from its prose)."""
    title = block.title.text if block.title else ""
    return {s.field for s in block.sections} == {"description"} and title.endswith(".") and len(title.split()) > 8


def _listed_drafts(items: list[Item], seg: Segmented, programme: Draft | None) -> list[Draft]:
    """One project per listed item; what the page says once (date line, funders, country) applies to each."""
    lines = seg.preamble + seg.trailer
    first = min(x.text.start for x in items)
    lead = [Snippet(text=x.text, start=x.start, end=x.end) for x in lines if x.end <= first]
    last = max(s.end for i in items for s in [i.text, *i.extra])
    # "Oba projekta sprovodi Opština Bijelo Polje": what is said of all of them after the list counts too
    said = participants_of(org_mentions([x for x in lines if x.end <= first or (x.start >= last
                                                                               and _ALL_OF_THEM.search(x.text))]))
    funders = [p for p in said if p.role == "funder"]
    implementers = [p for p in said if p.role == "implementer"]
    if programme is not None:
        funders += [p for p in programme.participants if p.role == "funder"]
    dateline = find_dateline(seg.lines)
    period_key, period = _common_period([x for x in lines if x.end <= first or x.start >= last], dateline)
    drafts = []
    for item in items:
        draft = Draft(kind="project", title=[item.title], origin="listing", body=[item.text, *item.extra],
                      budget=item.budget, budget_parts=item.budget_parts,
                      places=[item.place, item.title] if item.place else [item.title, item.text, *item.extra],
                      country_text=[item.text, *item.extra], context_text=lead, shares=item.budget,
                      objectives=[[o] for o in item.objectives], activities=[[a] for a in item.activities],
                      target_text=[item.text, *item.extra, *item.follow_ups])
        date_key, own_date = _own_date([item.text, *item.extra], dateline)
        if own_date is not None:  # "Works are expected to start in April 2025": the item's own date
            draft.dates[date_key] = [own_date]
        elif period:
            draft.dates[period_key] = [period]
        if not draft.activities and item.extra:
            draft.activities = activity_sentences([Line(x.text, x.start, x.end) for x in [item.text, *item.extra]])
        if not draft.activities and item.follow_ups:  # "„Oslonac“ će opremiti malu štampariju …"
            draft.activities = [[f] for f in item.follow_ups]
        draft.body += item.follow_ups
        if item.implementer is not None:
            draft.participants.append(DraftParticipant(name=item.implementer, role="implementer"))
        else:  # "The Municipality of Struga signed contracts for two projects": it implements each
            draft.participants += implementers[:1]
        own = participants_of(nar.find_org_mentions(item.text.text, item.text.start))  # "што ЕУ ги подарува"
        if item.funder is not None:
            draft.participants.append(DraftParticipant(name=item.funder, role="funder"))
        elif not any(p.role == "funder" for p in own):
            draft.participants += funders[:1]
        named = {p.name.text for p in draft.participants}
        draft.participants += [p for p in own if p.name.text not in named]
        if dateline:
            draft.dates["announced"] = [dateline]
        if programme is not None:
            draft.programme = Snippet(text=programme.title[0].text, start=0, end=0)
        drafts.append(draft)
    return drafts


_COLLECTIVE = re.compile(r"\b(?:all|both|the (?:two|three|four|five|\w+) (?:projects|grants)|projects|grants|svi|sva|"
                         r"oba|projekti|projekte|grantovi|сви|оба|пројекти|сите|двата|проектите|проекти|të gjith\w*|"
                         r"projektet|punimet|radovi|works|работите|радови|radovima|punime)\b", re.IGNORECASE)


_UNTIL = re.compile(r"(?:until|by|to|do|deri|до)(?: the end of| kraja| konca| fund të| краја| крајот на)?\s*$",
                    re.IGNORECASE)


_ALL_OF_THEM = re.compile(r"(?:\b(?:all|both|svi|sva|sve|oba|obje|сви|сва|оба|сите|двата|të gjith\w*|të dy)\s+"
                          r"(?:\w+\s+){0,2}(?:projects?|grants?|projek\w*|пројек\w*|проект\w*|grant\w*)|"
                          r"^(?:Projekti|Projekte|Пројекти|Проектите|Projektet)\b)", re.IGNORECASE)


def _own_date(snippets: list[Snippet], dateline: Snippet | None) -> tuple[str, Snippet | None]:
    """The first date a listed activity's own paragraphs give (a start, or an end after `until/by`)."""
    for s in snippets:
        for d in find_dates(s.text):
            if dateline is not None and s.start + d.start == dateline.start:
                continue
            until = _UNTIL.search(s.text[max(0, d.start - 25):d.start])
            key = "period" if d.end_date else ("end" if until else "start")
            return key, Snippet(text=s.text[d.start:d.end], start=s.start + d.start, end=s.start + d.end)
    return "start", None


def _common_period(around: list[Line], dateline: Snippet | None) -> tuple[str, Snippet | None]:
    """When the listed activities run: a range said of all of them (`Projekti će se provoditi od juna do
    decembra 2024.`), or their common start or end (`All three projects start in June 2023`); a sentence that
    speaks of all of them outranks one that only mentions projects (`… runs from 2021 to 2026 … small grants`)."""
    collective = [x for x in around if _COLLECTIVE.search(x.text)]
    strong = [x for x in collective if _ALL_OF_THEM.search(x.text)]
    for group in (strong, collective):
        if period := first_range(group, dateline):
            return "period", period
        for line in group:
            for d in find_dates(line.text):
                if dateline is None or line.start + d.start != dateline.start:
                    until = _UNTIL.search(line.text[max(0, d.start - 25):d.start])
                    if until and (begin := find_dates_in_year(line.text[:d.start], d.start_date[:4])):
                        return "period", snippet(line, begin[0].start, d.end)  # "počinju 1. aprila i traju do …"
                    return "end" if until else "start", snippet(line, d.start, d.end)
    return "period", None if collective else first_range(around, dateline)


def _absorb_prose(draft: Draft, seg: Segmented) -> None:
    """The one record of a press release that also has labels: its prose says the rest (funder, budget…)."""
    prose = prose_lines(seg)
    lines = [Snippet(text=x.text, start=x.start, end=x.end) for x in prose]
    title = draft.title[0].text
    if title.endswith(".") or len(title) > 160:
        for line in prose:
            if found := nar.quoted_title(line.text):
                draft.title = [snippet(line, found[1], found[2])]
                break
    names = {p.name.text for p in draft.participants}
    draft.participants += [p for p in participants_of(org_mentions(prose)) if p.name.text not in names]
    if not draft.budget:
        draft.budget += [s for s in lines if find_money(s.text) and BUDGET_WORDS.search(s.text)][:1]
    if (dateline := find_dateline(seg.lines)) and "announced" not in draft.dates:
        draft.dates["announced"] = [dateline]
    if not draft.objectives:
        draft.objectives = goal_sentences(prose)
    draft.places += lines
    draft.country_text += lines
    draft.target_text += target_lines(prose)
    draft.body += lines


