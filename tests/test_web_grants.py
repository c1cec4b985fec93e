"""The grants pages through the test client on a real SQLite file: applicants never reach another applicant's
application, every POST needs its CSRF token, the deadline and the frozen submitted version hold, a conflicted
reviewer no longer sees the application, the ranking renders, signing up makes an applicant, field errors show."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_grants_fixtures import PDF, PERSONAS, World, client_for, login_as

from aidatlas import auth
from aidatlas.db.store import Store
from aidatlas.grants import Grants
from aidatlas.grants.demo import application_data
from aidatlas.roles import grant_role
from aidatlas.web import access

TITLE = "Separate collection of waste in Semberija"


@pytest.fixture(scope="module")
def world(grants_web_world: World) -> World:
    return grants_web_world


@pytest.fixture
def web(world: World, tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    client, store = client_for(world, tmp_path)
    with client:
        yield client, store
    store.close()


def _fill(template: str, world: World, application: int) -> str:
    return (template.replace("{application_id}", str(application)).replace("{step}", "project")
            .replace("{attachment_id}", str(world.attachment_sub if application == world.a_sub
                                             else world.attachment_draft))
            .replace("{report_id}", str(world.extra["report_id"]))
            .replace("{tranche_id}", str(world.extra["tranche_id"])))


APPLICATION_ROUTES = [key for key in access.ROUTES if "{application_id}" in key[1]]


@pytest.mark.parametrize("key", APPLICATION_ROUTES, ids=[f"{m} {p}" for m, p in APPLICATION_ROUTES])
def test_another_applicant_never_reaches_the_application(key, world: World, web):
    client, _ = web
    method, template = key
    token = login_as(client, world, "applicant_b")
    for application in (world.a_sub, world.a_draft, world.a_awarded):
        url = _fill(template, world, application)
        if method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            response = client.post(url, data={"csrf": token, "title": "taken over", "reason": "x",
                                              "decision": "award", "amount": "1", "action": "eligible"},
                                   files={"file": ("x.pdf", PDF, "application/pdf")} if "attachments" in url else None,
                                   follow_redirects=False)
        assert response.status_code in (403, 404), f"{method} {url}: {response.status_code}"
        assert TITLE not in response.text


def _allowed_persona(rule: access.Rule) -> str:
    if rule.kind in ("public",):
        return "anonymous"
    if rule.kind == "assigned_reviewer":
        return "reviewer_assigned"
    if rule.kind == "owner":
        return "applicant_a"
    if rule.kind == "roles":
        return next(p for p, held in PERSONAS.items() if held & rule.roles)
    return "officer"


POSTS = [key for key in access.ROUTES if key[0] == "POST"]
GRANTS = ("/calls", "/applications", "/alumni", "/associations", "/signup", "/admin")


@pytest.mark.parametrize("key", POSTS, ids=[p for _, p in POSTS])
def test_every_post_needs_its_csrf_token(key, world: World, web):
    client, _ = web
    template = key[1]
    persona = _allowed_persona(access.ROUTES[key])
    login_as(client, world, persona)
    application = world.a_awarded if template.endswith(("/report", "/complete")) else \
        world.a_draft if template.endswith(("/submit", "/attachments")) or "/edit/" in template else world.a_sub
    url = (_fill(template, world, application).replace("{call_id}", str(world.demo.followup_call))
           .replace("{alumnus_id}", str(world.alumnus)).replace("{user_id}", str(world.users["applicant_b"].id))
           .replace("{upload_id}", world.uploads.get(persona, "")).replace("{decision_id}", "1")
           .replace("{activity_id}", world.activity_id).replace("{field}", "title").replace("{edit_id}", "1")
           .replace("{token_id}", "1")
           .replace("{organisation_id}", str(world.demo.utility))
           .replace("{report_id}", str(world.extra["report_id"]))
           .replace("{tranche_id}", str(world.extra["tranche_id"])))
    files = {"file": ("sheet.txt", b"Project title: Water\n", "text/plain")} if url == "/documents/new" else None
    for sent in ({}, {"csrf": "forged"}):
        response = client.post(url, data=sent | {"confirm": "yes", "reason": "x"}, files=files,
                               follow_redirects=False)
        assert response.status_code == 403, f"POST {url} as {persona} without a valid token: {response.status_code}"
        assert "Form expired" in response.text or "csrf" in response.text


def test_submission_after_the_deadline_is_refused(world: World, web):
    client, store = web
    g = Grants(store.engine, client.app.state.settings, store)
    a = world.users["applicant_a"]
    for step, values in application_data(world.demo).items():
        assert g.save_draft(a, world.a_draft, step, values).saved
    call = g.get_call(world.demo.followup_call)
    client.app.state.grants = Grants(store.engine, client.app.state.settings, store,
                                     clock=lambda: call.closes_at + timedelta(minutes=1))
    token = login_as(client, world, "applicant_a")
    review = client.get(f"/applications/{world.a_draft}/edit/review")
    assert "can no longer be submitted" in review.text and "Submit the application" not in review.text
    late = client.post(f"/applications/{world.a_draft}/submit", data={"csrf": token})
    assert late.status_code == 409
    assert "can no longer be submitted" in late.text and call.deadline_text() in late.text
    assert g.get_application(a, world.a_draft).status == "draft"


def test_a_submitted_application_is_frozen(world: World, web):
    client, _ = web
    token = login_as(client, world, "applicant_a")
    edit = client.get(f"/applications/{world.a_sub}/edit/project", follow_redirects=False)
    assert edit.status_code == 303 and edit.headers["location"] == f"/applications/{world.a_sub}"
    changed = client.post(f"/applications/{world.a_sub}/edit/project", data={"csrf": token, "title": "Changed"})
    assert changed.status_code == 409 and "cannot be changed" in changed.text
    again = client.post(f"/applications/{world.a_sub}/submit", data={"csrf": token})
    assert again.status_code == 409
    view = client.get(f"/applications/{world.a_sub}")
    assert "Version 1" in view.text and "read-only" in view.text and TITLE in view.text
    assert client.get(f"/api/applications/{world.a_sub}").json()["application"]["version"] == 1


def test_a_conflicted_reviewer_no_longer_sees_the_application(world: World, web):
    client, _ = web
    token = login_as(client, world, "reviewer_conflicted")
    listing = client.get("/reviews")
    assert listing.status_code == 200 and TITLE not in listing.text and "conflict of interest declared" in listing.text
    assert [r["title"] for r in client.get("/api/reviews").json()["assignments"]] == [None]
    for url in (f"/applications/{world.a_sub}", f"/applications/{world.a_sub}/review",
                f"/api/applications/{world.a_sub}", f"/applications/{world.a_sub}/attachments/{world.attachment_sub}"):
        assert client.get(url).status_code == 404, url
    scored = client.post(f"/applications/{world.a_sub}/review", data={"csrf": token, "score.relevance": "10"})
    assert scored.status_code == 404
    login_as(client, world, "reviewer_assigned")
    assert TITLE in client.get(f"/applications/{world.a_sub}/review").text


def test_reviewer_scores_and_the_ranking_renders(world: World, web):
    client, _ = web
    token = login_as(client, world, "reviewer_assigned")
    missing = client.post(f"/applications/{world.a_sub}/review", data={"csrf": token, "score.relevance": "8"})
    assert missing.status_code == 422 and "Give a score for" in missing.text
    done = client.post(f"/applications/{world.a_sub}/review",
                       data={"csrf": token, "score.relevance": "8", "score.feasibility": "7",
                             "score.sustainability": "6", "comment": "good"}, follow_redirects=False)
    assert done.status_code == 303
    login_as(client, world, "officer")
    page = client.get(f"/calls/{world.demo.followup_call}/ranking")
    assert page.status_code == 200 and TITLE in page.text and "Budget of the call" in page.text
    ranking = client.get(f"/api/calls/{world.demo.followup_call}/ranking").json()
    first = ranking["rows"][0]
    assert first["application_id"] == world.a_sub and first["n_reviews"] == 1 and first["mean_score"] == 73.33
    assert ranking["total_budget"] == 60000 and ranking["cut_off"] is None


def test_signup_makes_a_logged_in_applicant(world: World, web):
    client, _ = web
    token = login_as(client, world, "anonymous")
    refused = client.post("/signup", data={"csrf": token, "username": "nina", "password": "long enough password",
                                           "password2": "another one entirely"})
    assert refused.status_code == 422 and "differ" in refused.text
    made = client.post("/signup", data={"csrf": token, "username": "nina", "password": "long enough password",
                                        "password2": "long enough password"}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/my/applications"
    mine = client.get("/my/applications")
    assert mine.status_code == 200 and "Start an application" in mine.text
    assert client.get("/calls/1/ranking").status_code == 403


def test_steps_save_drafts_and_show_field_errors(world: World, web):
    client, _ = web
    token = login_as(client, world, "applicant_a")
    started = client.post(f"/calls/{world.demo.followup_call}/apply", data={"csrf": token}, follow_redirects=False)
    app_id = int(re.search(r"/applications/(\d+)/edit/applicant", started.headers["location"]).group(1))
    bad = client.post(f"/applications/{app_id}/edit/applicant", data={"csrf": token, "kind": "organisation",
                                                                       "country": "Bosnia"})
    assert bad.status_code == 422
    assert 'id="err-name"' in bad.text and 'id="err-country"' in bad.text and 'aria-invalid="true"' in bad.text
    good = client.post(f"/applications/{app_id}/edit/applicant",
                       data={"csrf": token, "kind": "organisation", "name": "Eko Klub Tuzla", "country": "ba",
                             "org_type": "cso", "registered": "yes", "registration_number": "RU-1"},
                       follow_redirects=False)
    assert good.headers["location"] == f"/applications/{app_id}/edit/partners?saved=1"
    partners = client.post(f"/applications/{app_id}/edit/partners",
                           data={"csrf": token, "partners.0.name": "", "partners.0.country": "",
                                 "partners.1.name": "Opština Lukavac", "partners.1.country": "XX1", "go": "back"})
    assert partners.status_code == 422 and 'id="err-partners-1-country"' in partners.text
    budget = client.post(f"/applications/{app_id}/edit/budget",
                         data={"csrf": token, "currency": "EUR", "lines.0.item": "Seminars", "lines.0.amount": "99,000",
                               "start": "2027-01-01", "end": "2027-06-30"})
    assert budget.status_code == 422 and "ceiling" in budget.text
    data = client.get(f"/api/applications/{app_id}").json()["application"]["data"]
    assert data["applicant"]["name"] == "Eko Klub Tuzla" and data["applicant"]["country"] == "BA"
    assert "budget" not in data
    login_as(client, world, "applicant_b")
    assert client.get(f"/applications/{app_id}/edit/applicant").status_code == 404


def test_calls_are_public_with_their_rules_and_json(world: World, web):
    client, _ = web
    login_as(client, world, "anonymous")
    page = client.get(f"/calls/{world.demo.followup_call}")
    assert page.status_code == 200
    assert "Europe/Belgrade" in page.text and "15,000 EUR" in page.text and "individuals cannot apply" in page.text
    assert "Sign up to apply" in page.text
    listing = client.get("/api/calls").json()
    called = {c["id"] for p in listing["programmes"] for c in p["calls"]}
    assert called >= {world.demo.followup_call, world.demo.cso_call}
    one = client.get(f"/api/calls/{world.demo.followup_call}").json()
    assert one["deadline"].endswith(")") and len(one["rules_text"]) == len(one["rules"])


def test_officer_pages_render(world: World, web):
    client, _ = web
    token = login_as(client, world, "officer")
    for url in (f"/calls/{world.demo.followup_call}/applications", f"/applications/{world.a_sub}/eligibility",
                f"/applications/{world.a_sub}/reviewers", "/grants/overdue", "/audit", "/alumni", "/associations",
                f"/alumni/{world.alumnus}/erase", "/brochure", "/api/audit", "/api/alumni", "/api/grants/overdue"):
        assert client.get(url).status_code == 200, url
    exported = client.get(f"/alumni/{world.alumnus}/export")
    assert exported.headers["content-type"].startswith("application/json") and "Jovan" in exported.text
    unconfirmed = client.post(f"/alumni/{world.alumnus}/erase", data={"csrf": token})
    assert unconfirmed.status_code == 422
    erased = client.post(f"/alumni/{world.alumnus}/erase", data={"csrf": token, "confirm": "yes"},
                         follow_redirects=False)
    assert erased.status_code == 303 and "Jovan" not in client.get("/alumni").text
    ineligible = client.post(f"/applications/{world.a_sub}/eligibility", data={"csrf": token, "action": "ineligible"})
    assert ineligible.status_code == 422 and "Say why" in ineligible.text
    audit = client.get("/api/audit").json()
    assert any(e["action"] == "application.submit" for e in audit)


def test_a_step_tab_saves_what_was_typed(world: World, web):
    client, _ = web
    token = login_as(client, world, "applicant_a")
    url = f"/applications/{world.a_draft}/edit/project"
    form = {"csrf": token, "title": "Typed before the tab", "background": "Why", "objectives.0": "One",
            "activities.0.type": "seminar", "activities.0.description": "A seminar", "go": "budget"}
    response = client.post(url, data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("/edit/budget?saved=1")
    assert 'value="Typed before the tab"' in client.get(url).text
    page = client.get(url).text
    assert 'form="step-form" name="go" value="budget"' in page  # the tabs are buttons of the step's form


def test_a_refused_attachment_returns_to_the_form_with_the_reason(world: World, web):
    client, _ = web
    token = login_as(client, world, "applicant_a")
    response = client.post(f"/applications/{world.a_draft}/attachments", data={"csrf": token},
                           files={"file": ("photo.pdf", b"not a pdf at all", "application/pdf")})
    assert response.status_code == 422
    assert "photo.pdf was not attached" in response.text and 'type="file"' in response.text  # the form again


def test_withdraw_then_the_applicant_reads_feedback(world: World, web):
    client, store = web
    token = login_as(client, world, "applicant_a")
    page = client.get(f"/applications/{world.a_sub}").text
    assert "What the programme decided" in page and "all rules pass" in page  # the screening reason
    assert "Withdraw the application" not in page  # already screened: no longer withdrawn by its owner
    checks = client.get(f"/api/applications/{world.a_sub}/eligibility").json()
    assert checks and all(c["passed"] for c in checks) and all(c["reason"] for c in checks)
    assert client.post(f"/applications/{world.b_draft}/withdraw", data={"csrf": token}).status_code == 404
    g = Grants(store.engine, store.settings, store)
    b = world.users["applicant_b"]
    for step, values in application_data(world.demo).items():
        assert g.save_draft(b, world.b_draft, step, values).saved
    g.submit(b, world.b_draft)
    token_b = login_as(client, world, "applicant_b")
    assert "Withdraw the application" in client.get(f"/applications/{world.b_draft}").text
    response = client.post(f"/applications/{world.b_draft}/withdraw", data={"csrf": token_b}, follow_redirects=False)
    assert response.status_code == 303 and g.get_application(b, world.b_draft).status == "draft"


def test_names_not_ids_on_the_read_only_view(world: World, web):
    client, _ = web
    login_as(client, world, "reviewer_assigned")
    page = client.get(f"/applications/{world.a_sub}/review").text
    assert "organisation no." not in page and "Public Utility Komunalac Bijeljina" in page
    assert "Ana Petrović" in page and "course 1" not in page


def test_an_officer_creates_and_opens_a_call_from_a_form(world: World, web):
    client, _ = web
    token = login_as(client, world, "officer")
    form = {"csrf": token, "programme_id": str(world.demo.cso_programme), "title": "Web call",
            "opens_at": "2026-01-01T09:00", "closes_at": "2036-01-01T17:00", "time_zone": "Europe/Skopje",
            "ceiling_per_grant": "5,000", "total_budget": "20000", "countries": "mk, al",
            "rule.budget_max": "on", "rule.budget_max.amount": "5000", "rule.country_in": "on",
            "rule.country_in.countries": "MK, AL", "rubric.0.criterion": "impact", "rubric.0.weight": "2"}
    bad = client.post("/calls/new", data=form | {"rule.country_in.countries": "", "opens_at": "soon"})
    assert bad.status_code == 422 and "needed when this rule is chosen" in bad.text and 'value="Web call"' in bad.text
    response = client.post("/calls/new", data=form, follow_redirects=False)
    assert response.status_code == 303
    call_url = response.headers["location"].split("?")[0]
    call = client.get("/api" + call_url).json()
    assert (call["status"], call["ceiling_per_grant"], call["countries"]) == ("draft", 5000, ["MK", "AL"])
    assert [r["rule"] for r in call["rules"]] == ["budget_max", "country_in"]
    assert 'value="Web call"' in client.get(call_url + "/edit").text
    client.post(call_url + "/status", data={"csrf": token, "action": "open"})
    assert client.get("/api" + call_url).json()["state"] == "open"
    refused = client.post(call_url + "/edit", data=form)
    assert refused.status_code == 409 and "only a draft call can be edited" in refused.text


def test_an_officer_adds_questions_and_the_applicant_answers_them(world: World, web):
    client, _ = web
    token = login_as(client, world, "officer")
    call = world.demo.followup_call
    bad = client.post(f"/calls/{call}/questions", data={"csrf": token, "q.0.label": "Focus", "q.0.key": "focus",
                                                         "q.0.type": "choice", "q.0.choices": "only one"})
    assert bad.status_code == 422 and "at least two choices" in bad.text and 'value="Focus"' in bad.text
    saved = client.post(f"/calls/{call}/questions", data={
        "csrf": token, "q.0.label": "Team size", "q.0.key": "team", "q.0.type": "number", "q.0.required": "on",
        "q.1.label": "Focus", "q.1.key": "focus", "q.1.type": "choice", "q.1.choices": "waste, water"},
        follow_redirects=False)
    assert saved.status_code == 303
    token = login_as(client, world, "applicant_a")
    url = f"/applications/{world.a_draft}/edit/questions"
    page = client.get(url).text
    assert "Team size" in page and '<option value="water"' in page
    refused = client.post(url, data={"csrf": token, "q.team": "a few", "go": "stay"})
    assert refused.status_code == 422 and "a number" in refused.text and 'value="a few"' in refused.text
    ok = client.post(url, data={"csrf": token, "q.team": "4", "q.focus": "water", "go": "next"},
                     follow_redirects=False)
    assert ok.headers["location"].endswith("/edit/attachments?saved=1")
    assert 'value="4"' in client.get(url).text


def test_a_confirmed_member_confirms_a_colleague_on_the_web(world: World, web):
    client, store = web
    g = Grants(store.engine, store.settings, store)
    carl = auth.add_user(store.engine, "carl", "long enough password")
    grant_role(store.engine, carl.id, "applicant")
    g.request_membership(carl, world.demo.utility)
    token = login_as(client, world, "editor")
    url = f"/memberships/{world.demo.utility}/{carl.id}"
    assert client.post(url, data={"csrf": token, "decision": "confirm"}).status_code == 403  # no such role
    token = login_as(client, world, "reviewer_assigned")
    assert client.post(url, data={"csrf": token, "decision": "confirm"}).status_code == 403  # not a member
    token = login_as(client, world, "applicant_a")  # a confirmed member of the utility
    assert "Confirm carl" in client.get("/my/organisations").text
    response = client.post(url, data={"csrf": token, "decision": "confirm"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/my/organisations"
    assert [m.status for m in g.my_memberships(carl)] == ["confirmed"]
