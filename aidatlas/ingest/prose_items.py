"""Activities listed in prose: named projects with their own money, grants in one sentence, sections.

A news item names two projects in sentences ("The X Project, financed by a US$10 million grant, …"), lists
three grants in one sentence ("the grants went to A in X, B in Y and C in Z, worth …, … and … respectively"),
or gives each project a short heading of its own with its money in the paragraph below. Each reader returns
an `Item` per activity when it finds at least two.
"""

from __future__ import annotations

import re
from itertools import pairwise

from aidatlas.ingest.chrome import headline, is_furniture
from aidatlas.ingest.items import Item, sub
from aidatlas.ingest.labels import is_label
from aidatlas.ingest.lines import Line
from aidatlas.normalize.money import find_money
from aidatlas.normalize.script import fold
from aidatlas.records import Snippet

_NAMED_PROJECT = re.compile(
    r"(?:^|(?<=[.;]\s))(?:The\s+)?(?P<name>(?:[A-Z][\w’'\-]*\s+(?:(?:for|of|and|on|in|the)\s+)*){1,9}"
    r"(?:Project|Programme|Program|Facility|Fund|Initiative))\s*(?:\((?P<abbr>[A-Z]{2,8})\))?,\s+"
    r"(?P<how>(?:financed|funded|supported|co-financed)\s+by|worth|with|valued at)\b")
_CLAUSE_END = re.compile(r",\s+(?=will|is|are|was|aims|seeks|helps|supports)")


def named_project_items(lines: list[Line]) -> list[Item]:
    """Sentences that open with a named project and its own money: `The X Project, financed by a US$10m …`."""
    items: list[Item] = []
    seen: set[str] = set()
    for line in lines:
        for m in _NAMED_PROJECT.finditer(line.text):
            sentence_end = line.text.find(". ", m.end())
            sentence_end = len(line.text) if sentence_end < 0 else sentence_end + 1
            sentence = line.text[m.start():sentence_end]
            if not find_money(sentence) or fold(m.group("name")) in seen:
                continue
            seen.add(fold(m.group("name")))
            item = Item(title=sub(line, m.start("name"), m.end("name")), text=sub(line, m.start(), len(line.text)),
                        budget=[sub(line, m.start(), sentence_end)])
            funder = re.search(r"(?:financed|funded|supported)\s+by\s+(?:an?\s+)?[^,]*?\b(?P<who>[A-Z]{2,8})\s+"
                               r"(?:grant|loan|credit)", sentence)
            if funder:
                item.funder = sub(line, m.start() + funder.start("who"), m.start() + funder.end("who"))
            if clause := _CLAUSE_END.search(sentence, m.end("how") - m.start()):
                at = m.start() + clause.end()
                item.objectives = [sub(line, at, sentence_end)]
                follow = re.match(r"\s*(It will [^.]*\.?)", line.text[sentence_end:])
                if follow:
                    at = sentence_end + follow.start(1)
                    item.objectives.append(sub(line, at, sentence_end + follow.end(1)))
            items.append(item)
    return items if len(items) >= 2 else []



_CAP = "A-ZČĆŠŽĐÇËА-ЯЂЈЉЊЋЏЃЌЅ"
_RECIPIENT_CUE = re.compile(
    r"(?:grants? (?:went|go|have gone) to|(?:were|was|have been) awarded to|awarded (?:grants? )?to|"
    r"grants? (?:were|was) given to|(?:su|je) dobil[aei]|dobil[aei] su|su dodijeljen\w* |su dodeljen\w* |"
    r"су добил[аеи]|добил[аеи] су|ги добија(?:ат)?|добија(?:ат)?|i morën|morën|fituan|u ndanë)\s+", re.IGNORECASE)
_LIST_ITEM = re.compile(rf"(?P<org>[^,;]+?)\s+(?P<place>(?:in|u|у|во|në|from|iz|из|од|nga)\s+[{_CAP}][\w\-]+"
                        rf"(?:\s+[{_CAP}][\w\-]+)?)(?=\s*,|\s+(?:and|i|и|dhe)\s|\s*$)")
