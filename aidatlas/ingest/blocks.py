"""One label-structured record block → a Draft: participants from their sections, lists from bullets.

Section content becomes items: each bullet (nested bullets flattened) or each paragraph is one item;
a lead-in line ending in a colon is not an item, and when it announces another field ("The whole process
will involve:") the lines after it belong to that field.
"""

from __future__ import annotations

import re

from aidatlas.ingest.lines import Line, strip_enumerator
from aidatlas.ingest.narrative import split_org_list
from aidatlas.ingest.segment import RecordBlock, Section, split_programme_title
from aidatlas.normalize.countries import country_code
from aidatlas.normalize.money import find_money
from aidatlas.records import Draft, DraftParticipant, DraftTargetGroup, Role, Snippet

LIST_FIELDS = ("objectives", "results", "activities", "beneficiaries", "target_groups")
_LEADIN_FIELDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("results", re.compile(r"result|outcome|rezultat|резултат", re.I)),
    ("target_groups", re.compile(r"target|involve|uključen|ukljucen|obuhvat|reach|beneficiar|korisni|"
                                 r"përfshi|synuar|целн|опфат", re.I)),
    ("activities", re.compile(r"activit|aktivnost|aktivitet|активност", re.I)),
    ("objectives", re.compile(r"objective|goal|aim|cilj|objektiv|qëllim|цел|циљ", re.I)),
)
ROLE_WORDS: dict[str, Role] = {
    "lead applicant": "applicant", "applicant": "applicant", "lead partner": "applicant",
    "coordinator": "applicant", "nosilac": "applicant", "aplikant": "applicant", "aplikues": "applicant",
    "partner": "partner", "co applicant": "partner", "co-applicant": "partner", "partneri": "partner",
    "affiliated entity": "affiliate", "associated partner": "affiliate", "affiliate": "affiliate",
    "pridruženi partner": "affiliate", "implementer": "implementer", "implementing partner": "implementer",
    "donor": "funder", "funder": "funder",
}
SECTION_ROLES: dict[str, Role] = {"applicant": "applicant", "implementer": "implementer", "partners": "partner",
                                  "affiliates": "affiliate", "funder": "funder"}
SINGLE_VALUED = ("applicant", "implementer", "funder")
_BUDGET_WORDS = re.compile(r"total|budget|grant|worth|value|amount|vrijednost|vrednost|budžet|iznos|buxhet|vler|"
                           r"буџет|вредност|износ", re.IGNORECASE)
_WITH_PARTNER = re.compile(r",?\s+(?:in (?:cooperation|partnership|collaboration) with|together with|"
                           r"u (?:saradnji|suradnji|partnerstvu) sa?|në (?:bashkëpunim|partneritet) me|"
                           r"во (?:соработка|партнерство) со|у сарадњи са)\s+(?:the\s+)?", re.I)
_MANAGED_BY = re.compile(r",?\s+(?:managed|administered|run|implemented|coordinated)\s+by\s+(?:the\s+)?|"
                         r",?\s+(?:kojim upravlja|kojim rukovodi|koji provodi|koji sprovodi|menaxhuar nga|"
                         r"управуван од|којим управља)\s+", re.I)
_CHANNEL = re.compile(r",?\s+(?:through|via|putem|preko|kroz|përmes|nëpërmjet|преку|путем)\s+(?:the\s+)?", re.I)
_OFFICE = re.compile(r"delegation|delegacij|embassy|ambasad|office|ured|kancelarij|zyr|делегациј|амбасад|канцелариј",
                     re.I)
_PROGRAMME_VALUE = re.compile(r"^(program|programme|fund|fond|facility|programi|програм)", re.IGNORECASE)


