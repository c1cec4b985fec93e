"""PDF → text with page offsets, via PDFium (the text layer; scanned images without one are refused)."""

from __future__ import annotations

import re

from aidatlas.errors import EmptyDocument, UnreadableDocument


def pdf_text(name: str, content: bytes) -> tuple[str, list[int]]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise UnreadableDocument(name, "is a password-protected PDF") from exc
        raise UnreadableDocument(name, f"is not a readable PDF ({message})") from exc
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            page_text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
            page.close()
            page_text = _dehyphenate(page_text).strip("\n") + "\n\n"
            starts.append(offset)
            parts.append(page_text)
            offset += len(page_text)
    finally:
        pdf.close()
    text = "".join(parts)
    if not re.search(r"\w", text):
        raise EmptyDocument(name, "has no text layer (a scanned PDF needs OCR first)")
    return text, starts


def _dehyphenate(text: str) -> str:
    """Join words broken across lines by a hyphen ("devel-\\nopment"), keep real hyphens."""
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text)
