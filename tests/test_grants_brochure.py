"""The "successful examples" brochure has the seed brochure's structure: one section per country, each grant
with applicant, implementing organisation, background, objectives and activities; as HTML and as PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from grants_world import World, submitted, to_project_start
from lxml import html as lxml_html

from aidatlas.errors import ConflictError, Forbidden, InputError
from aidatlas.grants.demo import application_data

SEED = next((Path(__file__).resolve().parents[2] / "shared" / "seeds").glob("000_*"), None)


def seed_structure() -> dict[str, list[list[str]]]:
    """Country -> per example, the sequence of section labels, read from the seed brochure's examples part."""
    text = SEED.read_text(encoding="utf-8") if SEED else ""
    part = text[text.index("Successful examples"):] if "Successful examples" in text else ""
    countries: dict[str, list[list[str]]] = {}
    country = None
    for line in part.splitlines()[1:]:
        if line.startswith("**For further information"):
            break
        heading = re.match(r"^(#+)\s*(.+?)\s*$", line) or re.match(r"^\*\*(.+?)\*\*\s*$", line)
        if not heading:
            continue
        label = heading.groups()[-1].strip("*: ").strip()
        if label.isupper():
            country = label
            countries[country] = []
        elif "“" in label or "\"" in label:
            countries[country or "?"].append([])  # a training programme opens an example
        elif country and len(label) < 40:
            countries[country][-1].append(label)
    return countries


def _label(text: str) -> str:
    return text.strip().rstrip(":").strip()


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _complete(world: World, app_id: int, applicant: str) -> None:
    g, officer = world.grants, world.users["officer"]
    award = g.decide(officer, app_id, True, 5000)
    assert award is not None
    objectives = g.get_application(officer, app_id).data["project"]["objectives"]
    to_project_start(world, award.start)
    report = g.submit_report(world.users[applicant], award.id, "final", dict.fromkeys(objectives, "achieved"), 55,
                             attachments=[("site.png", PNG)])
    g.review_report(officer, report.id, True)
    g.complete_grant(officer, award.id)
    photo = next(a.id for a in g.list_attachments(officer, app_id) if a.filename == "site.png")
    g.choose_for_brochure(officer, award.id, "Staff trained, households sorting.", photo)


@pytest.fixture
def completed(world: World) -> World:
    d = world.demo
    first = submitted(world, "alice")
    second = submitted(world, "bob", applicant__organisation_id=d.association, course__course_id=d.country_course,
                       course__alumni=[d.alumni["Selma Hodžić"]], project__title="Peace education camps in Tuzla")
    submitted(world, "bob")  # submitted but never completed: not in the brochure
    serbia = submitted(world, "alice", "cso")  # a grant in Serbia, in the other programme
    _complete(world, first, "alice")
    _complete(world, second, "bob")
    _complete(world, serbia, "alice")
    world.clock.advance(days=1)
    return world


def test_the_seed_brochure_has_the_structure_we_reproduce():
    if SEED is None:
        pytest.skip("the seed brochure ../shared/seeds/000_* is not here")
    structure = seed_structure()
    assert {"ALBANIA", "KOSOVO", "SERBIA"} <= set(structure)
    for examples in structure.values():
        for labels in examples:
            assert [lb.lower() for lb in labels] == ["applicant", "implementing organization", "background information",
                                                     "objective of the project", "project activities"]


def test_brochure_html_has_the_seed_sections_per_country(completed: World):
    g, d = completed.grants, completed.demo
    page = lxml_html.fromstring(g.brochure_html(d.followup_programme))
    sections = page.xpath("//section[@class='country']")
    assert [s.xpath("h2")[0].text_content() for s in sections] == ["Bosnia and Herzegovina"]
    articles = sections[0].xpath("article[@class='example']")
    assert [a.xpath("h3")[0].text_content() for a in articles] == [
        "Separate collection of waste in Semberija", "Peace education camps in Tuzla"]
    expected = ["Applicant", "Implementing organization", "Background information", "Objective of the project",
                "Project activities"]
    if SEED is not None:
        expected = next(iter(seed_structure().values()))[0]
    for article in articles:
        assert [_label(h.text_content()) for h in article.xpath("h4")] == [_label(e) for e in expected]
        assert article.xpath("p[@class='applicant']")[0].text_content()
        assert len(article.xpath("ol[@class='objectives']/li")) == 2
        assert len(article.xpath("ul[@class='activities']/li")) == 2
    assert articles[1].xpath("p[@class='applicant']")[0].text_content() == \
        "Training Alumni Association of Bosnia and Herzegovina"
    assert "Teachers for an Inclusive School" in articles[1].xpath("p[@class='course']")[0].text_content()
    assert "Ana Petrović" not in lxml_html.tostring(page, encoding="unicode")  # no personal data of alumni


def test_brochure_pdf_has_one_section_per_country(completed: World):
    if not (completed.settings.chromium or shutil.which("chromium")):
        pytest.skip("Chromium is not installed: the brochure PDF cannot be printed here")
    import pypdfium2

    pdf = pypdfium2.PdfDocument(completed.grants.brochure_pdf(completed.demo.followup_programme))
    pdf_cso = pypdfium2.PdfDocument(completed.grants.brochure_pdf(completed.demo.cso_programme))
    try:
        pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        cso_pages = [pdf_cso[i].get_textpage().get_text_range() for i in range(len(pdf_cso))]
    finally:
        pdf.close()
        pdf_cso.close()
    country_pages = [p for p in pages if p.strip().upper().startswith("BOSNIA AND HERZEGOVINA")]
    assert len(country_pages) == 1
    assert "Separate collection of waste in Semberija" in country_pages[0]
    assert "Implementing organization" in country_pages[0]
    serbia = [p for p in cso_pages if p.strip().upper().startswith("SERBIA")]
    assert len(serbia) == 1 and "Clean rivers monitoring network" in serbia[0]
    assert not any("BOSNIA" in p.upper() for p in cso_pages)


def test_an_empty_brochure_still_renders(world: World):
    text = world.grants.brochure_html(world.demo.cso_programme)
    assert "0 completed grants" in text and "<section" not in text
    assert application_data  # the demo data module is importable for the web helper's tests too


def test_completion_publishes_nothing_until_an_officer_chooses_the_grant(completed: World):
    g, officer = completed.grants, completed.users["officer"]
    chosen = g.brochure_choices()
    assert len(chosen) == 3
    award_id = min(chosen)
    title = g.get_application(officer, g.get_award(officer, award_id).application_id).title
    html = g.brochure_html(completed.demo.followup_programme)
    assert title in html and "Staff trained, households sorting." in html
    assert 'src="data:image/png;base64,' in html  # the chosen photo, inlined for printing
    g.remove_from_brochure(officer, award_id)
    assert award_id not in g.brochure_choices()
    assert title not in g.brochure_html(completed.demo.followup_programme)  # completed, but not chosen
    waiting = next(a for a in g.list_applications(officer, completed.demo.followup_call) if a.status == "submitted")
    active = g.decide(officer, waiting.id, True, 100)
    assert active is not None
    with pytest.raises(ConflictError, match="only completed grants"):
        g.choose_for_brochure(officer, active.id, "too early")
    with pytest.raises(InputError, match="short story"):
        g.choose_for_brochure(officer, award_id, "  ")
    with pytest.raises(Forbidden):
        g.choose_for_brochure(completed.users["alice"], award_id, "mine")
