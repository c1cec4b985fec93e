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
from aidatlas.ingest.bilingual import merge_parts, split_parts
from aidatlas.ingest.chrome import front_matter_title, headline, is_date_line, is_furniture
from aidatlas.ingest.kinds import classify, counted_units
from aidatlas.ingest.blocks import block_draft, items_from_lines, snippet
from aidatlas.ingest.documents import Document
from aidatlas.ingest.lines import Line, is_table_row
from aidatlas.ingest.listings import Item, listing_items
from aidatlas.ingest.segment import Segmented, first_heading, segment
from aidatlas.normalize.countries import CountryMention, find_countries
from aidatlas.normalize.dates import find_dates
from aidatlas.normalize.language import LanguageDetector
from aidatlas.normalize.money import find_money
from aidatlas.normalize.script import fold
from aidatlas.records import Draft, DraftParticipant, DraftTargetGroup, Snippet

_FOLLOW_UP = re.compile(r"follow[- ]?up|naknadn", re.IGNORECASE)
_PROGRAMME_WORDS = re.compile(r"\b(program(me)?s?|fund|facility|cooperation|initiative|fond|programi|програм)",
                              re.IGNORECASE)
_ACTIVITY_LEADIN = re.compile(r"(activit|aktivnost|aktivitet|активност|agenda|programme of|program of|programa|"
                              r"covers|include|obuhvat|uključuje|përfshin|опфаќа|вклучува|обухвата)[^:]*:\s*$",
                              re.IGNORECASE)
_TARGETS = re.compile(r"target group|will (?:directly )?(?:benefit|reach)|direct beneficiar|ciljn[aei] (?:grup|skupin)|"
                      r"korist|obuhvatit|grup[ie] e synuar|do të përfitojnë|целн[аи] груп|циљн[аеи] груп|"
                      r"наменет[аи]? за|намењен[аи]? за|намијењен|namijenjen|namenjen|korisnici ће|корист", re.I)
_QUOTE = re.compile(r"[“\"„«]([^“”\"«»„]{6,400})[”\"»“]")
_TRAINING_PROGRAMME = re.compile(r"training|co-creation|course|alumni|ex-participant|obuk|trajnim", re.I)
_BUDGET_WORDS = re.compile(r"total|budget|assistance|grant|worth|value|amount|fund|vrijednost|vrednost|"
                           r"budžet|iznos|buxhet|vler|буџет|вредност|износ|grant|ukupn|izdvoj|sredstv|gjithsej|"
                           r"shum|вкупн|укупн|издвој|фонд|loan|kredit|zajam|зајам|кредит|odobr|approv|award|allocat|dodijel|"
                           r"dodel|одобр|додел", re.IGNORECASE)


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
    programme = _programme_from_prose(text, seg)
    drafts: list[Draft] = []
    if programme is not None:
        drafts.append(programme)
    follow_up = any(_FOLLOW_UP.search(line.text) for line in seg.preamble if line.is_heading)
    inherited_funders = programme.participants if programme else []
    programme_name = programme.title[0].text if programme else None
    event = _event_from_prose(text, seg, programme)
    if event is not None:
        drafts.append(event)
    if seg.records:
        brochure = programme is None and event is None and len(seg.records) >= 2 and first_heading(seg.preamble)
        if brochure:
            programme = _programme_from_brochure(text, seg)
            if programme is not None:
                drafts.insert(0, programme)
                inherited_funders = programme.participants
                programme_name = programme.title[0].text
        for block in seg.records:
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
        drafts.append(_record_from_prose(text, seg))
    return drafts


