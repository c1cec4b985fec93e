"""Round trips: Activity → IATI XML → Activity keeps what the standard carries; export → import → export is
stable for any record the model allows (hypothesis); a real file survives the store and the CLI."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from aidatlas.cli import iati as cli_iati
from aidatlas.iati.compare import canonical_activities, differing
from aidatlas.iati.reader import read_activities
from aidatlas.iati.writer import write_activities
from aidatlas.records import (
    KINDS,
    ROLES,
    Activity,
    Dates,
    FundingShare,
    Money,
    Participant,
    Place,
    Sector,
    Source,
    TargetGroup,
)
from aidatlas.reference.codelists import codelists
from aidatlas.settings import Settings
from aidatlas.synthetic import write_iati_file

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SETTINGS = Settings(reporting_org_ref="XI-TEST", reporting_org_name="Test registry")
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "iati" / "es-maec-indonesia.xml"


def export(activities: list[Activity]) -> bytes:
    out = io.BytesIO()
    write_activities(activities, out, SETTINGS, now=NOW)
    return out.getvalue()


def reimport(xml: bytes, tmp: Path) -> list[Activity]:
    path = tmp / "export.xml"
    path.write_bytes(xml)
    return list(read_activities(path))


# ------------------------------------------------------------------ strategies: any record the model allows
langs = st.sampled_from(["en", "bs", "sr", "sr-Cyrl", "hr", "sq", "mk", "de", "ja"])
text = st.text(min_size=1, max_size=12)
localized = st.dictionaries(langs, text, min_size=1, max_size=3)
text_item = st.one_of(text, localized)
partial_date = st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z")
iso2 = st.from_regex(r"\A[A-Z]{2}\Z")
money = st.builds(Money, value=st.floats(min_value=0), currency=st.from_regex(r"\A[A-Z]{3}\Z"),
                  value_date=st.none() | partial_date)
participant = st.builds(Participant, name=text, role=st.sampled_from(ROLES), country=st.none() | iso2,
                        org_id=st.none() | text)
place = st.builds(Place, name=text, country=st.none() | iso2, admin1=st.none() | text,
                  lat=st.none() | st.floats(-90, 90), lon=st.none() | st.floats(-180, 180),
                  geonames_id=st.none() | st.integers())
sector = st.builds(Sector, code=st.text(max_size=6), vocabulary=st.sampled_from(["1", "2", "99", "", " x"]),
                   percentage=st.none() | st.floats())
last_updated = st.none() | text | st.datetimes(timezones=st.none() | st.timezones()).map(datetime.isoformat)
activities = st.builds(
    Activity, id=st.none() | text, kind=st.sampled_from(KINDS), title=localized, description=st.none() | localized,
    programme=st.none() | text, iati_identifier=st.none() | text,
    status=st.none() | st.sampled_from(["1", "2", "3", "4", "5", "6", "7", "ongoing"]),
    countries=st.lists(iso2, max_size=4), locations=st.lists(place, max_size=2),
    participants=st.lists(participant, max_size=3), budget=st.none() | money, equivalents=st.lists(money, max_size=1),
    funding_shares=st.lists(st.builds(FundingShare, org=text, share=st.floats(0, 1)), max_size=1),
    dates=st.builds(Dates, start=st.none() | partial_date, end=st.none() | partial_date,
                    announced=st.none() | partial_date),
    objectives=st.lists(text_item, max_size=2), results=st.lists(text_item, max_size=2),
    activities=st.lists(text_item, max_size=2), beneficiaries=st.lists(text_item, max_size=2),
    target_groups=st.lists(st.builds(TargetGroup, text=text_item, count=st.none() | st.integers(0, 10**6)),
                           max_size=2),
    sectors=st.lists(sector, max_size=3), languages=st.lists(langs, max_size=2),
    source=st.builds(Source, document=text), last_updated=last_updated,
)


@settings(max_examples=150, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(st.lists(activities, min_size=1, max_size=3))
def test_export_import_export_is_stable(tmp_path: Path, records: list[Activity]) -> None:
    first = export(records)
    schema = codelists().schema()
    assert schema.validate(etree.fromstring(first)), schema.error_log
    imported = reimport(first, tmp_path)
    assert len(imported) == len(records)
    assert export(imported) == first


# ------------------------------------------------------------------ field by field
def test_fields_the_standard_carries_survive(tmp_path: Path) -> None:
    record = Activity(
        kind="follow-up", title={"bs": "Razmjena", "en": "Exchange"}, description={"bs": "Opis", "en": "About"},
        programme="JICA Knowledge Co-Creation", iati_identifier="XI-TEST-7", status="2",
        countries=["BA", "XK"], locations=[Place(name="Bihać", country="BA", lat=44.8169, lon=15.8708,
                                                 geonames_id=3203982)],
        participants=[Participant(name="JICA", role="funder", org_id="XM-DAC-701-8"),
                      Participant(name="Udruženje", role="applicant")],
        budget=Money(value=3046788.8, currency="USD", value_date="2021-01-15"),
        dates=Dates(start="2021-01", end="2023"), objectives=[{"bs": "Cilj", "en": "Aim"}],
        results=[{"en": "Results"}], activities=[{"bs": "Radionice"}],
        target_groups=[TargetGroup(text={"bs": "Mladi"})], sectors=[Sector(code="15150", percentage=100.0)],
        languages=["bs", "en"], source=Source(document="x.html"), last_updated="2024-01-02T03:04:05",
    )
    [back] = reimport(export([record]), tmp_path)
    kept = ["kind", "title", "description", "programme", "iati_identifier", "status", "countries", "locations",
            "participants", "budget", "dates", "objectives", "results", "activities", "target_groups",
            "sectors", "languages", "last_updated"]
    assert {k: getattr(back, k) for k in kept} == {k: getattr(record, k) for k in kept}
    assert back.source.document == "export.xml"


@pytest.mark.skipif(not REAL.is_file(), reason="real IATI file not available")
def test_real_file_survives_export(tmp_path: Path) -> None:
    original = list(read_activities(REAL))
    xml = export(original)
    assert codelists().schema().validate(etree.fromstring(xml))
    again = reimport(xml, tmp_path)
    fields = ["iati_identifier", "title", "description", "participants", "status", "countries", "budget",
              "dates", "sectors"]
    assert [[getattr(a, f) for f in fields] for a in again] == [[getattr(a, f) for f in fields] for a in original]


# ------------------------------------------------------------------ with the store and the CLI
def _app(db: Path) -> typer.Typer:
    """`import-iati` alone, on the registry at `db`."""
    app = typer.Typer()
    app.callback()(lambda: None)

    @app.command("import-iati")
    def import_iati(paths: list[Path]) -> None:
        cli_iati.import_iati(paths, db=str(db))

    return app


@pytest.mark.skipif(not REAL.is_file(), reason="real IATI file not available")
def test_store_keeps_what_the_reader_gives(store: Any, tmp_path: Path) -> None:
    first = store.import_activities(read_activities(REAL), source_name=REAL.name)
    assert (first.new, first.updated, first.unchanged) == (83, 0, 0)
    again = store.import_activities(read_activities(REAL), source_name=REAL.name)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 83)
    out = tmp_path / "registry.xml"
    assert cli_iati.export_iati(store.iter_activities(), out, SETTINGS) == 83
    assert codelists().schema().validate(etree.parse(str(out)))
    fields = ["title", "description", "participants", "countries", "budget", "dates", "sectors", "status"]
    exported = {a.iati_identifier: [getattr(a, f) for f in fields] for a in read_activities(out)}
    assert exported == {a.iati_identifier: [getattr(a, f) for f in fields] for a in read_activities(REAL)}


@pytest.mark.skipif(not REAL.is_file(), reason="real IATI file not available")
def test_import_iati_command(tmp_path: Path) -> None:
    db = tmp_path / "reg.db"
    runner = CliRunner()
    first = runner.invoke(_app(db), ["import-iati", str(REAL)])
    assert first.exit_code == 0, first.output
    assert "83 new, 0 updated, 0 unchanged" in first.output
    again = runner.invoke(_app(db), ["import-iati", str(REAL.parent)])
    assert again.exit_code == 0 and "0 new, 0 updated, 83 unchanged" in again.output
    bad = tmp_path / "bad.xml"
    bad.write_text("<catalog/>", encoding="utf-8")
    failed = runner.invoke(_app(db), ["import-iati", str(bad), str(REAL)])
    assert failed.exit_code == 1 and "bad.xml: line 1: the root element is <catalog>" in failed.output
    assert "83 unchanged" in failed.output and "Traceback" not in failed.output
    missing = runner.invoke(_app(db), ["import-iati", str(tmp_path / "none.xml")])
    assert missing.exit_code == 1 and "none.xml: cannot read the file: no such file or directory" in missing.output


# ------------------------------------------------------------------ lossless: the publisher's element survives
def valid(path: Path) -> Path:
    schema = codelists().schema()
    assert schema.validate(etree.parse(str(path))), schema.error_log
    return path


@pytest.mark.skipif(not REAL.is_file(), reason="real IATI file not available")
def test_real_file_is_lossless_through_the_store(store: Any, tmp_path: Path) -> None:
    store.import_activities(read_activities(REAL), source_name=REAL.name)
    out = tmp_path / "registry.xml"
    cli_iati.export_iati(store.iter_activities(), out, SETTINGS)
    assert len(canonical_activities(REAL)) == 83
    assert differing(REAL, valid(out)) == []  # 100 % semantically equal, and valid 2.03


@pytest.mark.skipif(not REAL.is_file(), reason="real IATI file not available")
def test_generated_file_is_lossless_through_the_store(store: Any, tmp_path: Path) -> None:
    """The registry's own records too: the store gives a text's languages back in its own order."""
    source = tmp_path / "generated.xml"
    write_iati_file(source, 40, REAL, SETTINGS)
    store.import_activities(read_activities(source), source_name=source.name)
    out = tmp_path / "registry.xml"
    cli_iati.export_iati(store.iter_activities(), out, SETTINGS)
    assert differing(source, valid(out)) == []


@pytest.mark.skipif(not REAL.is_file(), reason="real IATI file not available")
def test_generated_file_is_lossless(tmp_path: Path) -> None:
    """1,000 here; `benchmarks/roundtrip.py` runs 10,000 through the store."""
    source = tmp_path / "generated.xml"
    write_iati_file(source, 1_000, REAL, SETTINGS)
    out = tmp_path / "out.xml"
    out.write_bytes(export(list(read_activities(source))))
    assert len(canonical_activities(source)) == 1_000
    assert differing(source, valid(out)) == []


def test_a_changed_import_keeps_its_own_reporting_org_and_attributes(tmp_path: Path) -> None:
    path = tmp_path / "own.xml"
    path.write_text("""<?xml version="1.0"?>
