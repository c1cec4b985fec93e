"""A whole call run from the browser only (headless Chromium through Playwright, on a live server with a real
local SMTP server): the officer creates and opens a call (rules, rubric, budget), applicants sign up, verify
their e-mail, ask to join their organisations and are confirmed, find their ex-participant by name, apply —
one fails a rule and sees why before submitting, then reads the officer's reason — reviewers without a
conflict score (a rival applicant with the reviewer role is not offered, one reviewer declares a conflict),
an award past the call's total is refused with the remainder shown, awards within it are made, the grantee
finds the decision in the inbox and in the e-mail the SMTP server captured, reports once the project has
started, the officer completes the grant and chooses it for the brochure, and the grant is a registry record
whose IATI export validates against the official schema.

The server's clock is a test clock (`app.state.grants`), moved to the project's start for the report.
Screenshots go to tests/output/grants_*.png. Skipped, with a message, only when /usr/bin/chromium is absent.
Not covered (not built): tranches, financial reports and payments.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from browser_support import CHROMIUM, OUTPUT, chromium, live_server, needs_chromium
from grants_world import Clock
from test_grants_outbox import Mailbox, free_port

PASSWORD = "long enough password"
TITLE = "Composting schools of Semberija"
RIVAL_TITLE = "Alumni summer school on waste"
CALL = "Follow-up grants 2027"

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from aiosmtpd.controller import Controller

    from aidatlas import auth
    from aidatlas.grants import Grants
    from aidatlas.grants.demo import load_demo
    from aidatlas.registry import open_store
    from aidatlas.roles import grant_role
    from aidatlas.settings import Settings
    from aidatlas.web.app import create_app

    box, port = Mailbox(), free_port()
    smtp = Controller(box, hostname="127.0.0.1", port=port)
    smtp.start()
    settings = Settings(database_url=Settings.sqlite_url(tmp_path_factory.mktemp("grants-browser") / "g.db"),
                        chromium=str(CHROMIUM), smtp_url=f"smtp://127.0.0.1:{port}?from=grants@example.org")
    store = open_store(settings)
    users = {}
    for name, roles in (("olga", ("officer",)), ("rade", ("reviewer",)), ("rina", ("reviewer",)),
                        ("rok", ("reviewer",)), ("adam", ("admin",)), ("rival", ("applicant", "reviewer"))):
        users[name] = auth.add_user(store.engine, name, PASSWORD)
        for role in roles:
            grant_role(store.engine, users[name].id, role)
    clock = Clock(datetime.now(UTC).replace(microsecond=0))
    demo = load_demo(Grants(store.engine, settings, store), users["adam"])  # courses, organisations, alumni
    app = create_app(settings, store)
    app.state.grants = Grants(store.engine, settings, store, clock=clock)
    with live_server(app) as url:
        yield {"url": url, "demo": demo, "mail": box, "clock": clock}
    store.close()
    smtp.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


class Session:
    """One person's browser context (its own cookies)."""

    def __init__(self, browser: Any, base: str) -> None:
        self.context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900},
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def login(self, name: str, next_url: str) -> Any:
        page = self.page
        page.goto(f"/login?next={next_url}")
        page.get_by_label("User name").fill(name)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"**{next_url}")
        return page

    def signup(self, name: str, start: str) -> Any:
        page = self.page
        page.goto(start)
        page.get_by_role("link", name="Sign up to apply").click()
        page.get_by_label("User name").fill(name)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Password again").fill(PASSWORD)
        page.get_by_role("button", name="Create my account").click()
        page.wait_for_url(f"**{start}")
        return page

    def close(self) -> None:
        self.context.close()
        assert not self.dialogs, f"a script ran from user-provided text: {self.dialogs}"
        blocked = [e for e in self.errors if "Content Security Policy" in e]
        assert not blocked, f"the CSP blocked something: {blocked}"


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(OUTPUT / f"grants_{name}.png"), full_page=True)