def _listed_drafts(items: list[Item], seg: Segmented, programme: Draft | None) -> list[Draft]:
    """One project per listed item; what the page says once (date line, funders, country) applies to each."""
    lines = seg.preamble + seg.trailer
    first = min(x.text.start for x in items)
    lead = [Snippet(text=x.text, start=x.start, end=x.end) for x in lines if x.end <= first]
    said = _participants(_mentions([x for x in lines if x.end <= first]))
    funders = [p for p in said if p.role == "funder"]
    implementers = [p for p in said if p.role == "implementer"]
    if programme is not None:
        funders += [p for p in programme.participants if p.role == "funder"]
    dateline = _dateline(seg.lines)
    period = _first_range([x for x in lines if x.end <= first or x.start >= max(i.text.end for i in items)],
                          dateline)  # "all projects run from December 2023 to June 2024"
    drafts = []
    for item in items:
        draft = Draft(kind="project", title=[item.title], body=[item.text, *item.extra], budget=item.budget,
                      places=[item.place] if item.place else [item.title, item.text, *item.extra],
                      country_text=[item.text, *item.extra], context_text=lead, shares=item.budget,
                      objectives=[[o] for o in item.objectives], activities=[[a] for a in item.activities],
                      target_text=[item.text, *item.extra])
        if period:
            draft.dates["period"] = [period]
        if item.implementer is not None:
            draft.participants.append(DraftParticipant(name=item.implementer, role="implementer"))
        else:  # "The Municipality of Struga signed contracts for two projects": it implements each
            draft.participants += implementers[:1]
        if item.funder is not None:
            draft.participants.append(DraftParticipant(name=item.funder, role="funder"))
        else:
            draft.participants += funders[:1]
        if dateline:
            draft.dates["announced"] = [dateline]
        if programme is not None:
            draft.programme = Snippet(text=programme.title[0].text, start=0, end=0)
        drafts.append(draft)
    return drafts


def _absorb_prose(draft: Draft, seg: Segmented) -> None:
    """The one record of a press release that also has labels: its prose says the rest (funder, budget…)."""
    prose = _prose_lines(seg)
    lines = [Snippet(text=x.text, start=x.start, end=x.end) for x in prose]
    title = draft.title[0].text
    if title.endswith(".") or len(title) > 160:
        for line in prose:
            if found := nar.quoted_title(line.text):
                draft.title = [snippet(line, found[1], found[2])]
                break
    names = {p.name.text for p in draft.participants}
    draft.participants += [p for p in _participants(_mentions(prose)) if p.name.text not in names]
    if not draft.budget:
        draft.budget += [s for s in lines if find_money(s.text) and _BUDGET_WORDS.search(s.text)][:1]
    if (dateline := _dateline(seg.lines)) and "announced" not in draft.dates:
        draft.dates["announced"] = [dateline]
    draft.places += lines
    draft.country_text += lines
    draft.target_text += _target_lines(prose)
    draft.body += lines


def _prose_lines(seg: Segmented) -> list[Line]:
    return [line for line in seg.preamble if not line.is_heading or len(line.text) > 80] or seg.preamble


def _participants(found: list[nar.OrgMention]) -> list[DraftParticipant]:
    return [DraftParticipant(name=Snippet(text=o.name, start=o.start, end=o.end), role=o.role,  # type: ignore[arg-type]
                             country_hint=o.country) for o in found]


def _mentions(lines: list[Line]) -> list[nar.OrgMention]:
    found = []
    for line in lines:
        found += nar.find_org_mentions(line.text, line.start)
    return found


_WHICH = re.compile(r"(?:^|(?<=[.,]\s))(?P<name>[A-Z][\w\-]*(?:\s+(?:[A-Z0-9][\w\-]*|–|-|for|of|and|za|i))"
                    r"{0,9}?),?\s+(?:which\s+|that\s+)?(?:is|are|was)\s+(?:being\s+)?"
                    r"(?:implemented|run|managed|funded|financed)\b")


