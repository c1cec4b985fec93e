"""The one mapping between an `Activity` and its rows (pure: dicts in, dicts out, no session)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from aidatlas.db.transactions import flow_rows, flows_from_rows
from aidatlas.records import (
    Activity,
    Confidence,
    Dates,
    FundingShare,
    IatiSource,
    Money,
    Participant,
    Place,
    Sector,
    Source,
    TargetGroup,
    TextItem,
)

TEXT_LISTS = ("objectives", "results", "activities", "beneficiaries")
Rows = dict[str, list[dict[str, Any]]]


def content_hash(activity: Activity) -> str:
    return activity.content_digest()


def _narratives(activity_id: str, field: str, position: int, item: TextItem) -> list[dict[str, Any]]:
    if isinstance(item, str):
        return [{"activity_id": activity_id, "field": field, "position": position, "lang": "und",
                 "text": item, "plain": True}]
    return [{"activity_id": activity_id, "field": field, "position": position, "lang": lang, "text": text,
             "plain": False} for lang, text in item.items()]


def activity_rows(activity: Activity, document_id: str | None, position: int,
                  org_ids: Mapping[int, str]) -> Rows:
    """Rows for every table, keyed by table name. `org_ids` maps participant index → organisation id."""
    assert activity.id is not None
    aid = activity.id
    rows: Rows = defaultdict(list)
    rows["activities"].append({
        "id": aid, "kind": activity.kind, "document_id": document_id, "position": position,
        "iati_identifier": activity.iati_identifier, "programme": activity.programme,
        "part_of": activity.part_of, "status": activity.status, "start_date": activity.dates.start,
        "end_date": activity.dates.end, "announced_date": activity.dates.announced,
        "languages": " ".join(activity.languages), "source_document": activity.source.document,
        "last_updated": activity.last_updated, "content_hash": content_hash(activity),
        "confidence": activity.confidence.record if activity.confidence else None,
        "field_confidence": json.dumps(activity.confidence.fields) if activity.confidence else None,
        "needs_review": bool(activity.confidence and activity.confidence.needs_review),
    })
    narratives = rows["narratives"]
    narratives += _narratives(aid, "title", 0, activity.title)
    if activity.description:
        narratives += _narratives(aid, "description", 0, activity.description)
    for field in TEXT_LISTS:
        for i, item in enumerate(getattr(activity, field)):
            narratives += _narratives(aid, field, i, item)
    for i, group in enumerate(activity.target_groups):
        narratives += _narratives(aid, "target_groups", i, group.text)
        rows["target_counts"].append({"activity_id": aid, "position": i, "count": group.count})
    for i, p in enumerate(activity.participants):
        rows["participations"].append({"activity_id": aid, "position": i, "organisation_id": org_ids[i],
                                       "source_org_id": org_ids[i], "role": p.role, "name": p.name,
                                       "country": p.country, "org_ref": p.org_id})
    for i, place in enumerate(activity.locations):
        rows["locations"].append({"activity_id": aid, "position": i, **place.model_dump()})
    for i, country in enumerate(activity.countries):
        rows["activity_countries"].append({"activity_id": aid, "country": country, "position": i})
    money = [("budget", 0, activity.budget)] if activity.budget else []
    money += [("equivalent", i, m) for i, m in enumerate(activity.equivalents)]
    for kind, i, m in money:
        assert m is not None
        rows["money"].append({"activity_id": aid, "kind": kind, "position": i, "value": m.value,
                              "currency": m.currency, "value_date": m.value_date})
    for i, share in enumerate(activity.funding_shares):
        rows["funding_shares"].append({"activity_id": aid, "position": i, "org": share.org, "share": share.share})
    for i, sector in enumerate(activity.sectors):
        rows["sectors"].append({"activity_id": aid, "position": i, **sector.model_dump()})
    if activity.transactions or activity.planned_disbursements:
        rows["transactions"] += flow_rows(activity)
    if activity.iati_source is not None:
        rows["iati_sources"].append({"activity_id": aid, "xml": activity.iati_source.xml,
                                     "digest": activity.iati_source.digest})
    for field, spans in activity.source.spans.items():
        for i, (start, end) in enumerate(spans):
            page = activity.source.pages.get(field)
            rows["provenance"].append({"activity_id": aid, "field": field, "position": i, "start": start,
                                       "end": end, "page": page})
    return rows


def _text_item(parts: list[Mapping[str, Any]]) -> TextItem:
    if len(parts) == 1 and parts[0]["plain"]:
        return str(parts[0]["text"])
    return {p["lang"]: p["text"] for p in parts}


def activity_from_rows(row: Mapping[str, Any], children: Mapping[str, Iterable[Mapping[str, Any]]],
                       sha256: str | None = None) -> Activity:
    """Rebuild an `Activity` from its activity row and its child rows (each table's rows for this id)."""
    texts: dict[str, dict[int, list[Mapping[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    # languages in code order, whatever order a database returns them in (SQLite: its key's; PostgreSQL: the heap's)
    for n in sorted(children.get("narratives", ()), key=lambda r: (r["field"], r["position"], r["lang"])):
        texts[n["field"]][n["position"]].append(n)

    def items(field: str) -> list[TextItem]:
        return [_text_item(parts) for _, parts in sorted(texts[field].items())]

    counts = {r["position"]: r["count"] for r in children.get("target_counts", ())}
    title = items("title")
    description = items("description")
    money = sorted(children.get("money", ()), key=lambda r: (r["kind"], r["position"]))
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    pages: dict[str, int] = {}
    for p in sorted(children.get("provenance", ()), key=lambda r: (r["field"], r["position"])):
        spans[p["field"]].append((p["start"], p["end"]))
        if p["page"] is not None:
            pages[p["field"]] = p["page"]

    transactions, planned = flows_from_rows(children.get("transactions", ()))

    def as_localized(item: TextItem) -> dict[str, str]:
        return {"und": item} if isinstance(item, str) else item

    activity = Activity(
        id=row["id"], kind=row["kind"], title=as_localized(title[0]) if title else {"und": row["id"]},
        description=as_localized(description[0]) if description else None,
        programme=row["programme"], part_of=row["part_of"], iati_identifier=row["iati_identifier"],
        status=row["status"],
        countries=[r["country"] for r in sorted(children.get("activity_countries", ()),
                                                key=lambda r: r["position"])],
        locations=[Place(**{k: r[k] for k in ("name", "country", "admin1", "lat", "lon", "geonames_id")})
                   for r in sorted(children.get("locations", ()), key=lambda r: r["position"])],
        participants=[Participant(name=r["name"], role=r["role"], country=r["country"], org_id=r["org_ref"])
                      for r in sorted(children.get("participations", ()), key=lambda r: r["position"])],
        budget=next((Money(value=r["value"], currency=r["currency"], value_date=r["value_date"])
                     for r in money if r["kind"] == "budget"), None),
        equivalents=[Money(value=r["value"], currency=r["currency"], value_date=r["value_date"])
                     for r in money if r["kind"] == "equivalent"],
        funding_shares=[FundingShare(org=r["org"], share=r["share"])
                        for r in sorted(children.get("funding_shares", ()), key=lambda r: r["position"])],
        dates=Dates(start=row["start_date"], end=row["end_date"], announced=row["announced_date"]),
        objectives=items("objectives"), results=items("results"), activities=items("activities"),
        beneficiaries=items("beneficiaries"),
        target_groups=[TargetGroup(text=t, count=counts.get(i))
                       for i, t in enumerate(items("target_groups"))],
        sectors=[Sector(code=r["code"], vocabulary=r["vocabulary"], percentage=r["percentage"])
                 for r in sorted(children.get("sectors", ()), key=lambda r: r["position"])],
        languages=row["languages"].split() if row["languages"] else [],
        source=Source(document=row["source_document"], sha256=sha256, spans=dict(spans), pages=pages),
        last_updated=row["last_updated"],
        confidence=None if row.get("confidence") is None else Confidence(
            record=row["confidence"], fields=json.loads(row.get("field_confidence") or "{}"),
            needs_review=bool(row.get("needs_review"))),
        transactions=transactions, planned_disbursements=planned,
    )
    for source in children.get("iati_sources", ()):
        activity.iati_source = IatiSource(xml=source["xml"], digest=source["digest"])
    return activity


class WrittenRows:
    """The rows one write inserted, grouped per activity: the stages after the write (matching, indexing, the
    stored record JSON) read them here instead of fetching back what they were just given (three re-reads of
    each batch before). They are the rows as stored, except `participations.organisation_id`, which
    organisation resolution may repoint after the insert: readers of it go to the database."""

    def __init__(self, rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None) -> None:
        self.activities: dict[str, Mapping[str, Any]] = {}
        self.children: dict[str, dict[str, list[Mapping[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for table, table_rows in (rows or {}).items():
            for row in table_rows:
                if table == "activities":
                    self.activities[row["id"]] = row
                else:
                    self.children[row["activity_id"]][table].append(row)

    def __contains__(self, activity_id: object) -> bool:
        return activity_id in self.activities

    def split(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """`ids` in two lists: those written here, and the others (to read from the database)."""
        ids = list(ids)
        return [i for i in ids if i in self.activities], [i for i in ids if i not in self.activities]

    def of(self, table: str, ids: Iterable[str]) -> Iterable[Mapping[str, Any]]:
        """The rows of one table for `ids` (all written here): the activity rows themselves for "activities"."""
        for i in ids:
            if table == "activities":
                yield self.activities[i]
            else:
                yield from self.children[i].get(table, ())

    def activity(self, activity_id: str) -> Activity:
        """The activity as `activity_from_rows` rebuilds it from the database (without the editors' edits)."""
        row = self.activities[activity_id]
        return activity_from_rows(row, self.children[activity_id], row["document_id"])
