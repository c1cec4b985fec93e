"""What every grants module needs: the engine, settings, the registry store, a clock, role checks, JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from aidatlas.auth import User
from aidatlas.db.store import Store
from aidatlas.roles import has_role, require, roles_of
from aidatlas.settings import Settings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Context:
    engine: Engine
    settings: Settings
    store: Store
    clock: Callable[[], datetime] | None = field(default=None)

    def now(self) -> datetime:
        return (self.clock or utc_now)()

    def ts(self) -> int:
        """Now as unix seconds (how times are stored)."""
        return int(self.now().timestamp())

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: the state change and its audit row commit together or not at all."""
        with self.engine.begin() as conn:
            yield conn

    def roles(self, actor: User) -> frozenset[str]:
        return roles_of(self.engine, actor.id)

    def is_(self, actor: User, *roles: str) -> bool:
        return has_role(self.roles(actor), *roles)

    def require(self, actor: User, *roles: str, action: str) -> frozenset[str]:
        return require(self.engine, actor.id, *roles, action=action)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def loads(text: str | None, default: Any = None) -> Any:
    return default if text is None else json.loads(text)


def from_ts(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def at(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)