def _programme_from_prose(text: str, seg: Segmented) -> Draft | None:
    """`SMART Balkans, which is implemented by X in partnership with Y … with the support of Z` → a programme."""
    for line in seg.preamble:
        m = _WHICH.search(line.text)
        if not m:
            continue
        found = nar.find_org_mentions(line.text[m.end("name"):], line.start + m.end("name"))
        if not found:
            continue
        title = snippet(line, m.start("name"), m.end("name"))
        if generic := re.fullmatch(r"The (\w+)", title.text):  # "The Fund is financed by …": named earlier
            named = [re.sub(r"^The\s+", "", n) for n in re.findall(
                rf"((?:[A-Z][\w’'\-]*\s+){{1,5}}{generic.group(1)})\b",
                text[max(0, line.start - 3000):line.start + m.start("name")])]
            if not named or named[-1] == generic.group(1):
                continue
            at = text.rfind(named[-1], 0, line.start + m.start("name"))
            title = Snippet(text=named[-1], start=at, end=at + len(named[-1]))
        draft = Draft(kind="programme", title=[title], participants=_participants(found), body=[title])
        around = [x for x in seg.preamble if abs(x.start - line.start) < 1500]
        budget = [Snippet(text=x.text, start=x.start, end=x.end) for x in around
                  if find_money(x.text) and _BUDGET_WORDS.search(x.text)]
        draft.budget = budget[:1]
        if period := _first_range(around, None):
            draft.dates["period"] = [period]
        return draft
    return None


def _programme_from_brochure(text: str, seg: Segmented) -> Draft | None:
    """A brochure's introduction (before its examples) describes the programme the examples belong to."""
    heading = first_heading(seg.preamble)
    if heading is None or not _PROGRAMME_WORDS.search(heading.text):
        return None
    title = Snippet(text=heading.text, start=heading.start, end=heading.end)
    participants: list[DraftParticipant] = []
    letterhead = seg.preamble[0] if seg.preamble and seg.preamble[0] is not heading else None
    acronyms = re.findall(r"\b[A-Z]{2,6}\b", heading.text)
    if letterhead is not None and not letterhead.is_heading and len(letterhead.text) < 120:
        initials = "".join(w[0] for w in letterhead.text.split() if w[:1].isupper())
        if initials in acronyms or any(a in letterhead.text for a in acronyms):
            participants.insert(0, DraftParticipant(name=Snippet(text=letterhead.text, start=letterhead.start,
                                                                 end=letterhead.end), role="funder"))
    return Draft(kind="programme", title=[title], participants=participants, body=[title])


def _event_from_prose(text: str, seg: Segmented, programme: Draft | None) -> Draft | None:
    """A news post about a training or conference: its title, date, place and organisers."""
    prose = _prose_lines(seg)
    dateline = _dateline(seg.lines)
    for index, line in enumerate(prose):
        span = nar.event_sentence(line.text)
        if span is None:
            continue
        sentence = line.text[span[0]:span[1]]
        dated = [(x, d) for x in [line, *prose[index + 1:index + 3]] for d in find_dates(x.text)
                 if dateline is None or x.start + d.start != dateline.start]
        today = _TODAY.search(sentence)
        if not dated and not (today and dateline):
            continue
        noun = nar.EVENT_WORDS.search(sentence)  # the event's own name is the quote after its noun
        after = noun.end() if noun else 0
        quoted = _QUOTE.search(sentence[after:])
        if quoted is None:
            after = 0
            quoted = _QUOTE.search(sentence)
        if quoted:
            title = snippet(line, span[0] + after + quoted.start(1), span[0] + after + quoted.end(1))
        else:
            head = next((x for x in seg.preamble if len(x.text) > 20), line)
            title = Snippet(text=head.text, start=head.start, end=head.end)
        draft = Draft(kind="event", title=[title])
        if dated:
            where, d = dated[0]
            draft.dates["event"] = [snippet(where, d.start, d.end)]
        elif dateline is not None:  # "danas je održan …": the event took place on the day of the date line
            draft.dates["event"] = [dateline]
        if dateline:
            draft.dates["announced"] = [dateline]
        in_programme = re.search(r"\b(?:as part of|within|under|u okviru|në kuadër të|во рамките на)\s+(?:the\s+)?"
                                 r"(?P<name>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,5})", line.text)
        if programme is not None:
            draft.programme = Snippet(text=programme.title[0].text, start=0, end=0)
            draft.participants = list(programme.participants)
        elif in_programme:
            draft.programme = snippet(line, in_programme.start("name"), in_programme.end("name"))
        body = [Snippet(text=x.text, start=x.start, end=x.end) for x in _prose_lines(seg)]
        draft.participants += _participants([o for o in _mentions(_prose_lines(seg))
                                             if o.name not in {p.name.text for p in draft.participants}])
        draft.places = body
        draft.country_text = body
        draft.body = body
        draft.target_text = _target_lines(prose)
        draft.activities = _leadin_bullets(seg.preamble)
        draft.objectives = _goal_sentences(prose)
        return draft
    return None


