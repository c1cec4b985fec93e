"""What the grants programme keeps about accounts: role changes made through it (each one audited) and
e-mail addresses, which receive messages only once their owner proved them by opening a link."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import delete, insert, select, update

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import InputError, NotFound
from aidatlas.grants import audit, outbox
from aidatlas.grants.context import Context, from_ts
from aidatlas.grants.tables import AccountEmailRow
from aidatlas.roles import ROLES, grant_role, revoke_role, roles_of

EMAILS = table_of(AccountEmailRow)
ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+$")


def change_role(ctx: Context, actor: User, user_id: int, role: str, give: bool) -> frozenset[str]:
    """Give or take a role (administrators), with an audit entry naming the roles before and after."""
    ctx.require(actor, "admin", action="changing roles")
    if role not in ROLES:
        raise InputError("role", f"no role {role!r}; roles: {', '.join(ROLES)}")
    before = roles_of(ctx.engine, user_id)
    (grant_role if give else revoke_role)(ctx.engine, user_id, role)
    after = roles_of(ctx.engine, user_id)
    if after != before:
        with ctx.begin() as conn:
            audit.record(ctx, conn, actor, "user.role_" + ("grant" if give else "revoke"), "user", user_id,
                         {"roles": sorted(before)}, {"roles": sorted(after)})
    return after


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def set_email(ctx: Context, actor: User, address: str, verify_url: str) -> None:
    """Record the actor's address (unverified) and send a link `verify_url?token=…` to that address."""
    address = address.strip()
    if len(address) > 320 or not ADDRESS.match(address):
        raise InputError("e-mail", f"{address!r} is not an e-mail address (name@example.org)")
    token = secrets.token_urlsafe(24)
    with ctx.begin() as conn:
        conn.execute(delete(EMAILS).where(EMAILS.c.user_id == actor.id))
        conn.execute(insert(EMAILS).values(user_id=actor.id, address=address, token_hash=_digest(token),
                                           verified_at=None))
        audit.record(ctx, conn, actor, "user.email_set", "user", actor.id, None, {"verified": False})
        outbox.notify(ctx, conn, address, "Confirm your e-mail address",
                      f"Open this link to receive the grants programme's messages at this address:\n"
                      f"{verify_url}?token={token}")


def verify_email(ctx: Context, actor: User, token: str) -> str:
    """Mark the actor's address verified when `token` is the one sent to it; returns the address."""
    with ctx.begin() as conn:
        row = conn.execute(select(EMAILS).where(EMAILS.c.user_id == actor.id)).first()
        if row is None or row.token_hash is None or not secrets.compare_digest(row.token_hash, _digest(token)):
            raise NotFound("this confirmation link is not valid for your account (ask for a new one)")
        conn.execute(update(EMAILS).where(EMAILS.c.user_id == actor.id).values(verified_at=ctx.ts(),
                                                                              token_hash=None))
        audit.record(ctx, conn, actor, "user.email_verified", "user", actor.id, {"verified": False},
                     {"verified": True})
        return str(row.address)


def email_of(ctx: Context, actor: User) -> tuple[str | None, bool]:
    """The actor's address and whether it is verified."""
    with ctx.engine.connect() as conn:
        row = conn.execute(select(EMAILS).where(EMAILS.c.user_id == actor.id)).first()
    return (None, False) if row is None else (row.address, from_ts(row.verified_at) is not None)

