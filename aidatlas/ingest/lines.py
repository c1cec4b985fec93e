"""Text → lines with offsets and a little structure (heading, bullet, enumerator), boilerplate dropped.

Markup (Markdown `#`, `**`, list bullets, `(1)` enumerators) is recognised and stripped from `text`, while
`start`/`end` keep pointing at the content in the document's text, so every value has its source span.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from aidatlas.normalize.dates import find_dates

_HEADING = re.compile(r"^(#{1,6})\s+")
_BULLET = re.compile(r"^([-*+•●▪◦·–]|\d{1,2}[.)](?=\s)|\(\d{1,2}\)|\d{1,2}\)|[a-z]\)|[ivx]{1,4}\))\s*")
_ENUM = re.compile(r"^(\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}\))\s+")
_EMPHASIS = re.compile(r"^\*{1,3}(.+?)\*{1,3}$|^_{1,2}(.+?)_{1,2}$")
_SUP = re.compile(r"<sup>.*?</sup>|\[\^?\d+\]")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass
class Line:
    """One non-empty line of a document: cleaned text plus where it sits in the document's text."""

    text: str
    start: int
    end: int
    level: int = 0
    """Markdown heading level (1-6), 0 when not a heading"""
    bullet: bool = False
    depth: int = 0
    """indentation depth of a list item"""
    enumerated: bool = False
    emphasized: bool = False
    gap: bool = True
    """a blank line (or the start of the text) comes before it: it opens a paragraph"""
    piece: bool = False
    """one field of a metadata line that held several (`Montenegro · Budget: …`)"""

    @property
    def is_heading(self) -> bool:
        return self.level > 0 or self.emphasized


def _starts_with_date(text: str) -> bool:
    """`18. јануар 2022.` and `7. 3. 2024` open with a date, not with an enumerator."""
    dates = find_dates(text[:40])
    return bool(dates) and dates[0].start == 0


def _strip_markup(raw: str) -> tuple[str, int, int, bool, bool, bool]:
    """Clean one line; returns (text, offset of text in raw, heading level, bullet, enumerated, emphasized)."""
    offset = 0
    level = 0
    bullet = enumerated = emphasized = False
    s = raw
    if m := _HEADING.match(s):
        level = len(m.group(1))
        offset += m.end()
        s = s[m.end():]
    for _ in range(2):  # "- 1) text" is a bullet and an enumerator
        if (m := _BULLET.match(s)) and not (m.group(1)[0].isdigit() and _starts_with_date(s)):
            bullet = True
            enumerated = enumerated or bool(re.match(r"\(?\d|\(?[a-z]\)|\(?[ivx]+\)", m.group(1)))
            offset += m.end()
            s = s[m.end():]
    if m := _EMPHASIS.match(s.strip()):
        inner = m.group(1) or m.group(2)
        lead = len(s) - len(s.lstrip())
        offset += lead + s.strip().index(inner)
        s = inner
        emphasized = True
    return s, offset, level, bullet, enumerated, emphasized


_MARKUP_CHARS = re.compile(r"[*_\[<\\]|[^\S ]")
"""a line without these needs no blanking (most lines of a page)"""


def _blank_markup(text: str) -> str:
    """Inline markup (`**`, links' targets, footnote marks) becomes spaces of the same length, so that an
    offset inside the cleaned line is still an offset into the document's text."""
    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0))

    if not _MARKUP_CHARS.search(text):
        return text

    text = _SUP.sub(blank, text)
    text = _MD_LINK.sub(lambda m: " " + m.group(1) + " " * (len(m.group(0)) - len(m.group(1)) - 1), text)
    text = re.sub(r"\*\*|__|\\(?=_)", blank, text)
    return re.sub(r"\s", " ", text)


