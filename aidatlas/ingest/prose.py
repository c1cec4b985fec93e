"""What sentences say: who (role cues), when (date lines, periods), how much (the total), what for (aims).

Pages without labels say in prose what sheets say in fields. These readers take lines of a page and return
snippets with their spans; `prose_records.py` assembles them into drafts.
"""

from __future__ import annotations

import re

from aidatlas.ingest import narrative as nar
from aidatlas.ingest.blocks import items_from_lines, snippet
from aidatlas.ingest.chrome import front_matter_title, headline, is_date_line, is_furniture
from aidatlas.ingest.lines import Line, is_table_row
from aidatlas.ingest.segment import Segmented, first_heading
from aidatlas.normalize.dates import find_dates
from aidatlas.normalize.money import find_money
from aidatlas.records import DraftParticipant, Snippet

_ACTIVITY_LEADIN = re.compile(r"(activit|aktivnost|aktivitet|активност|agenda|programme of|program of|programa|"
                              r"covers|covered|include|obuhvat|uključuje|përfshin|опфаќа|опфати|вклучува|обухвата|"
                              r"focus|fokus|фокус|topics|teme|теми|temat|tema)[^:]*:\s*$",
                              re.IGNORECASE)


_TARGETS = re.compile(r"target group|will (?:directly )?(?:benefit|reach)|direct beneficiar|ciljn[aei] (?:grup|skupin)|"
                      r"korist|obuhvatit|grup[ie] e synuar|do të përfitojnë|целн[аи] груп|циљн[аеи] груп|"
                      r"наменет[аи]? за|намењен[аи]? за|намијењен|namijenjen|namenjen|korisnici ће|корист", re.I)


_QUOTE = re.compile(r"[“\"„«]([^“”\"«»„]{6,400})[”\"»“]")


BUDGET_WORDS = re.compile(r"total|budget|assistance|grant|worth|value|amount|fund|vrijednost|vrednost|"
                           r"budžet|iznos|buxhet|vler|буџет|вредност|износ|grant|ukupn|izdvoj|sredstv|gjithsej|"
                           r"shum|вкупн|укупн|издвој|фонд|loan|kredit|zajam|зајам|кредит|odobr|approv|award|allocat|dodijel|"
                           r"dodel|одобр|додел", re.IGNORECASE)


TODAY = re.compile(r"\b(?:today|yesterday|danas|jučer|juče|jucer|juce|sot|dje|денес|вчера|данас|јуче)\b", re.I)


_TOTAL = re.compile(r"\b(?:total|in total|overall|ukupn\w*|ukupno|sveukupno|gjithsej|gjithsejt|në total|"
                    r"вкупн\w*|укупн\w*|totalt)\b", re.IGNORECASE)


_GOAL = re.compile(r"\b(?:the (?:overall )?(?:goal|aim|objective|purpose) of (?:the|this) \w+ (?:is|was)|aims? to|"
                   r"(?:ima|imaju|imala|imao) za cilj|cilj (?:ovog|ovoga|projekta|programa|obuke|poziva|je)|"
                   r"ka për qëllim|kanë për qëllim|me qëllim|qëllimi i|има за цел|имаат за цел|целта (?:на|е)|"
                   r"циљ (?:позива|пројекта|програма|обуке|је)|има за циљ|with the aim|za cilj (?:ima|imaju)|"
                   r"за циљ (?:има|имају)|will contribute to|(?:want|wants|aims) to contribute to|do të kontribuojë|"
                   r"(?:će|ће)\s+(?:\w+\s+){0,2}(?:doprin(?:ij)?eti|доприн(?:иј)?ети)|"
                   r"doprin(?:ij)?eće|doprin(?:ij)?et će|ќе придонесе)\b", re.IGNORECASE)


_TURNS_TO_NUMBERS = re.compile(r",\s+(?=[^,.;]{0,30}\d)")
_NAMED_AFTER_CUE = re.compile(r"\b(?:project|programme|program|projekt\w*|program\w*|проект\w*|програм\w*)\s+"
                              r"(?P<name>[A-ZČĆŠŽĐА-Я][^,;.“”\"]{3,120}?)\s+(?:which|that|koji|kojeg|koju|që|кој|што)\b")


