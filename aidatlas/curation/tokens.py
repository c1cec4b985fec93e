"""Personal API tokens of editors: created and revoked on the account page, stored as SHA-256 only, scoped
`read` (history) or `write` (also `PATCH /api/activities/{id}`). The plain token is shown once, at creation.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, ForeignKey, Integer, String, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from aidatlas.auth import User
from aidatlas.db import accounts
from aidatlas.db.tables import Base, table_of
from aidatlas.errors import InputError, NotFound, TokenRefused

Scope = Literal["read", "write"]
SCOPES: tuple[str, ...] = ("read", "write")
PREFIX = "aat_"
MAX_PER_USER = 20


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[int | None] = mapped_column(Integer)


TOKENS = table_of(ApiTokenRow)
USERS = table_of(accounts.UserRow)


@dataclass(frozen=True)
class Token:
    id: int
    name: str
    scope: str
    created_at: int
    revoked_at: int | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(engine: Engine, user: User, name: str, scope: str) -> tuple[Token, str]:
    """A new token for `user`; returns it and its plain text (shown once, never stored)."""
    name = " ".join(name.split())[:80]
    if not name:
        raise InputError("name", "give the token a name (what will use it)")
    if scope not in SCOPES:
        raise InputError("scope", f"{scope!r} is not one of {', '.join(SCOPES)}")
    plain = PREFIX + secrets.token_urlsafe(32)
    now = int(time.time())
    with engine.begin() as conn:
        active = conn.execute(select(TOKENS.c.id).where(TOKENS.c.user_id == user.id,
                                                        TOKENS.c.revoked_at.is_(None))).all()
        if len(active) >= MAX_PER_USER:
            raise InputError("name", f"at most {MAX_PER_USER} active tokens per account: revoke one first")
        token_id = conn.execute(insert(TOKENS).values(user_id=user.id, name=name, token_hash=_hash(plain),
                                                      scope=scope, created_at=now).returning(TOKENS.c.id)).scalar_one()
    return Token(int(token_id), name, scope, now, None), plain


def tokens_of(engine: Engine, user: User) -> list[Token]:
    with engine.connect() as conn:
        rows = conn.execute(select(TOKENS).where(TOKENS.c.user_id == user.id).order_by(TOKENS.c.id.desc()))
        return [Token(int(r.id), r.name, r.scope, r.created_at, r.revoked_at) for r in rows]


def revoke(engine: Engine, user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens (another user's token is not found)."""
    with engine.begin() as conn:
        done = conn.execute(update(TOKENS).where(TOKENS.c.id == token_id, TOKENS.c.user_id == user.id,
                                                 TOKENS.c.revoked_at.is_(None))
                            .values(revoked_at=int(time.time()))).rowcount
    if not done:
        raise NotFound(f"no active token {token_id} of yours")


def verify(engine: Engine, token: str | None) -> tuple[User, str]:
    """The user a bearer token stands for and its scope; TokenRefused when missing, unknown or revoked."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        raise TokenRefused("send a personal API token: Authorization: Bearer aat_…")
    with engine.connect() as conn:
        row = conn.execute(select(TOKENS.c.scope, TOKENS.c.revoked_at, USERS.c.id, USERS.c.username)
                           .join(USERS, USERS.c.id == TOKENS.c.user_id)
                           .where(TOKENS.c.token_hash == _hash(token))).first()
    if row is None:
        raise TokenRefused("this API token is not known")
    if row.revoked_at is not None:
        raise TokenRefused("this API token was revoked")
    return User(int(row.id), row.username), str(row.scope)
