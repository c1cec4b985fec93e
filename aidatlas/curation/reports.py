"""Error reports from the public: anyone may say a record is wrong, without an account. Reports are stored
for editors only (never shown publicly) and resolved by an edit or dismissed with a reason.

Against spam: a honeypot field (a form filled by a robot is answered as if stored, and nothing is), length
limits, and at most `Settings.report_limit` reports per address per minute (counted in the database, so every
worker process sees the same count; the address is kept as a keyed hash, not as written).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from sqlalchemy import Engine, Integer, String, Text, func, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from aidatlas.db import tables as t
from aidatlas.db.tables import Base, table_of
from aidatlas.errors import ConflictError, InputError, NotFound, RateLimited
from aidatlas.settings import Settings

WINDOW = 60
MIN_MESSAGE, MAX_MESSAGE, MAX_CONTACT = 10, 2000, 200
STATUSES: tuple[str, ...] = ("open", "resolved", "dismissed")


class ErrorReportRow(Base):
    __tablename__ = "error_reports"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    activity_id: Mapped[str] = mapped_column(String(80))
    field: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(64))  # HMAC of the client address
    created_at: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(80))
    resolved_at: Mapped[int | None] = mapped_column(Integer)
    resolution: Mapped[str | None] = mapped_column(Text)


REPORTS = table_of(ErrorReportRow)
ACTIVITIES = table_of(t.ActivityRow)


@dataclass(frozen=True)
class Report:
    id: int
    activity_id: str
    field: str | None
    message: str
    contact: str | None
    created_at: int
    status: str
    resolved_by: str | None
    resolution: str | None

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def _address_key(settings: Settings, address: str) -> str:
    return hmac.new(settings.secret_key.encode("utf-8"), address.encode("utf-8"), hashlib.sha256).hexdigest()


def submit(engine: Engine, settings: Settings, activity_id: str, message: str, *, address: str,
           contact: str = "", field: str = "", honeypot: str = "", now: int | None = None) -> Report | None:
    """Store a report; None when the honeypot was filled (nothing stored). RateLimited past the limit."""
    message = message.strip()
    if honeypot:
        return None
    if not MIN_MESSAGE <= len(message) <= MAX_MESSAGE:
        raise InputError("message", f"write between {MIN_MESSAGE} and {MAX_MESSAGE} characters")
    if len(contact) > MAX_CONTACT:
        raise InputError("contact", f"at most {MAX_CONTACT} characters")
    at = int(time.time()) if now is None else now
    key = _address_key(settings, address)
    with engine.begin() as conn:
        if conn.execute(select(ACTIVITIES.c.id).where(ACTIVITIES.c.id == activity_id)).first() is None:
            raise NotFound(f"no activity {activity_id!r} in the registry")
        recent = conn.execute(select(func.count()).select_from(REPORTS).where(
            REPORTS.c.address == key, REPORTS.c.created_at > at - WINDOW)).scalar_one()
        if recent >= settings.report_limit:
            raise RateLimited(f"at most {settings.report_limit} reports a minute from one address: try again later")
        report_id = conn.execute(insert(REPORTS).values(
            activity_id=activity_id, field=field[:40] or None, message=message, contact=contact.strip() or None,
            address=key, created_at=at, status="open").returning(REPORTS.c.id)).scalar_one()
    return Report(int(report_id), activity_id, field or None, message, contact or None, at, "open", None, None)


def reports(engine: Engine, *, status: str | None = "open", activity_id: str | None = None,
            limit: int = 200) -> list[Report]:
    query = select(REPORTS).order_by(REPORTS.c.id.desc()).limit(limit)
    if status:
        query = query.where(REPORTS.c.status == status)
    if activity_id:
        query = query.where(REPORTS.c.activity_id == activity_id)
    with engine.connect() as conn:
        return [Report(int(r.id), r.activity_id, r.field, r.message, r.contact, r.created_at, r.status,
                       r.resolved_by, r.resolution) for r in conn.execute(query)]


def close(engine: Engine, report_id: int, status: str, *, actor: str, reason: str) -> None:
    """Resolve (the record was edited) or dismiss a report, with a reason."""
    reason = " ".join(reason.split())
    if not reason:
        raise InputError("reason", "say why the report is closed")
    if status not in ("resolved", "dismissed"):
        raise InputError("status", "resolved or dismissed")
    with engine.begin() as conn:
        row = conn.execute(select(REPORTS.c.status).where(REPORTS.c.id == report_id)).first()
        if row is None:
            raise NotFound(f"no report {report_id}")
        if row.status != "open":
            raise ConflictError(f"report {report_id} is {row.status} already")
        conn.execute(update(REPORTS).where(REPORTS.c.id == report_id).values(
            status=status, resolved_by=actor, resolved_at=int(time.time()), resolution=reason[:1000]))
