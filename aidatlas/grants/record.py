"""The registry record of an awarded application: an `Activity` (kind from the call, provenance "application N")
carrying the grant's money as IATI flows, written through `Store.import_activities` inside the grants action's
own transaction (no award, payment or completion without its record), so it is searchable and in the IATI export.

Money: the award is the commitment (transaction type 2) on the award's date; each paid tranche a disbursement
(type 3) on its payment date with the payment's reference; each tranche not yet paid a planned disbursement.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from aidatlas.db.store import Store
from aidatlas.db.tables import table_of
from aidatlas.grants.alumni import ORGS
from aidatlas.grants.context import Context, from_ts
from aidatlas.grants.models import Call, Programme
from aidatlas.grants.programmes import get_programme, load_call
from aidatlas.grants.tables import TrancheRow
from aidatlas.records import (
    Activity,
    Dates,
    Money,
    Participant,
    Place,
    PlannedDisbursement,
    Source,
    TargetGroup,
    Transaction,
    stable_id,
)

TRANCHES = table_of(TrancheRow)
STATUS_IMPLEMENTATION, STATUS_CLOSED = "2", "4"


def grant_identifier(ctx: Context, app_id: int) -> str:
    """The IATI identifier of an awarded application's activity."""
    return f"{ctx.settings.reporting_org_ref}-GRANT-{app_id}"


def build_activity(ctx: Context, app_id: int, data: dict[str, Any], programme: Programme, call: Call,
                   amount: float, applicant: str, applicant_country: str | None, status: str,
                   updated: datetime) -> Activity:
    project, budget, who = data["project"], data["budget"], data["applicant"]
    participants = [Participant(name=programme.funder, role="funder", org_id=programme.funder_ref),
                    Participant(name=applicant, role="applicant", country=applicant_country)]
    if who.get("implementing_organisation"):
        participants.append(Participant(name=who["implementing_organisation"], role="implementer",
                                        country=applicant_country))
    participants += [Participant(name=p["name"], role="partner", country=p.get("country"))
                     for p in who.get("partners", []) if p.get("name")]
    places = [Place(name=p["name"], country=p["country"]) for p in project.get("places", [])]
    countries = [p.country for p in places if p.country] or ([applicant_country] if applicant_country else [])
    identifier = grant_identifier(ctx, app_id)
    return Activity(
        id=stable_id("grant", identifier), kind=call.kind,  # type: ignore[arg-type]
        title={"en": project["title"]}, description={"en": project["background"]}, programme=programme.name,
        iati_identifier=identifier, status=status, countries=countries, locations=places,
        participants=participants, budget=Money(value=amount, currency=call.currency),
        dates=Dates(start=budget.get("start"), end=budget.get("end")), objectives=list(project["objectives"]),
        activities=[a["description"] for a in project["activities"] if a.get("description")],
        target_groups=[TargetGroup(text=g["text"], count=g.get("count")) for g in project.get("target_groups", [])],
        source=Source(document=f"application {app_id}"), last_updated=updated.isoformat(timespec="seconds"))


def applicant_of(conn: Connection, data: dict[str, Any]) -> tuple[str, str | None]:
    who = data.get("applicant", {})
    if who.get("organisation_id"):
        row = conn.execute(select(ORGS.c.name, ORGS.c.country).where(ORGS.c.id == who["organisation_id"])).one()
        return row.name, row.country
    return who.get("name") or "applicant", who.get("country")


def with_flows(conn: Connection, activity: Activity, award: Any) -> Activity:
    """The record with the award row's money as flows. Provider: the programme's funder; receiver: the
    applicant. A planned disbursement's date: the grant's start for the tranche due on signature, the report's
    due date for one waiting for a report."""
    funder = next((p for p in activity.participants if p.role == "funder"), None)
    grantee = next((p for p in activity.participants if p.role == "applicant"), None)
    parties: dict[str, Any] = {"currency": award.currency, "provider_name": funder.name if funder else None,
                               "provider_ref": funder.org_id if funder else None,
                               "receiver_name": grantee.name if grantee else None}
    awarded = from_ts(award.created_at)
    on = awarded.date().isoformat() if awarded else award.start
    transactions = [Transaction(type="2", date=on, value_date=on, value=float(award.amount),
                                ref=f"award-{award.id}", **parties)]
    planned: list[PlannedDisbursement] = []
    due = {None: award.start, "interim": award.interim_due or award.final_due, "final": award.final_due}
    for r in conn.execute(select(TRANCHES).where(TRANCHES.c.award_id == award.id).order_by(TRANCHES.c.number)):
        if r.status == "paid":
            transactions.append(Transaction(type="3", date=r.paid_on, value_date=r.paid_on, value=float(r.amount),
                                            ref=r.reference, **parties))
        else:
            planned.append(PlannedDisbursement(type="1", period_start=due[r.after_report],
                                               value_date=due[r.after_report], value=float(r.amount), **parties))
    return activity.model_copy(update={"transactions": transactions, "planned_disbursements": planned})


def activity_for(ctx: Context, conn: Connection, app_row: Any, amount: float, status: str) -> Activity:
    """The registry record of an awarded application (without money); `last_updated` is kept later than the
    stored version's, so that the import replaces it."""
    call = load_call(conn, app_row.call_id)
    data = json.loads(app_row.data)
    name, country = applicant_of(conn, data)
    updated = ctx.now()
    stored = Store.read_activities(conn, [stable_id("grant", grant_identifier(ctx, app_row.id))], raw=True)
    if stored and stored[0].last_updated:
        before = datetime.fromisoformat(stored[0].last_updated)
        if updated <= before:
            updated = before + timedelta(seconds=1)
    return build_activity(ctx, app_row.id, data, get_programme(ctx, call.programme_id), call, amount, name,
                          country, status, updated)


def write_record(ctx: Context, conn: Connection, app_row: Any, award: Any, status: str) -> Activity:
    """(Re)write the grant's registry record with its status and money, in the caller's transaction."""
    activity = with_flows(conn, activity_for(ctx, conn, app_row, float(award.amount), status), award)
    ctx.store.import_activities([activity], source_name=f"application {app_row.id}", conn=conn)
    return activity

