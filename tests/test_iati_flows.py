"""IATI transactions and planned disbursements: read (bad ones reported, never costing the activity), written
back in a schema-valid order, stored on SQLite and PostgreSQL, and equal after import → export → import."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from aidatlas.db.store import Store
from aidatlas.iati.reader import read_activities
from aidatlas.iati.writer import write_activities
from aidatlas.records import Activity
from aidatlas.reference.codelists import codelists
from aidatlas.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "data" / "iati" / "es-maec-indonesia.xml"
needs_real = pytest.mark.skipif(not REAL.is_file(), reason=f"{REAL} is not available")

FLOWS = """<?xml version="1.0"?>
<iati-activities version="2.03">
<iati-activity default-currency="USD" last-updated-datetime="2020-01-01T00:00:00">
  <iati-identifier>XI-T-1</iati-identifier>
  <reporting-org ref="XI-T" type="90"><narrative>T</narrative></reporting-org>
  <title><narrative>Water</narrative></title>
  <description><narrative>d</narrative></description>
  <participating-org role="1" ref="XI-F"><narrative>Funder</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2008-03-01"/>
  <planned-disbursement type="1">
    <period-start iso-date="2008-01-01"/><period-end iso-date="2008-12-31"/>
    <value currency="EUR" value-date="2008-01-01">1000</value>
    <provider-org ref="XI-F"><narrative>Funder</narrative></provider-org>
  </planned-disbursement>
  <transaction ref="t-1">
    <transaction-type code="2"/>
    <transaction-date iso-date="2008-03-01"/>
    <value value-date="2008-03-01">3046789.5</value>
    <description><narrative xml:lang="en">Commitment</narrative>
      <narrative xml:lang="bs">Obaveza</narrative></description>
    <provider-org ref="XI-F"><narrative>Funder</narrative></provider-org>
    <receiver-org ref="BA-1"><narrative>Municipality of Tuzla</narrative></receiver-org>
    <sector vocabulary="1" code="14030"/>
    <recipient-country code="ba"/>
  </transaction>
  <transaction>
    <transaction-type code="3"/>
    <transaction-date iso-date="2009-13-45"/>
    <value currency="usd" value-date="2009-06-30">-150.25</value>
  </transaction>
  <transaction>
    <transaction-type code="3"/>
    <transaction-date iso-date="2009-07-01"/>
    <value currency="EURO">10</value>
  </transaction>
  <transaction>
    <transaction-type code="3"/>
    <transaction-date iso-date="2009-07-01"/>
    <value currency="EUR">ten</value>
  </transaction>
  <transaction ref="{long}">
    <transaction-type code="4"/>
    <transaction-date iso-date="2010-01-01"/>
    <value currency="EUR">1e400</value>
  </transaction>
  <transaction ref="{long}">
    <transaction-type code="4"/>
    <transaction-date iso-date="2010-01-01"/>
    <value currency="EUR">5</value>
    <provider-org ref="{long}"/>
    <sector vocabulary="99" code="{long}"/>
    <recipient-country code="BIH"/>
  </transaction>
