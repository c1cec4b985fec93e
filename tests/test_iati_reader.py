"""IATI reader: the real MAEC file, language inheritance, and hostile or broken input."""

from __future__ import annotations

import resource
import time
from decimal import Decimal
from pathlib import Path

import pytest

from aidatlas.errors import IatiError
from aidatlas.iati.reader import read_activities, read_records
from aidatlas.iati.stream import iter_activity_elements
from aidatlas.records import stable_id

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "data" / "iati" / "es-maec-indonesia.xml"
needs_real = pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is not available")

ACTIVITY = """<iati-activity{attrs}>
  <iati-identifier>{ident}</iati-identifier>
  <reporting-org ref="XI-X" type="90"><narrative>X</narrative></reporting-org>
  <title><narrative>{title}</narrative></title>
  <description><narrative>d</narrative></description>
  <participating-org role="4"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/>
</iati-activity>"""


def iati(*activities: str, root: str = '<iati-activities version="2.03">') -> str:
    return f'<?xml version="1.0"?>\n{root}\n' + "\n".join(activities) + "\n</iati-activities>\n"


def write(tmp_path: Path, text: str, name: str = "file.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@needs_real
def test_real_file_counts_and_fields() -> None:
    records = list(read_records(REAL))
    assert len(records) == 83
    assert len({r.activity.iati_identifier for r in records}) == 83
    assert sum(len(r.extras.transactions) for r in records) == 216
    assert sum(len(r.extras.budgets) for r in records) == 110
    first, extras = records[0]
    assert first.iati_identifier == "ES-DIR3-E04585801-009-001301"
    assert first.id == stable_id("iati", "ES-DIR3-E04585801-009-001301")
    assert first.kind == "project" and first.source.document == "es-maec-indonesia.xml"
    assert first.title == {"es": "Personas cooperantes voluntarias en organismos internacionales"}
    assert first.description == {"es": "UNESCO YACARTA"}
    assert [(p.role, p.name, p.org_id) for p in first.participants] == [
        ("funder", "Spain", None), ("extending", "CCAA CAV - País Vasco", "35"),
        ("implementer", "Otra ONG nacional - país donante", "181"), ("applicant", "CCAA CAV - País Vasco", "35")]
    assert first.status == "3" and first.countries == ["ID"]
    assert (first.dates.start, first.dates.end) == ("2011-11-01", "2012-11-01")
    assert first.budget is not None and (first.budget.value, first.budget.currency) == (9270.0, "EUR")
    assert [(s.code, s.vocabulary) for s in first.sectors] == [("43081", "1")]
    assert first.languages[0] == "es"
    assert extras.reporting_org_ref == "ES-DIR3-E04585801"
    assert [(r.code, r.vocabulary) for r in extras.recipient_regions] == [("789", "1")]
    assert extras.transaction_totals() == {("2", "EUR"): Decimal(15450), ("3", "EUR"): Decimal(9270)}
    assert all(r.activity.countries == ["ID"] for r in records)


def test_languages_inherit_and_dates_prefer_actual(tmp_path: Path) -> None:
    text = iati("""<iati-activity xml:lang="bs" default-currency="eur" last-updated-datetime="2020-05-06">
  <iati-identifier>XI-X-1</iati-identifier>
  <reporting-org ref="XI-X" type="90"><narrative>X</narrative></reporting-org>
  <title><narrative>Voda</narrative><narrative xml:lang="EN">Water</narrative></title>
  <description type="2"><narrative>Cilj</narrative></description>
  <participating-org role="1" xml:lang="de"><narrative>Geber</narrative></participating-org>
  <participating-org role="9"><narrative>Odd role</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2020-01-01"/>
  <activity-date type="2" iso-date="2020-03-01"/>
  <activity-date type="3" iso-date="2022-12-31"><narrative>2022</narrative></activity-date>
  <budget><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>
    <value value-date="2020-01-01">100.5</value></budget>
  <budget type="1"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
    <value value-date="2021-01-01">200</value></budget>
  <budget type="2"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
    <value value-date="2021-01-01">999</value></budget>
  <related-activity ref="XI-X-1-a" type="2"/>
  <result type="1"><title><narrative>Trained</narrative></title>
    <indicator measure="5"><title><narrative>Trained</narrative></title></indicator></result>
</iati-activity>""")
    [(activity, extras)] = list(read_records(write(tmp_path, text)))
    assert activity.title == {"bs": "Voda", "en": "Water"}
    assert activity.description is None and activity.objectives == [{"bs": "Cilj"}]
    assert [(p.name, p.role) for p in activity.participants] == [("Geber", "funder")]
    assert "unknown role" in extras.warnings[0]
    assert (activity.dates.start, activity.dates.end) == ("2020-03-01", "2022")
    assert activity.budget is not None and (activity.budget.value, activity.budget.currency) == (300.5, "EUR")
    assert activity.results == [{"bs": "Trained"}]
    assert activity.kind == "programme" and extras.related == [("2", "XI-X-1-a")]
    assert activity.last_updated == "2020-05-06T00:00:00"
    assert activity.languages == ["bs", "en", "de"]


def test_memory_stays_flat(tmp_path: Path) -> None:
    path = write(tmp_path, iati(*(ACTIVITY.format(attrs="", ident=f"XI-X-{i}", title=f"T{i}") for i in range(500))))
    widths, behind = [], []
    for element in iter_activity_elements(path):
        parent = element.getparent()
        assert parent is not None
        widths.append(len(parent))
        behind.append(sum(1 for _ in element.itersiblings(preceding=True)))
    assert len(widths) == 500
    assert max(behind) <= 1  # earlier activities are gone; only the parser's read-ahead is in memory
    assert max(widths) < 200


@pytest.mark.parametrize(("text", "message"), [
    (iati(ACTIVITY.format(attrs="", ident="A", title="t"))[:-60], r"file\.xml: line \d+: the file ends early"),
    ('<?xml version="1.0"?>\n<catalog><book/></catalog>', r"line 2: the root element is <catalog>"),
    ('<iati-organisations version="2.03"><iati-organisation/></iati-organisations>', "organisation file"),
    ('<iati-activities version="1.05"><iati-activity/></iati-activities>', "line 1: an iati-activity has no iati"),
    ("", "not an XML file"),
    ("\x00\x01binary", "line 1"),
    (iati(ACTIVITY.format(attrs="", ident=" ", title="t")), r"line 3: an iati-activity has no iati-identifier"),
], ids=["truncated", "not-iati", "organisation-file", "version-1", "empty", "binary", "no-identifier"])
def test_bad_input_names_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(IatiError, match=message):
        list(read_activities(write(tmp_path, text)))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IatiError, match=r"nope\.xml: cannot read"):
        list(read_activities(tmp_path / "nope.xml"))


