"""Messages that arrive: a real local SMTP server (aiosmtpd) started by the test receives what `send_outbox`
sends — to plain addresses and to the verified address of the user a notification names — and each message
keeps a delivery status: refusals fail with the server's answer, temporary failures are retried, and an
unreachable server is one clear error (no traceback from the CLI)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from grants_world import World
from typer.testing import CliRunner

from aidatlas.errors import AidatlasError, NotFound
from aidatlas.grants import Grants
from aidatlas.grants.outbox import MAX_ATTEMPTS


class Mailbox:
    """An aiosmtpd handler: keeps what it accepts; refuses `refused@…` for good and `busy@…` for now."""

    def __init__(self) -> None:
        self.received: list[Any] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("refused@"):
            return "550 5.1.1 no such mailbox"
        if address.startswith("busy@"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def with_smtp(world: World, url: str | None) -> Grants:
    settings = replace(world.settings, smtp_url=url)
    return Grants(world.store.engine, settings, world.store, clock=world.clock)


def test_notifications_reach_verified_addresses_through_a_real_smtp_server(world: World, smtp):
    box, port = smtp
    g = with_smtp(world, f"smtp://127.0.0.1:{port}?from=grants@example.org")
    alice, bob, officer = world.users["alice"], world.users["bob"], world.users["officer"]
    g.set_email(alice, "alice@example.org", "http://testserver/account/email/verify")
    link = next(m for m in g.outbox(officer) if m.to == "alice@example.org").body.split()[-1]
    assert g.email_of(alice) == ("alice@example.org", False)
    with pytest.raises(NotFound):
        g.verify_email(alice, "not-the-token")
    assert g.verify_email(alice, link.split("token=")[1]) == "alice@example.org"
    assert g.email_of(alice) == ("alice@example.org", True)
    g.notify("alice", "Decision on application 1", "Awarded 9,000.00 EUR.")
    g.notify("bob", "Application 2 received", "Your application was submitted.")  # bob has no address
    g.notify("refused@example.org", "Hello", "to a mailbox that does not exist")

    to_alice, to_bob = len(g.inbox(alice)[0]), len(g.inbox(bob)[0])  # membership news, then these
    delivery = g.send_outbox(officer)
    assert (delivery.sent, delivery.failed, delivery.no_address) == (to_alice + 1, 1, to_bob)  # +1: the link
    subjects = {m["Subject"]: (to, m) for to, m in box.received}
    assert subjects["Decision on application 1"][0] == ["alice@example.org"]
    assert subjects["Decision on application 1"][1]["From"] == "grants@example.org"
    assert "Awarded 9,000.00 EUR." in subjects["Decision on application 1"][1].get_payload(decode=True).decode()
    status = {m.subject: m for m in g.outbox(officer)}
    assert status["Decision on application 1"].status == "sent"
    assert status["Application 2 received"].status == "no-address"
    assert status["Hello"].status == "failed" and "550" in (status["Hello"].last_error or "")
    inbox, unread = g.inbox(bob)
    assert inbox[0].subject == "Application 2 received" and unread == to_bob  # newest first, in bob's inbox
    g.mark_inbox_read(bob)
    assert g.inbox(bob)[1] == 0

    g.set_email(bob, "bob@example.org", "http://testserver/verify")  # bob verifies later: then it goes out
    token = next(m for m in g.outbox(officer) if m.to == "bob@example.org").body.split("token=")[1]
    g.verify_email(bob, token)
    assert g.send_outbox(officer).sent == to_bob + 1
    assert any(to == ["bob@example.org"] and m["Subject"] == "Application 2 received" for to, m in box.received)
    assert g.send_outbox(officer).sent == 0  # nothing is sent twice
    sends = [e for e in g.audit_entries(officer, "outbox") if e.action == "outbox.send"]
    assert len(sends) == 2 and sends[-1].after is not None and sends[-1].after["failed"] == 1  # (the third: empty)


def test_a_temporary_refusal_is_retried_then_fails(world: World, smtp):
    _, port = smtp
    g = with_smtp(world, f"smtp://127.0.0.1:{port}")
    officer = world.users["officer"]
    g.notify("busy@example.org", "Later", "the server is busy")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        delivery = g.send_outbox(officer)
        message = next(m for m in g.outbox(officer) if m.subject == "Later")
        assert message.attempts == attempt and "451" in (message.last_error or "")
        assert message.status == ("failed" if attempt == MAX_ATTEMPTS else "queued")
        assert (delivery.retry, delivery.failed) == ((0, 1) if attempt == MAX_ATTEMPTS else (1, 0))


def test_an_unreachable_server_is_one_clear_error(world: World, tmp_path, monkeypatch):
    port = free_port()  # nothing listens there
    g = with_smtp(world, f"smtp://127.0.0.1:{port}")
    officer = world.users["officer"]
    g.notify("someone@example.org", "Hello", "body")
    with pytest.raises(AidatlasError, match=f"cannot reach the SMTP server 127.0.0.1:{port}"):
        g.send_outbox(officer)
    assert next(m for m in g.outbox(officer) if m.subject == "Hello").status == "queued"

    from aidatlas.cli.main import app

    monkeypatch.setenv("AIDATLAS_SMTP_URL", f"smtp://127.0.0.1:{port}")
    db = world.settings.database_url.removeprefix("sqlite:///")
    result = CliRunner().invoke(app, ["grants", "outbox", "send", "--db", db, "--user", "officer"])
    assert result.exit_code == 1
    assert f"cannot reach the SMTP server 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output
