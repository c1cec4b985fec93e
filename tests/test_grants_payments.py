"""Money after the award: tranches released on approved reports (a returned report releases nothing), the
financial report against the budget lines, payments recorded once released, the schedule fixed once paid."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from grants_world import World, submitted, to_project_start
from lxml import etree

from aidatlas.errors import ConflictError, Forbidden, InputError
from aidatlas.grants.demo import application_data
from aidatlas.grants.payments import default_schedule
from aidatlas.iati.writer import write_activities
from aidatlas.reference.codelists import codelists


def test_the_default_schedule_adds_up_to_the_award():
    assert default_schedule(9000, True) == [(3600, None), (3600, "interim"), (1800, "final")]
    assert default_schedule(1000.01, False) == [(800.01, None), (200.0, "final")]


def test_tranches_follow_approved_reports_and_payments_are_recorded(world: World):
    g, officer, alice = world.grants, world.users["officer"], world.users["alice"]
    app_id = submitted(world)
    award = g.decide(officer, app_id, True, 9000, "good")
    assert award is not None
    first, second, third = g.tranches(alice, award.id)
    assert [(t.amount, t.after_report, t.status) for t in (first, second, third)] == [
        (3600, None, "released"), (3600, "interim", "planned"), (1800, "final", "planned")]
    with pytest.raises(Forbidden):
        g.tranches(world.users["bob"], award.id)
    with pytest.raises(ConflictError, match="waits for the approval of the interim report"):
        g.record_payment(officer, second.id, date(2026, 11, 23), "BANK-2")
    with pytest.raises(InputError, match="in the future"):
        g.record_payment(officer, first.id, date(2030, 1, 1), "BANK-1")
    assert g.record_payment(officer, first.id, date(2026, 11, 23), "BANK-1").status == "paid"
    with pytest.raises(ConflictError, match="paid tranche"):
        g.set_schedule(officer, award.id, [(9000, None)])

    to_project_start(world, award.start)
    objectives = application_data(world.demo)["project"]["objectives"]
    lines = {"Seminars": 2500, "Printing of the guide": 900}
    with pytest.raises(InputError, match="every budget line"):
        g.submit_report(alice, award.id, "interim", dict.fromkeys(objectives, "half"), 30, spent={"Seminars": 1})
    interim = g.submit_report(alice, award.id, "interim", dict.fromkeys(objectives, "half"), 30, spent=lines)
    assert interim.spent == lines and interim.status == "submitted"
    with pytest.raises(ConflictError, match="submitted already"):
        g.submit_report(alice, award.id, "interim", dict.fromkeys(objectives, "again"), 30, spent=lines)
    with pytest.raises(InputError, match="what the grantee must change"):
        g.review_report(officer, interim.id, False)
    returned = g.review_report(officer, interim.id, False, "Add the seminar attendance lists")
    assert returned.status == "returned" and g.tranches(officer, award.id)[1].status == "planned"
    assert any("Add the seminar attendance lists" in m.body for m in g.inbox(alice)[0])
    again = g.submit_report(alice, award.id, "interim", dict.fromkeys(objectives, "half, with lists"), 31,
                            spent=lines)
    g.review_report(officer, again.id, True)
    assert g.tranches(officer, award.id)[1].status == "released"
    paid = g.record_payment(officer, second.id, world.clock.now.date(), "BANK-2")
    assert (paid.status, paid.paid_on, paid.reference) == ("paid", world.clock.now.date(), "BANK-2")
    entries = g.audit_entries(officer, "award", award.id)
    assert [e.action for e in entries][:3] == ["payment.record", "report.approved", "report.interim"]


def test_an_officer_changes_the_schedule_before_anything_is_paid(world: World):
    g, officer = world.grants, world.users["officer"]
    award = g.decide(officer, submitted(world), True, 9000, "")
    assert award is not None
    with pytest.raises(InputError, match=r"add up to 8,000\.00"):
        g.set_schedule(officer, award.id, [(5000, None), (3000, "final")])
    schedule = g.set_schedule(officer, award.id, [(4500, None), (4500, "final")])
    assert [(t.number, t.amount, t.after_report, t.status) for t in schedule] == [
        (1, 4500, None, "released"), (2, 4500, "final", "planned")]


def _flows(world: World, activity_id: str) -> tuple[list[tuple], list[tuple]]:
    record = world.store.get_activity(activity_id)
    return ([(t.type, t.value, t.currency, t.date, t.ref, t.receiver_name) for t in record.transactions],
            [(p.type, p.value, p.period_start) for p in record.planned_disbursements])


def test_the_grants_registry_record_carries_its_money_as_iati_flows(world: World):
    """Award → commitment; each paid tranche → a disbursement with its date and reference; the rest planned;
    a new schedule moves the planned ones; the record stays valid IATI."""
    g, officer = world.grants, world.users["officer"]
    award = g.decide(officer, submitted(world), True, 9000, "")
    assert award is not None
    awarded_on = world.clock.now.date().isoformat()
    transactions, planned = _flows(world, award.activity_id)
    assert [t[:5] for t in transactions] == [("2", 9000, "EUR", awarded_on, f"award-{award.id}")]
    assert transactions[0][5]  # the receiver: the applicant
    assert planned == [("1", 3600, award.start.isoformat()), ("1", 3600, award.interim_due.isoformat()),
                       ("1", 1800, award.final_due.isoformat())]

    g.set_schedule(officer, award.id, [(4500, None), (4500, "final")])
    assert _flows(world, award.activity_id)[1] == [("1", 4500, award.start.isoformat()),
                                                   ("1", 4500, award.final_due.isoformat())]
    first = g.tranches(officer, award.id)[0]
    g.record_payment(officer, first.id, world.clock.now.date(), "BANK-7")
    transactions, planned = _flows(world, award.activity_id)
    assert [t[:5] for t in transactions] == [("2", 9000, "EUR", awarded_on, f"award-{award.id}"),
                                             ("3", 4500, "EUR", awarded_on, "BANK-7")]
    assert planned == [("1", 4500, award.final_due.isoformat())]

    out = io.BytesIO()
    write_activities([world.store.get_activity(award.activity_id)], out, world.settings, now=datetime(2027, 1, 1))
    root = etree.fromstring(out.getvalue())
    schema = codelists().schema()
    assert schema.validate(root), schema.error_log
    assert [e.get("code") for e in root.iterfind("iati-activity/transaction/transaction-type")] == ["2", "3"]