def snippet(line: Line, start: int = 0, end: int | None = None) -> Snippet:
    end = len(line.text) if end is None else end
    return Snippet(text=line.text[start:end].strip(), start=line.start + start, end=line.start + end)


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Group lines into items: a bullet starts one; a line after a blank starts one; others continue."""
    groups: list[list[Line]] = []
    for line in lines:
        if not groups or line.bullet or line.gap:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _joined(group: list[Line]) -> Snippet:
    text = " ".join(x.text for x in group)
    text, cut = strip_enumerator(text)
    return Snippet(text=text.strip(), start=group[0].start + cut, end=group[-1].end)


def items_from_lines(lines: list[Line]) -> list[list[Snippet]]:
    """List items of a section, each as a one-language list of snippets (languages merge later)."""
    items = []
    for group in paragraphs(lines):
        item = _joined(group)
        if len(item.text) > 1:
            items.append([item])
    return items


def _split_sections(block: RecordBlock) -> list[Section]:
    """Re-file lines after a lead-in ("Expected results are:", "The whole process will involve:")."""
    out: list[Section] = []
    for section in block.sections:
        current = Section(section.field, section.label, section.label_line, [], section.inline)
        out.append(current)
        for line in section.lines:
            if not line.bullet and line.text.endswith(":") and len(line.text) < 200:
                hits = [(m.start(), f) for f, rx in _LEADIN_FIELDS if (m := rx.search(line.text))]
                field = min(hits)[1] if hits else (section.field if section.field in LIST_FIELDS else "other")
                if section.field == "description" and field != "target_groups":
                    current.lines.append(line)  # a summary's own list stays in the summary
                    continue
                if field != section.field or section.field not in LIST_FIELDS:
                    current = Section(field if section.field in (*LIST_FIELDS, "description") else "other",
                                      None, line)
                    out.append(current)
                continue
            current.lines.append(line)
    return out


def _name_groups(section: Section) -> tuple[list[list[Line]], list[Line]]:
    """Which lines of a participants section name organisations, and which are prose after them."""
    groups = paragraphs(section.lines)
    if any(g[0].bullet for g in groups):
        names = [g for g in groups if g[0].bullet]
        return names, [line for g in groups if not g[0].bullet for line in g]
    if section.inline or not groups:
        return [], list(section.lines)
    if section.field in SINGLE_VALUED or len(groups[0]) > 1:
        return groups[:1], [line for g in groups[1:] for line in g]
    return groups, []


def _names(section: Section) -> list[tuple[Snippet, str | None, Role | None]]:
    """Organisation names of a participants section, with a country and a role read off the line."""
    entries: list[tuple[Snippet, str | None, Role | None]] = []
    if section.inline:
        value, start, _end = section.inline
        parts = _after_acronyms(value, start) if section.field in SINGLE_VALUED else _comma_parts(value, start)
        for text, offset in parts:
            entries.append((Snippet(text=text, start=offset, end=offset + len(text)), None, None))
    for group in _name_groups(section)[0]:
        item = _joined(group)
        pieces = _after_acronyms(item.text, item.start) if section.field in SINGLE_VALUED else [(item.text, item.start)]
        for text, offset in pieces:
            name, country, role = _name_role_country(text)
            if name:
                entries.append((Snippet(text=name, start=offset, end=offset + len(name)), country, role))
    return entries


def _after_acronyms(value: str, start: int) -> list[tuple[str, int]]:
    """`Crisis Management Center (CMC), Regional Centres Tetovo` → two organisations: an acronym closes a name."""
    out = []
    pos = 0
    for m in re.finditer(r"(?<=\)),\s+(?=[A-ZČĆŠŽĐА-Я])", value):
        if len(value[m.end():].split(",")[0].split()) < 3:  # "(MLR), Niš": the seat, not another organisation
            continue
        out.append((value[pos:m.start()], start + pos))
        pos = m.end()
    out.append((value[pos:], start + pos))
    return out


def _comma_parts(value: str, start: int) -> list[tuple[str, int]]:
    parts = []
    pos = 0
    separator = r"(;\s+)" if ";" in value else r"(,\s+)"
    for piece in re.split(separator, value):
        if piece and not re.fullmatch(r"[,;]\s+", piece):
            lead = len(piece) - len(piece.lstrip())
            if piece.strip():
                parts.append((piece.strip(), start + pos + lead))
        pos += len(piece)
    merged: list[tuple[str, int]] = []
    for text, offset in parts:  # "Institute of Chemistry, Technology and Metallurgy" stays one name
        if merged and (text[:1].islower() or text.split()[0] in ("Technology", "Department", "University")):
            _, prev_offset = merged[-1]
            merged[-1] = (value[prev_offset - start: offset - start + len(text)], prev_offset)
        else:
            merged.append((text, offset))
    return merged


def _name_role_country(text: str) -> tuple[str, str | None, Role | None]:
    """`NGO Juventas, Lead applicant, Montenegro` → (`NGO Juventas`, `ME`, `applicant`)."""
    parts = [p.strip() for p in text.split(",")]
    country = role = None
    while len(parts) > 1:
        tail = parts[-1]
        if country is None and (code := country_code(tail)):
            country = code
        elif role is None and (r := ROLE_WORDS.get(tail.casefold())):
            role = r
        else:
            break
        parts.pop()
    return ", ".join(parts).strip(" ;:."), country, role


def block_draft(text: str, block: RecordBlock, *, follow_up: bool) -> Draft | None:
    sections = _split_sections(block)
    title_line = block.title
    programme: Snippet | None = None
    title_snip = next((Snippet(text=s.inline[0], start=s.inline[1], end=s.inline[2])
                       for s in sections if s.field == "title" and s.inline), None)
    if title_snip is None:
        if title_line is None:
            return None
        name, title = split_programme_title(title_line.text)
        offset = title_line.text.find(title)
        title_snip = snippet(title_line, offset, offset + len(title))
        if name:
            programme = snippet(title_line, 0, len(name))
    kind = "core-support" if block.profile else ("follow-up" if follow_up else "project")
    draft = Draft(kind=kind, title=[title_snip], programme=programme, origin="labels")  # type: ignore[arg-type]
    body: list[Snippet] = [title_snip]
    for section in sections:
        lines = section.lines
        if section.field in SECTION_ROLES or section.field == "participants":
            for org, country, role in _names(section):
                if section.field == "funder" and _PROGRAMME_VALUE.match(org.text):
                    draft.programme = draft.programme or org
                    continue
                if section.field == "funder" and (via := _CHANNEL.search(org.text)):
                    channel = Snippet(text=org.text[via.end():], start=org.start + via.end(), end=org.end)
                    org = Snippet(text=org.text[:via.start()], start=org.start, end=org.start + via.start())
                    channel_role: Role = "extending" if _OFFICE.search(channel.text) else "funder"
                    draft.participants.append(DraftParticipant(name=channel, role=channel_role))
                role = role or SECTION_ROLES.get(section.field) or "partner"
                if section.field in SINGLE_VALUED and (cue := _WITH_PARTNER.search(org.text)):
                    partners = split_org_list(org.text[cue.end():], org.start + cue.end(), "partner")
                    draft.participants += [DraftParticipant(name=Snippet(text=p.name, start=p.start, end=p.end),
                                                            role="partner", country_hint=p.country) for p in partners]
                    org = Snippet(text=org.text[:cue.start()], start=org.start, end=org.start + cue.start())
                draft.participants.append(DraftParticipant(name=org, role=role,
                                                           country_hint=country or block.country))
            prose = [Snippet(text=x.text, start=x.start, end=x.end) for x in _name_groups(section)[1]]
            draft.description += prose
            body += prose
            continue
        if section.field == "programme" and section.inline:
            value, start, end = section.inline
            if managed := _MANAGED_BY.search(value):  # "GMWB, managed by the UNDP": the UNDP passes the funds on
                manager = value[managed.end():]
                draft.participants.append(DraftParticipant(
                    name=Snippet(text=manager, start=start + managed.end(), end=end), role="extending"))
                value, end = value[:managed.start()], start + managed.start()
            draft.programme = Snippet(text=value, start=start, end=end)
            continue
        content = [Snippet(text=x.text, start=x.start, end=x.end) for x in lines]
        if section.inline:
            value, start, end = section.inline
            content.insert(0, Snippet(text=value, start=start, end=end))
        if section.field in ("duration", "start", "end"):
            draft.dates["period" if section.field == "duration" else section.field] = content
            continue
        if section.field == "budget":
            draft.budget += content
        if section.field == "location":
            draft.places += content
        if section.field in LIST_FIELDS:
            items = items_from_lines(lines)
            if section.inline:
                value, start, end = section.inline
                items.insert(0, [Snippet(text=value, start=start, end=end)])
            if section.field == "target_groups":
                draft.target_groups += [DraftTargetGroup(text=item) for item in items]
                draft.target_text += content
            else:
                getattr(draft, section.field).extend(items)
        if section.field == "description":
            draft.description += content
        if section.field != "other" or section.lines:
            body += content
    if block.profile and not any(p.role in ("implementer", "applicant") for p in draft.participants):
        draft.participants.insert(0, DraftParticipant(name=title_snip, role="implementer",
                                                      country_hint=block.country))
    draft.budget += [s for s in body if s not in draft.budget and find_money(s.text) and _BUDGET_WORDS.search(s.text)]
    draft.body = body
    draft.places += [s for s in body if s is not title_snip or block.profile]
    draft.country_text = body
    draft.country_codes = [block.country] if block.country else []
    draft.target_text += [s for s in body if _mentions_targets(s.text)]
    return draft


def _mentions_targets(text: str) -> bool:
    return bool(re.search(r"target group|ciljn[aei] (grup|skupin)|grup[ie] e synuar|целн[аи] груп|циљн[аеи] груп|"
                          r"will involve|će biti uključen|direct beneficiar", text, re.IGNORECASE))

