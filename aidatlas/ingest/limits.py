"""Input limits for documents: what is refused before it is read, parsed or extracted, and why.

Extraction time and memory grow with the text, so a file is checked at each step against `Settings`
(`max_document_bytes`, `max_text_chars`, `max_line_chars`, `max_pdf_pages`, `max_html_elements`): its kind
and size before a byte is read (a FIFO or `/dev/zero` would block or never end), its bytes as they are read
(a file may grow meanwhile), its markup before it is parsed and its text before extraction. Every refusal is
an `InputError` that names the file and the limit, so one bad file costs one line of output.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from pathlib import Path

from aidatlas.errors import InputError, UnreadableDocument, display_name
from aidatlas.settings import Settings

_START_TAG = re.compile(rb"<[A-Za-z]")
MAX_BLANK_RUN = 32
MAX_EMPTY_LINES = 12


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_text_chars: int
    max_line_chars: int
    max_pdf_pages: int
    max_html_elements: int

    @classmethod
    def of(cls, settings: Settings | None) -> Limits:
        s = settings or Settings()
        return cls(s.max_document_bytes, s.max_text_chars, s.max_line_chars, s.max_pdf_pages, s.max_html_elements)


def check_file(path: Path, limits: Limits) -> None:
    """Refuse, before it is opened, what is not a regular file within the size limit: opening a FIFO blocks,
    and `/dev/zero` never ends."""
    name = display_name(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as exc:
        raise UnreadableDocument(name, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(name, "is a directory, not a document")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise UnreadableDocument(name, f"is {kind}, not a document file; refused")
    check_size(name, info.st_size, limits)


def read_limited(path: Path, limits: Limits) -> bytes:
    """The bytes of a file `check_file` accepted, read no further than the limit (it may have grown since)."""
    name = display_name(path)
    try:
        with path.open("rb") as fh:
            content = fh.read(limits.max_bytes + 1)
    except OSError as exc:
        raise UnreadableDocument(name, f"cannot be read ({exc.strerror or exc})") from None
    check_size(name, len(content), limits)
    return content


def check_size(name: str, size: int, limits: Limits) -> None:
    """A file on disk and bytes handed over in memory (an upload) obey the same size limit."""
    if size > limits.max_bytes:
        raise UnreadableDocument(name, f"is {_size(size)}, more than the limit of {_size(limits.max_bytes)} "
                                       "(AIDATLAS_MAX_DOCUMENT_BYTES)")


def check_markup(name: str, html: str, limits: Limits) -> None:
    """Count an HTML page's start tags before a parser builds a tree of them."""
    tags = len(_START_TAG.findall(html.encode("utf-8", errors="ignore")))
    if tags > limits.max_html_elements:
        raise UnreadableDocument(name, f"has {tags:,} HTML elements, more than the limit of "
                                       f"{limits.max_html_elements:,} (AIDATLAS_MAX_HTML_ELEMENTS)")


def check_pages(name: str, pages: int, limits: Limits) -> None:
    if pages > limits.max_pdf_pages:
        raise UnreadableDocument(name, f"has {pages:,} pages, more than the limit of {limits.max_pdf_pages:,} "
                                       "(AIDATLAS_MAX_PDF_PAGES)")


def check_text(name: str, text: str, limits: Limits) -> None:
    """The text extraction will read: not longer than the limits, in total and per line."""
    if len(text) > limits.max_text_chars:
        raise UnreadableDocument(name, f"has {len(text):,} characters of text, more than the limit of "
                                       f"{limits.max_text_chars:,} (AIDATLAS_MAX_TEXT_CHARS); split it")
    start = 0
    line = 1
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > limits.max_line_chars:
            raise UnreadableDocument(name, f"line {line} is {end - start:,} characters long, more than the limit "
                                           f"of {limits.max_line_chars:,} (AIDATLAS_MAX_LINE_CHARS)")
        start = end + 1
        line += 1


_BLANK_RUN = re.compile(rf"[^\S\n]{{{MAX_BLANK_RUN + 1},}}")
_WHITE_RUN = re.compile(rf"\s{{{MAX_EMPTY_LINES + 1},}}")  # one character class: no backtracking stack


def squeeze_blanks(text: str) -> str:
    """Runs of blanks cut to `MAX_BLANK_RUN` characters and `MAX_EMPTY_LINES` line breaks. Rules that look for
    `\\s+` before a word try every position of a run, so a run of 100,000 blanks cost minutes; no real page
    has runs this long (the longest in the evaluation corpora: 9 blanks, 8 line breaks), so none changes."""
    return _WHITE_RUN.sub(_fewer_lines, _BLANK_RUN.sub(lambda m: m.group(0)[:MAX_BLANK_RUN], text))


def _fewer_lines(match: re.Match[str]) -> str:
    run = match.group(0)
    if run.count("\n") <= MAX_EMPTY_LINES:
        return run
    return run[: run.index("\n")] + "\n" * MAX_EMPTY_LINES + run[run.rindex("\n") + 1:]


def clean_text(text: str) -> str:
    """Text any database can hold: NUL characters (PostgreSQL refuses them, SQLite keeps them) dropped."""
    return text.replace("\x00", "") if "\x00" in text else text


def _size(n: int) -> str:
    return f"{n:,} bytes" + (f" ({n / (1024 * 1024):.1f} MB)" if n >= 1024 * 1024 else "")
