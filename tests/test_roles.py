"""Roles: granted, revoked, read; admin implies every role; accounts that existed before migration 0004 keep
the right to add documents as editors; `user add --role`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidatlas.auth import add_user
from aidatlas.cli.main import app
from aidatlas.db.engine import make_engine, upgrade
from aidatlas.db.store import Store
from aidatlas.errors import AuthError, Forbidden
from aidatlas.registry import open_store
from aidatlas.roles import ROLES, grant_role, has_role, require, revoke_role, roles_of, users_with_role
from aidatlas.settings import Settings

PASSWORD = "correct horse battery"


def test_grant_revoke_and_read_roles(store: Store):
    user = add_user(store.engine, "vesna", PASSWORD)
    assert roles_of(store.engine, user.id) == frozenset()
    grant_role(store.engine, user.id, "reviewer")
    grant_role(store.engine, user.id, "reviewer")
    grant_role(store.engine, user.id, "officer")
    assert roles_of(store.engine, user.id) == {"reviewer", "officer"}
    assert users_with_role(store.engine, "reviewer") == [(user.id, "vesna")]
    revoke_role(store.engine, user.id, "officer")
    assert roles_of(store.engine, user.id) == {"reviewer"}
    with pytest.raises(AuthError, match="unknown role 'boss'"):
        grant_role(store.engine, user.id, "boss")
    with pytest.raises(AuthError, match="no user"):
        grant_role(store.engine, 9999, "reviewer")
    with pytest.raises(Forbidden, match="deciding needs the role officer"):
        require(store.engine, user.id, "officer", action="deciding")


def test_admin_implies_every_role():
    assert ROLES == ("applicant", "reviewer", "officer", "editor", "admin")
    assert all(has_role(frozenset({"admin"}), role) for role in ROLES)
    assert not has_role(frozenset({"applicant"}), "officer")


def test_existing_accounts_become_editors(tmp_path: Path):
    engine = make_engine(Settings.sqlite_url(tmp_path / "old.db"))
    upgrade(engine, "0003")
    old = add_user(engine, "olduser", PASSWORD)
    upgrade(engine)
    assert roles_of(engine, old.id) == {"editor"}
    new = add_user(engine, "newuser", PASSWORD)
    assert roles_of(engine, new.id) == frozenset()
    engine.dispose()


def test_user_add_with_roles(tmp_path: Path):
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(app, ["user", "add", "olga", "--db", db, "--password-stdin", "--role", "officer",
                                 "--role", "reviewer"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["user", "add", "ivo", "--db", db, "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["user", "add", "zed", "--db", db, "--password-stdin", "--role", "boss"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 1 and "unknown role 'boss'" in result.output
    store = open_store(Settings(database_url=Settings.sqlite_url(db)))
    with store.engine.connect() as conn:
        from sqlalchemy import text

        ids = dict(conn.execute(text("SELECT username, id FROM users")).all())
    assert roles_of(store.engine, ids["olga"]) == {"officer", "reviewer"}
    assert roles_of(store.engine, ids["ivo"]) == {"editor"}
    assert "zed" not in ids
    store.close()