_LIST_END = re.compile(r",\s+(?:worth|with|totalling|in the amount|u iznosu|у износу|во износ|në vlerë|"
                       r"в вредност|во вредност|each|sa|са|me)\b|[.;:]\s|[.;]$")


def sentence_list_items(lines: list[Line]) -> list[Item]:
    """`the grants went to A in X, B in Y and C in Z, worth USD 1, USD 2 and USD 3 respectively`."""
    for line in lines:
        for cue in _RECIPIENT_CUE.finditer(line.text):
            end = _LIST_END.search(line.text, cue.end())
            stop = end.start() if end else len(line.text)
            listed = list(_LIST_ITEM.finditer(line.text[cue.end():stop]))
            if len(listed) < 2:
                continue
            sentence_end = line.text.find(". ", stop)
            sentence_end = len(line.text) if sentence_end < 0 else sentence_end
            amounts = find_money(line.text[stop:sentence_end])
            items = []
            for k, m in enumerate(listed):
                at = cue.end() + m.start()
                lead = re.match(r"\s*(?:(?:and|i|и|dhe)\s+)?(?:the\s+)?", m.group("org"))
                org_start = at + (lead.end() if lead else 0)
                item = Item(title=sub(line, org_start, cue.end() + m.end()), text=sub(line, at, cue.end() + m.end()),
                            implementer=sub(line, org_start, cue.end() + m.end("org")),
                            place=sub(line, cue.end() + m.start("place"), cue.end() + m.end("place")))
                if len(amounts) == len(listed):  # "… respectively": the amounts in the order of the names
                    money = amounts[k]
                    item.budget = [sub(line, stop + money.start, stop + money.end)]
                items.append(item)
            return items
    return []


_QUOTED_PROJECT = re.compile(r"(?:projek\w*|project\w*|проект\w*|пројек\w*|projekt\w*|initiative|inicijativ\w*)"
                             r"\W{0,3}\s*[„“\"«](?P<title>[^“”\"»„]{6,200})[“”\"»]", re.IGNORECASE)


_ORDINAL_PROJECT = re.compile(
    r"\b(?:(?:the\s+)?(?:first|second|third)|prv\w*|drug\w*|treć\w*|први\w*|друг\w*|трећ\w*|прв\w*|втор\w*|"
    r"трет\w*)\s+(?:projek\w*|project|пројек\w*|проект\w*)\W{0,3}\s*(?:(?:ќе се|će se|ће се|will|se|је|je|е|is)\s+)?"
    r"(?:odnosi se na|односи се на|се однесува на|predviđa|предвидува|предвиђа|covers|concerns)?\s*", re.IGNORECASE)


def quoted_project_items(lines: list[Line]) -> list[Item]:
    """Paragraphs that each introduce a project, by its quoted name or as "the first/second project", and give
    its money (`Prvi projekat, „Zdrava voda …“, … 235.000 eura …`, `Со вториот проект ќе се изгради …`)."""
    items: list[Item] = []
    seen: set[str] = set()
    for line in lines:
        if (m := _QUOTED_PROJECT.search(line.text)) is not None:
            start, end, after = m.start("title"), m.end("title"), m.end()
        elif (o := _ORDINAL_PROJECT.search(line.text)) is not None and o.start() < 40:
            stop = re.search(r"[.,;]\s", line.text[o.end():])
            start, end = o.end(), o.end() + (stop.start() if stop else len(line.text) - o.end())
            after = o.end()
        else:
            continue
        title = sub(line, start, end)
        if len(title.text) < 8 or not find_money(line.text[after:]) or fold(title.text) in seen:
            continue
        seen.add(fold(title.text))
        items.append(Item(title=title, text=sub(line, 0, len(line.text)), budget=[sub(line, after, len(line.text))]))
    return items if len(items) >= 2 else []


def _heading_like(line: Line, nxt: Line | None) -> bool:
    text = line.text
    if line.bullet or nxt is None or len(nxt.text) < 2 * len(text) or find_money(text):
        return False
    if len(text.split()) < 3 or _GENERIC_HEADING.match(text) or is_label(text):
        return False  # "Key facts", "How to apply", "Objectives": a section of the page, not a project
    return bool(line.level) or (line.gap and 12 <= len(text) <= 90 and not text.endswith((".", ":", ";", ",", "!"))
                                and text[:1].isupper())


