"""Conflicts of interest detected from the data: a reviewer who competes in the same call, belongs to the
organisation of one of its applicants, or belongs to an organisation the registry knows under a name an
application declares (implementer, partner) cannot be assigned; the officer sees why; declaring stays."""

from __future__ import annotations

import pytest
from grants_world import World, submitted

from aidatlas.errors import ConflictError
from aidatlas.grants.demo import join


def test_a_competing_applicant_with_the_reviewer_role_is_not_offered_nor_assignable(world: World):
    g, officer = world.grants, world.users["officer"]
    rival = world.user("rival", "applicant", "reviewer")
    join(g, officer, rival, world.demo.regional_association)
    alice_app = submitted(world, "alice")
    submitted(world, "rival", applicant__organisation_id=world.demo.regional_association, submit=False)
    with pytest.raises(ConflictError, match="applies to the same call"):
        g.assign_reviewer(officer, alice_app, rival.id)
    offered = {name: reasons for _, name, reasons in g.candidate_reviewers(officer, alice_app)}
    assert offered["rita"] == [] and offered["rade"] == []
    assert offered["rival"] and "applies to the same call" in offered["rival"][0]
    g.assign_reviewer(officer, alice_app, world.users["rita"].id)  # no conflict: assigned


def test_a_member_of_an_applicant_organisation_cannot_review_the_call(world: World):
    g, officer = world.grants, world.users["officer"]
    rita = world.users["rita"]
    join(g, officer, rita, world.demo.utility)  # rita works at the utility that applies
    bob_app = submitted(world, "bob", applicant__organisation_id=world.demo.association)
    submitted(world, "alice")  # the utility's application in the same call
    with pytest.raises(ConflictError, match="belongs to Public Utility Komunalac Bijeljina, which applies"):
        g.assign_reviewer(officer, bob_app, rita.id)
    cso_app = submitted(world, "bob", "cso")  # another call: no conflict there
    g.assign_reviewer(officer, cso_app, rita.id)


def test_an_organisation_named_as_partner_is_the_same_organisation_in_the_registry(world: World):
    g, officer = world.grants, world.users["officer"]
    rade = world.users["rade"]
    municipality = g.create_organisation(officer, "Municipality of Ugljevik", "BA", "government")
    join(g, officer, rade, municipality.id)
    app_id = submitted(world, "alice", applicant__partners=[{"name": "municipality of  UGLJEVIK", "country": "BA"}])
    with pytest.raises(ConflictError, match="same organisation in the registry as municipality of  UGLJEVIK"):
        g.assign_reviewer(officer, app_id, rade.id)


def test_self_declaration_still_works_after_assignment(world: World):
    g, officer, rita = world.grants, world.users["officer"], world.users["rita"]
    app_id = submitted(world, "alice")
    g.assign_reviewer(officer, app_id, rita.id)
    g.declare_conflict(rita, app_id, "my sister works there")
    assert g.assignments(officer, app_id)[0].conflict
