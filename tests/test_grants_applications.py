"""Applications: step validation, drafts, the deadline, frozen and versioned submissions, and the rule that
an applicant can never read or change another applicant's application."""

from __future__ import annotations

from datetime import timedelta

import pytest
from grants_world import World, submitted

from aidatlas.errors import ConflictError, Forbidden, InputError
from aidatlas.grants.demo import application_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_step_validation_names_each_field(world: World):
    g, alice = world.grants, world.users["alice"]
    app_id = g.start_application(alice, world.demo.followup_call)
    result = g.save_draft(alice, app_id, "project", {"title": "", "objectives": [], "activities": [
        {"type": "party", "description": "A party"}], "places": [{"name": "Tuzla", "country": "Bosnia"}]})
    assert not result.saved
    assert result.errors["title"] == "required"
    assert result.errors["background"] == "required"
    assert result.errors["objectives"] == "give at least 1"
    assert "seminar" in result.errors["activities.0.type"]
    assert "ISO country code" in result.errors["places.0.country"]
    result = g.save_draft(alice, app_id, "budget", {"lines": [{"item": "Everything", "amount": 20000}],
                                                    "start": "2027-05-01", "end": "2027-01-01"})
    assert "ceiling of 15,000.00 EUR" in result.errors["lines"]
    assert result.errors["end"] == "the end comes before the start"
    assert g.get_application(alice, app_id).data == {}
    with pytest.raises(InputError, match="project: this step is not filled in yet"):
        g.submit(alice, app_id)


def test_drafts_are_saved_step_by_step(world: World):
    g, alice = world.grants, world.users["alice"]
    app_id = g.start_application(alice, world.demo.followup_call)
    data = application_data(world.demo)
    assert g.save_draft(alice, app_id, "project", data["project"]).saved
    assert g.validate_application(alice, app_id) == {"applicant": "this step is not filled in yet",
                                                     "budget": "this step is not filled in yet"}
    app = g.get_application(alice, app_id)
    assert app.status == "draft" and app.version == 0
    assert app.title == "Separate collection of waste in Semberija"


def test_submission_closes_at_the_deadline_in_the_calls_time_zone(world: World):
    g, alice = world.grants, world.users["alice"]
    app_id = submitted(world, submit=False)
    call = g.get_call(world.demo.followup_call)
    world.clock.now = call.closes_at
    with pytest.raises(ConflictError, match=r"closed at \d{4}-\d\d-\d\d \d\d:\d\d \(Europe/Belgrade, UTC\+01:00\)"):
        g.submit(alice, app_id)
    with pytest.raises(ConflictError, match="not open"):
        g.start_application(alice, call.id)
    world.clock.now = call.closes_at - timedelta(seconds=1)
    assert g.submit(alice, app_id).status == "submitted"


def test_a_submitted_application_is_frozen_and_versioned(world: World):
    g, alice = world.grants, world.users["alice"]
    app_id = submitted(world)
    with pytest.raises(ConflictError, match="cannot be edited"):
        g.save_draft(alice, app_id, "project", application_data(world.demo)["project"])
    with pytest.raises(ConflictError, match="cannot be edited"):
        g.add_attachment(alice, app_id, "plan.pdf", PDF)
    with pytest.raises(ConflictError):
        g.submit(alice, app_id)
    g.withdraw(alice, app_id)
    changed = application_data(world.demo)["project"] | {"title": "Separate collection, second version"}
    assert g.save_draft(alice, app_id, "project", changed).saved
    assert g.submit(alice, app_id).version == 2
    versions = g.versions(alice, app_id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].data["project"]["title"] == "Separate collection of waste in Semberija"
    assert versions[1].data["project"]["title"] == "Separate collection, second version"


