"""Attachments: only pdf, png, jpg, docx, xlsx and odt, recognised by extension AND content, at most
`settings.max_upload_bytes`, stored under `settings.files_dir` with a random name — never under the web app's
directory, so no URL can reach a file without going through the access rule of its application."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.engine import make_url

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import AidatlasError, ConflictError, InputError, NotFound
from aidatlas.grants import audit
from aidatlas.grants.applications import load_for
from aidatlas.grants.context import Context, at
from aidatlas.grants.models import Attachment
from aidatlas.grants.tables import AttachmentRow

ATTACHMENTS = table_of(AttachmentRow)
WEB_ROOT = Path(__file__).resolve().parent.parent / "web"
MEDIA_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}


def sniff(content: bytes) -> str | None:
    """The file type its bytes show (pdf, png, jpg, docx, xlsx, odt), or None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == MEDIA_TYPES["odt"].encode():
                    return "odt"
                if "[Content_Types].xml" in names:
                    if any(n.startswith("word/") for n in names):
                        return "docx"
                    if any(n.startswith("xl/") for n in names):
                        return "xlsx"
        except zipfile.BadZipFile:
            return None
    return None


def files_dir(ctx: Context) -> Path:
    """Where attachments live: `settings.files_dir`, else beside the SQLite file, else ./aidatlas-files."""
    if ctx.settings.files_dir:
        path = Path(ctx.settings.files_dir)
    else:
        url = make_url(ctx.settings.database_url)
        db = url.database if url.get_backend_name() == "sqlite" else None
        path = Path(f"{db}.files") if db and db != ":memory:" else Path("aidatlas-files")
    path = path.expanduser().resolve()
    if path == WEB_ROOT or WEB_ROOT in path.parents:
        raise AidatlasError(f"files_dir {path} is inside the web app's directory; choose a private directory")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB" if n >= 1e3 else f"{n} bytes"


def check_file(ctx: Context, filename: str, content: bytes) -> tuple[str, str]:
    """(safe file name, media type), or `InputError` saying what is wrong."""
    name = Path(filename.replace("\\", "/")).name.strip() or "file"
    limit = ctx.settings.max_upload_bytes
    if len(content) > limit:
        raise InputError(name, f"the file is {_size(len(content))}; at most {_size(limit)} is allowed")
    if not content:
        raise InputError(name, "the file is empty")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in MEDIA_TYPES:
        raise InputError(name, "only PDF, PNG, JPG, DOCX, XLSX and ODT files are accepted")
    found = sniff(content)
    if found != ("jpg" if ext == "jpeg" else ext):
        raise InputError(name, f"the content is not a {ext.upper()} file"
                               + (f" (it looks like {found.upper()})" if found else ""))
    return name[:255], MEDIA_TYPES[ext]


def store_attachment(ctx: Context, conn: Connection, actor: User, app_id: int, filename: str, content: bytes,
                     report_id: int | None) -> Attachment:
    """Check, write the file, insert its row and audit it, inside the caller's transaction."""
    name, media_type = check_file(ctx, filename, content)
    stored = secrets.token_hex(16)
    target = files_dir(ctx) / stored
    target.write_bytes(content)
    ts = ctx.ts()
    try:
        aid = conn.execute(insert(ATTACHMENTS).values(
            application_id=app_id, report_id=report_id, filename=name, media_type=media_type, size=len(content),
            stored_name=stored, sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor.id,
            uploaded_at=ts).returning(ATTACHMENTS.c.id)).scalar_one()
        audit.record(ctx, conn, actor, "attachment.add", "application", app_id, None,
                     {"attachment_id": aid, "filename": name, "size": len(content), "report_id": report_id})
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return Attachment(int(aid), app_id, name, media_type, len(content), at(ts), report_id)


def add_attachment(ctx: Context, actor: User, app_id: int, filename: str, content: bytes,
                   report_id: int | None) -> Attachment:
    with ctx.begin() as conn:
        row = load_for(ctx, conn, actor, app_id, write=True)
        if report_id is None and row.status != "draft":
            raise ConflictError(f"application {app_id} is {row.status}; a submitted application cannot be edited")
        return store_attachment(ctx, conn, actor, app_id, filename, content, report_id)


def _attachment(row: Any) -> Attachment:
    return Attachment(row.id, row.application_id, row.filename, row.media_type, row.size, at(row.uploaded_at),
                      row.report_id)


def list_attachments(ctx: Context, actor: User, app_id: int) -> list[Attachment]:
    with ctx.engine.connect() as conn:
        load_for(ctx, conn, actor, app_id)
        return [_attachment(r) for r in conn.execute(select(ATTACHMENTS).where(
            ATTACHMENTS.c.application_id == app_id).order_by(ATTACHMENTS.c.id))]


def read_attachment(ctx: Context, actor: User, attachment_id: int) -> tuple[Attachment, bytes]:
    with ctx.engine.connect() as conn:
        row = conn.execute(select(ATTACHMENTS).where(ATTACHMENTS.c.id == attachment_id)).first()
        if row is None:
            raise NotFound(f"no attachment {attachment_id}")
        load_for(ctx, conn, actor, row.application_id)
    return _attachment(row), (files_dir(ctx) / row.stored_name).read_bytes()
