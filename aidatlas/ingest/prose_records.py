"""Records read from a page's prose: the programme it describes, the event it reports, the project it announces.

A programme: `X, which is implemented by … with the support of …`, or a brochure's introduction. An event: an
event noun confirmed by an organised/held verb, with its date (or "today" and the date line). Otherwise, when
the page has neither labelled records nor a list, the one activity it is about, with a kind from `kinds.py`.
"""

from __future__ import annotations

import re

from aidatlas.ingest import narrative as nar
from aidatlas.ingest.blocks import snippet
from aidatlas.ingest.chrome import is_furniture
from aidatlas.ingest.kinds import classify, counted_units
from aidatlas.ingest.lines import Line
from aidatlas.ingest.prose import (
    BUDGET_WORDS,
    TODAY,
    activity_sentences,
    budget_snippets,
    find_dateline,
    first_range,
    goal_sentences,
    leadin_bullets,
    org_mentions,
    participants_of,
    prose_lines,
    prose_title,
    result_sentences,
    target_lines,
)
from aidatlas.ingest.segment import Segmented, first_heading
from aidatlas.normalize.dates import find_dates, find_dates_in_year
from aidatlas.normalize.money import find_money
from aidatlas.records import Draft, DraftParticipant, DraftTargetGroup, Snippet

_QUOTE = re.compile(r"[“\"„«]([^“”\"«»„]{6,400})[”\"»“]")

_PROGRAMME_WORDS = re.compile(r"\b(program(me)?s?|fund|facility|cooperation|initiative|fond|programi|програм)",
                              re.IGNORECASE)


_ORDINAL = re.compile(r"(?:first|second|third|prv\w+|drug\w+|treć\w+|прв\w+|втор\w+|трет\w+|први\w*|друг\w+|"
                      r"i parë|e parë|e dytë)\s+$", re.IGNORECASE)
_PROJECT_WORD = re.compile(r"\b(?:project|projekat|projekt|projekti|проект|пројекат|пројекта)\b", re.IGNORECASE)
_WHICH = re.compile(r"(?:^|(?<=[.,]\s))(?P<name>[A-Z][\w\-]*(?:\s+(?:[A-Z0-9][\w\-]*|–|-|for|of|and|in|za|i|u))"
                    r"{0,9}?),?\s+(?:which\s+|that\s+)?(?:is|are|was)\s+(?:being\s+)?"
                    r"(?:implemented|run|managed|funded|financed)\b")


def programme_from_prose(text: str, seg: Segmented) -> Draft | None:
    """`SMART Balkans, which is implemented by X in partnership with Y … with the support of Z` → a programme
    (in the page's prose, or under a heading such as "About the project")."""
    for line in seg.lines:
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
        # "SMART Balkans, which is implemented by …" is a programme unless the page calls it a project
        # ("About the project … Integrity in Local Self-Government is funded by …")
        before = text[max(0, title.start - 160):title.start]
        called_project = _PROJECT_WORD.search(before) and not _PROGRAMME_WORDS.search(title.text)
        draft = Draft(kind="project" if called_project else "programme", title=[title],
                      participants=participants_of(found), body=[title], origin="programme")
        nearby = seg.preamble if any(x is line for x in seg.preamble) else seg.lines
        around = [x for x in nearby if abs(x.start - line.start) < 1500]
        budget = [Snippet(text=x.text, start=x.start, end=x.end) for x in around
                  if find_money(x.text) and BUDGET_WORDS.search(x.text)]
        draft.budget = budget[:1]
        if period := first_range(around, None):
            draft.dates["period"] = [period]
        return draft
    return None


def programme_from_brochure(text: str, seg: Segmented) -> Draft | None:
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
    return Draft(kind="programme", title=[title], participants=participants, body=[title], origin="programme")


