"""Real pages in headless Chromium (Debian's /usr/bin/chromium driven by Playwright; never `playwright install`).

Screenshots go to tests/output/ (git-ignored). Skipped, with a message, only when /usr/bin/chromium is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import OUTPUT, chromium, live_server, needs_chromium

PASSWORD = "long enough password"
SHEET = """Naziv projekta: Čista voda za Prijedor <script>alert('x')</script>

Donator: Evropska unija

Podnosilac: Udruženje "Zeleni" Prijedor

Budžet projekta: 45.000,00 EUR

Trajanje: 01.03.2022. – 28.02.2023.
"""

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from web_fixtures import fill

    from aidatlas import auth
    from aidatlas.registry import open_store
    from aidatlas.settings import Settings
    from aidatlas.web.app import create_app

    settings = Settings(database_url=Settings.sqlite_url(tmp_path_factory.mktemp("browser") / "registry.db"))
    store = open_store(settings)
    fill(store, synthetic=80)
    from aidatlas.roles import grant_role

    grant_role(store.engine, auth.add_user(store.engine, "ana", PASSWORD).id, "editor")
    with live_server(create_app(settings, store)) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened.set_default_timeout(10_000)
    yield opened
    context.close()
    assert not dialogs, f"a script ran from user-provided text: {dialogs}"


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)


def test_search_facet_activity_organisation(page: Any):
    page.goto("/")
    page.get_by_label("Words").fill("Zvecan")
    page.get_by_label("Words").press("Enter")
    page.wait_for_url("**/activities?q=Zvecan*")
    heading = page.locator("#results-h")
    total = int(heading.inner_text().split()[0])
    assert total > 0
    shot(page, "browser_search")
    page.locator("ul[aria-label='Kind'] a").first.click()
    page.wait_for_url("**kind=*")
    assert int(page.locator("#results-h").inner_text().split()[0]) <= total
    assert page.locator("a.selected[aria-current='true']").count() == 1
    shot(page, "browser_facet")
    page.locator("ol.records h3 a").first.click()
    page.wait_for_url("**/activities/syn-*")
    assert "Zvečan" in page.locator("h1").inner_text() or "Zvečan" in page.content()
    shot(page, "browser_activity")
    page.locator("dt:has-text('Participants') + dd a").first.click()
    page.wait_for_url("**/organisations/org-*")
    page.get_by_role("heading", name="Names and spellings").wait_for(state="visible")
    assert page.get_by_role("heading", name="Roles").is_visible()
    shot(page, "browser_organisation")


def test_keyboard_and_phone_width(page: Any):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/activities?q=water")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    assert page.evaluate("document.querySelector('details.filters').open") is False  # folded by app.js
    for label in ("Words", "Sort"):
        assert page.get_by_label(label).is_visible()
    shot(page, "browser_phone_search")
    page.goto("/overview")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "browser_phone_overview")


def _login(page: Any) -> None:
    page.goto("/login?next=/documents/new")
    page.get_by_label("User name").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/documents/new")


def test_upload_correct_save(page: Any, tmp_path: Path):
    _login(page)
    sheet = tmp_path / "cista_voda.txt"
    sheet.write_text(SHEET, encoding="utf-8")
    page.get_by_label("Document").set_input_files(str(sheet))
    page.get_by_role("button", name="Read the document").click()
    page.wait_for_url("**/uploads/*")
    text = page.locator("pre.doc").inner_text()
    assert "<script>alert('x')</script>" in text  # shown as text, never run
    assert page.locator("pre.doc mark").count() >= 3
    shot(page, "browser_preview")
    page.get_by_label("Budget amount").fill("47,250.00")
    page.get_by_label("Countries").fill("BA")
    page.get_by_role("button", name="Save to the registry").click()
    page.wait_for_url("**/documents/*")
    shot(page, "browser_saved")
    page.locator("ul a").filter(has_text="Prijedor").first.click()
    page.wait_for_url("**/activities/act-*")
    assert "47,250 EUR" in page.locator("dt:has-text('Budget') + dd").inner_text()
    page.goto("/activities?q=ЧИСТА+ВОДА+Приједор")  # found across scripts
    assert page.locator("#results-h").inner_text() == "1 activity"


def test_logged_out_upload_is_refused(page: Any, tmp_path: Path):
    page.goto("/documents/new")
    page.wait_for_url("**/login?next=*")  # the form is not even shown
    _login(page)
    sheet = tmp_path / "late.txt"
    sheet.write_text("Project title: Written after logging out\nBudget: EUR 10,000\n", encoding="utf-8")
    page.get_by_label("Document").set_input_files(str(sheet))
    page.context.clear_cookies()  # the session ends while the form is open
    page.get_by_role("button", name="Read the document").click()
    assert page.get_by_role("heading", name="Log in first").is_visible()
    shot(page, "browser_refused")
    page.goto("/activities?q=logging")
    assert page.locator("#results-h").inner_text().startswith("0 ")
