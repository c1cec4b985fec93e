"""Awards flow into the registry (search, IATI export); reports, the overdue list and completion."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from grants_world import World, submitted, to_project_start
from lxml import etree

from aidatlas.db.search import Searcher, SearchQuery
from aidatlas.errors import ConflictError, Forbidden, InputError
from aidatlas.grants.demo import application_data, apply
from aidatlas.iati.writer import write_activities
from aidatlas.reference.codelists import codelists


def _award(world: World, which: str = "followup", applicant: str = "alice", amount: float = 8000):
    app_id = submitted(world, applicant, which)
    award = world.grants.decide(world.users["officer"], app_id, True, amount, "Well prepared")
    assert award is not None
    return app_id, award


def test_an_award_becomes_a_registry_activity_in_search_and_iati(world: World):
    app_id, award = _award(world)
    activity = world.store.get_activity(award.activity_id)
    assert activity.kind == "follow-up"
    assert activity.source.document == f"application {app_id}"
    assert activity.iati_identifier == f"XI-TEST-GRANT-{app_id}"
    assert activity.budget is not None and (activity.budget.value, activity.budget.currency) == (8000, "EUR")
    roles = {(p.role, p.name) for p in activity.participants}
    assert ("funder", "Japan International Cooperation Agency") in roles
    assert ("applicant", "Public Utility Komunalac Bijeljina") in roles
    assert ("implementer", "Public Utility Komunalac Bijeljina") in roles
    assert ("partner", "Municipality of Ugljevik") in roles
    assert activity.countries == ["BA"] and [p.name for p in activity.locations] == ["Bijeljina", "Ugljevik"]
    assert activity.dates.start == "2027-03-01" and activity.dates.end == "2027-11-30"
    assert len(activity.objectives) == 2 and len(activity.activities) == 2
    assert [(t.text, t.count) for t in activity.target_groups] == [("utility and municipal staff", 60),
                                                                    ("households", 10000)]
    searcher = Searcher(world.store.engine)
    searcher.ensure_indexed()
    assert award.activity_id in searcher.search(SearchQuery(q="Semberija")).ids
    out = io.BytesIO()
    write_activities([activity], out, world.settings, now=datetime(2027, 1, 1))
    root = etree.fromstring(out.getvalue())
    schema = codelists().schema()
    assert schema.validate(root), schema.error_log
    assert root.findtext("iati-activity/iati-identifier") == f"XI-TEST-GRANT-{app_id}"


def test_cso_award_is_a_project_and_rejection_records_the_reason(world: World):
    g, officer = world.grants, world.users["officer"]
    _, award = _award(world, "cso", "bob", 20000)
    assert world.store.get_activity(award.activity_id).kind == "project"
    other = submitted(world, "alice", "cso")
    assert g.decide(officer, other, False, reason="Budget exhausted") is None
    app = g.get_application(world.users["alice"], other)
    assert app.status == "rejected" and app.decision_reason == "Budget exhausted"
    with pytest.raises(ConflictError):
        g.decide(officer, other, True, 100)
    with pytest.raises(InputError, match="at most the ceiling"):
        g.decide(officer, submitted(world, "alice", "cso"), True, 50000)


def test_reports_overdue_list_and_completion(world: World):
    g, officer, alice = world.grants, world.users["officer"], world.users["alice"]
    app_id, award = _award(world)
    assert award.interim_due == date(2027, 7, 16) and award.final_due == date(2027, 12, 30)
    assert g.overdue_reports(officer, date(2027, 7, 1)) == []
    late = g.overdue_reports(officer, date(2027, 8, 1))
    assert [(o.award_id, o.kind, o.days_late) for o in late] == [(award.id, "interim", 16)]
    objectives = application_data(world.demo)["project"]["objectives"]
    with pytest.raises(ConflictError, match="starts on 2027-03-01"):  # not before the project starts
        g.submit_report(alice, award.id, "final", dict.fromkeys(objectives, "too early"), 1)
    to_project_start(world, award.start)
    with pytest.raises(InputError, match="every objective"):
        g.submit_report(alice, award.id, "interim", {objectives[0]: "done"}, 10)
    with pytest.raises(Forbidden):
        g.submit_report(world.users["bob"], award.id, "interim", dict.fromkeys(objectives, "x"), 1)
    interim = g.submit_report(alice, award.id, "interim", {objectives[0]: "40 staff trained",
                                                           objectives[1]: "guide drafted"},
                              40, attachments=[("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)])
    assert g.overdue_reports(officer, date(2027, 8, 1)) == []
    assert [o.kind for o in g.overdue_reports(officer, date(2028, 1, 5))] == ["final"]
    with pytest.raises(ConflictError, match="no approved final report"):
        g.complete_grant(officer, award.id)
    g.review_report(officer, interim.id, True)
    final = g.submit_report(alice, award.id, "final", {objectives[0]: "62 staff trained",
                                                       objectives[1]: "10,000 guides"}, 10062)
    with pytest.raises(ConflictError, match="no approved final report"):
        g.complete_grant(officer, award.id)
    g.review_report(officer, final.id, True)
    assert [(r.kind, r.status) for r in g.list_reports(alice, award.id)] == [("interim", "approved"),
                                                                             ("final", "approved")]
    assert len(g.list_attachments(alice, app_id)) == 1
    with pytest.raises(Forbidden):
        g.complete_grant(alice, award.id)
    done = g.complete_grant(officer, award.id)
    assert done.status == "completed" and done.completed_at is not None
    assert world.store.get_activity(award.activity_id).status == "4"
    assert g.overdue_reports(officer, date(2030, 1, 1)) == []
    with pytest.raises(ConflictError):
        g.submit_report(alice, award.id, "final", dict.fromkeys(objectives, "more"), 1)
    assert g.list_awards(world.users["bob"]) == [] and len(g.list_awards(officer)) == 1


def test_an_award_past_the_call_total_is_refused_with_the_remainder(world: World):
    """The issue's case: a call of 20,000; 12,000 awarded, then 9,000 is refused (8,000 remains)."""
    g, officer, d = world.grants, world.users["officer"], world.demo
    call = g.create_call(officer, d.followup_programme, "Small call", opens_at=world.clock.now.replace(tzinfo=None),
                         closes_at=datetime(2027, 1, 31, 12), time_zone="UTC", ceiling_per_grant=15000,
                         total_budget=20000)
    g.open_call(officer, call.id)
    lines = {"budget__lines": [{"item": "All", "amount": 12000}]}
    first = apply(g, world.users["alice"], call.id, application_data(d, **lines))
    second = apply(g, world.users["bob"], call.id, application_data(d, budget__lines=[{"item": "All", "amount": 9000}]))
    assert g.decide(officer, first, True, 12000) is not None
    with pytest.raises(InputError, match=r"12,000\.00 is awarded already, 8,000\.00 remains"):
        g.decide(officer, second, True, 9000)
    assert g.get_application(officer, second).status == "submitted"  # nothing half-written
    budget = g.call_budget(officer, call.id)
    assert (budget.total, budget.awarded, budget.remaining) == (20000, 12000, 8000)
    rows = g.ranking(officer, call.id)
    # unscored, so by requested amount: the running total and the remainder after each row
    assert [(r.cumulative, r.remaining, r.fits_budget) for r in rows] == [(9000, 11000, True), (21000, -1000, False)]
    assert g.decide(officer, second, True, 8000) is not None  # within what remains
    assert g.call_budget(officer, call.id).remaining == 0