</iati-activity>
</iati-activities>
"""


@pytest.fixture
def flows_file(tmp_path: Path) -> Path:
    path = tmp_path / "flows.xml"
    path.write_text(FLOWS.replace("{long}", "R" * 300), encoding="utf-8")
    return path


def test_every_readable_transaction_is_kept_and_each_bad_one_is_reported(flows_file: Path) -> None:
    warnings: list[str] = []
    [a] = list(read_activities(flows_file, warnings.append))
    assert [t.type for t in a.transactions] == ["2", "3", "3", "4"]
    first, reversal, odd, long = a.transactions
    assert (long.ref, long.provider_ref, long.sector_code, long.recipient_country) == ("R" * 300,) * 3 + (None,)
    assert (first.value, first.currency, first.date, first.value_date) == (3046789.5, "USD", "2008-03-01",
                                                                           "2008-03-01")
    assert (first.provider_ref, first.receiver_name, first.sector_code, first.recipient_country) == (
        "XI-F", "Municipality of Tuzla", "14030", "BA")
    assert first.description == {"en": "Commitment", "bs": "Obaveza"} and first.ref == "t-1"
    assert (reversal.value, reversal.currency, reversal.date) == (-150.25, "USD", None)  # bad date dropped
    assert odd.currency is None  # a currency that is not ISO 4217: kept, never converted
    [planned] = a.planned_disbursements
    assert (planned.type, planned.period_start, planned.period_end, planned.value, planned.currency) == (
        "1", "2008-01-01", "2008-12-31", 1000.0, "EUR")
    assert all(w.startswith("activity XI-T-1: transaction on line ") for w in warnings)
    assert any("'2009-13-45' is not a date" in w for w in warnings)
    assert any("'EURO' is not ISO 4217" in w for w in warnings)
    assert sum("no readable value; left out" in w for w in warnings) == 2  # "ten", and 1e400 (not finite)
    assert any("recipient-country 'BIH' is not ISO 3166-1 alpha-2" in w for w in warnings)


def export(activities: list[Activity]) -> bytes:
    out = io.BytesIO()
    write_activities(activities, out, Settings())
    schema = codelists().schema()
    root = etree.fromstring(out.getvalue())
    assert schema.validate(root), schema.error_log
    return out.getvalue()


def test_flows_are_written_back_valid_and_read_again_equal(flows_file: Path, tmp_path: Path) -> None:
    original = list(read_activities(flows_file))
    again = tmp_path / "again.xml"
    again.write_bytes(export(original))
    [back] = list(read_activities(again))
    # the file is not valid 2.03 (impossible dates), so it is written from the record, keeping the activity's
    # own default-currency; the schema requires a transaction date and a value date: a missing one is filled
    # from the other; a flow whose currency was unreadable takes the activity's default-currency on the way back
    reversal, odd, long = original[0].transactions[1:]
    expected = [original[0].transactions[0], reversal.model_copy(update={"date": reversal.value_date}),
                odd.model_copy(update={"value_date": odd.date, "currency": "USD"}),
                long.model_copy(update={"value_date": long.date})]
    assert back.transactions == expected
    assert back.planned_disbursements == original[0].planned_disbursements
    tx = etree.fromstring(again.read_bytes()).find("iati-activity/transaction")
    assert [c.tag for c in tx] == ["transaction-type", "transaction-date", "value", "description",
                                   "provider-org", "receiver-org", "sector", "recipient-country"]


def test_flows_are_stored_and_read_back(store: Store, flows_file: Path) -> None:
    [a] = list(read_activities(flows_file))
    store.import_activities([a], source_name="flows.xml")
    assert store.counts()["transactions"] == 5  # a 300-character reference fits on PostgreSQL too
    stored = store.get_activity(a.id or "")
    assert stored.transactions == a.transactions and stored.planned_disbursements == a.planned_disbursements
    assert stored.to_json()["transactions"][0]["receiver_ref"] == "BA-1"


@needs_real
def test_the_real_file_keeps_every_transaction(store: Store, tmp_path: Path) -> None:
    text = REAL.read_text(encoding="utf-8")
    in_file = text.count("<transaction>") + text.count("<transaction ")
    planned_in_file = text.count("<planned-disbursement")
    warnings: list[str] = []
    activities = list(read_activities(REAL, warnings.append))
    counts = store.import_activities(activities, source_name=REAL.name)
    assert counts.new == len(activities)
    stored = store.get_activities([a.id or "" for a in activities])
    assert sum(len(a.transactions) for a in stored) == in_file
    assert sum(len(a.planned_disbursements) for a in stored) == planned_in_file
    exported = tmp_path / "out.xml"
    exported.write_bytes(export(stored))
    back = list(read_activities(exported))
    assert [(a.transactions, a.planned_disbursements) for a in back] == [
        (a.transactions, a.planned_disbursements) for a in activities]