_GENERIC_HEADING = re.compile(r"(?:how|who|what|when|where|why|about|contact|more|related|kako|ko|šta|što|gdje|gde|"
                              r"kush|si|çfarë|ku|како|кој|што|каде|зошто|о\s|za\s)\b", re.IGNORECASE)


def section_items(lines: list[Line]) -> list[Item]:
    """Projects that each have a short heading of their own, with their money in the paragraphs below."""
    page = headline(lines)
    heads = [k for k, line in enumerate(lines) if line is not page and not is_furniture(line)
             and _heading_like(line, lines[k + 1] if k + 1 < len(lines) else None)]
    items: list[Item] = []
    for n, k in enumerate(heads):
        body = lines[k + 1:heads[n + 1] if n + 1 < len(heads) else len(lines)]
        cut = next((j for j, x in enumerate(body) if j and len(x.text) < 40 and not x.text.endswith(".")), None)
        body = body[:cut]  # "Photo gallery (12)", "Other news": the section ended
        money_lines = [x for x in body if find_money(x.text)]
        if not money_lines:
            continue
        item = Item(title=sub(lines[k], 0, len(lines[k].text)), text=sub(body[0], 0, len(body[0].text)),
                    budget=[sub(x, 0, len(x.text)) for x in money_lines])
        item.extra = [sub(x, 0, len(x.text)) for x in body[1:]]
        items.append(item)
    return items if len(items) >= 2 else []


_PURPOSE_AFTER = re.compile(r"\s+(?:za|for|për|за)\s+(?P<what>[^,;]+?)(?=,\s|[.;]\s|[.;]?$)")
_CLAUSE_LEAD = re.compile(r"[\s,]*(?:(?:a|dok|i|and|while|ndërsa|а|додека|и|dhe)\s+)?")
_SUBJECT = re.compile(rf"[{_CAP}][\w\-]*(?:\s+[{_CAP}][\w\-]*){{0,3}}")
_BODY_WORD = re.compile(r"^(?:Opština|Općina|Opstina|Grad|Municipality|Komuna|Bashkia|Општина|Град)\b")


def clause_items(lines: list[Line]) -> list[Item]:
    """One sentence, one clause per grant: `Opština Kolašin dobiće 45.000 eura za X, Mojkovac 41.000 eura za
    Y, a Žabljak 33.500 eura za Z.` → three projects, each with its grantee, amount and purpose."""
    for line in lines:
        amounts = find_money(line.text)
        if len(amounts) < 2:
            continue
        items: list[Item] = []
        body_word = ""
        previous = 0
        for money in amounts:
            purpose = _PURPOSE_AFTER.match(line.text, money.end)
            lead = _CLAUSE_LEAD.match(line.text, previous, money.start)
            subject = _SUBJECT.match(line.text, lead.end() if lead else previous, money.start)
            if purpose is None or subject is None or len(purpose.group("what")) < 10:
                continue
            previous = purpose.end("what")
            name = subject.group(0)
            if word := _BODY_WORD.match(name):
                body_word = word.group(0)
            start = previous - len(purpose.group("what"))
            item = Item(title=sub(line, start, previous), text=sub(line, subject.start(), previous),
                        budget=[sub(line, money.start, money.end)], objectives=[sub(line, start, previous)])
            at = subject.start()
            grantee = sub(line, at, at + len(name))
            if body_word and not _BODY_WORD.match(name):  # "…, Mojkovac 41.000 eura": the same kind of body
                grantee = Snippet(text=f"{body_word} {name}", start=grantee.start, end=grantee.end)
            item.implementer = grantee
            items.append(item)
        if len(items) >= 2:
            return items
    return []


_PURPOSE_MODAL = re.compile(r"\b(?:треба да се|ќе се|ће се|treba da se|će se|do të|is to be|are to be|shall be|"
                            r"will be used to|ќе биде|ће бити)\s+", re.IGNORECASE)
_NEXT_PART = re.compile(r",\s+(?:а|a|dok|while|ndërsa|додека)\s+(?=\d)|[.;](?:\s|$)")


