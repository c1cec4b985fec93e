"""Pages that list several activities: one record per table row or grant bullet (prose lists: prose_items).

Real pages rarely label their records. A results-of-call page has a table (title × municipality × amount);
a press release lists its grants as bullets ("A 15-month, $248,800 grant to X to …"); a news item names
two projects in prose, each with its own money ("The X Project, financed by a US$10 million grant, …").
Each reader here returns an `Item` per activity when it finds at least two; `extract.py` turns them into
drafts and gives them what the page says once for all (date line, funder, countries).
"""

from __future__ import annotations

import re

from aidatlas.ingest.follow_ups import attach_follow_ups
from aidatlas.ingest.items import Item, sub
from aidatlas.ingest.lines import Line
from aidatlas.ingest.prose_items import (
    clause_items,
    named_project_items,
    passive_clause_items,
    purpose_items,
    quoted_project_items,
    section_items,
    sentence_list_items,
)
from aidatlas.normalize.money import find_money
from aidatlas.normalize.orgs import LOCAL_BODY
from aidatlas.normalize.script import fold
from aidatlas.records import Snippet

_TITLE_HEADER = re.compile(r"naziv|title|project|projek|projet|назив|проект|пројек|titull|emri|name|ime\b|tema", re.I)
_PLACE_HEADER = re.compile(r"opštin|opstin|općin|opcin|municipal|komun|општин|grad\b|city|town|place|mjesto|"
                           r"mesto|vendi|место|location|lokacij|region|lokalitet|samouprav|local (?:self )?gov|"
                           r"\bjls\b|\blsg\b|pushtet\w* lokal|lokalna vlast", re.I)
_MUNICIPALITY = re.compile(r"opštin|opstin|općin|opcin|municipal|komun|општин", re.I)
#: "Lokalna samouprava | Jagodina": a city or a municipality, which only the gazetteer can tell
_LOCAL_GOVERNMENT = re.compile(r"samouprav|local (?:self )?gov|\bjls\b|\blsg\b|pushtet\w* lokal|lokalna vlast",
                               re.I)
_ORG_HEADER = re.compile(r"organi[sz]|applicant|grantee|beneficiar|recipient|podnosi|nosilac|nositelj|korisnik|"
                         r"aplikant|përfitues|aplikues|организациј|апликант|корисник|подносител|partner|udruženj|"
                         r"udruga|nvo|ngo|cso|ozp|ocd", re.I)
_MONEY_HEADER = re.compile(r"iznos|amount|budget|budžet|budzet|vrijednost|vrednost|grant|sredstva|shuma|vlera|"
                           r"buxhet|износ|буџет|вредност|eur|usd|km|bam|rsd|chf", re.I)
_GRANT_CUE = re.compile(r"\b(?:grants?|loans?|award(?:ed)?|donation|grant[a-z]*|dodijel[a-z]*|dodel[a-z]*|"
                        r"odobren[a-z]*|podrš[a-z]*|podrsk[a-z]*|donacij[a-z]*|dhën|akord[a-z]*|додел[а-я]*|"
                        r"грант[а-я]*|донациј[а-я]*)\b", re.I)
_GRANTEE = re.compile(r"\b(?:grant|award|loan|support|donation)\s+(?:of\s+[^,;]{1,40}\s+)?(?:to|for)\s+(?:the\s+)?"
                      r"(?P<org>[A-ZČĆŠŽĐ][^;:,]*?)\s+(?=to\s+[a-z]|for\s+[a-z]|in\s+(?:order|the|[A-Z])|,|;|$)")
_PURPOSE = re.compile(r"\bto\s+(?P<what>(?:[a-z]+)\b[^;]*?)\s*(?:;\s*(?:and|or)?\s*$|[;.]?\s*$)")



def _cells(line: Line) -> list[tuple[int, int]] | None:
    """Cell spans of a Markdown table row (`| a | b |`), or None when the line is not one."""
    text = line.text
    if not text.startswith("|") or text.count("|") < 3:
        return None
    spans = []
    pos = 1
    for m in re.finditer(r"\|", text[1:]):
        end = m.start() + 1
        spans.append((pos, end))
        pos = end + 1
    return spans


