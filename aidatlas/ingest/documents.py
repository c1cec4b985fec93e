"""Load a file into a `Document`: its bytes, content hash, media type and plain text (with page offsets).

Every failure is an `InputError` naming the file and what was wrong; nothing here touches a database.
"""

from __future__ import annotations

import re
from pathlib import Path

from aidatlas.errors import EmptyDocument, UnreadableDocument, UnsupportedFormat, display_name
from aidatlas.ingest.limits import (
    Limits,
    check_file,
    check_markup,
    check_size,
    check_text,
    clean_text,
    read_limited,
    squeeze_blanks,
)
from aidatlas.records import Document

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}

# Single-byte code pages used in the region, best first when the text gives no clue.
_CODEPAGES = ("cp1250", "cp1251", "iso8859_2", "cp1252")
_REGION_LETTERS = set("čćšžđČĆŠŽĐëËçÇ") | {chr(c) for c in range(0x0410, 0x0460)}
_FOREIGN_LETTERS = set("èæðþÞÆÐìòùÈÌÒÙ¹¾¿ÿ¶µ±")


def media_type_of(path: Path) -> str:
    try:
        return MEDIA_TYPES[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(MEDIA_TYPES))
        raise UnsupportedFormat(display_name(path.name), f"unknown format {path.suffix or '(no extension)'!r}; "
                                f"aidatlas reads {known}") from None


def load_path(path: Path, limits: Limits | None = None) -> Document:
    """Read a file from disk (a regular file within the size limit, see `aidatlas.ingest.limits`) and load it."""
    limits = limits or Limits.of(None)
    check_file(path, limits)
    media_type = media_type_of(path)
    return load_bytes(path.name, read_limited(path, limits), media_type, path=display_name(path), limits=limits)


def load_bytes(name: str, content: bytes, media_type: str | None = None, path: str | None = None,
               limits: Limits | None = None) -> Document:
    """Load a document from its bytes (an upload, a test fixture), within `limits` (the defaults when None)."""
    limits = limits or Limits.of(None)
    media_type = media_type or media_type_of(Path(name))
    name = display_name(name)
    check_size(name, len(content), limits)
    if not content.strip():
        raise EmptyDocument(name, "is empty")
    if media_type == "application/pdf":
        from aidatlas.ingest.pdf import pdf_text

        text, page_starts = pdf_text(name, content, limits)
        doc = Document(name, media_type, content, clean_text(text), page_starts, None, path)
    elif media_type == "text/html":
        from aidatlas.ingest.html import html_text

        raw, encoding = decode_text(name, content)
        check_markup(name, raw, limits)
        text = squeeze_blanks(clean_text(html_text(name, raw)))
        doc = Document(name, media_type, content, text, [0], encoding, path)
    else:
        text, encoding = decode_text(name, content)
        text = squeeze_blanks(clean_text(normalize_newlines(text)))
        doc = Document(name, media_type, content, text, [0], encoding, path)
    if not re.search(r"[^\W\d_]", doc.text):
        raise EmptyDocument(name, "has no readable text (no letters)")
    check_text(name, doc.text, limits)
    return doc


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")


def decode_text(name: str, content: bytes) -> tuple[str, str]:
    """Decode bytes to text: UTF-8 (with or without BOM), else the best-fitting regional code page.

    A file that is binary, or whose bytes fit no candidate, is refused rather than decoded to mojibake.
    """
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    for bom, codec in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if content.startswith(bom):
            try:
                return content.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(name, f"is not valid UTF-16 ({exc.reason})") from exc
    if _looks_binary(content):
        raise UnreadableDocument(name, "looks like a binary file, not text")
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for codec in _CODEPAGES:
        try:
            text = content.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _fit(text)
        if best is None or score > best[0]:
            best = (score, codec, text)
    if best is None or best[0] < 0:
        from charset_normalizer import from_bytes

        guess = from_bytes(content).best()
        if guess is None:
            raise UnreadableDocument(name, "the text encoding could not be recognised")
        return str(guess), guess.encoding
    return best[2], best[1]


def _fit(text: str) -> float:
    """How plausible a decoding is for the region's languages: its letters count for, foreign ones against."""
    region = sum(1 for c in text if c in _REGION_LETTERS)
    foreign = sum(1 for c in text if c in _FOREIGN_LETTERS)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    mixed_cyr = len(re.findall(r"[a-z][\u0430-\u044f]|[\u0430-\u044f][a-z]", text))
    return region - 3 * foreign - 5 * controls - 3 * mixed_cyr


def _looks_binary(content: bytes) -> bool:
    sample = content[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 50)
