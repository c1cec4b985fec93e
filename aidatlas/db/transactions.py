"""An activity's transactions and planned disbursements ↔ rows of the `transactions` table (pure).

Called by `mapping.py`, the one Activity ↔ rows mapping, so every write and read path carries them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from aidatlas.records import Activity, PlannedDisbursement, Transaction

_PARTIES = ("value", "currency", "value_date", "provider_name", "provider_ref", "receiver_name", "receiver_ref")


def flow_rows(activity: Activity) -> list[dict[str, Any]]:
    aid = activity.id
    rows: list[dict[str, Any]] = []
    for i, t in enumerate(activity.transactions):
        f = t.__dict__  # the validated field values (a plain dict: this runs for every imported transaction)
        rows.append({"activity_id": aid, "flow": "transaction", "position": i, "type": f["type"], "date": f["date"],
                     "end_date": None, **{k: f[k] for k in _PARTIES}, "ref": f["ref"],
                     "description": json.dumps(f["description"], ensure_ascii=False) if f["description"] else None,
                     "sector_code": f["sector_code"], "sector_vocabulary": f["sector_vocabulary"],
                     "recipient_country": f["recipient_country"]})
    for i, p in enumerate(activity.planned_disbursements):
        f = p.__dict__
        rows.append({"activity_id": aid, "flow": "planned", "position": i, "type": f["type"],
                     "date": f["period_start"], "end_date": f["period_end"], **{k: f[k] for k in _PARTIES},
                     "ref": None, "description": None, "sector_code": None, "sector_vocabulary": None,
                     "recipient_country": None})
    return rows


def flows_from_rows(rows: Iterable[Mapping[str, Any]]) -> tuple[list[Transaction], list[PlannedDisbursement]]:
    transactions: list[Transaction] = []
    planned: list[PlannedDisbursement] = []
    for r in sorted(rows, key=lambda r: (r["flow"], r["position"])):
        parties = {k: r[k] for k in _PARTIES}
        if r["flow"] == "planned":
            planned.append(PlannedDisbursement(type=r["type"], period_start=r["date"], period_end=r["end_date"],
                                               **parties))
        else:
            transactions.append(Transaction(
                type=r["type"] or "", date=r["date"], ref=r["ref"],
                description=json.loads(r["description"]) if r["description"] else None,
                sector_code=r["sector_code"], sector_vocabulary=r["sector_vocabulary"],
                recipient_country=r["recipient_country"], **parties))
    return transactions, planned
