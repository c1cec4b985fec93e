"""IATI 1.0x files are imported by upgrading each activity to 2.03 (with a warning), and export valid 2.03."""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from aidatlas.iati.reader import read_activities, read_records
from aidatlas.iati.writer import write_activities
from aidatlas.reference.codelists import codelists
from aidatlas.settings import Settings

V103 = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="1.03" generated-datetime="2013-01-01T00:00:00">
 <iati-activity default-currency="EUR" last-updated-datetime="2012-11-30T10:00:00" xml:lang="en" version="1.03">
  <iati-identifier>XI-OLD-1</iati-identifier>
  <activity-website>http://example.org/project</activity-website>
  <title>Water for Bihać</title>
  <title xml:lang="bs">Voda za Bihać</title>
  <reporting-org ref="XI-OLD" type="10">Old publisher</reporting-org>
  <participating-org role="Funding" ref="XI-OLD" type="10">Old publisher</participating-org>
  <participating-org role="Implementing">Vodovod Bihać</participating-org>
  <description type="1">Pipes and pumps.</description>
  <activity-status code="2">Implementation</activity-status>
  <activity-date type="start-actual" iso-date="2011-03-01">March 2011</activity-date>
  <activity-date type="end-planned" iso-date="2013-12-31"/>
  <recipient-country code="BA" percentage="100">Bosnia and Herzegovina</recipient-country>
  <sector vocabulary="DAC" code="14030" percentage="100">Basic drinking water supply</sector>
  <location>
   <location-type code="PPL"/>
   <name>Bihać</name>
   <coordinates latitude="44.8169" longitude="15.8708" precision="2"/>
  </location>
  <other-identifier owner-ref="XI-OLD" owner-name="Old publisher">OLD-42</other-identifier>
  <transaction>
   <transaction-type code="C">Commitment</transaction-type>
   <provider-org ref="XI-OLD">Old publisher</provider-org>
   <value value-date="2011-03-01">500000</value>
   <transaction-date iso-date="2011-03-01"/>
  </transaction>
  <transaction>
   <transaction-type code="D"/>
   <value value-date="2012-02-01" currency="USD">120000</value>
   <transaction-date iso-date="2012-02-01"/>
   <description>First tranche</description>
  </transaction>
  <budget type="1"><period-start iso-date="2011-01-01"/><period-end iso-date="2011-12-31"/>
   <value value-date="2011-01-01">500000</value></budget>
 </iati-activity>
</iati-activities>
"""


def test_a_103_file_is_upgraded_read_and_exported_valid(tmp_path: Path) -> None:
    path = tmp_path / "old.xml"
    path.write_text(V103, encoding="utf-8")
    [(a, extras)] = list(read_records(path))
    assert extras.warnings[0] == "upgraded from IATI 1.03 to 2.03"
    assert "activity-website has no IATI 2.0x counterpart: left out" in extras.warnings
    assert a.title == {"en": "Water for Bihać", "bs": "Voda za Bihać"}
    assert a.description == {"en": "Pipes and pumps."}
    assert [(p.name, p.role) for p in a.participants] == [("Old publisher", "funder"),
                                                         ("Vodovod Bihać", "implementer")]
    assert (a.dates.start, a.dates.end) == ("2011-03-01", "2013-12-31")
    assert a.countries == ["BA"] and a.sectors[0].vocabulary == "1"
    assert (a.locations[0].name, a.locations[0].lat, a.locations[0].lon) == ("Bihać", 44.8169, 15.8708)
    assert [(t.type, t.value, t.currency) for t in a.transactions] == [("2", 500000.0, "EUR"),
                                                                      ("3", 120000.0, "USD")]
    assert a.transactions[0].provider_name == "Old publisher"
    assert a.transactions[1].description == {"en": "First tranche"}
    assert a.budget is not None and a.budget.value == 500000.0
    out = io.BytesIO()
    write_activities([a], out, Settings())
    root = etree.fromstring(out.getvalue())
    schema = codelists().schema()
    assert schema.validate(root), schema.error_log
    exported = root.find("iati-activity")
    assert exported.find("reporting-org").get("ref") == "XI-OLD"  # the publisher's own, upgraded element
    assert exported.find("other-identifier").attrib == {"ref": "OLD-42", "type": "A1"}
    assert exported.findtext("other-identifier/owner-org/narrative") == "Old publisher"
    warnings: list[str] = []
    assert len(list(read_activities(path, warnings.append))) == 1
    assert warnings[0] == "activity XI-OLD-1: upgraded from IATI 1.03 to 2.03"
