"""PDF → text with page offsets, via PDFium (the text layer; scanned images without one are refused)."""

from __future__ import annotations

import re

from aidatlas.errors import EmptyDocument, UnreadableDocument
from aidatlas.ingest.limits import Limits, check_pages, squeeze_blanks


def pdf_text(name: str, content: bytes, limits: Limits | None = None) -> tuple[str, list[int]]:
    """The text layer page by page, after the page count is checked against `limits.max_pdf_pages`; a page
    PDFium cannot load (a page tree that loops, a missing object) refuses the file."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise UnreadableDocument(name, "is a password-protected PDF") from exc
        raise UnreadableDocument(name, f"is not a readable PDF ({message})") from exc
    pages: list[str] = []
    try:
        check_pages(name, len(pdf), limits or Limits.of(None))
        for index in range(len(pdf)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:
                raise UnreadableDocument(name, f"page {index + 1} cannot be read (a broken or looping page "
                                               "tree)") from exc
            textpage = page.get_textpage()
            pages.append(squeeze_blanks(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for page_text in drop_running_lines(pages):
        page_text = _dehyphenate(page_text).strip("\n") + "\n\n"
        starts.append(offset)
        parts.append(page_text)
        offset += len(page_text)
    text = "".join(parts)
    if not re.search(r"\w", text):
        raise EmptyDocument(name, "has no text layer (a scanned PDF needs OCR first)")
    return text, starts


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


def drop_running_lines(pages: list[str], depth: int = 2) -> list[str]:
    """Remove running headers and footers: lines among the first or last `depth` of a page whose shape
    (digits ignored, so "Page 1/2" and "Page 2/2" agree) recurs at the same edge of other pages."""
    if len(pages) < 2:
        return pages
    split = [[x for x in p.split("\n")] for p in pages]
    heads: dict[str, int] = {}
    tails: dict[str, int] = {}
    for lines in split:
        content = [x for x in lines if x.strip()]
        for x in {_shape(x) for x in content[:depth]}:
            heads[x] = heads.get(x, 0) + 1
        for x in {_shape(x) for x in content[-depth:]}:
            tails[x] = tails.get(x, 0) + 1
    running = {x for x, n in (*heads.items(), *tails.items()) if n >= 2 and x}
    return ["\n".join(x for x in lines if _shape(x) not in running) for lines in split]


def _dehyphenate(text: str) -> str:
    """Join words broken across lines by a hyphen ("devel-\\nopment"), keep real hyphens."""
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text)
