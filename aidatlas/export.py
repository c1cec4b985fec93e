"""Exports of activities: JSON (the record contract), JSON Lines, and CSV flattened for spreadsheets.

CSV is several files, because one activity has many participants and transactions: `activities.csv` (one row
per activity, lists joined with " | "), `participants.csv` (one row per activity × organisation × role) and
`transactions.csv` (one row per transaction or planned disbursement). Every `*_eur` column is converted by the
one rule of `normalize.eur`, with its rate and basis beside it; an amount without a rate has an empty value.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from aidatlas.normalize.eur import Conversion, budget_eur, flow_eur
from aidatlas.records import Activity, TextItem, texts_of
from aidatlas.reference.codelists import codelists

ACTIVITY_COLUMNS = [
    "id", "kind", "title", "title_languages", "programme", "countries", "locations", "funders",
    "implementers", "budget_value", "budget_currency", "equivalents", "funding_shares", "start", "end",
    "announced", "objectives", "activities", "results", "target_groups", "sectors", "languages",
    "iati_identifier", "source_document", "budget_value_eur", "budget_eur_rate", "budget_eur_basis",
]
TRANSACTION_COLUMNS = [
    "activity_id", "iati_identifier", "flow", "type", "type_name", "date", "end_date", "value", "currency",
    "value_date", "value_eur", "eur_rate", "eur_basis", "provider_name", "provider_ref", "receiver_name",
    "receiver_ref", "description", "sector_code", "recipient_country",
]
PARTICIPANT_COLUMNS = ["activity_id", "activity_title", "name", "role", "country", "org_id"]


@contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside `path`, renamed over it only once the writer finished without error,
    so that an export that fails halfway never leaves a truncated file behind."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or None)
    try:
        out: IO[Any] = (os.fdopen(handle, mode) if "b" in mode
                         else os.fdopen(handle, mode, encoding="utf-8", newline=""))
        with out:
            yield out
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_json(activities: Iterable[Activity], out: IO[str]) -> int:
    """`{"records": [...]}`, streamed one record at a time."""
    out.write('{"records": [')
    n = 0
    for n, activity in enumerate(activities, start=1):
        out.write("\n  " if n == 1 else ",\n  ")
        out.write(json.dumps(activity.to_json(), ensure_ascii=False))
    out.write("\n]}\n" if n else "]}\n")
    return n


def write_jsonl(activities: Iterable[Activity], out: IO[str]) -> int:
    n = 0
    for activity in activities:
        out.write(json.dumps(activity.to_json(), ensure_ascii=False) + "\n")
        n += 1
    return n


def _joined(items: Iterable[TextItem], lang: str = "en") -> str:
    parts = []
    for item in items:
        if isinstance(item, str):
            parts.append(item)
        else:
            parts.append(item.get(lang) or texts_of(item)[0])
    return " | ".join(parts)


def activity_row(a: Activity) -> dict[str, object]:
    return {
        "id": a.id, "kind": a.kind, "title": a.primary_title(), "title_languages": " ".join(a.title),
        "programme": a.programme or "", "countries": " ".join(a.countries),
        "locations": " | ".join(p.name for p in a.locations),
        "funders": " | ".join(p.name for p in a.participants if p.role == "funder"),
        "implementers": " | ".join(p.name for p in a.participants if p.role in ("implementer", "applicant")),
        "budget_value": a.budget.value if a.budget else "", "budget_currency": a.budget.currency if a.budget else "",
        "equivalents": " | ".join(f"{m.value:.2f} {m.currency}" for m in a.equivalents),
        "funding_shares": " | ".join(f"{s.org}: {s.share:.4f}" for s in a.funding_shares),
        "start": a.dates.start or "", "end": a.dates.end or "", "announced": a.dates.announced or "",
        "objectives": _joined(a.objectives), "activities": _joined(a.activities), "results": _joined(a.results),
        "target_groups": " | ".join(
            (f"{g.count} " if g.count is not None else "") + _joined([g.text]) for g in a.target_groups),
        "sectors": " ".join(s.code for s in a.sectors), "languages": " ".join(a.languages),
        "iati_identifier": a.iati_identifier or "", "source_document": a.source.document,
        **_eur_columns("budget_value_eur", "budget_eur_rate", "budget_eur_basis", budget_eur(
            a.budget.value, a.budget.currency, a.budget.value_date, a.dates.start, a.dates.announced)
            if a.budget else None),
    }


def _eur_columns(value: str, rate: str, basis: str, c: Conversion | None) -> dict[str, object]:
    if c is None:
        return {value: "", rate: "", basis: ""}
    return {value: "" if c.eur is None else round(c.eur, 2), rate: "" if c.rate is None else c.rate,
            basis: c.basis}


def transaction_rows(a: Activity) -> Iterator[dict[str, object]]:
    """One row per transaction, then per planned disbursement, of an activity."""
    names = codelists()["TransactionType"]
    common = {"activity_id": a.id, "iati_identifier": a.iati_identifier or ""}
    for t in a.transactions:
        yield {**common, "flow": "transaction", "type": t.type, "type_name": names.name_of(t.type) or "",
               "date": t.date or "", "end_date": "", "value": t.value, "currency": t.currency or "",
               "value_date": t.value_date or "", "provider_name": t.provider_name or "",
               "provider_ref": t.provider_ref or "", "receiver_name": t.receiver_name or "",
               "receiver_ref": t.receiver_ref or "", "description": _joined([t.description]) if t.description else "",
               "sector_code": t.sector_code or "", "recipient_country": t.recipient_country or "",
               **_eur_columns("value_eur", "eur_rate", "eur_basis", flow_eur(
                   t.value, t.currency, t.value_date, t.date, a.dates.start, a.dates.announced))}
    for p in a.planned_disbursements:
        yield {**common, "flow": "planned", "type": p.type or "", "type_name": "Planned disbursement",
               "date": p.period_start or "", "end_date": p.period_end or "", "value": p.value,
               "currency": p.currency or "", "value_date": p.value_date or "", "provider_name": p.provider_name or "",
               "provider_ref": p.provider_ref or "", "receiver_name": p.receiver_name or "",
               "receiver_ref": p.receiver_ref or "", "description": "", "sector_code": "", "recipient_country": "",
               **_eur_columns("value_eur", "eur_rate", "eur_basis", flow_eur(
                   p.value, p.currency, p.value_date, p.period_start, a.dates.start, a.dates.announced))}


def write_transactions_csv(activities: Iterable[Activity], out: IO[str]) -> int:
    """`transactions.csv`: every transaction and planned disbursement; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=TRANSACTION_COLUMNS)
    writer.writeheader()
    n = 0
    for a in activities:
        for row in transaction_rows(a):
            writer.writerow(row)
            n += 1
    return n


def write_csv(activities: Iterable[Activity], out: IO[str], participants_out: IO[str] | None = None,
              transactions_out: IO[str] | None = None) -> int:
    twriter = None
    if transactions_out is not None:
        twriter = csv.DictWriter(transactions_out, fieldnames=TRANSACTION_COLUMNS)
        twriter.writeheader()
    writer = csv.DictWriter(out, fieldnames=ACTIVITY_COLUMNS)
    writer.writeheader()
    pwriter = None
    if participants_out is not None:
        pwriter = csv.DictWriter(participants_out, fieldnames=PARTICIPANT_COLUMNS)
        pwriter.writeheader()
    n = 0
    for a in activities:
        n += 1
        writer.writerow(activity_row(a))
        if twriter is not None:
            twriter.writerows(transaction_rows(a))
        if pwriter is not None:
            for p in a.participants:
                pwriter.writerow({"activity_id": a.id, "activity_title": a.primary_title(), "name": p.name,
                                  "role": p.role, "country": p.country or "", "org_id": p.org_id or ""})
    return n