_TOTAL_WORD = re.compile(r"\b(?:total|ukupn\w*|вкупн\w*|укупн\w*|gjithsej|vrijednost|vrednost|вредност|"
                         r"worth|value)\b", re.IGNORECASE)
_AS_WELL_AS = re.compile(r",?\s+(?:како и|kao i|као и|as well as|si dhe|and also)\s+", re.IGNORECASE)


def purpose_items(lines: list[Line]) -> list[Item]:
    """Paragraphs that each give an amount and what it is to pay for (`Со 260.000 евра … треба да се
    обезбеди пивка вода за селата …`): one project each, titled by its purpose."""
    items: list[Item] = []
    for line in lines:
        money = find_money(line.text)
        modal = _PURPOSE_MODAL.search(line.text)
        if not money or modal is None or money[0].start > modal.start():
            continue
        end = _NEXT_PART.search(line.text, modal.end())
        stop = end.start() if end else len(line.text)
        if stop - modal.end() < 15:
            continue
        title = sub(line, modal.end(), stop)
        cuts = [modal.start(), *(m.start() for m in _AS_WELL_AS.finditer(line.text, modal.end(), stop)), stop]
        doings = [sub(line, a, b) for a, b in pairwise(cuts)]  # "…, како и да се изгради …"
        item = Item(title=title, text=sub(line, 0, len(line.text)), budget=[sub(line, 0, len(line.text))],
                    activities=[d for d in doings if len(d.text) > 10])
        same = [m for m in money if m.currency == money[0].currency and not m.ceiling]
        if len(same) >= 2 and not _TOTAL_WORD.search(line.text):  # "260.000 евра … ЕУ, а 40.000 евра … Општината"
            item.budget_parts = [sub(line, m.start, m.end) for m in same]
        items.append(item)
    return items if len(items) >= 2 else []


_CLAUSE_CUT = re.compile(r"[,;]\s+(?:(?:ndërsa|dhe|a|dok|while|and|и|а|додека)\s+)?")
_MONEY_PREPOSITION = re.compile(r"\s+(?:me|with|sa|s|со|са|for|për|за|za|u iznosu od|në vlerë prej|worth)\s*$",
                                re.IGNORECASE)
_PREPOSITION_START = re.compile(r"(?:me|with|sa|s|со|са|from|nga|od|од|me këto|with these|tim|ovim|овим|со овие)\b",
                                re.IGNORECASE)


def passive_clause_items(lines: list[Line]) -> list[Item]:
    """One sentence, one passive clause per project: `do të rikonstruktohet shkolla në Voskop me 185.000 euro,
    nga të cilat …, do të ndërtohet ujësjellësi i Vithkuqit me 240.000 euro, ndërsa tregu do të modernizohet
    me 96.000 euro` → three projects, each titled by its clause, with its money and how it is shared."""
    for line in lines:
        text = line.text
        if len(_PURPOSE_MODAL.findall(text)) < 2 or len(find_money(text)) < 2:
            continue
        cuts = [0, *(m.end() for m in _CLAUSE_CUT.finditer(text)), len(text)]
        clauses: list[list[int]] = []  # [start, end] of each clause that says what will be done
        for a, b in pairwise(cuts):
            if _PURPOSE_MODAL.search(text, a, b):
                clauses.append([a, b])
            elif clauses:
                clauses[-1][1] = b  # "nga të cilat 150.000 euro nga BE …": the clause's money, shared
        items: list[Item] = []
        for a, b in clauses:
            money = [m for m in find_money(text[a:b]) if not m.ceiling]
            modal = _PURPOSE_MODAL.search(text, a, b)
            if not money or modal is None:
                continue
            stop = a + money[0].start
            if (prep := _MONEY_PREPOSITION.search(text, a, stop)) is None:
                continue  # the amount is not the clause's own ("… with 3 partners worth …")
            lead = text[a:modal.start()]
            start = modal.start() if _PREPOSITION_START.match(lead) or len(lead.split()) > 8 else a
            title = sub(line, start, prep.start())
            if len(title.text) < 15:
                continue
            items.append(Item(title=title, text=sub(line, a, b), budget=[sub(line, a + money[0].start, b)]))
        if len(items) >= 2:
            return items
    return []