def _dateline(lines: list[Line]) -> Snippet | None:
    """A short line near the top that is (a place and) a date: the day the text was published.

    Also a site's timestamp line (`Jugmedia 05.10.2018 | juGmedia`, `Thursday, November 7, 2013`) and a
    dateline that opens the first paragraph (`Belgrade, 7 November 2013 – …`)."""
    paragraphs = 0
    for index, line in enumerate(lines[:10]):
        paragraphs += len(line.text) > 150
        if paragraphs >= 2:
            break  # dates further down belong to the story or to other stories, not to the page
        dates = find_dates(line.text)
        if not dates or dates[0].end_date or is_table_row(line.text) or line.text.rstrip().endswith("|"):
            continue
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        if nxt is not None and (re.match(r"[-–—]\s*\d", nxt.text) or nxt.bullet and nxt.text[:1].isdigit()):
            continue  # the first half of a period split over two lines
        if len(line.text) < 60 and dates[0].end >= len(line.text) - 10 or is_date_line(line.text):
            return snippet(line, dates[0].start, dates[0].end)
    return None


def _first_range(lines: list[Line], skip: Snippet | None) -> Snippet | None:
    """The first date range of the text (`from April 2024 to September 2026`): the activity's period."""
    for line in lines:
        for d in find_dates(line.text):
            if d.end_date and (skip is None or line.start + d.start != skip.start):
                return snippet(line, d.start, d.end)
    return None


def _target_lines(lines: list[Line]) -> list[Snippet]:
    return [Snippet(text=x.text, start=x.start, end=x.end) for x in lines if _TARGETS.search(x.text)]


def _record_from_prose(text: str, seg: Segmented) -> Draft:
    """A press release or project page without labels: one record, read from its sentences."""
    lines = seg.preamble + seg.trailer
    title = _prose_title(lines)
    body = [Snippet(text=x.text, start=x.start, end=x.end) for x in lines if not is_furniture(x)] or \
        [Snippet(text=x.text, start=x.start, end=x.end) for x in lines]
    kind = classify(title.text, " ".join(s.text for s in body))
    draft = Draft(kind=kind, title=[title], body=body, places=body, country_text=body)  # type: ignore[arg-type]
    draft.participants = _participants(_mentions(lines))
    draft.budget = _budget_snippets(lines)
    draft.objectives = _goal_sentences(lines)
    if kind == "programme":
        for line in [title, *body]:
            if found := counted_units(line.text):
                at = line.start + found[1]
                phrase = Snippet(text=line.text[found[1]:found[2]], start=at, end=line.start + found[2])
                draft.target_groups.append(DraftTargetGroup(text=[phrase], count=found[0]))
                break
    dateline = _dateline(seg.lines)
    if dateline:
        draft.dates["announced"] = [dateline]
    if period := _first_range(lines, dateline):
        draft.dates["period"] = [period]
    draft.target_text = _target_lines(lines)
    draft.activities = _leadin_bullets(lines)
    return draft


