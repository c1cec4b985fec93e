"""Curation in headless Chromium (Debian's /usr/bin/chromium through Playwright): an editor fixes the funder of
an extracted record, adds a place and a sector, uploads the same file again (the edits stay), then reverts one
edit and the source's value returns. Plain HTML forms: no script is needed for any of it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import OUTPUT, chromium, live_server, needs_chromium
from web_fixtures import DOC

PASSWORD = "long enough password"
pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from web_fixtures import fill

    from aidatlas import auth
    from aidatlas.registry import open_store
    from aidatlas.roles import grant_role
    from aidatlas.settings import Settings
    from aidatlas.web.app import create_app

    settings = Settings(database_url=Settings.sqlite_url(tmp_path_factory.mktemp("curation") / "registry.db"))
    store = open_store(settings)
    record = fill(store, synthetic=20)[0]
    grant_role(store.engine, auth.add_user(store.engine, "ana", PASSWORD).id, "editor")
    with live_server(create_app(settings, store)) as url:
        yield url, record.id or ""
    store.close()


@pytest.fixture
def page(server: tuple[str, str]) -> Iterator[Any]:
    with chromium() as browser:
        context = browser.new_context(base_url=server[0], viewport={"width": 1280, "height": 900},
                                      java_script_enabled=False)  # progressive enhancement: forms work without JS
        opened = context.new_page()
        opened.set_default_timeout(10_000)
        yield opened
        context.close()


def participants(page: Any) -> str:
    return str(page.locator("dt:has-text('Participants') + dd").inner_text())


def save(page: Any, field: str, label: str, reason: str) -> None:
    page.locator(f"#why-{field}").fill(reason)
    page.get_by_role("button", name=f"Save {label}").click()
    page.wait_for_url("**/activities/act-*?done=edited")
    assert "Your edit is saved" in page.locator("p.notice.done").inner_text()


def test_editor_fixes_funder_adds_place_and_sector_reingests_and_reverts(page: Any, server: tuple[str, str],
                                                                         tmp_path: Path):
    _, aid = server
    page.goto(f"/login?next=/activities/{aid}")
    page.get_by_label("User name").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**/activities/{aid}")
    assert "European Union — funder" in participants(page)

    page.get_by_role("link", name="Edit this record").click()
    page.get_by_label("Participants 1 name").fill("Kingdom of Sweden")
    save(page, "participants", "participants", "the signed contract names Sweden as the funder")
    assert "Kingdom of Sweden — funder" in participants(page)
    assert "European Union" not in participants(page)
    assert "edited by ana" in participants(page)

    page.goto(f"/activities/{aid}/edit")
    page.get_by_label("Places 2 name").fill("Nikšić")
    save(page, "locations", "places", "the works are in Nikšić too")
    page.goto(f"/activities/{aid}/edit")
    page.get_by_label("Sectors 1 code").fill("14030")
    page.screenshot(path=str(OUTPUT / "curation_edit_form.png"), full_page=False)
    save(page, "sectors", "sectors", "basic drinking water supply")
    places = page.locator("dt:has-text('Places') + dd").inner_text()
    assert "Tuzla" in places and "Nikšić" in places and "(ME)" in places  # completed from the gazetteer
    assert "14030" in page.locator("dt:has-text('Sectors') + dd").inner_text()
    page.screenshot(path=str(OUTPUT / "curation_edited.png"), full_page=True)

    sheet = tmp_path / "sheet.txt"  # the same file again, through the upload form
    sheet.write_bytes(DOC)
    page.goto("/documents/new")
    page.get_by_label("Document").set_input_files(str(sheet))
    page.get_by_role("button", name="Read the document").click()
    page.wait_for_url("**/uploads/*")
    page.get_by_role("button", name="Save to the registry").click()
    page.wait_for_url("**/documents/*?done=saved")
    assert "saved to the registry" in page.locator("p.notice.done").inner_text()
    page.goto(f"/activities/{aid}")
    assert "Kingdom of Sweden — funder" in participants(page)
    assert "Nikšić" in page.locator("dt:has-text('Places') + dd").inner_text()
    assert "14030" in page.locator("dt:has-text('Sectors') + dd").inner_text()
    page.goto("/activities?q=Sweden")  # search reads the edited record
    assert aid in page.content()

    page.goto(f"/activities/{aid}/history")
    entry = page.locator("article.edit-entry").filter(has_text="Participants")
    assert "-  \"name\": \"European Union\"" in entry.locator("pre.diff").inner_text()
    entry.get_by_label("Reason to revert").fill("Sweden co-funds; the EU is the funder after all")
    entry.get_by_role("button", name="Revert").click()
    page.wait_for_url(f"**/activities/{aid}/history?done=reverted")
    assert "The edit is reverted" in page.locator("p.notice.done").inner_text()
    assert "Reverted by ana" in page.locator("article.edit-entry").filter(has_text="Participants").inner_text()
    page.goto(f"/activities/{aid}")
    assert "European Union — funder" in participants(page)
    assert "Kingdom of Sweden" not in participants(page)
    assert "Nikšić" in page.locator("dt:has-text('Places') + dd").inner_text()  # the other edits stay
    page.screenshot(path=str(OUTPUT / "curation_reverted.png"), full_page=True)