def split_lines(text: str, keep: Callable[[str], bool] | None = None) -> list[Line]:
    """Every non-empty line with its cleaned text and content span; `keep` protects lines (labels)."""
    lines: list[Line] = []
    pos = 0
    gap = True
    for raw in text.split("\n"):
        start_of_raw = pos
        pos += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            gap = True
            continue
        indent = len(raw) - len(raw.lstrip(" \t"))
        content, offset, level, bullet, enumerated, emphasized = _strip_markup(stripped)
        content = _blank_markup(content)
        lead = len(content) - len(content.lstrip())
        content = content.strip()
        if not content:
            continue
        start = start_of_raw + indent + offset + lead
        lines.append(Line(content, start, start_of_raw + len(raw.rstrip()), level, bullet, indent // 2,
                          enumerated, emphasized and not bullet, gap))
        gap = False
    return drop_boilerplate(lines, keep)


def drop_boilerplate(lines: list[Line], keep: Callable[[str], bool] | None = None) -> list[Line]:
    """Drop what a CMS leaves around content: counters, tag lists, and short lines repeated many times."""
    counts = Counter(line.text for line in lines)
    kept = []
    for index, line in enumerate(lines):
        text = line.text
        if index == 0 or (keep is not None and keep(text)):  # the first line is a letterhead or a title
            kept.append(line)
            continue
        if len(text) <= 3 and text.isalpha() and line.is_heading:
            kept.append(line)
            continue
        if len(text) <= 3 or text.isdigit():
            continue
        if len(text) < 40 and sum(c.isalpha() for c in text) < 0.5 * len(text) and not find_dates(text):
            continue
        if counts[text] >= 3 and len(text) < 60 and not text.endswith(":"):
            continue
        kept.append(line)
    return kept


_FIELD_SEPARATOR = re.compile(r"(?<!\s)\s++[·|•]\s+")  # from a blank run's start only: linear on long runs


def split_inline_fields(lines: list[Line], is_label: Callable[[str], bool]) -> list[Line]:
    """A metadata line `Montenegro · Grant amount: EUR 55,000 · Grant period: …` holds several fields:
    split it into one line per field (offsets kept) when at least one piece is a label."""
    out: list[Line] = []
    for line in lines:
        if is_table_row(line.text):
            out.append(line)
            continue
        if len(starts := _label_starts(line.text, is_label)) >= 2 and starts[0] == 0:
            bounds = [*starts, len(line.text)]  # "Contract partner: X Country: Y Funding amount: € …"
            for a, b in pairwise(bounds):
                piece = line.text[a:b].rstrip()
                out.append(Line(piece, line.start + a, line.start + a + len(piece), line.level, False, line.depth,
                                False, False, line.gap or a > 0, True))
            continue
        pieces = _FIELD_SEPARATOR.split(line.text)
        if len(pieces) < 2 or not all(is_label(p) for p in pieces if len(p) > 60) or not any(
                is_label(p) for p in pieces):
            out.append(line)
            continue
        pos = 0
        for piece in pieces:
            at = line.text.index(piece, pos)
            pos = at + len(piece)
            out.append(Line(piece, line.start + at, line.start + pos, line.level, False, line.depth,
                            False, False, line.gap or at > 0, True))
    return out


_COLON_LABEL = re.compile(r"(?:^|(?<=\s))((?:[\w/’'\-]+\s){0,3}[\w/’'\-]+):\s")


def _label_starts(text: str, is_label: Callable[[str], bool]) -> list[int]:
    """Where labels begin in a line that strings several `Label: value` fields together."""
    starts: list[int] = []
    if text.count(":") < 2:
        return starts  # one field at most
    for m in _COLON_LABEL.finditer(text):
        words = m.group(1).split()
        for k in range(len(words)):  # the longest tail of the words before the colon that is a label
            phrase = " ".join(words[k:])
            if phrase[:1].isupper() and is_label(phrase + ":"):
                starts.append(m.end(1) - len(phrase))
                break
    return starts


def is_table_row(text: str) -> bool:
    """A Markdown table row (`| a | b |`), as the HTML loader writes tables: its cells are not fields."""
    return text.startswith("|") and (text.count("|") >= 3 or text.rstrip().endswith("|"))


def strip_enumerator(text: str) -> tuple[str, int]:
    """`(1) Foo` → (`Foo`, chars removed)."""
    if m := _ENUM.match(text):
        return text[m.end():], m.end()
    return text, 0
