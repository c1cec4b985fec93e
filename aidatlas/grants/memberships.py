"""Verified claims: an account acts for an organisation only once its request to join was confirmed by a
programme officer or by a confirmed member of that organisation. Applicants apply only for organisations
they belong to; reviewers' memberships feed the conflict-of-interest check (`conflicts`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from aidatlas.auth import User
from aidatlas.db import accounts
from aidatlas.db.tables import table_of
from aidatlas.errors import ConflictError, Forbidden, NotFound
from aidatlas.grants import audit, outbox
from aidatlas.grants.alumni import ORGS
from aidatlas.grants.context import Context, at, from_ts
from aidatlas.grants.models import Membership
from aidatlas.grants.tables import MembershipRow

MEMBERSHIPS = table_of(MembershipRow)
USERS = table_of(accounts.UserRow)


def _query() -> Any:
    return (select(MEMBERSHIPS, ORGS.c.name.label("organisation"), USERS.c.username)
            .join(ORGS, ORGS.c.id == MEMBERSHIPS.c.organisation_id)
            .join(USERS, USERS.c.id == MEMBERSHIPS.c.user_id))


def _membership(row: Any) -> Membership:
    return Membership(row.organisation_id, row.organisation, row.user_id, row.username, row.status,
                      at(row.requested_at), from_ts(row.decided_at))


def confirmed_organisations(conn: Connection, user_id: int) -> set[int]:
    """Ids of the organisations the user is a confirmed member of."""
    return set(conn.execute(select(MEMBERSHIPS.c.organisation_id).where(
        MEMBERSHIPS.c.user_id == user_id, MEMBERSHIPS.c.status == "confirmed")).scalars())


def request_membership(ctx: Context, actor: User, organisation_id: int) -> Membership:
    """Ask to act for an organisation (pending until confirmed); asking again changes nothing."""
    ctx.require(actor, "applicant", "reviewer", "officer", action="joining an organisation")
    with ctx.begin() as conn:
        if conn.execute(select(ORGS.c.id).where(ORGS.c.id == organisation_id)).first() is None:
            raise NotFound(f"no organisation {organisation_id}")
        found = conn.execute(select(MEMBERSHIPS.c.status).where(MEMBERSHIPS.c.organisation_id == organisation_id,
                                                                MEMBERSHIPS.c.user_id == actor.id)).first()
        if found is None:
            conn.execute(insert(MEMBERSHIPS).values(organisation_id=organisation_id, user_id=actor.id,
                                                    status="pending", requested_at=ctx.ts()))
            audit.record(ctx, conn, actor, "membership.request", "organisation", organisation_id, None,
                         {"user_id": actor.id, "status": "pending"})
    return _one(ctx, organisation_id, actor.id)


def _one(ctx: Context, organisation_id: int, user_id: int) -> Membership:
    with ctx.engine.connect() as conn:
        row = conn.execute(_query().where(MEMBERSHIPS.c.organisation_id == organisation_id,
                                          MEMBERSHIPS.c.user_id == user_id)).first()
    if row is None:
        raise NotFound(f"user {user_id} has not asked to join organisation {organisation_id}")
    return _membership(row)


def decide_membership(ctx: Context, actor: User, organisation_id: int, user_id: int, confirm: bool) -> Membership:
    """Confirm (or refuse: the request is dropped to `refused`) a request: officers, or confirmed members of
    the same organisation; nobody confirms their own request."""
    with ctx.begin() as conn:
        row = conn.execute(select(MEMBERSHIPS).where(MEMBERSHIPS.c.organisation_id == organisation_id,
                                                     MEMBERSHIPS.c.user_id == user_id)).first()
        if row is None:
            raise NotFound(f"user {user_id} has not asked to join organisation {organisation_id}")
        if user_id == actor.id:
            raise Forbidden("nobody confirms their own membership")
        if not (ctx.is_(actor, "officer") or organisation_id in confirmed_organisations(conn, actor.id)):
            raise Forbidden("only a programme officer or a confirmed member of the organisation may decide")
        if row.status != "pending":
            raise ConflictError(f"the request is {row.status} already")
        status = "confirmed" if confirm else "refused"
        conn.execute(update(MEMBERSHIPS).where(MEMBERSHIPS.c.organisation_id == organisation_id,
                                               MEMBERSHIPS.c.user_id == user_id)
                     .values(status=status, decided_by=actor.id, decided_at=ctx.ts()))
        audit.record(ctx, conn, actor, f"membership.{status}", "organisation", organisation_id,
                     {"user_id": user_id, "status": "pending"}, {"user_id": user_id, "status": status})
        name = conn.execute(select(USERS.c.username).where(USERS.c.id == user_id)).scalar_one()
        org = conn.execute(select(ORGS.c.name).where(ORGS.c.id == organisation_id)).scalar_one()
        outbox.notify(ctx, conn, name, f"Membership of {org} {status}",
                      f"Your request to act for {org} was {status} by {actor.username}.")
    return _one(ctx, organisation_id, user_id)


def my_memberships(ctx: Context, actor: User) -> list[Membership]:
    with ctx.engine.connect() as conn:
        return [_membership(r) for r in conn.execute(_query().where(MEMBERSHIPS.c.user_id == actor.id)
                                                     .order_by(ORGS.c.name))]


def pending_for(ctx: Context, actor: User) -> list[Membership]:
    """Requests the actor may decide: all of them (officers) or those of the organisations it belongs to."""
    query = _query().where(MEMBERSHIPS.c.status == "pending").order_by(MEMBERSHIPS.c.requested_at)
    with ctx.engine.connect() as conn:
        if not ctx.is_(actor, "officer"):
            query = query.where(MEMBERSHIPS.c.organisation_id.in_(confirmed_organisations(conn, actor.id)),
                                MEMBERSHIPS.c.user_id != actor.id)
        return [_membership(r) for r in conn.execute(query)]


def confirm_directly(ctx: Context, conn: Connection, actor: User, organisation_id: int, user_id: int) -> None:
    """A confirmed membership written by an officer's own action (e.g. an officer registering an account's
    organisation for it), inside the caller's transaction."""
    conn.execute(insert(MEMBERSHIPS).values(organisation_id=organisation_id, user_id=user_id, status="confirmed",
                                            requested_at=ctx.ts(), decided_by=actor.id, decided_at=ctx.ts()))
    audit.record(ctx, conn, actor, "membership.confirmed", "organisation", organisation_id, None,
                 {"user_id": user_id, "status": "confirmed"})