_TODAY = re.compile(r"\b(?:today|yesterday|danas|jučer|juče|jucer|juce|sot|dje|денес|вчера|данас|јуче)\b", re.I)
_TOTAL = re.compile(r"\b(?:total|in total|overall|ukupn\w*|ukupno|sveukupno|gjithsej|gjithsejt|në total|"
                    r"вкупн\w*|укупн\w*|totalt)\b", re.IGNORECASE)
_GOAL = re.compile(r"\b(?:the (?:overall )?(?:goal|aim|objective|purpose) of (?:the|this) \w+ (?:is|was)|aims? to|"
                   r"(?:ima|imaju|imala|imao) za cilj|cilj (?:ovog|ovoga|projekta|programa|obuke|poziva|je)|"
                   r"ka për qëllim|kanë për qëllim|me qëllim|qëllimi i|има за цел|имаат за цел|целта (?:на|е)|"
                   r"циљ (?:позива|пројекта|програма|обуке|је)|има за циљ|with the aim)\b", re.IGNORECASE)


def _budget_snippets(lines: list[Line]) -> list[Snippet]:
    """The sentence that states the total; when it also names parts, the amount after `total`/`ukupno`."""
    for line in lines:
        found = find_money(line.text)
        if not found or not _BUDGET_WORDS.search(line.text):
            continue
        if len(found) > 1 and (total := _TOTAL.search(line.text)):
            after = [m for m in found if m.start > total.start()]
            if after:
                return [snippet(line, after[0].start, len(line.text))]
        return [Snippet(text=line.text, start=line.start, end=line.end)]
    head = next((x for x in lines[:6] if not is_furniture(x) and find_money(x.text)), None)
    return [Snippet(text=head.text, start=head.start, end=head.end)] if head else []


def _goal_sentences(lines: list[Line]) -> list[list[Snippet]]:
    """Sentences that state an aim (`The goal of the project is to …`, `ka për qëllim …`, `има за цел …`)."""
    out: list[list[Snippet]] = []
    for line in lines:
        for sentence in re.finditer(r"[^.!?]+[.!?]?", line.text):
            m = _GOAL.search(sentence.group(0))
            if m is None:
                continue
            start = sentence.start() + (0 if m.start() < 30 else m.start())
            out.append([snippet(line, start, sentence.end())])
            if len(out) == 2:
                return out
    return out


_NAMED_AFTER_CUE = re.compile(r"\b(?:project|programme|program|projekt\w*|program\w*|проект\w*|програм\w*)\s+"
                              r"(?P<name>[A-ZČĆŠŽĐА-Я][^,;.“”\"]{3,120}?)\s+(?:which|that|koji|kojeg|koju|që|кој|што)\b")


def _prose_title(lines: list[Line]) -> Snippet:
    """A quoted project name near the top, a name introduced by `project X which …`, or the headline."""
    head = headline(lines)
    near = [x for x in lines[:8] if not is_furniture(x)]
    for line in near[:4]:
        if found := nar.quoted_title(line.text):
            return snippet(line, found[1], found[2])
    if head is None or len(head.text) > 220:
        for line in near[:2]:
            if m := _NAMED_AFTER_CUE.search(line.text):
                return snippet(line, m.start("name"), m.end("name"))
    if front := front_matter_title(lines):
        line, at = front
        return snippet(line, at, len(line.text.rstrip("\"' ")))
    if head is None:
        head = first_heading(lines) or next((x for x in lines if len(x.text) > 12), lines[0])
    return Snippet(text=head.text, start=head.start, end=head.end)


def _leadin_bullets(lines: list[Line]) -> list[list[Snippet]]:
    """Bullets after a lead-in such as `through the following activities:` or `The programme covers:`."""
    for i, line in enumerate(lines):
        if _ACTIVITY_LEADIN.search(line.text):
            bullets: list[Line] = []
            for nxt in lines[i + 1:]:
                if not nxt.bullet or (bullets and nxt.enumerated != bullets[0].enumerated):
                    break
                bullets.append(nxt)
            if bullets:
                return items_from_lines(bullets)
    return []