def _continue(page: Any, step: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(f"**/edit/{step}?saved=1")


def _apply(page: Any, call_url: str, organisation: str, title: str, amount: str, alumnus: str | None) -> None:
    """Fill every step of the form for `organisation`; stops on the review step (not submitted)."""
    page.goto(call_url)
    page.get_by_role("button", name="Start an application").click()
    page.wait_for_url("**/edit/applicant")
    page.get_by_label("Organisation already known to the programme").select_option(label=organisation)
    page.get_by_label("Implementing organisation").fill(organisation.rsplit(" (", 1)[0])
    _continue(page, "partners")
    _continue(page, "course")
    if alumnus:
        page.get_by_label("Name (at least three letters)").fill(alumnus)
        page.get_by_role("button", name="Find").click()
        page.wait_for_url("**/edit/course?saved=1&find=*")
        page.locator("ul.found li").first.get_by_role("button", name="Add").click()
        page.wait_for_url("**/edit/course?saved=1")
        assert "Ana Petrović" in page.locator(".hint", has_text="Petrović").first.inner_text()  # a name, not an id
        page.get_by_label("Course", exact=True).select_option(index=1)
        # a step tab saves what is typed on the way (the page's own hint says so)
        page.get_by_label("Cohort (year").fill("1")
    page.get_by_role("button", name="Background, objectives and activities").click()
    page.wait_for_url("**/edit/project?saved=1")
    page.get_by_label("Title of the project").fill(title)
    page.get_by_label("Background").fill("Schools throw away their kitchen waste.")
    page.get_by_label("Objective 1", exact=True).fill("Teach pupils to compost")
    page.get_by_label("Activity 1: type").select_option("workshop")
    page.get_by_label("Activity 1: description").fill("Composting workshops in twelve schools")
    page.get_by_role("button", name="Budget and timeline").click()  # a tab again: the project is saved
    page.wait_for_url("**/edit/budget?saved=1")
    page.get_by_label("Line 1: item").fill("Workshops")
    page.get_by_label("Line 1: amount").fill(amount)
    page.get_by_label("Start date").fill("2027-03-01")
    page.get_by_label("End date").fill("2027-12-15")
    _continue(page, "questions")
    page.get_by_label("How many schools take part?").fill("12")
    _continue(page, "attachments")
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url("**/edit/review")


def _submit(page: Any) -> int:
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url("**/applications/*?submitted=1")
    return int(page.url.split("/applications/")[1].split("?")[0])


def _send_queue(officer: Session) -> None:
    page = officer.page
    page.goto("/outbox")
    page.get_by_role("button", name="Send the queue now").click()
    page.get_by_text("Sending done").wait_for()


def test_a_whole_call_from_the_browser(browser: Any, server: dict[str, Any], tmp_path: Path):
    base, demo, mail, clock = server["url"], server["demo"], server["mail"], server["clock"]
    zone = ZoneInfo("Europe/Sarajevo")
    local = clock.now.astimezone(zone)

    # ---- the officer creates the call (rules, rubric, budget, window) and opens it
    officer = Session(browser, base)
    page = officer.login("olga", "/calls")
    page.get_by_role("link", name="New call or programme").click()
    page.get_by_label("Programme").select_option(str(demo.followup_programme))
    page.get_by_label("Title", exact=True).fill(CALL)
    page.get_by_label("Opens").fill((local - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Deadline").fill((local + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Time zone").fill("Europe/Sarajevo")
    page.get_by_label("Ceiling per grant").fill("15000")
    page.get_by_label("Total budget of the call").fill("20000")
    page.get_by_label("Countries", exact=True).fill("BA, ME")
    page.get_by_label("Activity types").fill("seminar, workshop")
    for rule in ("applicant is organisation", "ex participant member", "budget max"):
        page.locator(".rule-choice", has_text=rule).locator("input[type=checkbox]").first.check()
    page.locator("[name='rule.budget_max.amount']").fill("15000")
    for i, (criterion, label) in enumerate((("relevance", "Relevance to the call"),
                                            ("feasibility", "Feasibility and budget"))):
        page.locator(f"[name='rubric.{i}.criterion']").fill(criterion)
        page.locator(f"[name='rubric.{i}.label']").fill(label)
        page.locator(f"[name='rubric.{i}.weight']").fill("1")
    shot(page, "new_call")
    page.get_by_role("button", name="Create the call (a draft)").click()
    page.wait_for_url("**/calls/*?saved=1")
    call_url = page.url.split("?")[0].removeprefix(base)
    assert "draft" in page.locator("h1 .status").inner_text()
    page.get_by_role("link", name="Additional questions").click()  # the form builder
    page.get_by_label("Question 1: label").fill("How many schools take part?")
    page.get_by_label("Question 1: key").fill("schools")
    page.get_by_label("Question 1: type").select_option("number")
    page.get_by_label("Question 1 is required").check()
    page.get_by_role("button", name="Save the questions").click()
    page.wait_for_url("**/questions?saved=1")
    page.goto(call_url)
    page.get_by_role("button", name="Open the call").click()
    page.wait_for_url(f"**{call_url}")
    assert page.locator("h1 .status").inner_text() == "open"
    page.goto("/calls")
    assert page.locator("li", has_text=CALL).locator(".status").inner_text() == "open"

    # ---- two applicants sign up, give a verified address and ask to join their organisations
    vesna, marko, rival = Session(browser, base), Session(browser, base), Session(browser, base)
    vesna.signup("vesna", call_url)
    vesna.page.goto("/account")
    vesna.page.get_by_label("E-mail address").fill("vesna@example.org")
    vesna.page.get_by_role("button", name="Save and send a confirmation link").click()
    vesna.page.goto("/my/organisations")
    utility = "Public Utility Komunalac Bijeljina (Bosnia and Herzegovina)"
    vesna.page.get_by_label("Organisation", exact=True).select_option(label=utility)
    vesna.page.get_by_role("button", name="Ask to join", exact=True).click()
    vesna.page.wait_for_url("**/my/organisations?requested=1")
    marko.signup("marko", call_url)
    marko.page.goto("/my/organisations")
    marko.page.get_by_label("Name", exact=True).fill("Youth Club Zvornik")
    marko.page.get_by_label("Country", exact=True).fill("BA")
    marko.page.get_by_role("button", name="Register and ask to join").click()
    marko.page.wait_for_url("**/my/organisations?requested=1")
    rival.login("rival", "/my/organisations")
    association = "Training Alumni Association of Bosnia and Herzegovina (Bosnia and Herzegovina)"
    rival.page.get_by_label("Organisation", exact=True).select_option(label=association)
    rival.page.get_by_role("button", name="Ask to join", exact=True).click()

    page.goto("/memberships")
    assert page.locator("tbody tr").count() == 3
    for _ in range(3):
        page.get_by_role("button", name="Confirm").first.click()
        page.wait_for_url("**/memberships")
    assert page.get_by_text("No request waits").is_visible()
    _send_queue(officer)  # the confirmation link reaches vesna's mailbox
    first = next(m for to, m in mail.received if to == ["vesna@example.org"])
    link = first.get_payload(decode=True).decode().split()[-1]
    vesna.page.goto(link.removeprefix(base))
    assert vesna.page.get_by_text("verified").first.is_visible()

    # ---- they apply; marko names no ex-participant: the form says which rule fails and why
    _apply(vesna.page, call_url, "Public Utility Komunalac Bijeljina (BA)", TITLE, "12000", "petrovic")
    assert vesna.page.locator(".eligibility-live li.fail").count() == 0
    assert "How many schools take part?" in vesna.page.locator("dl.answers").inner_text()
    shot(vesna.page, "review_step")
    vesna_app = _submit(vesna.page)
    _apply(marko.page, call_url, "Youth Club Zvornik (BA)", "Football for all", "5000", None)
    failing = marko.page.locator(".eligibility-live li.fail")
    assert failing.count() == 1 and "ex-participant" in failing.inner_text()
    shot(marko.page, "eligibility_feedback")
    marko_app = _submit(marko.page)
    _apply(rival.page, call_url, "Training Alumni Association of Bosnia and Herzegovina (BA)", RIVAL_TITLE, "9000",
           "petrovic")
    rival_app = _submit(rival.page)

    # ---- the officer screens: marko is not eligible, and reads why
    for app_id, verdict in ((vesna_app, "eligible"), (rival_app, "eligible"), (marko_app, "ineligible")):
        page.goto(f"/applications/{app_id}/eligibility")
        page.get_by_role("button", name="Run the check").click()
        page.wait_for_url(f"**/applications/{app_id}/eligibility")
        if verdict == "ineligible":
            page.get_by_label("Reason (required when not eligible)").fill("No ex-participant of a course works "
                                                                          "at the club.")
            page.get_by_role("button", name="Mark ineligible").click()
        else:
            assert "matches the applicant" in page.locator("ul.alumni").inner_text()  # the registry's record
            page.get_by_role("button", name="Confirm the match").click()
            page.wait_for_url(f"**/applications/{app_id}/eligibility")
            page.get_by_role("button", name="Mark eligible").click()
        page.wait_for_url(f"**/applications/{app_id}/eligibility")
    marko.page.goto(f"/applications/{marko_app}")
    assert "No ex-participant of a course works at the club." in marko.page.locator("section.feedback").inner_text()
    marko.close()

    # ---- reviewers: the rival is not offered (competes in the call); one declares a conflict; two score
    for app_id in (vesna_app, rival_app):
        page.goto(f"/applications/{app_id}/reviewers")
        if app_id == vesna_app:  # (on its own application the rival is never offered: it owns it)
            assert "applies to the same call" in page.locator("p.conflict", has_text="rival").inner_text()
        assert page.get_by_label("rival").count() == 0
        for name in ("rade", "rina", "rok"):
            page.get_by_label(name).check()
        page.get_by_role("button", name="Assign").click()
        page.wait_for_url(f"**/applications/{app_id}/reviewers")
    shot(page, "panel")
    rok = Session(browser, base)
    rok.login("rok", "/reviews")
    rok.page.get_by_role("link", name=TITLE).click()
    rok.page.get_by_text("Conflict of interest?").click()
    rok.page.get_by_label("What is the conflict?").fill("The applicant employs my brother")
    rok.page.get_by_role("button", name="Declare a conflict of interest").click()
    rok.page.wait_for_url("**/reviews?conflict=*")
    assert rok.page.goto(f"/applications/{vesna_app}").status == 404
    rok.close()
    for name, marks in (("rade", ("8", "7")), ("rina", ("9", "6"))):
        reviewer = Session(browser, base)
        reviewer.login(name, "/reviews")
        for title, less in ((TITLE, 0), (RIVAL_TITLE, 2)):
            reviewer.page.goto("/reviews")
            reviewer.page.get_by_role("link", name=title).click()
            reviewer.page.get_by_label("Relevance to the call").fill(str(int(marks[0]) - less))
            reviewer.page.get_by_label("Feasibility and budget").fill(marks[1])
            reviewer.page.get_by_role("button", name="Save the score").click()
            reviewer.page.wait_for_url("**/reviews?scored=*")
        reviewer.close()

    # ---- the ranking shows the running total and the remainder; an award past the total is refused
    page.goto(f"{call_url}/ranking")
    assert page.locator("table.ranking tr", has_text=TITLE).locator("td").nth(7).inner_text() == "8,000"
    shot(page, "ranking")
    page.goto(f"/applications/{vesna_app}/reviewers")
    page.get_by_label("Awarded amount").fill("12000")
    page.get_by_label("Reason").fill("Ranked first")
    page.get_by_role("button", name="Award the grant").click()
    page.wait_for_url(f"**/applications/{vesna_app}/reviewers")
    page.goto(f"/applications/{rival_app}/reviewers")
    page.get_by_label("Awarded amount").fill("9000")
    page.get_by_role("button", name="Award the grant").click()
    assert "8,000.00 remains" in page.locator("p.error").inner_text()
    shot(page, "over_budget")
    page.get_by_label("Awarded amount").fill("8000")
    page.get_by_role("button", name="Award the grant").click()
    page.wait_for_url(f"**/applications/{rival_app}/reviewers")
    assert "remaining 0 EUR" in page.content() or "remaining 0.00" in page.content()
    rival.close()

    # ---- the grantee finds the decision in the inbox and by e-mail
    _send_queue(officer)
    decision = [m for to, m in mail.received if to == ["vesna@example.org"] and "Decision" in m["Subject"]]
    assert decision and "Awarded 12,000.00 EUR" in decision[0].get_payload(decode=True).decode()
    vesna.page.goto("/inbox")
    assert vesna.page.locator("li.message", has_text="Decision on application").locator(".body").inner_text() \
        .startswith("Awarded 12,000.00 EUR")
    shot(vesna.page, "inbox")

    # ---- reports from the project's start; completion; the officer chooses the grant for the brochure
    clock.now = datetime(2027, 12, 20, 9, tzinfo=UTC)
    vesna.page.goto("/my/applications")
    vesna.page.get_by_role("link", name="Report").first.click()
    vesna.page.get_by_label("final report").check()
    vesna.page.get_by_label("Objective 1: Teach pupils to compost").fill("860 pupils learned to compost")
    vesna.page.get_by_label("Participants reached").fill("860")
    vesna.page.get_by_label("Workshops (budget").fill("11,800")  # the financial part
    vesna.page.get_by_role("button", name="Send the report").click()
    vesna.page.wait_for_url(f"**/applications/{vesna_app}?reported=1")
    page.goto(f"/applications/{vesna_app}")
    page.get_by_label("Comments").fill("Add the schools' list")
    page.get_by_role("button", name="Return with comments").click()
    page.wait_for_url(f"**/applications/{vesna_app}")
    vesna.page.goto(f"/applications/{vesna_app}/report")
    assert "Add the schools' list" in vesna.page.content()
    vesna.page.get_by_label("final report").check()
    vesna.page.get_by_label("Objective 1: Teach pupils to compost").fill("860 pupils in 12 schools (list attached)")
    vesna.page.get_by_label("Workshops (budget").fill("11800")
    vesna.page.get_by_label("Participants reached").fill("860")
    vesna.page.get_by_role("button", name="Send the report").click()
    vesna.page.wait_for_url(f"**/applications/{vesna_app}?reported=1")
    page.goto(f"/applications/{vesna_app}")
    page.get_by_role("button", name="Approve the final report").click()
    page.wait_for_url(f"**/applications/{vesna_app}")
    tranches = page.locator("table.tranches tbody tr")
    assert [tranches.nth(i).locator(".status").inner_text() for i in range(3)] == ["released", "planned", "released"]
    for number in (1, 3):
        page.get_by_label("Paid on").first.fill("2027-12-20")
        page.get_by_label("Reference").first.fill(f"BANK-{number}")
        page.get_by_role("button", name=f"Record the payment of tranche {number}").click()
        page.wait_for_url(f"**/applications/{vesna_app}")
    assert "2027-12-20 (BANK-3)" in tranches.nth(2).inner_text()
    shot(page, "payments")
    vesna.page.goto(f"/applications/{vesna_app}")
    assert "2027-12-20 (BANK-1)" in vesna.page.locator("table.tranches").inner_text()  # the grantee sees them
    vesna.close()
    page.get_by_role("button", name="Complete the grant").click()
    page.wait_for_url(f"**/applications/{vesna_app}")
    page.goto(f"/brochure?programme={demo.followup_programme}")
    assert page.get_by_text(TITLE).count() == 0  # completed, but not chosen yet
    page.goto(f"/applications/{vesna_app}")
    page.get_by_label("Short story").fill("Twelve schools now compost their kitchen waste.")
    page.get_by_role("button", name="Put it in the brochure").click()
    page.wait_for_url(f"**/applications/{vesna_app}")
    page.goto(f"/brochure?programme={demo.followup_programme}")
    assert page.get_by_text(TITLE).count() >= 1
    page.goto("/audit?limit=5")
    assert page.locator("tbody tr").first.locator("td").nth(2).inner_text() == "brochure.choose"  # newest first
    officer.close()

    # ---- the grants are registry records; their IATI export validates against the official schema
    visitor = Session(browser, base)
    visitor.page.goto("/activities?q=composting+Semberija")
    assert visitor.page.locator("#results-h").inner_text() == "1 activity"
    xml = visitor.page.request.get(f"{base}/activities.xml?q=Semberija")
    target = tmp_path / "grants.xml"
    target.write_bytes(xml.body())
    visitor.close()
    from aidatlas.iati.validate import validate_file

    report = validate_file(target)
    assert report.ok and report.activities == 1, report.summary()
    assert f"-GRANT-{vesna_app}" in target.read_text()