def prose_lines(seg: Segmented) -> list[Line]:
    return [line for line in seg.preamble if not line.is_heading or len(line.text) > 80] or seg.preamble


def participants_of(found: list[nar.OrgMention]) -> list[DraftParticipant]:
    return [DraftParticipant(name=Snippet(text=o.name, start=o.start, end=o.end), role=o.role,  # type: ignore[arg-type]
                             country_hint=o.country) for o in found]


def org_mentions(lines: list[Line]) -> list[nar.OrgMention]:
    found = []
    for line in lines:
        found += nar.find_org_mentions(line.text, line.start)
    return found


def find_dateline(lines: list[Line]) -> Snippet | None:
    """A short line near the top that is (a place and) a date: the day the text was published.

    Also a site's timestamp line (`Jugmedia 05.10.2018 | juGmedia`, `Thursday, November 7, 2013`) and a
    dateline that opens the first paragraph (`Belgrade, 7 November 2013 – …`)."""
    for line in lines[:10]:
        if re.match(r"date:\s*", line.text, re.IGNORECASE) and (said := find_dates(line.text)):
            return snippet(line, said[0].start, said[0].end)  # a Markdown front matter's date
    head = headline(lines)
    top = next((k for k, x in enumerate(lines) if x is head), 0)
    begin = max(0, top - 3)  # a site's banner, cookie notice and menu may come before the headline
    paragraphs = 0
    for index, line in enumerate(lines[begin:begin + 10], start=begin):
        paragraphs += len(line.text) > 150 and index > top
        if paragraphs >= 2:
            break  # dates further down belong to the story or to other stories, not to the page
        dates = find_dates(line.text)
        if not dates or dates[0].end_date or is_table_row(line.text) or line.text.rstrip().endswith("|"):
            continue
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        if nxt is not None and (re.match(r"[-–—]\s*\d", nxt.text) or (nxt.bullet and nxt.text[:1].isdigit())):
            continue  # the first half of a period split over two lines
        if (len(line.text) < 60 and dates[0].end >= len(line.text) - 10) or is_date_line(line.text):
            return snippet(line, dates[0].start, dates[0].end)
    return None


def first_range(lines: list[Line], skip: Snippet | None) -> Snippet | None:
    """The first date range of the text (`from April 2024 to September 2026`): the activity's period."""
    for line in lines:
        for d in find_dates(line.text):
            if d.end_date and (skip is None or line.start + d.start != skip.start):
                return snippet(line, d.start, d.end)
    return None


def target_lines(lines: list[Line]) -> list[Snippet]:
    return [Snippet(text=x.text, start=x.start, end=x.end) for x in lines if _TARGETS.search(x.text)]


_DOES = re.compile(
    r"\b(?:will be used (?:to|for)|are to be used|funding will enable|will (?:fund|finance|pay for|cover)|"
    r"will provide|will organi[sz]e|će pružiti|će organizovati|do të ofrojë|ќе обезбеди|ће обезбедити|"
    r"(?:project|projekat|projekt) (?:includes|will include|obuhvata|uključuje|përfshin)|will receive|"
    r"(?:odnos[ie]|односе) (?:se )?(?:uglavnom )?na|koristit će se|koristiće se|će se koristiti|biće utrošen\w*|"
    r"namijenjen\w* (?:je|su) za|namenjen\w* (?:je|su) za|predviđa|predviđaju|предвиђа|предвидува|"
    r"mund të përdoret|do të përdoret|do të përdoren|ќе се користат|ќе се искористат|ће се користити|"
    r"odobrena je (?:rekonstrukcija|izgradnja|sanacija|nabavka)|"
    r"në kuadër të këtij projekti|within (?:this|the) project|u okviru (?:ovog|projekta))\b", re.IGNORECASE)
