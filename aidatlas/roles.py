"""Roles of accounts: what a signed-in user may do. `admin` implies every role.

    applicant  starts and submits grant applications, reports on its awards
    reviewer   scores the applications an officer assigned (unless it declared a conflict)
    officer    runs programmes: calls, alumni registry, eligibility, assignments, decisions, completion
    editor     adds documents to the public registry (every account before roles existed)
    admin      everything
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from aidatlas.db import accounts
from aidatlas.db.tables import Base, table_of
from aidatlas.errors import AuthError, Forbidden


class UserRoleRow(Base):
    """One role of one user (migration 0004 gives every account that existed before it `editor`)."""

    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


ROLES: tuple[str, ...] = ("applicant", "reviewer", "officer", "editor", "admin")
USER_ROLES = table_of(UserRoleRow)
USERS = table_of(accounts.UserRow)


def _check(role: str) -> None:
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")


def grant_role(engine: Engine, user_id: int, role: str) -> None:
    """Give `role` to a user (granting a role twice changes nothing)."""
    _check(role)
    with engine.begin() as conn:
        if conn.execute(select(USERS.c.id).where(USERS.c.id == user_id)).first() is None:
            raise AuthError(f"no user with id {user_id}")
        if conn.execute(select(USER_ROLES.c.role).where(USER_ROLES.c.user_id == user_id,
                                                        USER_ROLES.c.role == role)).first() is None:
            conn.execute(USER_ROLES.insert().values(user_id=user_id, role=role))


def revoke_role(engine: Engine, user_id: int, role: str) -> None:
    _check(role)
    with engine.begin() as conn:
        conn.execute(delete(USER_ROLES).where(USER_ROLES.c.user_id == user_id, USER_ROLES.c.role == role))


def roles_of(engine: Engine, user_id: int) -> frozenset[str]:
    """The user's roles as stored (`admin` is not expanded here: use `has_role`)."""
    with engine.connect() as conn:
        return frozenset(conn.execute(select(USER_ROLES.c.role).where(USER_ROLES.c.user_id == user_id)).scalars())


def has_role(roles: frozenset[str], *wanted: str) -> bool:
    """True when `roles` include one of `wanted`, or `admin`."""
    return "admin" in roles or any(r in roles for r in wanted)


def users_with_role(engine: Engine, role: str) -> list[tuple[int, str]]:
    """(id, user name) of every user holding `role`, by name."""
    _check(role)
    with engine.connect() as conn:
        rows = conn.execute(select(USERS.c.id, USERS.c.username).join(USER_ROLES, USER_ROLES.c.user_id == USERS.c.id)
                            .where(USER_ROLES.c.role == role).order_by(USERS.c.username))
        return [(int(r.id), r.username) for r in rows]


def users_and_roles(engine: Engine) -> tuple[list[dict[str, Any]], dict[int, set[str]]]:
    """Every account ({id, username}, by name) and the roles each holds: the admin's users page."""
    with engine.connect() as conn:
        users = [dict(r) for r in conn.execute(select(USERS.c.id, USERS.c.username).order_by(USERS.c.username)
                                               ).mappings()]
        held: dict[int, set[str]] = {}
        for user_id, role in conn.execute(select(USER_ROLES.c.user_id, USER_ROLES.c.role)):
            held.setdefault(int(user_id), set()).add(role)
    return users, held


def require(engine: Engine, user_id: int, *wanted: str, action: str) -> frozenset[str]:
    """The user's roles, or `Forbidden` naming the action and the roles that may do it."""
    roles = roles_of(engine, user_id)
    if not has_role(roles, *wanted):
        raise Forbidden(f"{action} needs the role {' or '.join(wanted)}")
    return roles
