"""Loaders: encodings are detected (not guessed wrong silently), HTML chrome is dropped, PDF pages kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from aidatlas.errors import EmptyDocument, UnreadableDocument, UnsupportedFormat
from aidatlas.ingest.documents import decode_text, load_bytes, load_path

DOCS = Path(__file__).parent / "data" / "docs"
BAD = Path(__file__).parent / "data" / "bad"
TEXT = "Budžet projekta: 120.000 KM. Općina Žepče, Đurđevik, Čapljina, Šamac."
CYRILLIC = "Буџет пројекта: 12.500.000 динара. Ниш, Крагујевац, Нови Пазар, Ђурђевак, Љубовија."


@pytest.mark.parametrize("encoding, text", [
    ("utf-8", TEXT), ("utf-8-sig", TEXT), ("cp1250", TEXT), ("iso8859_2", TEXT), ("cp1251", CYRILLIC),
    ("utf-8", CYRILLIC), ("utf-16", TEXT),
])
def test_encodings_round_trip(encoding: str, text: str):
    decoded, _ = decode_text("x.txt", text.encode(encoding))
    assert decoded == text


def test_real_cp1250_file():
    document = load_path(DOCS / "projekat_cp1250.txt")
    assert document.encoding == "cp1250"
    assert "č" in document.text and "\r" not in document.text


@pytest.mark.parametrize("name, error", [
    ("empty.txt", EmptyDocument), ("whitespace_only.md", EmptyDocument), ("binary.txt", UnreadableDocument),
    ("corrupt.pdf", UnreadableDocument), ("encrypted.pdf", UnreadableDocument),
    ("unknown.docx", UnsupportedFormat),
])
def test_bad_documents(name: str, error: type[Exception]):
    with pytest.raises(error) as excinfo:
        load_path(BAD / name)
    assert name in str(excinfo.value)


def test_html_main_content_without_chrome():
    document = load_path(DOCS / "grantees_page.html")
    text = document.text.lower()
    assert "cookie" not in text
    assert "newsletter" not in text
    assert "transparency watch doboj" in text


def test_pdf_pages_and_offsets():
    document = load_path(DOCS / "project_sheet.pdf")
    assert len(document.page_starts) == 2
    assert document.page_of(document.page_starts[1] + 5) == 2
    assert document.page_of(0) == 1


def test_content_hash_is_stable():
    a = load_bytes("a.txt", b"Same bytes\n")
    b = load_bytes("b.txt", b"Same bytes\n")
    assert a.sha256 == b.sha256


def test_running_headers_and_footers_are_dropped():
    from aidatlas.ingest.pdf import drop_running_lines

    pages = ["Fund X · Examples 2023\nTitle one\nBody one\nFund X · page 1/2",
             "Fund X · Examples 2023\nTitle two\nBody two\nFund X · page 2/2"]
    assert drop_running_lines(pages) == ["Title one\nBody one", "Title two\nBody two"]
    assert drop_running_lines(pages[:1]) == pages[:1]
