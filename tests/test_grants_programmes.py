"""Calls managed over their life: edited while a draft, opened, closed, extended (a closed call opens again),
and a status that tells the truth about the window."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from grants_world import World

from aidatlas.errors import ConflictError, InputError


def _draft(world: World):
    g, officer = world.grants, world.users["officer"]
    return g.create_call(officer, world.demo.cso_programme, "Draft call", opens_at=datetime(2026, 12, 1, 9),
                         closes_at=datetime(2027, 1, 15, 17), time_zone="Europe/Sarajevo", ceiling_per_grant=10000,
                         total_budget=50000, rules=[{"rule": "budget_max", "amount": 10000}],
                         rubric=[{"criterion": "relevance", "weight": 1}])


def test_a_draft_is_edited_then_opened_closed_and_extended(world: World):
    g, officer = world.grants, world.users["officer"]
    call = _draft(world)
    assert call.state(world.clock.now) == "draft"
    edited = g.update_call(officer, call.id, "Edited call", opens_at=datetime(2026, 11, 20, 9),
                           closes_at=datetime(2027, 1, 15, 17), time_zone="Europe/Sarajevo", ceiling_per_grant=12000,
                           total_budget=48000, rules=[{"rule": "country_in", "countries": ["BA", "RS"]}],
                           rubric=[{"criterion": "relevance", "weight": 2, "max": 5}])
    assert (edited.title, edited.ceiling_per_grant, edited.rules[0]["rule"]) == ("Edited call", 12000, "country_in")
    with pytest.raises(InputError, match="unknown rule"):
        g.update_call(officer, call.id, "x", opens_at=datetime(2026, 11, 20), closes_at=datetime(2027, 1, 1),
                      time_zone="UTC", ceiling_per_grant=1, total_budget=2, rules=[{"rule": "nonsense"}])
    opened = g.open_call(officer, call.id)
    assert opened.state(world.clock.now) == "open"
    with pytest.raises(ConflictError, match="only a draft call can be edited"):
        g.update_call(officer, call.id, "Late edit", opens_at=datetime(2026, 11, 20), closes_at=datetime(2027, 1, 1),
                      time_zone="UTC", ceiling_per_grant=1, total_budget=2)
    assert g.close_call(officer, call.id).state(world.clock.now) == "closed"
    with pytest.raises(InputError, match="later than the current one"):
        g.extend_call(officer, call.id, datetime(2027, 1, 10, 17))
    extended = g.extend_call(officer, call.id, datetime(2027, 2, 1, 17))
    assert extended.status == "open" and extended.deadline_text().startswith("2027-02-01 17:00")
    world.clock.now = extended.closes_at + timedelta(minutes=1)
    assert extended.state(world.clock.now) == "closed"  # open by status, but past its deadline
    actions = [e.action for e in g.audit_entries(officer, "call", call.id)]
    assert actions == ["call.extend", "call.closed", "call.open", "call.edit", "call.create"]
