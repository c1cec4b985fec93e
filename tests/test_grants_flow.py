"""The whole path in the library: apply → eligibility → review (one conflict) → award → report → completion."""

from __future__ import annotations

import pytest
from grants_world import World

from aidatlas.grants.demo import application_data, apply


def test_followup_call_end_to_end(any_world: World):
    w, g, d = any_world, any_world.grants, any_world.demo
    officer, alice = w.users["officer"], w.users["alice"]
    rita, rade = w.users["rita"], w.users["rade"]
    app_id = apply(g, alice, d.followup_call, application_data(d))
    app = g.get_application(alice, app_id)
    assert app.status == "submitted" and app.version == 1 and app.requested_amount == 9000

    results = g.check_eligibility(officer, app_id)
    assert all(r.passed for r in results), results
    assert "Ana Petrović" in next(r.reason for r in results if r.rule == "ex_participant_member")
    g.mark_eligibility(officer, app_id, True)

    g.assign_reviewer(officer, app_id, rita.id)
    g.assign_reviewer(officer, app_id, rade.id)
    g.declare_conflict(rade, app_id, "I worked for the utility until last year")
    g.score(rita, app_id, {"relevance": 9, "feasibility": 8, "sustainability": 6}, "Clear plan")
    ranking = g.ranking(officer, d.followup_call)
    assert ranking[0].application_id == app_id and ranking[0].n_reviews == 1
    assert ranking[0].mean_score == pytest.approx(100 * (3 * .9 + 2 * .8 + 1 * .6) / 6, abs=0.01)

    award = g.decide(officer, app_id, True, 8500, "Strong local ownership")
    assert award is not None and award.amount == 8500
    activity = w.store.get_activity(award.activity_id)
    assert activity.kind == "follow-up" and activity.source.document == f"application {app_id}"
    assert activity.iati_identifier == f"XI-TEST-GRANT-{app_id}"

    w.clock.advance(days=400)
    report = g.submit_report(alice, award.id, "final",
                             {o: "done" for o in application_data(d)["project"]["objectives"]}, participants_reached=70)
    g.review_report(officer, report.id, True)
    done = g.complete_grant(officer, award.id)
    assert done.status == "completed"
    assert w.store.get_activity(award.activity_id).status == "4"
    assert g.get_application(alice, app_id).status == "completed"
