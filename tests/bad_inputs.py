"""The bad-input corpus, generated on the fly (nothing large is committed): hostile or broken documents and
IATI files, each with the reason aidatlas must give, plus odd-but-readable ones it must read in bounded time.

A case writes itself into a directory (`Case.make`) and names the words its one-line error must contain.
`tests/test_limits.py` runs the documents, `tests/test_iati_limits.py` the IATI files, both in-process and as
one CLI batch per database; web uploads, form posts and API parameters are in `tests/test_web_limits.py`.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aidatlas.errors import display_name

MB = 1024 * 1024
GOOD_TEXT = ("The European Union will fund a EUR {n} million project to improve water supply in Tuzla, Bosnia and "
             "Herzegovina. UNDP implements it from 2024 to 2026.\n")


@dataclass(frozen=True)
class Case:
    """One file: its name (bytes: a name need not be valid UTF-8), how to make it, the reason expected
    (None: it must be read, within the limits)."""

    name: bytes
    make: Callable[[Path], None]
    reason: str | None

    @property
    def shown(self) -> str:
        """The file's name as an error prints it."""
        return display_name(os.fsdecode(self.name))

    def path(self, root: Path) -> Path:
        return root / os.fsdecode(self.name)

    def write(self, root: Path) -> Path:
        path = self.path(root)
        self.make(path)
        return path


def _bytes(content: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(content() if callable(content) else content)
    return make


def _text(text: str | Callable[[], str], encoding: str = "utf-8") -> Callable[[Path], None]:
    return _bytes(lambda: (text() if callable(text) else text).encode(encoding))


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as fh:
            fh.truncate(size)
    return make


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def _directory(path: Path) -> None:
    path.mkdir()


def _nothing(path: Path) -> None:
    """The file does not exist."""


# ----------------------------------------------------------------------------------------------- PDFs
def pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF from object bodies numbered 1…n (object 1 is the catalog), with a correct cross-reference."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def text_pdf(lines: list[str], pages: int = 1, media_box: bytes = b"[0 0 612 792]", trailer: bytes = b"") -> bytes:
    """`pages` pages sharing one content stream that shows `lines` in Helvetica."""
    ops = b"BT /F1 11 Tf 72 720 Td 14 TL " + b"".join(
        b"(" + x.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T* " for x in lines) + b"ET"
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
               _stream(ops),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box +
                b" /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"] * pages
    return pdf(objects, trailer)


def looping_pdf() -> bytes:
    """A page tree whose node lists itself among its kids."""
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>"])


def image_only_pdf() -> bytes:
    """One page that paints a grey image and has no text layer (a scan)."""
    pixels = random.Random(4).randbytes(64 * 64)
    image = b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray " \
            b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream"
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
                _stream(b"q 400 0 0 400 100 200 cm /Im1 Do Q"),
                image])


def encrypted_pdf() -> bytes:
    """A PDF encrypted with the standard handler under a user password nobody has told us."""
    entries = b"/Encrypt 9 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] "
    rng = random.Random(9)
    owner = bytes(rng.randrange(256) for _ in range(32)).hex().encode()
    user = bytes(rng.randrange(256) for _ in range(32)).hex().encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               _stream(b"\x8f\x12\x99\x01 garbled"), b"null", b"null", b"null", b"null",
               b"<< /Filter /Standard /V 1 /R 2 /O <" + owner + b"> /U <" + user + b"> /P -44 >>"]
    return pdf(objects, entries)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _docx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>EU project</w:document>"})


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