def event_from_prose(text: str, seg: Segmented, programme: Draft | None) -> Draft | None:
    """A news post about a training or conference: its title, date, place and organisers."""
    prose = prose_lines(seg)
    dateline = find_dateline(seg.lines)
    for index, line in enumerate(prose):
        span = nar.event_sentence(line.text)
        if span is None:
            continue
        sentence = line.text[span[0]:span[1]]
        dated = [(x, d) for x in [line, *prose[index + 1:index + 3]] for d in find_dates(x.text)
                 if dateline is None or x.start + d.start != dateline.start]
        year = find_dates(dateline.text)[0].start_date[:4] if dateline and find_dates(dateline.text) else None
        if not dated and year:  # "më 8 shkurt", "15 – 16 и 22 -23 септември": the date line's year
            dated = [(x, d) for x in [line, *prose[index + 1:index + 3]] for d in find_dates_in_year(x.text, year)]
        today = TODAY.search(sentence)
        days = dateline is None and find_dates_in_year(sentence, "0000")  # "15 – 16 и 22 -23 септември", no year
        if not dated and not (today and dateline) and not (days and index < 2):
            continue
        noun = nar.EVENT_WORDS.search(sentence)  # the event's own name is the quote after its noun
        after = noun.end() if noun else 0
        quoted = _QUOTE.search(sentence[after:])
        if quoted is None:
            after = 0
            quoted = _QUOTE.search(sentence)
            if quoted and re.search(r"(?:project\w*|projek\w*|програм\w*|program\w*|проект\w*)\W*$",
                                    sentence[:quoted.start()], re.IGNORECASE):
                quoted = None  # "во рамки на проектот „X“, … се одржа обуката": X is the project, not the event
        head = next((x for x in seg.preamble if len(x.text) > 20), line)
        if quoted:
            title = snippet(line, span[0] + after + quoted.start(1), span[0] + after + quoted.end(1))
        elif noun and (head is line or len(head.text) > 160):  # no headline: the event's own noun phrase
            start = span[0] + noun.start()
            ordinal = re.search(r"(?:\w+)\s+$", sentence[:noun.start()])
            if ordinal and _ORDINAL.match(ordinal.group(0)):
                start -= len(ordinal.group(0))
            title = snippet(line, start, span[0] + len(sentence.rstrip(" .")))
        else:
            title = Snippet(text=head.text, start=head.start, end=head.end)
        draft = Draft(kind="event", title=[title], origin="event")
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
        body = [Snippet(text=x.text, start=x.start, end=x.end) for x in prose_lines(seg)]
        umbrella = _umbrella_spans(prose_lines(seg))  # "… u okviru programa X koji finansira EU a sprovodi UNDP"
        draft.participants += participants_of([o for o in org_mentions(prose_lines(seg))
                                               if o.name not in {p.name.text for p in draft.participants}
                                               and not any(a <= o.start < b for a, b in umbrella)])
        draft.places = [x for x in body if not _ANOTHER_EVENT.match(x.text)]
        draft.country_text = draft.places
        draft.body = body
        draft.target_text = target_lines(prose) + [Snippet(text=x.text, start=x.start, end=x.end) for x in prose
                                                   if _ATTENDEES.search(x.text)]
        draft.activities = leadin_bullets(seg.preamble)
        draft.objectives = [o for o in goal_sentences(prose) if not any(a <= o[0].start < b for a, b in umbrella)]
        return draft
    return None


#: "Next/A similar training will be held in Ferizaj …": a paragraph about another event, whose place is not ours
_ANOTHER_EVENT = re.compile(r"(?:the\s+)?(?:next|a similar|another|the following|sljedeć\w*|sledeć\w*|naredn\w*|"
                            r"slič\w*|следн\w*|наредн\w*|сличн\w*|следеч\w*|një\s+\w+\s+(?:i|e)\s+ngjashëm|"
                            r"një\s+tjetër|(?:trajnimi|takimi|punëtoria)\s+i\s+ardhshëm)\b", re.IGNORECASE)
#: who attended an event: "28 përfaqësues", "26 учесника", "35 officials took part"
_ATTENDEES = re.compile(r"\b\d{1,4}\s+(?:\w+\s+){0,2}(?:participants?|attendees|officials|representatives|trainees|"
                        r"u[čc]esni\w*|polaznik\w*|predstavnik\w*|službenik\w*|учесни\w*|представни\w*|"
                        r"службени\w*|pjesëmarrës\w*|përfaqësues\w*|zyrtar\w*|trajnues\w*)\b", re.IGNORECASE)
_UMBRELLA = re.compile(r"\b(?:u okviru|u sklopu|у оквиру|within|as part of|under|në kuadër të|во рамки(?:те)? на)\b"
                       r"[^.;]{3,160}?\b(?:koji|koja|koje|kojeg|which|that|që|кој|која|што)\b[^.;]*", re.IGNORECASE)


def _umbrella_spans(lines: list[Line]) -> list[tuple[int, int]]:
    """Relative clauses about the programme an event belongs to: their funders and implementers are the
    programme's, not the event's."""
    return [(x.start + m.start(), x.start + m.end()) for x in lines for m in _UMBRELLA.finditer(x.text)]


def record_from_prose(text: str, seg: Segmented) -> Draft:
    """A press release or project page without labels: one record, read from its sentences."""
    lines = seg.preamble + seg.trailer
    title = prose_title(lines)
    body = [Snippet(text=x.text, start=x.start, end=x.end) for x in lines if not is_furniture(x)] or \
        [Snippet(text=x.text, start=x.start, end=x.end) for x in lines]
    kind = classify(title.text, " ".join(s.text for s in body))
    draft = Draft(kind=kind, title=[title], body=body, places=body, country_text=body)  # type: ignore[arg-type]
    draft.participants = participants_of(org_mentions(lines))
    draft.budget = budget_snippets(lines)
    draft.shares = [Snippet(text=x.text, start=x.start, end=x.end) for x in lines  # parts of the total
                    if (draft.budget and x.start <= draft.budget[0].start < x.end) or len(find_money(x.text)) >= 2]
    draft.objectives = goal_sentences(lines)
    if kind == "programme":
        for line in [title, *body]:
            if found := counted_units(line.text):
                at = line.start + found[1]
                phrase = Snippet(text=line.text[found[1]:found[2]], start=at, end=line.start + found[2])
                draft.target_groups.append(DraftTargetGroup(text=[phrase], count=found[0]))
                break
    dateline = find_dateline(seg.lines)
    if dateline:
        draft.dates["announced"] = [dateline]
    if period := first_range(lines, dateline):
        draft.dates["period"] = [period]
    draft.target_text = target_lines(lines)
    draft.activities = leadin_bullets(lines) or activity_sentences(lines)
    draft.results = result_sentences(lines)
    return draft
