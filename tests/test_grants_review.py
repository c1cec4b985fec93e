"""Review: assignment, conflicts of interest (a conflicted reviewer can neither see nor score), the weighted
rubric, and the ranking with its budget cut-off."""

from __future__ import annotations

import time

import pytest
from grants_world import World, submitted

from aidatlas.errors import ConflictError, Forbidden, InputError
from aidatlas.grants.demo import join, populate

ALL_TENS = {"relevance": 10, "feasibility": 10, "sustainability": 10}


def test_a_conflicted_reviewer_can_neither_see_nor_score(world: World):
    g, officer, rita, rade = (world.grants, world.users["officer"], world.users["rita"], world.users["rade"])
    app_id = submitted(world)
    with pytest.raises(Forbidden, match="not assigned to you"):
        g.get_application(rita, app_id)
    g.assign_reviewer(officer, app_id, rita.id)
    g.assign_reviewer(officer, app_id, rade.id)
    assert g.get_application(rita, app_id).id == app_id
    g.score(rade, app_id, ALL_TENS, "before noticing the conflict")
    g.declare_conflict(rade, app_id, "My sister chairs the applicant's board")
    for attempt in (lambda: g.get_application(rade, app_id), lambda: g.score(rade, app_id, ALL_TENS),
                    lambda: g.versions(rade, app_id), lambda: g.list_attachments(rade, app_id),
                    lambda: g.scores(rade, app_id)):
        with pytest.raises(Forbidden, match="conflict of interest"):
            attempt()
    assert g.list_applications(rade, world.demo.followup_call) == []
    assert [a.id for a in g.list_applications(rita, world.demo.followup_call)] == [app_id]
    assert g.scores(officer, app_id) == []  # the conflicted score was withdrawn
    panel = {a.reviewer: a for a in g.assignments(officer, app_id)}
    assert panel["rade"].conflict and "sister" in (panel["rade"].conflict_reason or "")
    assert not panel["rita"].conflict


def test_scores_follow_the_rubric(world: World):
    g, officer, rita = world.grants, world.users["officer"], world.users["rita"]
    app_id = submitted(world)
    g.assign_reviewer(officer, app_id, rita.id)
    with pytest.raises(InputError, match="score exactly these criteria"):
        g.score(rita, app_id, {"relevance": 5})
    with pytest.raises(InputError, match="outside 0–10"):
        g.score(rita, app_id, ALL_TENS | {"relevance": 11})
    assert g.score(rita, app_id, {"relevance": 10, "feasibility": 5, "sustainability": 0}).weighted == \
        pytest.approx(100 * (3 * 1 + 2 * 0.5) / 6, abs=1e-3)
    assert g.score(rita, app_id, ALL_TENS, "revised").weighted == 100  # scoring again replaces
    assert [s.comment for s in g.scores(officer, app_id)] == ["revised"]
    with pytest.raises(InputError, match="reviewer role"):
        g.assign_reviewer(officer, app_id, world.users["bob"].id)
    from aidatlas.roles import grant_role

    grant_role(world.store.engine, world.users["alice"].id, "reviewer")
    with pytest.raises(ConflictError, match="cannot review"):
        world.grants.assign_reviewer(officer, app_id, world.users["alice"].id)


def test_ranking_orders_by_weighted_mean_and_cuts_at_the_budget(world: World):
    g, officer, rita, rade = (world.grants, world.users["officer"], world.users["rita"], world.users["rade"])
    world.user("carl", "applicant")
    join(g, officer, world.users["carl"], world.demo.utility)
    # total budget 60,000; each application asks 9,000 (two lines) unless changed
    big = {"budget__lines": [{"item": "All", "amount": 15000}]}
    apps = {"a": submitted(world, "alice"), "b": submitted(world, "bob", **big),
            "c": submitted(world, "carl", **big), "d": submitted(world, "alice", **big),
            "e": submitted(world, "bob", **big), "unscored": submitted(world, "carl")}
    marks = {"a": (9, 9), "b": (10, 6), "c": (7, 7), "d": (6, 6), "e": (5, 5)}
    for key, (m1, m2) in marks.items():
        for reviewer, mark in ((rita, m1), (rade, m2)):
            g.assign_reviewer(officer, apps[key], reviewer.id)
            g.score(reviewer, apps[key], {"relevance": mark, "feasibility": mark, "sustainability": mark})
    g.mark_eligibility(officer, apps["e"], False, "not an eligible organisation")
    rows = g.ranking(officer, world.demo.followup_call)
    assert [r.application_id for r in rows] == [apps[k] for k in ("a", "b", "c", "d", "unscored")]
    assert [r.mean_score for r in rows] == [90.0, 80.0, 70.0, 60.0, None]
    assert [r.n_reviews for r in rows] == [2, 2, 2, 2, 0]
    assert [r.cumulative for r in rows] == [9000, 24000, 39000, 54000, 63000]
    assert [r.fits_budget for r in rows] == [True, True, True, True, False]
    assert rows[0].title == "Separate collection of waste in Semberija"
    assert rows[0].applicant == "Public Utility Komunalac Bijeljina"


def test_ranking_of_2000_applications_and_300_reviews_is_fast(world: World):
    populated = populate(world.store.engine, world.settings, applications=2000, reviews=300)
    g = world.grants
    g.ranking(populated.officer, populated.call_id)
    elapsed = float("inf")
    for _ in range(3):      # the best of three: the suite runs on every core, and a neighbour may steal one
        started = time.perf_counter()
        rows = g.ranking(populated.officer, populated.call_id)
        elapsed = min(elapsed, time.perf_counter() - started)
    assert len(rows) == 2000 and sum(r.n_reviews for r in rows) == 300
    means = [r.mean_score for r in rows if r.mean_score is not None]
    assert means == sorted(means, reverse=True)
    assert elapsed < 0.2, f"ranking took {elapsed * 1000:.0f} ms"
