"""Notifications: every message is a row in `outbox` — the recipient's in-app inbox when it is addressed to a
user name — and goes out by e-mail through `settings.smtp_url` (`smtp://user:password@host:port?from=…`,
`smtps://` for TLS) to an address, or to the verified address of the user it names.

Each message has a delivery status: `queued` (not tried yet, or a temporary failure to try again),
`sent`, `failed` (refused by the server, or `MAX_ATTEMPTS` temporary failures; `last_error` says why) and
`no-address` (a user without a verified address: it stays in the inbox only, and goes out once one is
verified)."""

from __future__ import annotations

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import Connection, func, insert, select, update

from aidatlas.auth import User
from aidatlas.db import accounts
from aidatlas.db.tables import table_of
from aidatlas.errors import AidatlasError
from aidatlas.grants import audit
from aidatlas.grants.context import Context, at, from_ts
from aidatlas.grants.models import OutboxMessage
from aidatlas.grants.tables import AccountEmailRow, OutboxRow

OUTBOX = table_of(OutboxRow)
EMAILS = table_of(AccountEmailRow)
USERS = table_of(accounts.UserRow)
MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 10
log = logging.getLogger("aidatlas.grants")


def notify(ctx: Context, conn: Connection, to: str, subject: str, body: str) -> OutboxMessage:
    """Queue a message inside the caller's transaction (it exists only if the change commits)."""
    ts = ctx.ts()
    mid = conn.execute(insert(OUTBOX).values(created_at=ts, recipient=to, subject=subject, body=body,
                                             status="queued", attempts=0).returning(OUTBOX.c.id)).scalar_one()
    log.info("notification to %s: %s", to, subject)
    return OutboxMessage(int(mid), at(ts), to, subject, body)


def _message(r: Any) -> OutboxMessage:
    return OutboxMessage(r.id, at(r.created_at), r.recipient, r.subject, r.body, from_ts(r.sent_at), r.status,
                         r.attempts, r.last_error, from_ts(r.read_at))


def list_outbox(ctx: Context, actor: User, unsent_only: bool) -> list[OutboxMessage]:
    ctx.require(actor, "officer", action="reading the outbox")
    query = select(OUTBOX).order_by(OUTBOX.c.id.desc()).limit(1000)
    if unsent_only:
        query = query.where(OUTBOX.c.sent_at.is_(None))
    with ctx.engine.connect() as conn:
        return [_message(r) for r in conn.execute(query)]


