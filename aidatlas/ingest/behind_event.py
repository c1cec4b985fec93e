"""What a reported event belongs to: the project or call a training was held in, when the page gives it a
paragraph of its own (`Projekat „Digitalna opština“ sprovodi se od septembra 2024. do avgusta 2025. godine, a
vredan je 6,8 miliona dinara. Finansira ga …`). Such a project is a record of its own beside the event.

A quoted name after a project or call noun counts only when its paragraph says money or a period of its own;
a name said only in passing ("u okviru projekta X") stays the event's programme.
"""

from __future__ import annotations

import re

from aidatlas.ingest.blocks import snippet
from aidatlas.ingest.prose import find_dateline, first_range, org_mentions, participants_of, prose_lines
from aidatlas.ingest.segment import Segmented
from aidatlas.normalize.money import find_money
from aidatlas.normalize.script import fold
from aidatlas.records import Draft

_NAMED = re.compile(
    r"\b(?P<noun>projek\w*|project\w*|проект\w*|пројек\w*|thirrj\w*|calls?(?: for proposals)?|poziv\w*|"
    r"konkurs\w*|повик\w*|позив\w*|конкурс\w*)\s+(?:[\w’']+\s+){0,4}?[„“\"«](?P<name>[^”“\"»„]{3,80})[”“\"»]",
    re.IGNORECASE)
_CALL = re.compile(r"thirrj|call|poziv|konkurs|повик|позив|конкурс", re.IGNORECASE)


def records_behind_event(seg: Segmented, event: Draft) -> list[Draft]:
    """A project or call the event belongs to, with its own money or period, as a record of its own."""
    taken = {fold(s.text) for s in event.title} | ({fold(event.programme.text)} if event.programme else set())
    out: list[Draft] = []
    lines = prose_lines(seg)
    dateline = find_dateline(seg.lines)
    for line in lines:
        for m in _NAMED.finditer(line.text):
            name = m.group("name").strip()
            if fold(name) in taken or len(name.split()) > 8:
                continue
            own = [x for x in lines if fold(name) in fold(x.text)]
            money = [x for x in own if any(not a.ceiling for a in find_money(x.text))]
            period = first_range(own, dateline)
            if not money and period is None:
                continue
            taken.add(fold(name))
            draft = Draft(kind="programme" if _CALL.match(m.group("noun")) else "project",
                          title=[snippet(line, m.start("name"), m.start("name") + len(name))], origin="programme")
            draft.budget = [snippet(x, 0, len(x.text)) for x in money[:1]]
            if period is not None:
                draft.dates["period"] = [period]
            if dateline is not None:
                draft.dates["announced"] = [dateline]
            draft.body = [snippet(x, 0, len(x.text)) for x in own]
            draft.places = draft.body
            draft.country_text = draft.body
            said = participants_of(org_mentions(own))
            names = {p.name.text for p in said}
            draft.participants = said + [p for p in event.participants if p.name.text not in names]
            out.append(draft)
    return out
