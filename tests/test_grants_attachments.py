"""Attachments: type by extension AND content, a size limit, random names outside any web directory, and the
same access rule as the application."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from grants_world import World, submitted

import aidatlas
from aidatlas.errors import AidatlasError, Forbidden, InputError
from aidatlas.grants.attachments import sniff

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
JPG = b"\xff\xd8\xff\xe0" + bytes(32)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})


def test_allowed_types_are_recognised_by_content():
    assert [sniff(c) for c in (PDF, PNG, JPG, DOCX, XLSX, ODT, b"MZ\x90\x00", b"PK\x03\x04broken")] == [
        "pdf", "png", "jpg", "docx", "xlsx", "odt", None, None]


def test_attachments_are_stored_privately_and_read_back_with_the_access_rule(world: World):
    g, alice, officer = world.grants, world.users["alice"], world.users["officer"]
    app_id = submitted(world, submit=False)
    stored = [g.add_attachment(alice, app_id, name, content)
              for name, content in (("budget.pdf", PDF), ("photo.JPG", JPG), ("plan.docx", DOCX),
                                    ("table.xlsx", XLSX), ("letter.odt", ODT), ("../../etc/logo.png", PNG))]
    assert stored[-1].filename == "logo.png"
    files = list(Path(world.settings.files_dir or "").iterdir())
    assert len(files) == 6 and all(len(f.name) == 32 and "." not in f.name for f in files)
    web_root = Path(aidatlas.__file__).parent / "web"
    assert all(web_root not in f.resolve().parents for f in files)
    meta, content = g.read_attachment(officer, stored[0].id)
    assert content == PDF and meta.media_type == "application/pdf"
    assert [a.filename for a in g.list_attachments(alice, app_id)][:2] == ["budget.pdf", "photo.JPG"]
    with pytest.raises(Forbidden):
        g.read_attachment(world.users["bob"], stored[0].id)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.exe", b"MZ\x90\x00", "only PDF, PNG, JPG, DOCX, XLSX and ODT files are accepted"),
    ("report.pdf", PNG, "the content is not a PDF file (it looks like PNG)"),
    ("plan.docx", XLSX, "the content is not a DOCX file (it looks like XLSX)"),
    ("page.html", b"<html><script>alert(1)</script>", "only PDF"),
    ("notes.pdf", b"just text", "the content is not a PDF file"),
    ("empty.pdf", b"", "the file is empty"),
])
def test_wrong_types_are_refused_with_a_clear_message(world: World, name, content, message):
    app_id = submitted(world, submit=False)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        world.grants.add_attachment(world.users["alice"], app_id, name, content)
    assert world.grants.list_attachments(world.users["alice"], app_id) == []


def test_oversize_files_are_refused(world: World):
    g = world.grants
    g.ctx.settings = replace(world.settings, max_upload_bytes=1000)
    app_id = submitted(world, submit=False)
    with pytest.raises(InputError, match=r"the file is 2\.1 kB; at most 1\.0 kB is allowed"):
        g.add_attachment(world.users["alice"], app_id, "big.pdf", PDF + bytes(2000))
    assert g.add_attachment(world.users["alice"], app_id, "small.pdf", PDF).size == len(PDF)


def test_files_dir_inside_the_web_app_is_refused(world: World):
    g = world.grants
    g.ctx.settings = replace(world.settings, files_dir=str(Path(aidatlas.__file__).parent / "web" / "static" / "f"))
    app_id = submitted(world, submit=False)
    with pytest.raises(AidatlasError, match="inside the web app's directory"):
        g.add_attachment(world.users["alice"], app_id, "a.pdf", PDF)
    assert not (Path(aidatlas.__file__).parent / "web" / "static" / "f").exists()
