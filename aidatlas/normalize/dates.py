"""Dates and date ranges in text → ISO 8601 of the precision the source gives (YYYY, YYYY-MM, YYYY-MM-DD).

Handles `11-12 December 2023`, `December 11 and 12, 2023`, `01.01.2021. – 31.12.2023.`,
`januar/siječanj, 2021. – decembar/prosinac, 2023.`, `October 31, 2008`, `2024 – 2026`, and month names in
English, Bosnian/Croatian/Serbian (Latin and Cyrillic, nominative and genitive), Albanian and Macedonian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from aidatlas.normalize.script import fold

_MONTH_STEMS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "sijecanj", "sijecnja", "janar", "januari", "ianuarie"),
    2: ("february", "feb", "februar", "veljaca", "veljace", "shkurt", "februari", "fevruari"),
    3: ("march", "mar", "mart", "marta", "ozujak", "ozujka", "mars", "marsit"),
    4: ("april", "apr", "aprila", "travanj", "travnja", "prill", "prilli", "prillit"),
    5: ("may", "maj", "maja", "svibanj", "svibnja", "maji", "majit"),
    6: ("june", "jun", "juni", "juna", "lipanj", "lipnja", "qershor", "qershori", "qershorit"),
    7: ("july", "jul", "juli", "jula", "srpanj", "srpnja", "korrik", "korriku", "korrikut"),
    8: ("august", "aug", "avgust", "avgusta", "augusta", "kolovoz", "kolovoza", "gusht", "gushti", "gushtit"),
    9: ("september", "sep", "sept", "septembar", "septembra", "rujan", "rujna", "shtator", "shtatori",
        "shtatorit", "septemvri", "septembri"),
    10: ("october", "oct", "oktobar", "oktobra", "listopad", "listopada", "tetor", "tetori", "tetorit",
         "oktomvri", "oktombar"),
    11: ("november", "nov", "novembar", "novembra", "studeni", "studenoga", "studenog", "nentor", "nentori",
         "nentorit", "noemvri", "novembri"),
    12: ("december", "dec", "decembar", "decembra", "prosinac", "prosinca", "dhjetor", "dhjetori",
         "dhjetorit", "dekemvri", "decembri"),
}
MONTHS: dict[str, int] = {stem: month for month, stems in _MONTH_STEMS.items() for stem in stems}
_MONTH_WORD = r"[A-Za-zÀ-žЀ-ӿ]{3,12}\.?"
_ALT = rf"{_MONTH_WORD}(?:\s*/\s*{_MONTH_WORD})?"  # "januar/siječanj"
_Y = r"(?:19|20)\d{2}"
_D = r"(?:[0-2]?\d|3[01])"
_SEP = (r"\s*(?:–|—|-|to|do kraja|do konca|do|until the end of|until|till|to the end of|deri në fund të|deri më|deri|"
        r"до краја|до крајот на|до|и|and)\s*")

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 01.01.2021. – 31.12.2023.
    ("dmy-range", re.compile(rf"(?P<d1>{_D})\.\s?(?P<m1>[01]?\d)\.\s?(?P<y1>{_Y})\.?{_SEP}"
                             rf"(?P<d2>{_D})\.\s?(?P<m2>[01]?\d)\.\s?(?P<y2>{_Y})\.?")),
    # 1 March 2024 – 28 February 2026 / од 1. марта 2024. до 28. фебруара 2026.
    ("d-month-y-range", re.compile(rf"(?P<d1>{_D})\.?\s+(?P<m1>{_ALT}),?\s+(?P<y1>{_Y})\.?(?:\s*(?:године|godine))?"
                                   rf"{_SEP}(?P<d2>{_D})\.?\s+(?P<m2>{_ALT}),?\s+(?P<y2>{_Y})")),
    # March 1, 2024 – February 28, 2026
    ("month-d-y-range", re.compile(rf"(?P<m1>{_MONTH_WORD})\s+(?P<d1>{_D}),?\s+(?P<y1>{_Y}){_SEP}"
                                   rf"(?P<m2>{_MONTH_WORD})\s+(?P<d2>{_D}),?\s+(?P<y2>{_Y})")),
    # 11-12 December 2023 / 11 и 12 декември 2023 / 11. i 12. decembra 2023.
    ("dd-month-y", re.compile(rf"(?P<d1>{_D})\.?\s*(?:–|-|and|и|i|dhe|&)\s*(?P<d2>{_D})\.?\s+"
                              rf"(?P<m>{_ALT}),?\s+(?P<y>{_Y})")),
    # December 11 and 12, 2023 / December 11-12, 2023
    ("month-dd-y", re.compile(rf"(?P<m>{_MONTH_WORD})\s+(?P<d1>{_D})\s*(?:–|-|and|&)\s*(?P<d2>{_D}),?\s+"
                              rf"(?P<y>{_Y})")),
    # January 2021 – December 2023 / januar/siječanj, 2021. – decembar/prosinac, 2023.
    # od 1. jula do 31. decembra 2023. / from 1 July to 31 December 2023 (one year for both days)
    ("dm-dm-y-range", re.compile(rf"(?<![\d.])(?P<d1>{_D})\.?\s+(?P<m1>{_ALT}){_SEP}(?P<d2>{_D})\.?\s+(?P<m2>{_ALT}),?"
                                 rf"\s+(?P<y>{_Y})")),
    # June to December 2024 / od juna do decembra 2024. (one year for both months)
    ("mm-y-range", re.compile(rf"(?<![\w.])(?P<m1>{_ALT}){_SEP}(?P<m2>{_ALT}),?\s+(?P<y>{_Y})")),
    ("my-range", re.compile(rf"(?P<m1>{_ALT}),?\s+(?P<y1>{_Y})\.?(?:\s*(?:године|godine|година|godina))?{_SEP}"
                            rf"(?P<m2>{_ALT}),?\s+(?P<y2>{_Y})\.?")),
    # 2024 – 2026
    ("y-range", re.compile(rf"(?<![\d.])(?P<y1>{_Y})\.?\s*(?:–|—|-|to|do)\s*(?P<y2>{_Y})\.?(?![\d.])")),
    # 31.10.2008.
    ("dmy", re.compile(rf"(?<![\d.])(?P<d>{_D})\.\s?(?P<m>[01]?\d)\.\s?(?P<y>{_Y})\.?")),
    # 14/03/2025 (day first, as the region writes it)
    ("dmy", re.compile(rf"(?<![\d/])(?P<d>{_D})/(?P<m>[01]?\d)/(?P<y>{_Y})(?![\d/])")),
    # 31 October 2008 / 31. oktobar 2008. / 26.Mar.2018.
    ("d-month-y", re.compile(rf"(?P<d>{_D})\.?\s*(?P<m>{_ALT})\.?,?\s*(?P<y>{_Y})")),
    # October 31, 2008
    ("month-d-y", re.compile(rf"(?P<m>{_MONTH_WORD})\s+(?P<d>{_D}),?\s+(?P<y>{_Y})")),
    # January 2021 / januar 2021.
    ("month-y", re.compile(rf"(?P<m>{_ALT}),?\s+(?P<y>{_Y})")),
    # 2008-10-31 / 2025/10/6 (year first, as Japanese and Chinese sites write it)
    ("iso", re.compile(rf"(?<![\d.])(?P<y>{_Y})[-/](?P<m>[01]?\d)[-/](?P<d>[0-3]?\d)(?![\d])")),
]


@dataclass(frozen=True)
class DateMention:
    start_date: str
    end_date: str | None
    """set when the mention is a range"""
    start: int
    end: int


def month_number(word: str) -> int | None:
    """`siječnja`, `Декември`, `dhjetor`, `Dec.`, `januar/siječanj` → month number."""
    for part in word.split("/"):
        key = fold(part).strip(". ")
        if key in MONTHS:
            return MONTHS[key]
        for stem, month in MONTHS.items():  # inflected forms: "decembrom", "januaru"
            if len(stem) >= 5 and key.startswith(stem[:5]) and len(key) <= len(stem) + 3:
                return month
    return None


def _iso(y: str, m: int | None = None, d: str | None = None) -> str | None:
    if m is None:
        return y
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y}-{m:02d}"
    day = int(d)
    return f"{y}-{m:02d}-{day:02d}" if 1 <= day <= 31 else None


def _convert(kind: str, g: dict[str, str]) -> tuple[str | None, str | None]:
    if kind == "dmy-range":
        return _iso(g["y1"], int(g["m1"]), g["d1"]), _iso(g["y2"], int(g["m2"]), g["d2"])
    if kind in ("d-month-y-range", "month-d-y-range"):
        m1, m2 = month_number(g["m1"]), month_number(g["m2"])
        return (_iso(g["y1"], m1, g["d1"]), _iso(g["y2"], m2, g["d2"])) if m1 and m2 else (None, None)
    if kind in ("dd-month-y", "month-dd-y"):
        m = month_number(g["m"])
        return (_iso(g["y"], m, g["d1"]), _iso(g["y"], m, g["d2"])) if m else (None, None)
    if kind == "dm-dm-y-range":
        m1, m2 = month_number(g["m1"]), month_number(g["m2"])
        if not (m1 and m2 and m1 <= m2):
            return None, None
        return _iso(g["y"], m1, g["d1"]), _iso(g["y"], m2, g["d2"])
    if kind == "mm-y-range":
        m1, m2 = month_number(g["m1"]), month_number(g["m2"])
        return (_iso(g["y"], m1), _iso(g["y"], m2)) if m1 and m2 and m1 < m2 else (None, None)
    if kind == "my-range":
        m1, m2 = month_number(g["m1"]), month_number(g["m2"])
        return (_iso(g["y1"], m1), _iso(g["y2"], m2)) if m1 and m2 else (None, None)
    if kind == "y-range":
        return (g["y1"], g["y2"]) if g["y1"] <= g["y2"] else (None, None)
    if kind in ("dmy", "iso"):
        return _iso(g["y"], int(g["m"]), g["d"]), None
    m = month_number(g["m"])
    if m is None:
        return None, None
    return _iso(g["y"], m, g.get("d")), None


def find_dates(text: str) -> list[DateMention]:
    """Dates and ranges in `text`, in order; a span claimed by a longer pattern is not re-read by a shorter."""
    if not _YEAR.search(text):
        return []  # every pattern needs a year: most lines of a page have none
    return list(_find_dates(text))


_YEAR = re.compile(r"(?:19|20)\d\d")


@lru_cache(maxsize=8192)
def _find_dates(text: str) -> tuple[DateMention, ...]:
    """(cached: extraction asks about the same lines several times — date line, furniture, periods)"""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            first, second = _convert(kind, {k: v for k, v in m.groupdict().items() if v is not None})
            if first is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(first, second, m.start(), m.end()))
    return tuple(sorted(found, key=lambda d: d.start))


_DAYS_OF_MONTH = re.compile(
    rf"(?<![\d.])(?P<d1>{_D})\.?(?:\s*[–-]\s*(?P<d2>{_D})\.?)?(?:\s*(?:и|i|and|dhe|&)\s*(?P<d3>{_D})\.?"
    rf"(?:\s*[–-]\s*(?P<d4>{_D})\.?)?)?\s+(?P<m>{_MONTH_WORD})(?![\w.]*\s*{_Y})")


def find_dates_in_year(text: str, year: str) -> list[DateMention]:
    """Days of a month written without a year (`8 shkurt`, `15 – 16 и 22 -23 септември`), in `year` (the
    date line's): one mention from the first day to the last."""
    out = []
    for m in _DAYS_OF_MONTH.finditer(text):
        month = month_number(m.group("m"))
        if month is None:
            continue
        last = m.group("d4") or m.group("d3") or m.group("d2")
        start = _iso(year, month, m.group("d1"))
        end = _iso(year, month, last) if last else None
        if start is not None:
            out.append(DateMention(start, end, m.start(), m.end()))
    return out