def table_items(lines: list[Line]) -> list[Item]:
    """A table whose rows are activities: a title column of real text, optional place/organisation/money."""
    items: list[Item] = []
    i = 0
    while i < len(lines):
        header = _cells(lines[i])
        if header is None:
            i += 1
            continue
        rows = []
        j = i + 1
        if j < len(lines) and re.fullmatch(r"[|\-:\s]+", lines[j].text):  # Markdown's separator row
            j += 1
        while j < len(lines) and (cells := _cells(lines[j])) is not None and len(cells) == len(header):
            rows.append((lines[j], cells))
            j += 1
        items += _rows_to_items(lines[i], rows)
        i = j
    return items if len(items) >= 2 else []


def _column(names: list[str], pattern: re.Pattern[str], skip: set[int]) -> int | None:
    return next((k for k, n in enumerate(names) if k not in skip and pattern.search(n)), None)


def _rows_to_items(header: Line, rows: list[tuple[Line, list[tuple[int, int]]]]) -> list[Item]:
    if len(rows) < 2:
        return []
    spans = _cells(header) or []
    header_words = [header.text[a:b].strip() for a, b in spans]
    names = [fold(x) for x in header_words]

    def texty(k: int) -> bool:
        cells = [line.text[c[k][0]:c[k][1]].strip() for line, c in rows]
        return sum(len(x.split()) >= 3 and sum(ch.isalpha() for ch in x) > 12 for x in cells) >= 0.7 * len(cells)

    title = _column(names, _TITLE_HEADER, set())
    if title is None or not texty(title):
        title = next((k for k in range(len(names)) if texty(k)), None)
    if title is None:
        return []
    place = _column(names, _PLACE_HEADER, {title})
    org = _column(names, _ORG_HEADER, {title, place} - {None})  # type: ignore[arg-type]
    money = _column(names, _MONEY_HEADER, {title, place, org} - {None})  # type: ignore[arg-type]
    money_unit = re.sub(r".*?\(([^)]*)\).*", r"\1", header_words[money]) if money is not None else ""
    items = []
    for line, cells in rows:
        def cell(k: int | None, line: Line = line, cells: list[tuple[int, int]] = cells) -> Snippet | None:
            if k is None:
                return None
            snip = sub(line, *cells[k])
            return snip if snip.text else None

        head = cell(title)
        if head is None:
            continue
        item = Item(title=head, text=Snippet(text=line.text, start=line.start, end=line.end))
        item.place = cell(place)
        item.implementer = cell(org)
        if org is None and item.place is not None and place is not None and _LOCAL_GOVERNMENT.search(names[place]):
            name = item.place.text.split("/")[0].strip()
            item.implementer = Snippet(text=f"{LOCAL_BODY} {name}", start=item.place.start, end=item.place.end)
        elif org is None and item.place is not None and place is not None and _MUNICIPALITY.search(names[place]):
            # a call to municipalities: the municipality (as a body) is the grantee
            word = next(w for w in header_words[place].split() if _MUNICIPALITY.search(fold(w)))
            name = item.place.text.split("/")[0].strip()  # "Prishtinë/Priština": the first of two spellings
            body = f"Municipality of {name}" if fold(word).startswith("municipal") else f"{word.capitalize()} {name}"
            item.implementer = Snippet(text=body, start=item.place.start, end=item.place.end)
        amount = cell(money)
        if amount is not None and not find_money(amount.text) and (unit := find_money("1 " + money_unit)):
            # "| 48,500 |" under "Amount (EUR)": the column header names the currency
            amount = Snippet(text=f"{amount.text} {unit[0].currency}", start=amount.start, end=amount.end)
        if amount is not None and find_money(amount.text):
            item.budget = [amount]
        items.append(item)
    return items


_RECEIVED = re.compile(r"(?:received|went to|were awarded|awarded to|recipients|grantees|dobil[aei]?|dobij[au]|"
                       r"dodijeljen\w*|dodeljen\w*|korisnici|morën|fituan|përfitues\w*|добил[аеи]?|добија|"
                       r"доделен\w*|додељен\w*|корисници|добитници)", re.I)
