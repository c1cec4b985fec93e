"""IATI writer: every document validates against the 2.03 XSD; fields land where the standard puts them."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from aidatlas.errors import IatiError
from aidatlas.iati.writer import WriterCodes, activity_element, write_activities
from aidatlas.records import Activity, Dates, Money, Participant, Place, Sector, Source, TargetGroup
from aidatlas.reference.codelists import DATA_DIR, Codelists, codelists
from aidatlas.settings import Settings

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SETTINGS = Settings(reporting_org_ref="XI-TEST", reporting_org_name="Test registry")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def activity(**fields: object) -> Activity:
    base: dict[str, object] = {"kind": "project", "title": {"en": "Clean water for Tuzla"},
                               "source": Source(document="sheet.html")}
    base.update(fields)
    return Activity(**base)  # type: ignore[arg-type]


def export(*activities: Activity) -> Any:
    """The document's root, untyped so tests can walk it freely."""
    out = io.BytesIO()
    assert write_activities(activities, out, SETTINGS, now=NOW) == len(activities)
    root = etree.fromstring(out.getvalue())
    schema = codelists().schema()
    assert schema.validate(root), schema.error_log
    return root


FULL = activity(
    id="doc-1", iati_identifier="XI-TEST-42", status="2", programme="EU4Youth", kind="event",
    title={"en": "Youth exchange", "bs": "Razmjena mladih", "sr-Cyrl": "Размјена младих"},
    description={"en": "Two weeks in Mostar.", "bs": "Dvije sedmice u Mostaru."},
    countries=["BA", "ME", "RS"],
    locations=[Place(name="Mostar", country="BA", lat=43.3438, lon=17.8078, geonames_id=3194494),
               Place(name="Somewhere")],
    participants=[Participant(name="EU Delegation", role="funder", org_id="XI-IATI-EC_NEAR"),
                  Participant(name="LDA Mostar", role="applicant"),
                  Participant(name="Youth Club", role="partner", country="ME")],
    budget=Money(value=545897.0, currency="EUR"),
    dates=Dates(start="2021-03", end="2023"),
    objectives=[{"en": "Build trust", "bs": "Izgraditi povjerenje"}, "Second objective"],
    results=["200 young people trained"], activities=["Workshops"],
    target_groups=[TargetGroup(text="Young people aged 15-30", count=200)],
    sectors=[Sector(code="15150", percentage=100.0)], languages=["en", "bs"],
    last_updated="2024-02-03T04:05:06+01:00",
)


def test_full_activity_validates_and_maps_fields() -> None:
    act = export(FULL)[0]
    assert act.get("default-currency") == "EUR" and act.get(XML_LANG) == "en"
    assert act.get("last-updated-datetime") == "2024-02-03T04:05:06+01:00"
    assert act.findtext("iati-identifier") == "XI-TEST-42"
    assert act.find("reporting-org").get("ref") == "XI-TEST"
    titles = {n.get(XML_LANG): n.text for n in act.find("title")}
    assert titles == {None: "Youth exchange", "bs": "Razmjena mladih", "sr-Cyrl": "Размјена младих"}
    assert [(d.get("type"), len(d)) for d in act.findall("description")] == [
        ("1", 2), ("2", 2), ("2", 1), ("3", 1), ("4", 1)]
    assert [(p.get("role"), p.get("ref")) for p in act.findall("participating-org")] == [
        ("1", "XI-IATI-EC_NEAR"), ("2", None), ("4", None)]
    assert act.find("activity-status").get("code") == "2"
    dates = [(d.get("type"), d.get("iso-date"), d.findtext("narrative")) for d in act.findall("activity-date")]
    assert dates == [("2", "2021-03-01", "2021-03"), ("3", "2023-12-31", "2023")]
    shares = [(c.get("code"), c.get("percentage")) for c in act.findall("recipient-country")]
    assert shares == [("BA", "33.33"), ("ME", "33.33"), ("RS", "33.34")]
    mostar = act.find("location")
    assert mostar.find("location-id").attrib == {"vocabulary": "G1", "code": "3194494"}
    assert mostar.findtext("point/pos") == "43.3438 17.8078"
    assert mostar.find("administrative").get("code") == "BA"
    assert act.find("sector").attrib == {"vocabulary": "1", "code": "15150", "percentage": "100"}
    budget = act.find("budget")
    assert budget.attrib == {"type": "1", "status": "1"}
    assert (budget.find("period-start").get("iso-date"), budget.find("period-end").get("iso-date")) == (
        "2021-03-01", "2023-12-31")
    assert budget.findtext("value") == "545897"
    assert act.findtext("result/title/narrative") == "200 young people trained"
    assert {t.get("vocabulary-uri"): t.get("code") for t in act.findall("tag")}["urn:aidatlas:kind"] == "event"


