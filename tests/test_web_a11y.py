"""Every page type in headless Chromium, on a desktop and on a 390 px phone: axe-core finds nothing serious or
critical, and no page scrolls sideways on the phone.

Page types come from the authorization table (`web.access.ROUTES`: every GET page, public, editor and grants),
each opened as a persona allowed to see it with realistic path values (`test_web_access.path_for`). axe-core is
the pinned copy `make axe` puts in .venv/axe (from the npm registry, its checksum checked); without it, or
without /usr/bin/chromium, the tests skip and say why.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import OUTPUT, chromium, live_server, needs_chromium
from test_web_access import expected_allowed, path_for
from web_grants_fixtures import PERSONAS, World

from aidatlas.web import access
from aidatlas.web.common import SESSION_COOKIE

AXE = Path(__file__).resolve().parents[1] / ".venv" / "axe" / "axe.min.js"
LANGS = ["en", "sq"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
NOT_PAGES = (".csv", ".json", ".xml", ".pdf", "/static", "/export", "/attachments/{attachment_id}", "/verify")
"""downloads, files and one-click links: no page to check"""
SERIOUS = ("serious", "critical")

pytestmark = [pytest.mark.browser, needs_chromium,
              pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is missing ({AXE}): run `make axe`")]


def page_routes() -> list[tuple[str, str]]:
    """(template, persona) for every GET page: anonymous when public, else the first persona allowed."""
    out = []
    for (method, template), rule in access.ROUTES.items():
        if method != "GET" or template.startswith("/api/") or template.endswith(NOT_PAGES):
            continue
        persona = next(p for p in PERSONAS if expected_allowed(rule, p))
        out.append((template, persona))
    return out


@pytest.fixture(scope="module")
def site(grants_web_world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, World, dict]]:
    from web_fixtures import fill

    from aidatlas.registry import open_store
    from aidatlas.web.app import create_app

    world = grants_web_world
    settings = world.settings(tmp_path_factory.mktemp("a11y"))
    store = open_store(settings)
    fill(store, synthetic=40)  # places on the map, facets with values, pages of results
    with live_server(create_app(settings, store)) as url:
        from fastapi.testclient import TestClient

        with TestClient(create_app(settings, store)) as client:
            record = client.get(f"/api/activities/{world.activity_id}").json()
            extra = {"document_id": world.extra["document_id"], "code": record["countries"][0],
                     "name": (record.get("locations") or [{"name": "Bijeljina"}])[0]["name"], "facet": "country",
                     "org_id": client.get("/api/organisations").json()["organisations"][0]["id"]}
        yield url, world, extra
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _check(browser: Any, site: tuple[str, World, dict], viewport: str, lang: str) -> list[str]:
    url, world, extra = site
    problems: list[str] = []
    for template, persona in page_routes():
        context = browser.new_context(base_url=url, viewport=VIEWPORTS[viewport], locale=lang, bypass_csp=True)
        session = world.sessions.get(persona)
        if session:
            context.add_cookies([{"name": SESSION_COOKIE, "value": session, "url": url}])
        page = context.new_page()
        page.set_default_timeout(20_000)
        path = path_for(world, template, persona, extra)
        if lang != "en":  # the interface language of the page (the default is English)
            path += ("&" if "?" in path else "?") + f"lang={lang}"
        response = page.goto(path)
        if response is None or response.status >= 400:
            problems.append(f"{template} as {persona}: HTTP {response.status if response else '?'}")
            context.close()
            continue
        if viewport == "phone":
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > VIEWPORTS["phone"]["width"]:
                culprits = page.evaluate("""w => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > w).slice(-3)
                    .map(e => e.outerHTML.slice(0, 160))""", VIEWPORTS["phone"]["width"])
                page.screenshot(path=str(OUTPUT / f"a11y-wide-{template.strip('/').replace('/', '_')}.png"))
                problems.append(f"{template}: scrolls sideways at 390 px ({wide} px; {culprits})")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                              ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 2)"
                              ".map(n => n.target.join(' '))}))")
        problems += [f"{template} as {persona}: axe {v['impact']} {v['id']} at {v['nodes']}"
                     for v in found if v["impact"] in SERIOUS]
        context.close()
    return problems


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_type_is_accessible_and_fits(browser: Any, site: tuple[str, World, dict], viewport: str,
                                                lang: str):
    assert len(page_routes()) >= 40  # the table's pages, public, editor and grants
    problems = _check(browser, site, viewport, lang)
    assert not problems, "\n".join(problems)


def test_map_links_are_labelled_and_reachable(browser: Any, site: tuple[str, World, dict]):
    url, _world, _extra = site
    context = browser.new_context(base_url=url, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto("/overview")
    svg = page.locator("svg.map")
    assert svg.get_attribute("role") == "group" and svg.get_attribute("aria-labelledby")
    names = page.evaluate("[...document.querySelectorAll('svg.map a')].map(a => a.getAttribute('aria-label'))")
    assert names and all(names)
    page.locator("svg.map a").first.focus()
    assert page.evaluate("document.activeElement.closest('svg.map') !== null")
    context.close()


def test_few_tab_presses_to_the_first_result(browser: Any, site: tuple[str, World, dict]):
    url, _world, _extra = site
    context = browser.new_context(base_url=url, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto("/activities?country=BA")
    presses = 0
    while presses < 10:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.textContent") == "Skip to results":
            page.keyboard.press("Enter")
            break
    page.keyboard.press("Tab")
    presses += 2
    assert page.evaluate("document.activeElement.closest('ol.records') !== null")
    assert presses <= 5, f"{presses} key presses to the first result"
    context.close()


def test_phone_results_come_first_and_long_pages_have_section_navigation(browser: Any,
                                                                         site: tuple[str, World, dict]):
    url, world, _extra = site
    context = browser.new_context(base_url=url, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto("/activities?country=BA&kind=project")
    assert page.evaluate("document.querySelector('details.filters').open") is False
    toggle = page.locator("details.filters > summary")
    assert toggle.is_visible() and "Filters" in toggle.inner_text()
    first = page.locator("ol.records li").first.bounding_box()
    assert first is not None and first["y"] < 900, f"the first result starts {first} px down"
    toggle.click()
    assert page.evaluate("document.querySelector('details.filters').open") is True
    for path in ("/overview", f"/activities/{world.activity_id}"):
        page.goto(path)
        nav = page.locator("nav.on-this-page")
        assert nav.count() == 1, f"{path} has no 'On this page' navigation"
        links = nav.locator("a")
        assert links.count() >= 2
        target = links.nth(1).get_attribute("href")
        assert target and page.locator(target).count() == 1
    context.close()
