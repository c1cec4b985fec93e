"""The audit log: an entry for every state change and every score, and a log no one can rewrite (triggers
refuse UPDATE and DELETE on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from grants_world import World, submitted, to_project_start
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from aidatlas.errors import Forbidden
from aidatlas.grants.demo import application_data


def test_every_state_change_and_score_is_audited(world: World):
    g, officer, alice, rita = world.grants, world.users["officer"], world.users["alice"], world.users["rita"]
    app_id = submitted(world)
    g.check_eligibility(officer, app_id)
    g.mark_eligibility(officer, app_id, True, "all rules pass")
    g.assign_reviewer(officer, app_id, rita.id)
    g.score(rita, app_id, {"relevance": 8, "feasibility": 7, "sustainability": 9}, "good")
    g.score(rita, app_id, {"relevance": 9, "feasibility": 7, "sustainability": 9}, "better")
    award = g.decide(officer, app_id, True, 9000, "fits")
    assert award is not None
    objectives = application_data(world.demo)["project"]["objectives"]
    to_project_start(world, award.start)
    report = g.submit_report(alice, award.id, "final", dict.fromkeys(objectives, "done"), 12)
    g.review_report(officer, report.id, True)
    g.complete_grant(officer, award.id)

    entries = g.audit_entries(officer, "application", app_id)[::-1]  # newest first: read them in order
    assert [e.action for e in entries] == [
        "application.start", "application.save.applicant", "application.save.course", "application.save.project",
        "application.save.budget", "application.submit", "application.eligibility_check", "application.eligible",
        "review.assign", "review.score", "review.score", "application.award"]
    assert all(e.actor for e in entries) and entries[5].actor == "alice"
    second = entries[10]
    assert second.before is not None and second.before["scores"]["relevance"] == 8
    assert second.after is not None and second.after["scores"]["relevance"] == 9
    assert entries[-1].after == {"status": "awarded", "amount": 9000, "award_id": award.id, "reason": "fits"}
    assert [e.action for e in g.audit_entries(officer, "award", award.id)] == ["award.complete", "report.approved",
                                                                                "report.final"]
    assert {e.action for e in g.audit_entries(officer, "call")} >= {"call.create", "call.open"}
    with pytest.raises(Forbidden):
        g.audit_entries(alice)


def test_the_audit_log_refuses_update_and_delete(any_world: World):
    engine = any_world.store.engine
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
    assert before > 0
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == before
        assert conn.execute(text("SELECT count(*) FROM audit_log WHERE actor = 'someone else'")).scalar_one() == 0


def test_the_log_pages_newest_first_and_records_role_changes(world: World):
    g, admin, officer = world.grants, world.users["admin"], world.users["officer"]
    carl = world.user("carl")
    g.change_role(admin, carl.id, "reviewer", True)
    g.change_role(admin, carl.id, "reviewer", True)  # no change: no entry
    g.change_role(admin, carl.id, "reviewer", False)
    with pytest.raises(Forbidden):
        g.change_role(officer, carl.id, "admin", True)
    first = g.audit_entries(officer, limit=2)
    assert [e.action for e in first] == ["user.role_revoke", "user.role_grant"]
    assert first[0].before == {"roles": ["reviewer"]} and first[0].after == {"roles": []}
    older = g.audit_entries(officer, limit=2, before=first[-1].id)
    assert older and all(e.id < first[-1].id for e in older) and older[0].id > older[1].id