BOMB = """<?xml version="1.0"?>
<!DOCTYPE iati-activities [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<iati-activities version="2.03"><iati-activity><iati-identifier>X</iati-identifier>
<title><narrative>&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;</narrative></title></iati-activity></iati-activities>
"""


def test_xml_bomb_fails_fast_in_little_memory(tmp_path: Path) -> None:
    path = write(tmp_path, BOMB)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(IatiError, match=r"file\.xml: line \d+: .*(entit|XML bomb)"):
        list(read_activities(path))
    assert time.perf_counter() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB: < 50 MB more


def test_external_entity_is_not_resolved(tmp_path: Path) -> None:
    secret = write(tmp_path, "TOP-SECRET-CONTENT", "secret.txt")
    doctype = f'<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    text = iati(ACTIVITY.format(attrs="", ident="XI-X-1", title="&xxe;")).replace(
        '<?xml version="1.0"?>', f'<?xml version="1.0"?>\n{doctype}')
    with pytest.raises(IatiError, match="declares XML entities") as caught:
        list(read_activities(write(tmp_path, text)))
    assert "TOP-SECRET" not in str(caught.value)


def test_nameless_and_odd_values_are_kept_out_with_warnings(tmp_path: Path) -> None:
    text = iati(ACTIVITY.format(attrs=' xml:lang="sq"', ident="XI-X-2", title="Titull").replace(
        "</iati-activity>", """<recipient-country code="x1" percentage="50"/>
  <recipient-country code="AL" percentage="50"/>
  <location><point srsName="x"><pos>41.3 19.8</pos></point></location>
  <location><name><narrative>Tirana</narrative></name><location-id vocabulary="G1" code="3183875"/>
    <point srsName="x"><pos>141.3 19.8</pos></point></location>
  <budget><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>
    <value currency="EUR" value-date="2020-01-01">5</value></budget>
  <budget><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
    <value currency="USD" value-date="2021-01-01">5</value></budget>
</iati-activity>"""))
    [(activity, extras)] = list(read_records(write(tmp_path, text)))
    assert activity.countries == ["AL"]
    assert [(p.name, p.geonames_id, p.lat) for p in activity.locations] == [("Tirana", 3183875, None)]
    assert activity.budget is None and len(extras.budgets) == 2
    assert len(extras.warnings) == 4