<iati-activities version="2.03">
<iati-activity default-currency="USD" last-updated-datetime="2020-02-03T04:05:06" xml:lang="fr" hierarchy="2">
  <iati-identifier>XI-OWN-1</iati-identifier>
  <reporting-org ref="XI-OWN" type="21"><narrative>Publisher</narrative></reporting-org>
  <title><narrative>Eau potable</narrative></title>
  <description><narrative>d</narrative></description>
  <participating-org role="1"><narrative>F</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2020-01-01"/>
</iati-activity>
</iati-activities>
""", encoding="utf-8")
    [a] = read_activities(path)
    again = tmp_path / "again.xml"
    again.write_bytes(export([a]))
    assert differing(path, valid(again)) == []
    a.title = {"fr": "Eau potable pour Tuzla"}  # an edit: written from the record's fields
    changed = etree.fromstring(export([a])).find("iati-activity")
    assert changed.findtext("title/narrative") == "Eau potable pour Tuzla"
    assert changed.find("reporting-org").attrib == {"ref": "XI-OWN", "type": "21"}
    assert changed.findtext("reporting-org/narrative") == "Publisher"
    assert {k: changed.get(k) for k in ("default-currency", "last-updated-datetime", "hierarchy")} == {
        "default-currency": "USD", "last-updated-datetime": "2020-02-03T04:05:06", "hierarchy": "2"}
    assert changed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    fresh = Activity(kind="project", title={"en": "Registry's own"}, source=Source(document="x.txt"))
    mine = etree.fromstring(export([fresh])).find("iati-activity/reporting-org")
    assert mine.get("ref") == "XI-TEST"  # the registry's own records: the reporting-org from settings
