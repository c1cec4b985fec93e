"""What kind of activity a prose record is: an event, a programme (fund, call, grant round), core support.

Real pages say it in their headline and their sentences: a training or conference that was held is an
`event`; a fund, a call for proposals, or a round that supports several projects is a `programme`; a
performance or institutional grant to one body is `core-support`; everything else stays a `project`.
Patterns run on folded text (no case, no diacritics, Cyrillic read as Latin), so one table serves
English, Bosnian/Croatian/Serbian in both scripts, Albanian and Macedonian.
"""

from __future__ import annotations

import re

from aidatlas.normalize.script import fold

_CORE = re.compile(r"\b(?:core support|institutional support|operating grant|performance grant|"
                   r"grant(?:it|in|i)? (?:e |i |te )?performances|institucionaln\w* podrsk\w*|"
                   r"osnovn\w* podrsk\w*|granti i performances|grant\w* za ucinak|performance.based grant)\b")
_EVENT = re.compile(r"\b(?:trainings?|workshops?|seminars?|conferences?|round ?tables?|webinars?|summer school|"
                    r"study visit|obuk\w*|trening\w*|radionic\w*|konferencij\w*|konferenc\w*|trajnim\w*|"
                    r"punetori\w*|seminar\w*|tribin\w*|okrugl\w* sto\w*|rabotilnic\w*)\b")
_EVENT_DONE = re.compile(r"\b(?:held|organi[sz]ed|took place|will take place|will be held|opened|launched|"
                         r"odrzan\w*|odrzat\w*|organizovan\w*|organiziran\w*|odrza\w*|oddrza\w*|se oddrza|"
                         r"zhvillua|mbajt\w*|u mbajt|organizua|realizovan\w*|prisustv\w*)\b")
_PROGRAMME = re.compile(
    r"\b(?:call for (?:proposals|applications|projects)|grant scheme|grant sema|grant seme|grant shem\w*|"
    r"facility|pooled funding|javni poziv|poziv za (?:projekte|predloge|dostavljanje|podnosenje)|"
    r"raspisa\w* (?:javni )?poziv|konkurs\w*|natjecaj\w*|thirrje\w*|povik\w*|raspisal\w* poziv|"
    r"program(?:me|a|i|u|om)? (?:of )?(?:small )?grant\w*|grant program\w*|grant round|krug\w* (?:grant|projek)\w*)\b")
_FUND = re.compile(r"\b(?:fund|fond|fondi|facility|фонд)\b")
_NUMBER = (r"(?:\d{1,4}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dva|dve|dvije|tri|cetiri|pet|"
           r"sest|sedam|osam|devet|deset|jedanaest|dvanaest|dy|tre|kater|pese|gjashte|shtate|tete|nente|dhjete|"
           r"dva|tri|cetiri|pet|sest|sedum|osum|devet|deset)")
_MANY_PROJECTS = re.compile(
    rf"\b{_NUMBER}\s+(?:\w+\s+){{0,2}}(?:projects|projekata|projekta|projekte|projektet|projekti|proekti|proekta|"
    rf"grants|granta|grantova|grante|grantove|inicijativ\w*|initiatives|nevladinih organizacija|organizacija|"
    rf"udruzenja|ngos|csos|organisations|organizations|municipalities|opstina|opcina|komuna|opstini|"
    rf"lokalnih samouprava|lokalnih zajednica|local communities|zajednic\w*)\b")


def _count(word: str) -> int | None:
    """A count of projects or grantees as written (`27`, `devet`), when it is a plausible round's size."""
    count = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    return count if count is not None and 2 <= count <= 500 else None


def _many(folded: str) -> bool:
    return any(_count(m.group(0).split()[0]) for m in _MANY_PROJECTS.finditer(folded))


def classify(title: str, body: str, default: str = "project") -> str:
    """The kind of a prose record from its title and its text."""
    t, b = fold(title), fold(body)
    if _CORE.search(t) or _CORE.search(b[:600]):
        return "core-support"
    if _EVENT.search(t) and (_EVENT_DONE.search(t) or _EVENT_DONE.search(b[:1500])):
        return "event"
    if _PROGRAMME.search(t) or _FUND.search(t) or _many(t):
        return "programme"
    if _many(b[:1500]) or _PROGRAMME.search(b[:800]):
        return "programme"
    return default


_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "eleven": 11, "twelve": 12, "dva": 2, "dve": 2, "dvije": 2, "tri": 3, "cetiri": 4, "pet": 5,
                 "sest": 6, "sedam": 7, "osam": 8, "devet": 9, "deset": 10, "jedanaest": 11, "dvanaest": 12,
                 "dy": 2, "tre": 3, "kater": 4, "pese": 5, "gjashte": 6, "shtate": 7, "tete": 8, "nente": 9,
                 "dhjete": 10, "sedum": 7, "osum": 8}


def counted_units(text: str) -> tuple[int, int, int] | None:
    """`podržati ukupno 27 projekata`, `devet projekata`: how many projects or grantees a round supports,
    with the span of the number as `text` writes it (read on the folded text, found again in the original)."""
    for m in _MANY_PROJECTS.finditer(fold(text)):
        word = m.group(0).split()[0]
        count = _count(word)
        if count is None:
            continue
        spelled = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)" if word.isdigit() else
                             rf"(?<!\w)\w{{{len(word)}}}(?!\w)", re.IGNORECASE)
        for found in spelled.finditer(text):
            if word.isdigit() or fold(found.group(0)) == word:
                return count, found.start(), found.end()
    return None
