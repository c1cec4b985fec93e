"""Accounts for writing to the registry: users, password hashes, sessions and CSRF tokens (no web code here).

- Passwords: `hashlib.scrypt` (n=2**14, r=8, p=1, 16-byte salt), stored as `scrypt$n$r$p$salt$hash`.
- Sessions: a random token in an HttpOnly cookie; the database keeps only its SHA-256, so a leaked database
  does not leak live sessions. Sessions expire after `SESSION_SECONDS`; logging out deletes the row.
- CSRF: a per-browser random seed (its own cookie) and, in each form, HMAC(secret key, seed + session token);
  a form posted from elsewhere cannot know it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select

from aidatlas.db import accounts
from aidatlas.db.tables import table_of
from aidatlas.errors import AuthError

USERS = table_of(accounts.UserRow)
SESSIONS = table_of(accounts.SessionRow)
SESSION_SECONDS = 14 * 24 * 3600
MIN_PASSWORD = 10
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,80}$")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class User:
    id: int
    username: str


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


_DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def add_user(engine: Engine, username: str, password: str) -> User:
    if not _USERNAME.match(username):
        raise AuthError(f"user name {username!r}: use 2–80 letters, digits or . _ @ -")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"the password needs at least {MIN_PASSWORD} characters")
    with engine.begin() as conn:
        if conn.execute(select(USERS.c.id).where(USERS.c.username == username)).first():
            raise AuthError(f"a user {username!r} exists already")
        user_id = conn.execute(insert(USERS).values(username=username, password_hash=hash_password(password),
                                                    created_at=int(time.time())).returning(USERS.c.id)).scalar_one()
    return User(int(user_id), username)


def find_user(engine: Engine, username: str) -> User | None:
    """The account called `username`, without checking a password (the CLI acts as a named account)."""
    with engine.connect() as conn:
        user_id = conn.execute(select(USERS.c.id).where(USERS.c.username == username)).scalar()
    return None if user_id is None else User(int(user_id), username)


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    if not _USERNAME.match(username):  # no such account can exist (a NUL would not even reach PostgreSQL)
        verify_password(password, _DUMMY_HASH)
        return None
    with engine.connect() as conn:
        row = conn.execute(select(USERS.c.id, USERS.c.password_hash).where(USERS.c.username == username)).first()
    if row is None:
        verify_password(password, _DUMMY_HASH)  # same work whether or not the user exists
        return None
    return User(int(row.id), username) if verify_password(password, row.password_hash) else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(engine: Engine, user: User, seconds: int = SESSION_SECONDS) -> str:
    token = secrets.token_urlsafe(32)
    now = int(time.time())
    with engine.begin() as conn:
        conn.execute(delete(SESSIONS).where(SESSIONS.c.expires_at < now))
        conn.execute(insert(SESSIONS).values(token_hash=_token_hash(token), user_id=user.id, expires_at=now + seconds))
    return token


def session_user(engine: Engine, token: str | None) -> User | None:
    if not token or len(token) > 200:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(USERS.c.id, USERS.c.username, SESSIONS.c.expires_at)
                           .join(SESSIONS, SESSIONS.c.user_id == USERS.c.id)
                           .where(SESSIONS.c.token_hash == _token_hash(token))).first()
    if row is None or row.expires_at < time.time():
        return None
    return User(int(row.id), row.username)


def end_session(engine: Engine, token: str | None) -> None:
    if token:
        with engine.begin() as conn:
            conn.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == _token_hash(token)))


def new_csrf_seed() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(secret: str, seed: str, session: str | None = None) -> str:
    message = f"{seed}\x1f{session or ''}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def check_csrf(secret: str, seed: str | None, session: str | None, token: str | None) -> bool:
    if not seed or not token:
        return False
    return hmac.compare_digest(csrf_token(secret, seed, session), token)
