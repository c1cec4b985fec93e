"""A grants world for the web tests: one SQLite file built once, copied for each test that changes it.

Personas (the rows of the authorization matrix): anonymous, applicant A, applicant B, a reviewer assigned to A's
submitted application, one assigned who declared a conflict, one not assigned, an officer, an editor, an admin.
A owns: `a_sub` (submitted, eligible, with an attachment, reviewed by the panel), `a_draft` (a draft with an
attachment) and `a_awarded` (awarded, active grant, no report yet).
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_database
from fastapi.testclient import TestClient

from aidatlas import auth
from aidatlas.db.store import Store
from aidatlas.grants import Grants
from aidatlas.grants.demo import Demo, application_data, apply, join, load_demo
from aidatlas.registry import open_store
from aidatlas.roles import grant_role
from aidatlas.settings import Settings
from aidatlas.web.app import create_app
from aidatlas.web.common import CSRF_COOKIE, SESSION_COOKIE

PASSWORD = "long enough password"
PERSONAS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "applicant_a": frozenset({"applicant"}),
    "applicant_b": frozenset({"applicant"}),
    "reviewer_assigned": frozenset({"reviewer"}),
    "reviewer_conflicted": frozenset({"reviewer"}),
    "reviewer_unassigned": frozenset({"reviewer"}),
    "officer": frozenset({"officer"}),
    "editor": frozenset({"editor"}),
    "admin": frozenset({"admin"}),
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    db: Path
    demo: Demo
    users: dict[str, auth.User]
    sessions: dict[str, str]
    a_sub: int
    a_draft: int
    a_awarded: int
    b_draft: int
    attachment_sub: int
    attachment_draft: int
    activity_id: str
    alumnus: int
    uploads: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def settings(self, path: Path) -> Settings:
        """Settings over a fresh copy of the world's database (and its attachment files)."""
        target = path / "grants.db"
        shutil.copyfile(self.db, target)
        files = Path(f"{self.db}.files")
        if files.exists():
            shutil.copytree(files, Path(f"{target}.files"))
        return Settings(database_url=Settings.sqlite_url(target), chromium="/bin/false")


def build_world(directory: Path, template: Path) -> World:
    db = copy_database(template, directory / "world.db")
    settings = Settings(database_url=Settings.sqlite_url(db))
    store = open_store(settings)
    engine = store.engine
    users = {}
    for name, held in PERSONAS.items():
        if name == "anonymous":
            continue
        user = auth.add_user(engine, name.replace("_", "-"), PASSWORD)
        for role in held:
            grant_role(engine, user.id, role)
        users[name] = user
    g = Grants(engine, settings, store)
    admin, a, officer = users["admin"], users["applicant_a"], users["officer"]
    demo = load_demo(g, admin)
    for who in ("applicant_a", "applicant_b"):  # verified claims: members of the demo's organisations
        join(g, officer, users[who], demo.utility, demo.association, demo.regional_association, demo.cso)
    data = application_data(demo)
    a_sub = apply(g, a, demo.followup_call, data, submit=False)
    attachment_sub = g.add_attachment(a, a_sub, "statute.pdf", PDF).id
    g.submit(a, a_sub)
    g.check_eligibility(officer, a_sub)
    g.mark_eligibility(officer, a_sub, True, "all rules pass")
    for who in ("reviewer_assigned", "reviewer_conflicted"):
        g.assign_reviewer(officer, a_sub, users[who].id)
    g.declare_conflict(users["reviewer_conflicted"], a_sub, "I chair the applicant's board")
    a_draft = g.start_application(a, demo.followup_call)
    g.save_draft(a, a_draft, "applicant", data["applicant"])
    attachment_draft = g.add_attachment(a, a_draft, "letter.pdf", PDF).id
    a_awarded = apply(g, a, demo.followup_call, data)
    g.mark_eligibility(officer, a_awarded, True, "")
    award = g.decide(officer, a_awarded, True, 9000, "good")
    assert award is not None
    b_draft = g.start_application(users["applicant_b"], demo.followup_call)
    sessions = {name: auth.create_session(engine, user) for name, user in users.items()}
    uploads = {}
    from sqlalchemy import insert

    from aidatlas.db.uploads import UPLOADS

    for who in ("editor", "admin"):
        uploads[who] = secrets.token_urlsafe(8)
        with engine.begin() as conn:
            conn.execute(insert(UPLOADS).values(id=uploads[who], user_id=users[who].id, name="sheet.txt",
                                                media_type="text/plain", content=b"Project title: Water\n",
                                                created_at=2_000_000_000))
    from web_fixtures import DOC, fill

    from aidatlas.ingest.documents import load_bytes

    fill(store, synthetic=0)
    pending_org = g.create_organisation(users["applicant_b"], "Citizens' Forum Ugljevik", "BA", "cso").id
    g.request_membership(users["applicant_b"], pending_org)  # waits for an officer
    later = Grants(engine, settings, store, clock=lambda: datetime(2027, 3, 2, 9, tzinfo=UTC))  # project started
    report = later.submit_report(a, award.id, "interim", dict.fromkeys(data["project"]["objectives"], "half"), 10)
    extra = {"document_id": load_bytes("sheet.txt", DOC).sha256, "pending_org": pending_org,
             "report_id": report.id, "tranche_id": later.tranches(officer, award.id)[0].id}
    store.close()
    return World(db, demo, users, sessions, a_sub, a_draft, a_awarded, b_draft, attachment_sub, attachment_draft,
                 award.activity_id, demo.alumni["Jovan Marić"], uploads, extra)


@pytest.fixture(scope="session", name="grants_web_world")
def grants_web_world_fixture(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> World:
    """One world per run for the web tests that read it (each test changes only its own copy)."""
    return build_world(tmp_path_factory.mktemp("grants-web-world"), sqlite_template)


def login_as(client: TestClient, world: World, persona: str) -> str:
    """Give the client the persona's session and a CSRF seed; returns the CSRF token its forms carry."""
    client.cookies.clear()
    seed = "seed-" + persona
    client.cookies.set(CSRF_COOKIE, seed)
    session = world.sessions.get(persona)
    if session:
        client.cookies.set(SESSION_COOKIE, session)
    return auth.csrf_token("dev-only-change-me", seed, session)


def client_for(world: World, path: Path) -> tuple[TestClient, Store]:
    settings = world.settings(path)
    store = open_store(settings)
    return TestClient(create_app(settings, store)), store