def inbox(ctx: Context, actor: User, before: int | None = None, limit: int = 50) -> tuple[list[OutboxMessage], int]:
    """The actor's messages, newest first (`before`: the page older than that message id), and how many
    are unread. Two indexed queries."""
    query = select(OUTBOX).where(OUTBOX.c.recipient == actor.username).order_by(OUTBOX.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(OUTBOX.c.id < before)
    unread = select(func.count()).select_from(OUTBOX).where(OUTBOX.c.recipient == actor.username,
                                                             OUTBOX.c.read_at.is_(None))
    with ctx.engine.connect() as conn:
        return [_message(r) for r in conn.execute(query)], int(conn.execute(unread).scalar_one())


def mark_read(ctx: Context, actor: User) -> None:
    with ctx.begin() as conn:
        conn.execute(update(OUTBOX).where(OUTBOX.c.recipient == actor.username, OUTBOX.c.read_at.is_(None))
                     .values(read_at=ctx.ts()))


@dataclass(frozen=True)
class Delivery:
    """What one `send_outbox` run did."""

    sent: int = 0
    failed: int = 0
    retry: int = 0
    no_address: int = 0

    def __str__(self) -> str:
        return (f"{self.sent} sent, {self.failed} failed, {self.retry} to retry, "
                f"{self.no_address} without a verified address (inbox only)")


def _server(url_text: str) -> tuple[Any, str]:
    url = urlsplit(url_text)
    if url.scheme not in ("smtp", "smtps") or not url.hostname:
        raise AidatlasError(f"AIDATLAS_SMTP_URL: {url_text.split('@')[-1]!r} is not smtp://host:port or "
                            "smtps://host:port")
    port = url.port or (465 if url.scheme == "smtps" else 25)
    sender = parse_qs(url.query).get("from", [f"aidatlas@{url.hostname}"])[0]
    where = f"{url.hostname}:{port}"
    try:
        smtp_class = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
        smtp = smtp_class(url.hostname, port, timeout=TIMEOUT_SECONDS)
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
    except smtplib.SMTPAuthenticationError as exc:
        raise AidatlasError(f"the SMTP server {where} refused the user name or password ({exc.smtp_code}); "
                            "messages stay queued") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise AidatlasError(f"cannot reach the SMTP server {where}: {exc or type(exc).__name__}; "
                            "messages stay queued") from None
    return smtp, sender


def _permanent(exc: BaseException) -> bool:
    """A 5xx answer will not change on retry; 4xx answers and network trouble may."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _record(ctx: Context, message_id: int, **values: Any) -> None:
    with ctx.begin() as conn:
        conn.execute(update(OUTBOX).where(OUTBOX.c.id == message_id).values(**values))


def send_outbox(ctx: Context, actor: User) -> Delivery:
    """Send every queued message; a message that fails is retried on the next run (at most MAX_ATTEMPTS)."""
    ctx.require(actor, "officer", action="sending the outbox")
    if not ctx.settings.smtp_url:
        raise AidatlasError("no SMTP server configured: set AIDATLAS_SMTP_URL (messages stay in the outbox)")
    with ctx.engine.connect() as conn:
        pending = list(conn.execute(select(OUTBOX).where(OUTBOX.c.status.in_(("queued", "no-address")))
                                    .order_by(OUTBOX.c.id)))
        names = {r.recipient for r in pending if "@" not in r.recipient}
        addresses = {r.username: r.address for r in conn.execute(
            select(USERS.c.username, EMAILS.c.address).join(EMAILS, EMAILS.c.user_id == USERS.c.id)
            .where(USERS.c.username.in_(names), EMAILS.c.verified_at.is_not(None)))} if names else {}
    counts = {"sent": 0, "failed": 0, "retry": 0, "no_address": 0}
    if not pending:
        return Delivery()
    smtp, sender = _server(ctx.settings.smtp_url)
    try:
        for row in pending:
            address = row.recipient if "@" in row.recipient else addresses.get(row.recipient)
            if address is None:
                if row.status != "no-address":
                    _record(ctx, row.id, status="no-address")
                counts["no_address"] += 1
                continue
            email = EmailMessage()
            email["From"], email["To"], email["Subject"] = sender, address, row.subject
            email.set_content(row.body)
            try:
                smtp.send_message(email)
            except smtplib.SMTPServerDisconnected as exc:
                _record(ctx, row.id, attempts=row.attempts + 1, last_error=f"disconnected: {exc}",
                        status="failed" if row.attempts + 1 >= MAX_ATTEMPTS else "queued")
                counts["retry"] += 1
                smtp, sender = _server(ctx.settings.smtp_url)
                continue
            except (TimeoutError, smtplib.SMTPException, OSError) as exc:
                permanent = _permanent(exc)
                attempts = row.attempts + 1
                final = permanent or attempts >= MAX_ATTEMPTS
                _record(ctx, row.id, attempts=attempts, last_error=str(exc)[:1000],
                        status="failed" if final else "queued")
                counts["failed" if final else "retry"] += 1
                log.warning("outbox %s to %s: %s", row.id, address, exc)
                continue
            _record(ctx, row.id, attempts=row.attempts + 1, sent_at=ctx.ts(), status="sent", last_error=None)
            counts["sent"] += 1
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()
    with ctx.begin() as conn:  # an officer's action: in the audit log
        audit.record(ctx, conn, actor, "outbox.send", "outbox", "smtp", None, dict(counts))
    return Delivery(**counts)
