"""The whole grants path in headless Chromium (Debian's /usr/bin/chromium through Playwright), on a live server:
an applicant signs up and fills the multi-step form → submits → the officer checks eligibility and assigns three
reviewers → two score, the third declares a conflict and can no longer open the application → the officer ranks
and awards → the applicant sends the final report → the officer completes the grant and downloads the brochure
PDF: one section per country with its awarded projects; the project is found by the registry's search.

Screenshots go to tests/output/grants_*.png. Skipped, with a message, only when /usr/bin/chromium is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import CHROMIUM, OUTPUT, chromium, live_server, needs_chromium

PASSWORD = "long enough password"
TITLE = "Composting schools of Semberija"

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from aidatlas import auth
    from aidatlas.grants import Grants
    from aidatlas.grants.demo import application_data, apply, load_demo
    from aidatlas.registry import open_store
    from aidatlas.roles import grant_role
    from aidatlas.settings import Settings
    from aidatlas.web.app import create_app

    settings = Settings(database_url=Settings.sqlite_url(tmp_path_factory.mktemp("grants-browser") / "g.db"),
                        chromium=str(CHROMIUM))
    store = open_store(settings)
    users = {}
    for name, role in (("olga", "officer"), ("rade", "reviewer"), ("rina", "reviewer"), ("rok", "reviewer"),
                       ("adam", "admin"), ("seeded", "applicant")):
        users[name] = auth.add_user(store.engine, name, PASSWORD)
        grant_role(store.engine, users[name].id, role)
    g = Grants(store.engine, settings, store)
    demo = load_demo(g, users["adam"])
    # a completed grant from another country already in the programme (the brochure then has two sections)
    other = g.create_organisation(users["seeded"], "Alumni Club Nikšić", "ME", "cso", registered=True,
                                  registration_number="ME-0042")
    seeded = apply(g, users["seeded"], demo.followup_call,
                   application_data(demo, applicant__organisation_id=other.id,
                                    project__title="Recycling manual for Nikšić"))
    g.mark_eligibility(users["olga"], seeded, True, "")
    award = g.decide(users["olga"], seeded, True, 8000, "")
    assert award is not None
    g.submit_report(users["seeded"], award.id, "final",
                    {o: "done" for o in application_data(demo)["project"]["objectives"]}, 120)
    g.complete_grant(users["olga"], award.id)
    with live_server(create_app(settings, store)) as url:
        yield {"url": url, "demo": demo}
    store.close()


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


def test_whole_grant_path(browser: Any, server: dict[str, Any], tmp_path: Path):
    base, demo = server["url"], server["demo"]
    call_url = f"/calls/{demo.followup_call}"

    # ---- the applicant signs up, reads the call and fills the form step by step
    applicant = Session(browser, base)
    page = applicant.page
    page.goto(call_url)
    assert "Europe/Belgrade" in page.locator("time.deadline").inner_text()
    assert "your time" in page.locator(".local-hint").inner_text()  # grants.js: the visitor's UTC offset
    assert page.get_by_text("must belong to the applicant organisation").is_visible()
    shot(page, "call")
    page.get_by_role("link", name="Sign up to apply").click()
    page.get_by_label("User name").fill("vesna")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"**{call_url}")
    page.get_by_role("button", name="Start an application").click()
    page.wait_for_url("**/edit/applicant")
    page.get_by_label("Organisation already known to the programme").select_option(
        label="Public Utility Komunalac Bijeljina (BA)")
    page.get_by_label("Implementing organisation").fill("Public Utility Komunalac Bijeljina")
    _continue(page, "partners")
    page.get_by_label("Partner 1: name").fill("Municipality of Ugljevik")
    page.get_by_label("Partner 1: country").fill("BA")
    _continue(page, "course")
    page.get_by_label("Course", exact=True).select_option(str(demo.course))
    page.get_by_label("Cohort").fill("1")
    page.get_by_label("Ex-participants").fill(str(demo.alumni["Ana Petrović"]))
    _continue(page, "project")
    page.get_by_label("Background").fill("Schools throw away their kitchen waste.\n\nAn ex-participant planned "
                                         "school composting after the training.")
    page.get_by_label("Objective 1", exact=True).fill("Teach pupils to compost")
    page.get_by_role("button", name="Save and continue").click()  # no title, no activity: field errors
    assert page.locator("#f-title[aria-invalid='true']").count() == 1
    assert page.get_by_text("nothing of this page was saved").is_visible()
    shot(page, "field_errors")
    page.get_by_label("Title of the project").fill(TITLE)
    page.get_by_label("Objective 2", exact=True).fill("Halve the schools' mixed waste")
    page.get_by_label("Activity 1: type").select_option("workshop")
    page.get_by_label("Activity 1: description").fill("Composting workshops in twelve schools")
    _continue(page, "places")
    page.get_by_role("button", name="Save and go back").click()  # back, and the project is still there
    page.wait_for_url("**/edit/project?saved=1")
    assert page.get_by_label("Title of the project").input_value() == TITLE
    _continue(page, "places")
    page.get_by_label("Place 1: municipality or town").fill("Bijeljina")
    page.get_by_label("Place 1: country").fill("BA")
    page.get_by_label("Target group 1", exact=True).fill("pupils")
    page.get_by_label("Target group 1: number of people").fill("900")
    _continue(page, "budget")
    page.get_by_label("Line 1: item").fill("Workshops")
    page.get_by_label("Line 1: amount").fill("6,400")
    page.get_by_label("Line 2: item").fill("Composters")
    page.get_by_label("Line 2: amount").fill("3000")
    page.get_by_label("Co-financing").fill("1200")
    page.get_by_label("Start date").fill("2027-03-01")
    page.get_by_label("End date").fill("2027-12-15")
    _continue(page, "attachments")
    pdf = tmp_path / "statute.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.get_by_label("File").set_input_files(str(pdf))
    page.get_by_role("button", name="Attach").click()
    page.get_by_role("link", name="statute.pdf").wait_for()
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url("**/edit/review")
    assert page.get_by_text("9,400 EUR").first.is_visible()
    shot(page, "review_step")
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url("**/applications/*?submitted=1")
    assert "Version 1" in page.content() and "read-only" in page.content()
    app_id = int(page.url.split("/applications/")[1].split("?")[0])
    shot(page, "submitted")

    # ---- the officer checks eligibility and assigns the panel
    officer = Session(browser, base)
    page = officer.login("olga", f"/calls/{demo.followup_call}/applications")
    page.get_by_role("link", name="Check eligibility").first.click()
    page.get_by_role("button", name="Run the check").click()
    page.wait_for_url(f"**/applications/{app_id}/eligibility")
    checks = page.locator("ul.checks li")
    assert checks.count() == 6 and page.locator("ul.checks li.fail").count() == 0, checks.all_inner_texts()
    shot(page, "eligibility")
    page.get_by_role("button", name="Mark eligible").click()
    page.get_by_role("link", name="Reviewers and decision").click()
    for name in ("rade", "rina", "rok"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Assign").click()
    page.wait_for_url(f"**/applications/{app_id}/reviewers")
    assert page.locator("table").first.get_by_text("rok").is_visible()

    # ---- a reviewer declares a conflict and cannot open the application any more; two score it
    rok = Session(browser, base)
    page = rok.login("rok", "/reviews")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_text("Conflict of interest?").click()
    page.get_by_label("What is the conflict?").fill("The applicant employs my brother")
    page.get_by_role("button", name="Declare a conflict of interest").click()
    page.wait_for_url("**/reviews?conflict=*")
    assert page.get_by_text(TITLE).count() == 0
    assert page.goto(f"/applications/{app_id}/review").status == 404
    assert page.goto(f"/applications/{app_id}").status == 404
    shot(page, "conflict_hidden")
    rok.close()
    for name, values in (("rade", ("8", "7", "6")), ("rina", ("9", "6", "7"))):
        reviewer = Session(browser, base)
        page = reviewer.login(name, "/reviews")
        page.get_by_role("link", name=TITLE).click()
        for label, value in zip(("Relevance to the call", "Feasibility and budget", "Lasting results"), values,
                                strict=True):
            page.get_by_label(label).fill(value)
        page.get_by_label("Comment for the programme officer").fill(f"{name}: solid and cheap")
        page.get_by_role("button", name="Save the score").click()
        page.wait_for_url("**/reviews?scored=*")
        if name == "rade":
            shot(page, "reviews")
        reviewer.close()

    # ---- the officer ranks and awards
    page = officer.page
    page.goto(f"/calls/{demo.followup_call}/ranking")
    row = page.locator("table.ranking tr", has_text=TITLE)
    assert row.locator("td").nth(4).inner_text() == "2"  # two reviews (the conflicted one is not counted)
    shot(page, "ranking")
    page.goto(f"/applications/{app_id}/reviewers")
    page.get_by_label("Awarded amount").fill("9000")
    page.get_by_label("Reason").fill("Ranked first; within the budget")
    page.get_by_role("button", name="Award the grant").click()
    page.wait_for_url(f"**/applications/{app_id}/reviewers")
    assert "Awarded 9,000 EUR" in page.content()

    # ---- the grantee reports
    page = applicant.page
    page.goto("/my/applications")
    page.get_by_role("link", name="Report").click()
    page.get_by_label("final report").check()
    page.get_by_label("Objective 1: Teach pupils to compost").fill("860 pupils in 12 schools learned to compost")
    page.get_by_label("Objective 2: Halve the schools' mixed waste").fill("Mixed waste fell by 55%")
    page.get_by_label("Participants reached").fill("860")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(f"**/applications/{app_id}?reported=1")
    assert "860 participants reached" in page.content()
    shot(page, "report_sent")
    applicant.close()

    # ---- the officer completes the grant and downloads the brochure
    page = officer.page
    page.goto(f"/applications/{app_id}")
    page.get_by_role("button", name="Complete the grant").click()
    page.wait_for_url(f"**/applications/{app_id}")
    assert "(completed)" in page.content()
    page.goto(f"/brochure?programme={demo.followup_programme}")
    assert page.locator("section.country").count() == 2
    shot(page, "brochure")
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("link", name="Download the PDF").click()
    target = tmp_path / "brochure.pdf"
    download.value.save_as(str(target))
    officer.close()
    sections = _pdf_sections(target)
    assert list(sections) == ["BOSNIA AND HERZEGOVINA", "MONTENEGRO"], list(sections)
    assert TITLE in sections["BOSNIA AND HERZEGOVINA"] and TITLE not in sections["MONTENEGRO"]
    assert "Recycling manual for Nikšić" in sections["MONTENEGRO"]

    # ---- the award is a public registry record, found by the search
    visitor = Session(browser, base)
    page = visitor.page
    page.goto("/activities?q=composting+Semberija")
    assert page.locator("#results-h").inner_text() == "1 activity"
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url("**/activities/*")
    shot(page, "registry_record")
    visitor.close()


def _pdf_sections(path: Path) -> dict[str, str]:
    """The brochure's text by country section (each country starts on a new page with its name as heading)."""
    import pypdfium2 as pdfium

    countries = {"BOSNIA AND HERZEGOVINA", "MONTENEGRO", "SERBIA", "ALBANIA", "NORTH MACEDONIA", "KOSOVO"}
    document = pdfium.PdfDocument(str(path))
    sections: dict[str, str] = {}
    current = None
    try:
        for i in range(len(document)):
            textpage = document[i].get_textpage()
            text = textpage.get_text_range()
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            heading = next((line.upper() for line in lines[:3] if line.upper() in countries), None)
            if heading:
                current = heading
                sections[current] = ""
            if current:
                sections[current] += " ".join(" ".join(lines).split()) + " "
    finally:
        document.close()
    return sections
