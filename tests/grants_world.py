"""Shared set-up for the grants tests (a pytest plugin, no tests here): a registry with the demo loaded, users
per role, and a clock the tests move. On SQLite the world is built once per run and copied for each test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from conftest import copy_database
from sqlalchemy import insert

from aidatlas.auth import USERS, User
from aidatlas.db.store import Store
from aidatlas.grants import Grants
from aidatlas.grants.demo import Demo, join, load_demo
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


def open_world(settings: Settings, tmp_path: Path, demo: Demo | None = None,
               users: dict[str, User] | None = None) -> World:
    """A world on `settings`' database: the demo and users are loaded unless given (the database has them)."""
    settings = replace(settings, files_dir=str(tmp_path / "private-files"), reporting_org_ref="XI-TEST")
    store = open_store(settings)
    clock = Clock()
    grants = Grants(store.engine, settings, store, clock=clock)
    world = World(grants, store, settings, clock, demo=demo, users=dict(users or {}))  # type: ignore[arg-type]
    if demo is None:
        officer = world.user("officer", "officer")
        world.demo = load_demo(grants, officer)
        for name, role in (("alice", "applicant"), ("bob", "applicant"), ("rita", "reviewer"), ("rade", "reviewer"),
                           ("admin", "admin")):
            world.user(name, role)
        d = world.demo
        for name in ("alice", "bob"):  # verified claims: both act for the demo's applicant organisations
            join(grants, officer, world.users[name], d.utility, d.association, d.regional_association, d.cso)
    return world


def make_world(settings: Settings, tmp_path: Path) -> Iterator[World]:
    world = open_world(settings, tmp_path)
    try:
        yield world
    finally:
        world.store.close()


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> tuple[Path, Demo, dict]:
    """The SQLite world, built once per run: its database file, the demo's ids and the users."""
    directory = tmp_path_factory.mktemp("grants-world")
    db = copy_database(sqlite_template, directory / "world.db")
    world = open_world(Settings(database_url=Settings.sqlite_url(db)), directory)
    world.store.close()
    return db, world.demo, world.users


@pytest.fixture(name="world")
def world_fixture(world_template: tuple[Path, Demo, dict], tmp_path: Path) -> Iterator[World]:
    db, demo, users = world_template
    settings = Settings(database_url=Settings.sqlite_url(copy_database(db, tmp_path / "registry.db")))
    world = open_world(settings, tmp_path, demo, users)
    try:
        yield world
    finally:
        world.store.close()


@pytest.fixture(name="any_world", params=["sqlite", "postgres"])
def any_world_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The same world on a real SQLite file and on PostgreSQL (skipped with a message when unreachable)."""
    settings = request.getfixturevalue("sqlite_settings" if request.param == "sqlite" else "pg_settings")
    yield from make_world(settings, tmp_path)


def to_project_start(w: World, start: date) -> None:
    """Move the clock to the morning a project starts (reports are accepted from then on)."""
    w.clock.now = max(w.clock.now, datetime.combine(start, time(9), UTC))


def submitted(w: World, applicant: str = "alice", which: str = "followup", submit: bool = True,
              **changes: object) -> int:
    """An application by `applicant` to the demo's follow-up (or `cso`) call, submitted by default."""
    from aidatlas.grants.demo import application_data, apply

    call = w.demo.followup_call if which == "followup" else w.demo.cso_call
    return apply(w.grants, w.users[applicant], call, application_data(w.demo, which, **changes), submit=submit)