def test_an_applicant_can_never_read_or_change_another_applicants_application(world: World):
    g, bob = world.grants, world.users["bob"]
    draft = submitted(world, "alice", submit=False)
    attachment = g.add_attachment(world.users["alice"], draft, "plan.pdf", PDF)
    done = submitted(world, "alice", "cso")
    data = application_data(world.demo)
    attempts = {
        "get_application": lambda a: g.get_application(bob, a),
        "save_draft": lambda a: g.save_draft(bob, a, "project", data["project"]),
        "validate_application": lambda a: g.validate_application(bob, a),
        "submit": lambda a: g.submit(bob, a),
        "withdraw": lambda a: g.withdraw(bob, a),
        "versions": lambda a: g.versions(bob, a),
        "add_attachment": lambda a: g.add_attachment(bob, a, "x.pdf", PDF),
        "list_attachments": lambda a: g.list_attachments(bob, a),
        "check_eligibility": lambda a: g.check_eligibility(bob, a),
        "mark_eligibility": lambda a: g.mark_eligibility(bob, a, True),
        "assign_reviewer": lambda a: g.assign_reviewer(bob, a, bob.id),
        "assignments": lambda a: g.assignments(bob, a),
        "score": lambda a: g.score(bob, a, {"relevance": 1, "feasibility": 1, "sustainability": 1}),
        "scores": lambda a: g.scores(bob, a),
        "declare_conflict": lambda a: g.declare_conflict(bob, a, "none"),
        "decide": lambda a: g.decide(bob, a, True, 100),
        "award_of": lambda a: g.award_of(bob, a),
    }
    for app_id in (draft, done):
        for name, attempt in attempts.items():
            with pytest.raises(Forbidden):
                attempt(app_id)
                pytest.fail(f"{name} let bob reach application {app_id}")
    with pytest.raises(Forbidden):
        g.read_attachment(bob, attachment.id)
    with pytest.raises(Forbidden):
        g.list_applications(bob, world.demo.followup_call)
    with pytest.raises(Forbidden):
        g.ranking(bob, world.demo.followup_call)
    assert g.list_my_applications(bob) == []
    assert {a.id for a in g.list_my_applications(world.users["alice"])} == {draft, done}


def test_officers_read_but_never_edit_an_applicants_draft(world: World):
    g, officer = world.grants, world.users["officer"]
    app_id = submitted(world, submit=False)
    assert g.get_application(officer, app_id).owner_user_id == world.users["alice"].id
    with pytest.raises(Forbidden, match="only its owner"):
        g.save_draft(officer, app_id, "project", application_data(world.demo)["project"])


def test_only_applicants_apply_and_only_officers_run_calls(world: World):
    g, now = world.grants, world.clock.now
    with pytest.raises(Forbidden, match="needs the role applicant"):
        g.start_application(world.users["rita"], world.demo.followup_call)
    with pytest.raises(Forbidden, match="needs the role officer"):
        g.create_programme(world.users["alice"], "Mine", "Me", "EUR")
    with pytest.raises(Forbidden):
        g.close_call(world.users["alice"], world.demo.followup_call)
    admin = world.users["admin"]
    programme = g.create_programme(admin, "Admin programme", "Funder", "BAM", kind="core-support")
    call = g.create_call(admin, programme.id, "Admin call", opens_at=now, closes_at=now + timedelta(days=1),
                         time_zone="Europe/Skopje", ceiling_per_grant=100, total_budget=100)
    assert call.status == "draft" and call.currency == "BAM" and call.kind == "core-support"
    assert call.id not in {c.id for c in g.list_calls()}
    assert g.open_call(admin, call.id).status == "open"
    with pytest.raises(InputError, match="not an ISO 4217"):
        g.create_programme(admin, "Bad", "Funder", "EURO")
    with pytest.raises(InputError, match="time zone"):
        g.create_call(admin, programme.id, "Bad", opens_at=now, closes_at=now + timedelta(days=1),
                      time_zone="Mars/Olympus", ceiling_per_grant=1, total_budget=1)