#: a quoted part of a name may hold what elsewhere ends it ("Жени од Шара", "Агро-старт")
_NAME_PART = r"(?:[„“\"«][^”“\"»\n]{1,60}[”“\"»]|[^–\-:„“\"«])"
_BULLET_GRANTEE = re.compile(rf"^(?P<org>{_NAME_PART}+?)(?:\s+(?P<place>(?:iz|из|from|nga|од|od|u|у|во|në|in)\s+"
                             r"[^–\-:]+?))?\s*[–\-:]\s+")
_DATIVE_GRANTEE = re.compile(r"^(?P<org>[^„“\"«]{3,80}[„“\"«][^“”\"»]{2,60}[“”\"»])\s+(?:za|за|për|for)\s+"
                             r"(?P<what>.{12,}?)\s+(?:je\s+|су\s+|је\s+)?(?:dodijeljen\w*|dodeljen\w*|додељен\w*|"
                             r"odobren\w*|одобрен\w*|iznosi|износи|u iznosu|у износу|awarded|granted)")
_BULLET_PURPOSE = re.compile(r"\s(?:za|за|for|për|to)\s+(?P<what>[^;]+?)\s*(?:;\s*(?:and|i|и|dhe)?\s*)?[.;]?$")


def bullet_grant_items(lines: list[Line]) -> list[Item]:
    """Consecutive bullets that each name an amount and a grantee: one grant each. The bullets themselves
    say it is a grant (`$248,800 grant to X`), or the line before them does (`Sredstva su dobili:`)."""
    runs: list[list[Line]] = []
    for index, line in enumerate(lines):
        if not (line.bullet and find_money(line.text)):
            continue
        if runs and runs[-1][-1] is (lines[index - 1] if index else None):
            runs[-1].append(line)
        else:
            runs.append([line])
    best: list[Line] = []
    for run in runs:
        at = next(k for k, x in enumerate(lines) if x is run[0])
        lead = lines[at - 1].text if at else ""
        if len(run) >= 2 and len(run) > len(best) and (all(_GRANT_CUE.search(x.text) for x in run)
                                                       or _RECEIVED.search(lead) or _GRANT_CUE.search(lead)):
            best = run
    return [_bullet_item(line) for line in best]


def _bullet_item(line: Line) -> Item:
    body = sub(line, 0, len(line.text))
    title_text = re.sub(r"[;,.]?\s*(?:and|or|i|и|dhe)?$", "", line.text.rstrip(" ;,.")).rstrip(" ;,")
    item = Item(title=sub(line, 0, len(title_text)), text=body, budget=[body])
    if m := _GRANTEE.search(line.text):  # "A 15-month, $248,800 grant to X to …"
        item.implementer = sub(line, m.start("org"), m.end("org"))
        rest = line.text[m.end("org"):]
        if p := _PURPOSE.search(rest):
            at = m.end("org") + p.start("what")
            item.objectives = [sub(line, at, at + len(p.group("what").rstrip(" ;,.")))]
    elif m := _DATIVE_GRANTEE.match(line.text):  # "Udruženju „Podgora“ za nabavku … dodijeljeno je 25.000 KM"
        item.implementer = sub(line, m.start("org"), m.end("org"))
        item.title = sub(line, m.start("what"), m.end("what"))
        item.objectives = [item.title]
    elif (m := _BULLET_GRANTEE.match(line.text)) and find_money(line.text[m.end():m.end() + 40]):
        item.implementer = sub(line, m.start("org"), m.end("org"))  # "X из Врања – 1.180.000 динара за …"
        if m.group("place"):
            item.place = sub(line, m.start("place"), m.end("place"))
        money = find_money(line.text)[0]
        if (p := _BULLET_PURPOSE.search(line.text, money.end)) and len(p.group("what")) > 12:
            item.title = sub(line, p.start("what"), p.end("what"))
            item.objectives = [item.title]  # "за уређење еко-стазе …": what the money is for
    return item


def _previous(lines: list[Line], line: Line) -> Line | None:
    index = next(k for k, x in enumerate(lines) if x is line)
    return lines[index - 1] if index else None


def listing_items(lines: list[Line]) -> list[Item]:
    """The activities a page lists, from the first reader that finds at least two."""
    for reader in (table_items, bullet_grant_items, named_project_items, sentence_list_items, quoted_project_items,
                   clause_items, passive_clause_items, section_items, purpose_items):
        if items := reader(lines):
            attach_follow_ups(items, lines)
            return items
    return []
