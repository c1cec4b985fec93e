"""Verified claims: an account applies for an organisation only once its request to join was confirmed by an
officer or a confirmed member; the ex-participant lookup shows only name, course and cohort."""

from __future__ import annotations

import pytest
from grants_world import World

from aidatlas.errors import ConflictError, Forbidden, InputError
from aidatlas.grants.demo import application_data


def test_an_applicant_applies_only_for_an_organisation_it_belongs_to(world: World):
    g, officer = world.grants, world.users["officer"]
    carl, dora = world.user("carl", "applicant"), world.user("dora", "applicant")
    data = application_data(world.demo)
    app_id = g.start_application(carl, world.demo.followup_call)
    refused = g.save_draft(carl, app_id, "applicant", data["applicant"])
    assert not refused.saved and "not a confirmed member of Public Utility" in refused.errors["organisation_id"]
    assert g.request_membership(carl, world.demo.utility).status == "pending"
    assert not g.save_draft(carl, app_id, "applicant", data["applicant"]).saved  # pending is not enough
    with pytest.raises(Forbidden, match="own membership"):
        g.decide_membership(carl, world.demo.utility, carl.id, True)
    with pytest.raises(Forbidden, match="officer or a confirmed member"):
        g.decide_membership(dora, world.demo.utility, carl.id, True)
    assert [m.username for m in g.pending_memberships(officer)] == ["carl"]
    assert g.decide_membership(officer, world.demo.utility, carl.id, True).status == "confirmed"
    assert g.save_draft(carl, app_id, "applicant", data["applicant"]).saved
    with pytest.raises(ConflictError, match="confirmed already"):
        g.decide_membership(officer, world.demo.utility, carl.id, False)
    # a confirmed member confirms a colleague
    g.request_membership(dora, world.demo.utility)
    assert [m.username for m in g.pending_memberships(carl)] == ["dora"]
    assert g.decide_membership(carl, world.demo.utility, dora.id, True).status == "confirmed"
    assert any(m.subject.startswith("Membership of Public Utility") for m in g.inbox(dora)[0])


def test_the_alumni_lookup_shows_only_name_course_and_cohort(world: World):
    g, d = world.grants, world.demo
    found = g.find_alumni(world.users["alice"], "petrovic")  # folded: finds Petrović
    assert [a["name"] for a in found] == ["Ana Petrović"]
    assert set(found[0]) == {"id", "name", "course_id", "course", "cohort", "year"}
    assert found[0]["id"] == d.alumni["Ana Petrović"]
    assert g.find_alumni(world.users["alice"], "petrovic", year=found[0]["year"] + 1) == []
    with pytest.raises(InputError, match="three letters"):
        g.find_alumni(world.users["alice"], "a")
    with pytest.raises(Forbidden):
        g.find_alumni(world.users["rita"], "petrovic")


def test_an_officer_confirms_the_ex_participant_match(world: World):
    from grants_world import submitted

    g, officer, d = world.grants, world.users["officer"], world.demo
    app_id = submitted(world)
    named = g.named_alumni(officer, app_id)
    assert [(a["name"], a["organisation"], a["matches"]) for a in named] == [
        ("Ana Petrović", "Public Utility Komunalac Bijeljina", True)]
    other = submitted(world, "bob", course__alumni=[d.alumni["Selma Hodžić"]])
    assert [a["matches"] for a in g.named_alumni(officer, other)] == [False]  # works elsewhere: the officer sees it
    with pytest.raises(Forbidden):
        g.named_alumni(world.users["alice"], app_id)  # personal data: officers only
    assert not g.get_application(officer, app_id).alumni_confirmed
    assert g.confirm_alumni(officer, app_id).alumni_confirmed
    assert g.audit_entries(officer, "application", app_id)[0].action == "application.alumni_confirmed"
    no_alumni = submitted(world, "bob", "cso")
    with pytest.raises(ConflictError, match="names no ex-participant"):
        g.confirm_alumni(officer, no_alumni)
