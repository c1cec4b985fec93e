"""Shared set-up for the grants tests (no tests here): a registry with the demo loaded, users per role,
and a clock the tests move."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from aidatlas.auth import USERS, User
from aidatlas.db.store import Store
from aidatlas.grants import Grants
from aidatlas.grants.demo import Demo, load_demo
from aidatlas.registry import open_store
from aidatlas.roles import grant_role
from aidatlas.settings import Settings

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class World:
    grants: Grants
    store: Store
    settings: Settings
    clock: Clock
    demo: Demo
    users: dict[str, User] = field(default_factory=dict)

    def user(self, name: str, *roles: str) -> User:
        if name not in self.users:
            with self.store.engine.begin() as conn:  # no scrypt: these accounts never log in
                uid = conn.execute(insert(USERS).values(username=name, password_hash="!", created_at=0)
                                   .returning(USERS.c.id)).scalar_one()
            user = User(int(uid), name)
            for role in roles:
                grant_role(self.store.engine, user.id, role)
            self.users[name] = user
        return self.users[name]


def make_world(settings: Settings, tmp_path: Path) -> Iterator[World]:
    from dataclasses import replace

    settings = replace(settings, files_dir=str(tmp_path / "private-files"), reporting_org_ref="XI-TEST")
    store = open_store(settings)
    clock = Clock()
    grants = Grants(store.engine, settings, store, clock=clock)
    world = World(grants, store, settings, clock, demo=None)  # type: ignore[arg-type]
    officer = world.user("officer", "officer")
    world.demo = load_demo(grants, officer)
    world.user("alice", "applicant")
    world.user("bob", "applicant")
    world.user("rita", "reviewer")
    world.user("rade", "reviewer")
    world.user("admin", "admin")
    try:
        yield world
    finally:
        store.close()


@pytest.fixture(name="world")
def world_fixture(sqlite_settings: Settings, tmp_path: Path) -> Iterator[World]:
    yield from make_world(sqlite_settings, tmp_path)


@pytest.fixture(name="any_world", params=["sqlite", "postgres"])
def any_world_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The same world on a real SQLite file and on PostgreSQL (skipped with a message when unreachable)."""
    settings = request.getfixturevalue("sqlite_settings" if request.param == "sqlite" else "pg_settings")
    yield from make_world(settings, tmp_path)


def submitted(w: World, applicant: str = "alice", which: str = "followup", submit: bool = True,
              **changes: object) -> int:
    """An application by `applicant` to the demo's follow-up (or `cso`) call, submitted by default."""
    from aidatlas.grants.demo import application_data, apply

    call = w.demo.followup_call if which == "followup" else w.demo.cso_call
    return apply(w.grants, w.users[applicant], call, application_data(w.demo, which, **changes), submit=submit)
