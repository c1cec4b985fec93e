"""Notifications: a row in `outbox` and a console log line; sent by SMTP only when `settings.smtp_url` is set
(`smtp://user:password@host:port?from=grants@example.org`, `smtps://` for TLS)."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import Connection, insert, select, update

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import AidatlasError
from aidatlas.grants.context import Context, at, from_ts
from aidatlas.grants.models import OutboxMessage
from aidatlas.grants.tables import OutboxRow

OUTBOX = table_of(OutboxRow)
log = logging.getLogger("aidatlas.grants")


def notify(ctx: Context, conn: Connection, to: str, subject: str, body: str) -> OutboxMessage:
    """Queue a message inside the caller's transaction (it is sent only if the change commits)."""
    ts = ctx.ts()
    mid = conn.execute(insert(OUTBOX).values(created_at=ts, recipient=to, subject=subject, body=body)
                       .returning(OUTBOX.c.id)).scalar_one()
    log.info("notification to %s: %s", to, subject)
    return OutboxMessage(int(mid), at(ts), to, subject, body)


def list_outbox(ctx: Context, actor: User, unsent_only: bool) -> list[OutboxMessage]:
    ctx.require(actor, "officer", action="reading the outbox")
    query = select(OUTBOX).order_by(OUTBOX.c.id)
    if unsent_only:
        query = query.where(OUTBOX.c.sent_at.is_(None))
    with ctx.engine.connect() as conn:
        return [OutboxMessage(r.id, at(r.created_at), r.recipient, r.subject, r.body, from_ts(r.sent_at))
                for r in conn.execute(query)]


def send_outbox(ctx: Context, actor: User) -> int:
    ctx.require(actor, "officer", action="sending the outbox")
    if not ctx.settings.smtp_url:
        raise AidatlasError("no SMTP server configured: set AIDATLAS_SMTP_URL (messages stay in the outbox)")
    url = urlsplit(ctx.settings.smtp_url)
    sender = parse_qs(url.query).get("from", [f"aidatlas@{url.hostname}"])[0]
    pending = list_outbox(ctx, actor, unsent_only=True)
    smtp_class = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
    sent = 0
    with smtp_class(url.hostname or "localhost", url.port or (465 if url.scheme == "smtps" else 25)) as smtp:
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        for message in pending:
            if "@" not in message.to:
                log.info("outbox %s: %r is a user name without an address; left unsent", message.id, message.to)
                continue
            email = EmailMessage()
            email["From"], email["To"], email["Subject"] = sender, message.to, message.subject
            email.set_content(message.body)
            smtp.send_message(email)
            with ctx.begin() as conn:
                conn.execute(update(OUTBOX).where(OUTBOX.c.id == message.id).values(sent_at=ctx.ts()))
            sent += 1
    return sent