_ACHIEVED = re.compile(r"\b(?:accomplishment|achievements?|achieved|results? (?:include|was|were)|has resulted|"
                       r"postignut\w*|ostvaren\w*|rezultat\w* (?:je|su|projekta)|arritje\w*|u arrit|"
                       r"постигнат\w*|остварен\w*)\b", re.IGNORECASE)


def budget_snippets(lines: list[Line]) -> list[Snippet]:
    """The sentence that states the total; when it also names parts, the amount after `total`/`ukupno`."""
    head = headline(lines)
    if head is not None and find_money(head.text) and not re.search(r"\b(?:two|three|dva|tri|два|три|dy|tre)\b",
                                                                   head.text, re.IGNORECASE):
        return [Snippet(text=head.text, start=head.start, end=head.end)]  # "EIB lends €28 million to …"
    for line in lines:
        found = find_money(line.text)
        if not found or not BUDGET_WORDS.search(line.text):
            continue
        if len(found) > 1 and (total := _TOTAL.search(line.text)):
            after = [m for m in found if m.start > total.start()]
            if after:
                return [snippet(line, after[0].start, len(line.text))]
        return [Snippet(text=line.text, start=line.start, end=line.end)]
    head = next((x for x in lines[:6] if not is_furniture(x) and find_money(x.text)), None)
    return [Snippet(text=head.text, start=head.start, end=head.end)] if head else []


def goal_sentences(lines: list[Line]) -> list[list[Snippet]]:
    """Sentences that state an aim (`The goal of the project is to …`, `ka për qëllim …`, `има за цел …`)."""
    out = []
    for (found,) in cue_sentences(lines, _GOAL, limit=2):
        # "… koji za cilj imaju bolji kvalitet života, u vrednosti 4,2 miliona evra, od čega …": the aim ends
        # where the sentence turns to money
        cut = _TURNS_TO_NUMBERS.search(found.text)
        out.append([Snippet(text=found.text[:cut.start()], start=found.start, end=found.start + cut.start())
                    if cut and cut.start() > 25 else found])
    return out


def activity_sentences(lines: list[Line]) -> list[list[Snippet]]:
    """Sentences that say what the money pays for (`The proceeds will be used to …`, `Projekti se odnose na …`,
    `Ky grant mund të përdoret për …`): the activities of a page that lists none."""
    return cue_sentences(lines, _DOES, limit=3, whole=True)


def result_sentences(lines: list[Line]) -> list[list[Snippet]]:
    """Sentences that report what was achieved (`A major accomplishment of the project was …`)."""
    return cue_sentences(lines, _ACHIEVED, limit=2, whole=True)


def cue_sentences(lines: list[Line], cue: re.Pattern[str], limit: int, whole: bool = False) -> list[list[Snippet]]:
    """Sentences with `cue`, from the cue on (or whole when the cue is near their start or `whole`)."""
    out: list[list[Snippet]] = []
    for line in lines:
        if is_furniture(line):
            continue
        for sentence in re.finditer(r"[^.!?]+[.!?]?", line.text):
            m = cue.search(sentence.group(0))
            if m is None or len(sentence.group(0).strip()) < 25:
                continue
            start = sentence.start() + (0 if whole or m.start() < 30 else m.start())
            out.append([snippet(line, start, sentence.end())])
            if len(out) == limit:
                return out
    return out


def prose_title(lines: list[Line]) -> Snippet:
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
    if m := _CALL_PREFIX.match(head.text):  # "Call for Proposals: Inclusive Social Services Scheme 2025"
        return snippet(head, m.end(), len(head.text))
    return Snippet(text=head.text, start=head.start, end=head.end)


_CALL_PREFIX = re.compile(r"(?:call for (?:proposals|applications)|javni poziv|poziv|konkurs|natječaj|natjecaj|"
                          r"thirrje(?: publike)?(?: për propozime)?|повик|јавни позив|јавен повик|конкурс|project|"
                          r"projekat|projekt|projekti|проект|пројекат)\s*[:–-]\s+(?=\S)", re.IGNORECASE)


def leadin_bullets(lines: list[Line]) -> list[list[Snippet]]:
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