# ----------------------------------------------------------------------------------------------- text
def _whitespace_runs(total: int, run: int) -> str:
    line = "word " + " " * run + "\t" * 10 + " end"
    return "\n".join([line] * (total // (len(line) + 1)))


def _prose(chars: int, width: int = 500) -> str:
    """`chars` characters of plausible prose in lines of `width` (a few kB made once, then repeated)."""
    words = ["the", "project", "will", "support", "municipalities", "in", "Serbia", "with", "EUR", "2", "million",
             "for", "water", "supply", "and"]
    rng = random.Random(7)
    chunk = " ".join(rng.choice(words) for _ in range(2000)) + " "
    text = (chunk * (chars // len(chunk) + 1))[:chars]
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def _nested_html(depth: int) -> str:
    return ("<html><body>" + "<div>" * depth + "<p>" + GOOD_TEXT.format(n=3) + "</p>" + "</div>" * depth +
            "</body></html>")


def _flat_html(elements: int) -> str:
    return "<html><body>" + "<p>a</p>" * elements + "</body></html>"


def _billion_laughs_html() -> str:
    entities = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 12))
    return (f'<!DOCTYPE html [<!ENTITY l0 "lol">{entities}]><html><body><p>&l11;</p><p>' +
            GOOD_TEXT.format(n=4) + "</p></body></html>")


def document_cases() -> list[Case]:
    """Hostile and broken documents, each with the reason its error must give."""
    limit = 20 * MB
    return [
        Case(b"empty.txt", _bytes(b""), "is empty"),
        Case(b"blank.txt", _bytes(b" \n\t\n  \r\n"), "is empty"),
        Case(b"one_line_5mb.txt", _text(lambda: _prose(5 * MB, width=5 * MB)), "AIDATLAS_MAX_TEXT_CHARS"),
        Case(b"one_word_5mb.txt", _bytes(b"a" * (5 * MB)), "AIDATLAS_MAX_TEXT_CHARS"),
        Case(b"long_line.txt", _text(lambda: GOOD_TEXT.format(n=1) + "x" * 25_000 + "\n"), "AIDATLAS_MAX_LINE_CHARS"),
        Case(b"long_line_after_blanks.txt", _text(lambda: GOOD_TEXT.format(n=1) + " " * 30_000 + "y" * 21_000),
             "AIDATLAS_MAX_LINE_CHARS"),
        Case(b"blank_lines_5mb.txt", _text(lambda: "1" + "\n" * (5 * MB) + "2"), "no readable text"),
        Case(b"text_20mb.txt", _text(lambda: _prose(int(19.5 * MB), width=200)), "AIDATLAS_MAX_TEXT_CHARS"),
        Case(b"too_much_text.txt", _text(lambda: _prose(400_000)), "AIDATLAS_MAX_TEXT_CHARS"),
        Case(b"over_size_limit.txt", _sparse(limit + 1), "AIDATLAS_MAX_DOCUMENT_BYTES"),
        Case(b"huge_sparse.pdf", _sparse(4 * 1024 * MB), "AIDATLAS_MAX_DOCUMENT_BYTES"),
        Case(b"fifo.txt", _fifo, "named pipe (FIFO)"),
        Case(b"zero.txt", _symlink("/dev/zero"), "is a device"),
        Case(b"null.html", _symlink("/dev/null"), "is a device"),
        Case(b"folder.txt", _directory, "is a directory"),
        Case(b"missing.txt", _nothing, "no such file"),
        Case(b"dangling.txt", _symlink("/nonexistent/aidatlas/target"), "no such file"),
        Case(b"bad_bytes_\xff\xfe.txt", _bytes(b"\x00\x01\x02" * 100), "binary"),
        Case(b"ctl_\x1b[31m_\x07_name.txt", _bytes(b""), "is empty"),
        Case(b"new\nline.txt", _bytes(b"  "), "is empty"),
        Case(b"bidi_\xe2\x80\xaetxt.exe", _bytes(b"MZ"), "unknown format"),
        Case(b"[red]markup[bold].txt", _bytes(b""), "is empty"),
        Case(b"binary.txt", _bytes(lambda: random.Random(1).randbytes(50_000)), "binary"),
        Case(b"controls.txt", _bytes(b"\x01\x02\x03\x04\x05\x06\x07\x08" * 200), "binary"),
        Case(b"bad_utf16.txt", _bytes(b"\xff\xfe" + b"\x00\xd8" * 10), "UTF-16"),
        Case(b"digits.txt", _bytes(b"1234567890\n" * 100), "no readable text"),
        Case(b"underscores.txt", _bytes(b"_" * 100), "no readable text"),
        Case(b"punctuation.txt", _bytes(b"!?.,;:-*#=()[]{}<>/\\|\n" * 50), "no readable text"),
        Case(b"emoji.txt", _text("\U0001f600\U0001f680\u2764\ufe0f " * 200), "no readable text"),
        Case(b"program.exe", _bytes(b"MZ\x90\x00"), "unknown format"),
        Case(b"report.docx", _bytes(_docx), "unknown format"),
        Case(b"no_extension", _text(GOOD_TEXT.format(n=1)), "unknown format"),
        Case(b"zip_renamed.pdf", _bytes(lambda: _zip({"a.txt": b"EU project"})), "not a readable PDF"),
        Case(b"docx_renamed.pdf", _bytes(_docx), "not a readable PDF"),
        Case(b"png_renamed.pdf", _bytes(PNG), "not a readable PDF"),
        Case(b"html_renamed.pdf", _text("<html><body><p>" + GOOD_TEXT.format(n=1) + "</p></body></html>"),
             "not a readable PDF"),
        Case(b"header_only.pdf", _bytes(b"%PDF-1.7\n"), "not a readable PDF"),
        Case(b"truncated.pdf", _bytes(lambda: text_pdf([GOOD_TEXT.format(n=1)[:60]])[:150]), "PDF"),
        Case(b"looping_pages.pdf", _bytes(looping_pdf), "looping page tree"),
        Case(b"image_only.pdf", _bytes(image_only_pdf), "no text layer"),
        Case(b"encrypted.pdf", _bytes(encrypted_pdf), "password-protected"),
        Case(b"too_many_pages.pdf", _bytes(lambda: text_pdf(["EU project"], pages=501)), "AIDATLAS_MAX_PDF_PAGES"),
        Case(b"blank_pages.pdf", _bytes(lambda: text_pdf([], pages=3)), "no text layer"),
        Case(b"too_many_elements.html", _text(lambda: _flat_html(40_000)), "AIDATLAS_MAX_HTML_ELEMENTS"),
        Case(b"no_elements.html", _text("just < some > text without tags " * 20), "no HTML elements"),
        Case(b"binary.html", _bytes(lambda: random.Random(2).randbytes(20_000)), "binary"),
        Case(b"empty.html", _bytes(b""), "is empty"),
        Case(b"empty_body.html", _text("<html><body></body></html>"), "no readable text"),
        Case(b"huge_html_text.html", _text(lambda: "<html><body><p>" + _prose(400_000) + "</p></body></html>"),
             "AIDATLAS_MAX_TEXT_CHARS"),
        Case(b"bad_utf16.md", _bytes(b"\xfe\xff\xd8\x00" * 8), "UTF-16"),
        Case(b"empty.md", _bytes(b"\n\n"), "is empty"),
        Case(b"markdown_rules.md", _bytes(b"---\n***\n___\n" * 100), "no readable text"),
    ]


def readable_cases() -> list[Case]:
    """Odd but readable documents: each must be stored, within the time and memory bounds."""
    return [
        Case(b"whitespace_runs.txt", _text(lambda: GOOD_TEXT.format(n=11) + _whitespace_runs(250_000, 19_000)),
             None),
        Case(b"whitespace_runs_5mb.txt", _text(lambda: GOOD_TEXT.format(n=18) + _whitespace_runs(5 * MB, 100_000)),
             None),
        Case(b"mixed_blank_runs.txt", _text(lambda: GOOD_TEXT.format(n=19) + (" \t\u00a0\u3000\n \n" * 40_000)),
             None),
        Case(b"one_long_line.txt", _text(lambda: GOOD_TEXT.format(n=12).strip() + " " + _prose(19_000, 19_000)), None),
        Case(b"nested_10k.html", _text(lambda: _nested_html(10_000)), None),
        Case(b"billion_laughs.html", _text(_billion_laughs_html), None),
        Case(b"minified.html", _text(lambda: "<html><body>" + "".join(
            f"<p>Paragraph {i}: {GOOD_TEXT.format(n=13).strip()}</p>" for i in range(300)) + "</body></html>"), None),
        Case(b"huge_page.pdf", _bytes(lambda: text_pdf([GOOD_TEXT.format(n=14).strip()[:90]],
                                                       media_box=b"[0 0 14400 14400]")), None),
        Case(b"nul_in_text.txt", _bytes(lambda: GOOD_TEXT.format(n=15).encode() * 40 + b"x\x00y\n"), None),
        Case(b"cp1250.txt", _text("Evropska unija finansira projekat vrijedan 2 miliona EUR u Tuzli. Čišćenje "
                                  "rijeke provodi UNDP od 2024. do 2026.\n", "cp1250"), None),
        Case(b"bom_crlf.txt", _bytes(b"\xef\xbb\xbf" + GOOD_TEXT.format(n=16).encode().replace(b"\n", b"\r\n")),
             None),
        Case(("x" * 240 + ".txt").encode(), _text(GOOD_TEXT.format(n=17)), None),
    ]


def good_cases(count: int = 3) -> list[Case]:
    """Plain good documents that go into every batch with the bad ones: all of them must land."""
    return [Case(f"good_{i}.txt".encode(), _text(GOOD_TEXT.format(n=100 + i)), None) for i in range(count)]


# ----------------------------------------------------------------------------------------------- IATI
IATI_ACTIVITY = """<iati-activity>
  <iati-identifier>{ident}</iati-identifier>
  <reporting-org ref="XI-AIDATLAS-TEST" type="90"><narrative>Test registry</narrative></reporting-org>
  <title><narrative>{title}</narrative></title>
  <description><narrative>{description}</narrative></description>
  <participating-org role="1" ref="XI-AIDATLAS-FUNDER"><narrative>A funder</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2024-01-01"/>
</iati-activity>"""


def iati_file(*activities: str, root: str = '<iati-activities version="2.03">', prologue: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{prologue}{root}\n' + "\n".join(activities) + \
        "\n</iati-activities>\n"


def activity(ident: str, title: str = "Water supply in Tuzla", description: str = "Pipes and pumps.") -> str:
    return IATI_ACTIVITY.format(ident=ident, title=title, description=description)


def _iati(text: str | Callable[[], str], encoding: str = "utf-8") -> Callable[[Path], None]:
    return _text(text, encoding)


def _deep(depth: int) -> str:
    return activity("XI-T-deep").replace("<title>", "<title>" + "<x>" * depth + "</x>" * depth)


def _laughs() -> str:
    entities = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 10))
    return iati_file(activity("XI-T-bomb", title="&l9;"), prologue=f'<!DOCTYPE iati-activities [<!ENTITY l0 "lol">'
                                                                   f'{entities}]>\n')


def iati_cases() -> list[Case]:
    """Hostile and broken IATI files, each with the reason its error must give."""
    good = activity("XI-T-1")
    return [
        Case(b"empty.xml", _bytes(b""), "not an XML file"),
        Case(b"blank.xml", _bytes(b"   \n\n"), "not an XML file"),
        Case(b"binary.xml", _bytes(lambda: random.Random(5).randbytes(5000)), "XML"),
        Case(b"not_xml.xml", _text("The EU funds a project in Serbia.\n"), "not an XML file"),
        Case(b"truncated.xml", _iati(lambda: iati_file(good, activity("XI-T-2"))[:-60]), "ends early"),
        Case(b"wrong_root.xml", _iati("<catalog><book/></catalog>"), "not an IATI activity file"),
        Case(b"organisations.xml", _iati('<iati-organisations version="2.03"/>'), "IATI organisation file"),
        Case(b"namespaced.xml", _iati('<x:iati-activities xmlns:x="urn:x" version="2.03"/>'),
             "not an IATI activity file"),
        Case(b"billion_laughs.xml", _iati(_laughs), "refused"),
        Case(b"external_entity.xml", _iati(lambda: iati_file(activity("XI-T-xxe", title="&x;"), prologue=
             '<!DOCTYPE iati-activities [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n')), "XML entities"),
        Case(b"no_identifier.xml", _iati(lambda: iati_file(activity(""))), "no iati-identifier"),
        Case(b"long_identifier.xml", _iati(lambda: iati_file(good, activity("XI-T-" + "9" * 300))),
             "the registry holds at most 200"),
        Case(b"huge_narrative.xml", _iati(lambda: iati_file(activity("XI-T-big", description="x" * (11 * MB)))),
             "XML"),
        Case(b"deep_nesting.xml", _iati(lambda: iati_file(_deep(300))), "XML"),
        Case(b"nul_reference.xml", _iati(lambda: iati_file(activity("XI-T-nul", title="a&#0;b"))), "XML"),
        Case(b"control_char.xml", _iati(lambda: iati_file(activity("XI-T-ctl", title="a\x01b"))), "XML"),
        Case(b"wrong_encoding.xml", _bytes(lambda: iati_file(activity("XI-T-enc", title="Čačak")).encode("cp1250")),
             "XML"),
        Case(b"unknown_encoding.xml", _bytes(lambda: iati_file(good).replace('encoding="UTF-8"', 'encoding="klingon"')
                                             .encode()), "XML"),
        Case(b"fifo.xml", _fifo, "not a regular file"),
        Case(b"zero.xml", _symlink("/dev/zero"), "not a regular file"),
        Case(b"missing.xml", _nothing, "no such file"),
        Case(b"bad_bytes_\xff.xml", _iati("<catalog/>"), "not an IATI activity file"),
        Case(b"ctl_\x1b[2J.xml", _iati("<catalog/>"), "not an IATI activity file"),
        Case(b"zip_renamed.xml", _bytes(lambda: _zip({"a.xml": iati_file(good).encode()})), "XML"),
    ]


def readable_iati_cases() -> list[Case]:
    """Odd but readable IATI files: each must be imported."""
    return [
        Case(b"latin1_declared.xml", _bytes(lambda: iati_file(activity("XI-T-latin1", title="Caf\u00e9 Pristina"))
                                            .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")),
             None),
        Case(b"utf16.xml", _bytes(lambda: iati_file(activity("XI-T-utf16", title="Чачак")).replace(
            'encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")), None),
        Case(b"utf16_declared_utf8.xml", _bytes(lambda: iati_file(activity("XI-T-16le")).encode("utf-16-le")), None),
        Case(b"big_narrative.xml", _iati(lambda: iati_file(activity("XI-T-5mb", description="word " * MB))), None),
        Case(b"identifier_200.xml", _iati(lambda: iati_file(activity("XI-T-" + "8" * 195))), None),
        # IATI 1.0x is upgraded to 2.03 on import (issue 14), no longer refused
        Case(b"version_1.xml", _iati(lambda: iati_file(activity("XI-T-v105"), root='<iati-activities version="1.05">')),
             None),
    ]