@pytest.mark.parametrize("record", [
    activity(),
    activity(title={"sq": "Ujë i pastër", "mk": "Чиста вода"}, languages=["sq"]),
    activity(dates=Dates(start="2021"), budget=Money(value=1000, currency="USD", value_date="2021-05")),
    activity(dates=Dates(end="2022-02"), budget=Money(value=0.1, currency="JPY")),
    activity(dates=Dates(start="2024-02-30", end="2023-13")),  # impossible dates fall back to coarser ones
    activity(dates=Dates(announced="2020-01-01"), status="not a code"),
    activity(budget=Money(value=float("inf"), currency="EUR")),
    activity(title={"en": "bad \x00 chars \ufffe", "bs": "   "},
             participants=[Participant(name="\x01", role="affiliate")]),
    activity(id="doc-7", iati_identifier="  "),
], ids=["minimal", "two-languages", "year-only", "end-only", "impossible-dates", "announced-only",
        "infinite-budget", "control-characters", "blank-identifier"])
def test_any_record_gives_a_valid_document(record: Activity) -> None:
    export(record)


def test_required_elements_are_filled_for_a_bare_record() -> None:
    act = export(activity(id="doc-9"))[0]
    assert act.findtext("iati-identifier") == "XI-TEST-doc-9"
    assert act.find("description").get("type") == "1"
    assert act.findtext("description/narrative") == "Clean water for Tuzla"  # stands in for a description
    org = act.find("participating-org")
    assert org.get("role") == "1" and len(org) == 0 and org.get("ref") is None
    date = act.find("activity-date")
    assert (date.get("type"), date.get("iso-date"), date.findtext("narrative")) == ("1", "2025-06-01", "not stated")
    assert act.find("activity-status").get("code") == "2"
    assert act.find("budget") is None and act.get("default-currency") is None


def test_identifier_is_stable_without_id() -> None:
    one, two = export(activity(), activity())
    assert one.findtext("iati-identifier") == two.findtext("iati-identifier")
    assert one.findtext("iati-identifier").startswith("XI-TEST-record-")


def test_status_and_date_types_follow_the_dates() -> None:
    past = export(activity(dates=Dates(start="2019", end="2020")))[0]
    assert past.find("activity-status").get("code") == "4"
    assert [d.get("type") for d in past.findall("activity-date")] == ["2", "4"]
    future = export(activity(dates=Dates(start="2030-01-01")))[0]
    assert future.find("activity-status").get("code") == "1"
    assert [d.get("type") for d in future.findall("activity-date")] == ["1"]
    running = export(activity(dates=Dates(start="2024", end="2026")))[0]
    assert [d.get("type") for d in running.findall("activity-date")] == ["2", "3"]


def test_codes_come_from_the_codelist_files(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR / "codelists", tmp_path, dirs_exist_ok=True)
    roles = tmp_path / "OrganisationRole.xml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("<code>1</code>", "<code>F</code>"), encoding="utf-8")
    codes = WriterCodes.load(Codelists(tmp_path))
    element: Any = activity_element(FULL, SETTINGS, NOW, codes)
    assert element.find("participating-org").get("role") == "F"


def test_codelists_load_lazily() -> None:
    fresh = Codelists()
    assert fresh._lists == {}
    assert "BA" in fresh["Country"] and "XK" in fresh["Country"]
    assert fresh.code("OrganisationRole", "implementing") == "4"
    assert fresh["Currency"].is_withdrawn("EEK")


def test_nothing_to_export_raises_before_writing() -> None:
    out = io.BytesIO()
    with pytest.raises(IatiError, match="at least one activity"):
        write_activities([], out, SETTINGS)
    assert out.getvalue() == b""


def test_writer_streams_from_a_generator() -> None:
    def many() -> object:
        for i in range(300):
            yield activity(id=f"doc-{i}", title={"en": f"Activity {i}"})

    out = io.BytesIO()
    assert write_activities(many(), out, SETTINGS, now=NOW) == 300  # type: ignore[arg-type]
    assert out.getvalue().count(b"<iati-activity ") == 300
