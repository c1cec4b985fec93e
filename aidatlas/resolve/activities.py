"""One activity, several sources: find records of the same activity, link them, and undo a link.

A new record is compared only with records sharing a blocking key (its IATI identifier, a distinctive word of
a title, a place, an implementing organisation), never with all records. Evidence is scored (`compare`):
same IATI identifier; similar titles (any language version against any); shared implementer, funder, place;
agreeing dates and budget; contradicting dates or disjoint countries count against. A link makes every record
but the cluster's best source (see `sources.by_precedence`) point at it through `activities.same_as`: search,
facets and totals then count the activity once, and its page shows every source with the fields they
disagree on. Two records of one document are never linked (the extractor already split them on purpose).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import Connection, delete, func, insert, select, update

from aidatlas.db import tables as t
from aidatlas.db.mapping import WrittenRows
from aidatlas.db.store import Store, rows_of
from aidatlas.db.tables import batched, table_of
from aidatlas.db.values import among
from aidatlas.errors import ConflictError, NotFound
from aidatlas.normalize.script import fold
from aidatlas.records import Activity
from aidatlas.resolve import blocking
from aidatlas.resolve import decisions as dec
from aidatlas.resolve.sources import (
    Conflict,
    SourceRecord,
    by_precedence,
    conflicts,
    kind_of,
    precedence_key,
    source_date,
    source_kind,
)

ACTS = table_of(t.ActivityRow)
NAR = table_of(t.NarrativeRow)
PARTS = table_of(t.ParticipationRow)
LOCS = table_of(t.LocationRow)
CTRY = table_of(t.CountryRow)
MONEY = table_of(t.MoneyRow)
DOCS = table_of(t.DocumentRow)
KEYS = table_of(t.BlockingKeyRow)
SUBJECT = "activity"
IATI_KEYS = "iati-record"   # blocking keys of IATI records, which only documents' records are compared with
AUTO_LINK = 0.7
PROPOSE = 0.6
ALIKE = 0.9   # titles less alike than this are only ever proposed, never linked automatically
MAX_POSTING = 50
"""a key shared by more records (a capital city, a big implementer, a common word) is weak evidence and is
skipped: duplicates share their specific title words"""
_WORD = re.compile(r"\w{5,}")
_NUMBER = re.compile(r"\b\d+\b")
_COMMON = frozenset(fold(w) for w in " ".join((
    "project projects program programme support development cooperation municipality municipalities through",
    "within between local regional national community communities women youth training center centre",
    "projekat projekta program programa podrska razvoj razvoja opcina opstina opstine saradnja saradnje",
    "zajednice mladih zena projekti programi mbeshtetje zhvillimi komuna komunave проект програма поддршка",
    "развој општина")).split())


@dataclass(frozen=True)
class Facts:
    """What matching needs of one record: read once per check."""

    id: str
    document_id: str | None
    iati: str | None
    titles: tuple[str, ...]
    funders: frozenset[str]
    implementers: frozenset[str]
    places: frozenset[str]
    countries: frozenset[str]
    start: str | None
    budget: tuple[float, str] | None


def keys_of(f: Facts) -> set[str]:
    keys = {"o:" + o for o in f.implementers} | {"p:" + p for p in f.places}
    if f.iati:
        keys.add("i:" + f.iati)
    for title in f.titles:
        keys |= {"t:" + w for w in _WORD.findall(title) if w not in _COMMON}
    return {k[:300] for k in keys}


def compare(a: Facts, b: Facts) -> tuple[float, list[str]]:
    """A score in [0, 1] and the evidence for it."""
    if a.iati and a.iati == b.iati:
        return 1.0, [f"same IATI identifier {a.iati}"]
    if a.document_id and a.document_id == b.document_id:
        return 0.0, ["two records of one document"]
    if a.countries and b.countries and not a.countries & b.countries:
        return 0.0, ["different countries"]
    numbers_a, numbers_b = _numbers(a.titles), _numbers(b.titles)
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        return 0.0, [f"different numbers in the titles (phase, year): {', '.join(sorted(numbers_a ^ numbers_b))}"]
    sim = max((fuzz.token_set_ratio(x, y) / 100 for x in a.titles for y in b.titles), default=0.0)
    evidence = [f"titles {sim:.0%} alike"]
    score = 0.5 * sim
    for weight, mine, theirs, what in ((0.15, a.implementers, b.implementers, "implementer"),
                                       (0.1, a.funders, b.funders, "funder"), (0.1, a.places, b.places, "place")):
        if mine & theirs:
            score += weight
            evidence.append(f"same {what}")
    if a.start and b.start:
        gap = abs(_days(a.start) - _days(b.start))
        if gap <= 92:
            score += 0.1
            evidence.append("start dates agree")
        elif gap > 400:
            score -= 0.3
            evidence.append("start dates a year or more apart")
    if a.budget and b.budget and a.budget[1] == b.budget[1] and a.budget[0] and b.budget[0] and \
            abs(a.budget[0] - b.budget[0]) <= 0.1 * max(a.budget[0], b.budget[0]):
        score += 0.05
        evidence.append("budgets agree")
    if sim < ALIKE:
        score = min(score, AUTO_LINK - 0.01)
    return round(max(0.0, min(score, 0.99)), 4), evidence


def _numbers(titles: tuple[str, ...]) -> set[str]:
    return {n for t in titles for n in _NUMBER.findall(t)}


def _days(date: str) -> int:
    y, m, d = (date + "-07-15")[:10].split("-") if len(date) == 4 else ((date + "-15")[:10].split("-")
                                                                       if len(date) == 7 else date.split("-"))
    return int(y) * 372 + int(m) * 31 + int(d)


class ActivityMatcher:
    """Checks records against the registry on the caller's connection (the caller commits)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def facts(self, ids: Sequence[str], given: WrittenRows | None = None) -> dict[str, Facts]:
        """What matching compares of each record; those in `given` (just written) read from its rows."""
        conn, ids = self.conn, list(ids)
        titles: dict[str, list[str]] = defaultdict(list)
        sets: dict[tuple[str, str], set[str]] = defaultdict(set)
        budget: dict[str, tuple[float, str]] = {}
        for r in rows_of(conn, "narratives", ids, given):
            if r["field"] == "title":
                titles[r["activity_id"]].append(fold(r["text"]))
        for pr in conn.execute(select(PARTS.c.activity_id, PARTS.c.role, PARTS.c.organisation_id)
                               .where(among(conn, PARTS.c.activity_id, ids))):  # as resolution left them
            sets[(pr.activity_id, "funders" if pr.role == "funder" else "implementers")].add(pr.organisation_id)
        for r in rows_of(conn, "locations", ids, given):
            sets[(r["activity_id"], "places")].add(fold(r["name"]))
        for r in rows_of(conn, "activity_countries", ids, given):
            sets[(r["activity_id"], "countries")].add(r["country"])
        for m in rows_of(conn, "money", ids, given):
            if m["kind"] == "budget":
                budget[m["activity_id"]] = (m["value"], m["currency"])
        return {r["id"]: Facts(r["id"], r["document_id"], r["iati_identifier"], tuple(sorted(titles[r["id"]])),
                               frozenset(sets[(r["id"], "funders")]), frozenset(sets[(r["id"], "implementers")]),
                               frozenset(sets[(r["id"], "places")]), frozenset(sets[(r["id"], "countries")]),
                               r["start_date"], budget.get(r["id"]))
                for r in rows_of(conn, "activities", ids, given)}

    def check(self, ids: Sequence[str], *, auto_link: float = AUTO_LINK,
              given: WrittenRows | None = None) -> tuple[int, int]:
        """Index `ids`' keys and link or propose what they match; returns (linked, proposed).

        Batch-shaped (a handful of queries per call, whatever its size): keys are looked up once for all
        `ids`. IATI records' keys are filed apart: two IATI records with different identifiers are two
        activities, so an IATI import only reads the postings of documents' records.
        """
        if not ids:
            return 0, 0
        conn = self.conn
        facts = self.facts(ids, given)
        keys = {i: keys_of(f) for i, f in facts.items()}
        documents = {i: k for i, k in keys.items() if not facts[i].iati}
        iati = {i: k for i, k in keys.items() if facts[i].iati}
        blocking.write(conn, SUBJECT, documents)
        blocking.write(conn, IATI_KEYS, iati)
        # an IATI record can only duplicate a document's record; a document's record, anything
        postings = blocking.postings(conn, SUBJECT, set().union(*keys.values()), MAX_POSTING)
        iati_postings = blocking.postings(conn, IATI_KEYS, set().union(*documents.values()), MAX_POSTING) \
            if documents else {}
        near = {i: {x for k in keys[i] for x in (*postings.get(k, ()), *(() if facts[i].iati else
                                                                          iati_postings.get(k, ())))} - {i}
                for i in facts}
        wanted = sorted(set().union(*near.values()) - set(facts))
        others = {**facts, **self.facts(wanted)} if wanted else dict(facts)
        linked = proposed = 0
        statuses = self._statuses(list(facts))
        for i, f in facts.items():
            scored = sorted(((compare(f, others[o]), o) for o in near[i] if o in others
                             and not (f.iati and others[o].iati)), key=lambda x: (-x[0][0], x[1]))
            for (score, evidence), other in scored:
                status = statuses.get(dec.ordered(i, other))
                if (score < PROPOSE and status != "merged") or status == "rejected" or self._same(i, other):
                    continue
                why = "; ".join(evidence)
                if status == "merged" or score >= auto_link:   # linked before (a new version of a document)
                    reason = "linked before this document was updated" if status == "merged" else \
                        f"automatic: score {score:.2f}"
                    link(conn, i, other, actor=dec.AUTOMATIC, reason=reason, score=score, evidence=why)
                    statuses[dec.ordered(i, other)] = "merged"
                    linked += 1
                elif status is None:
                    dec.set_candidate(conn, SUBJECT, i, other, "open", score=score, evidence=why)
                    statuses[dec.ordered(i, other)] = "open"
                    proposed += 1
        return linked, proposed

    def _statuses(self, ids: list[str]) -> dict[tuple[str, str], str]:
        """Every candidate pair touching these records, with its status: read once per batch."""
        cand = dec.CANDIDATES
        out: dict[tuple[str, str], str] = {}
        for chunk in batched(ids, 500):
            for column in (cand.c.a, cand.c.b):
                out.update(((r.a, r.b), r.status) for r in self.conn.execute(
                    select(cand.c.a, cand.c.b, cand.c.status).where(cand.c.subject == SUBJECT,
                                                                      among(self.conn, column, chunk))))
        return out

    def _same(self, a: str, b: str) -> bool:
        return primary_of(self.conn, a) == primary_of(self.conn, b)


def primary_of(conn: Connection, activity_id: str) -> str:
    row = conn.execute(select(ACTS.c.same_as).where(ACTS.c.id == activity_id)).first()
    return str(row.same_as) if row is not None and row.same_as else activity_id


def cluster(conn: Connection, activity_id: str) -> list[str]:
    """Every record of the activity `activity_id` belongs to, the primary first."""
    primary = primary_of(conn, activity_id)
    others = conn.execute(select(ACTS.c.id).where(ACTS.c.same_as == primary).order_by(ACTS.c.id)).scalars()
    return [primary, *others]


def source_records(conn: Connection, activities: Sequence[Activity]) -> list[SourceRecord]:
    """Each record with its kind of source and date, for precedence."""
    doc_ids = sorted({a.source.sha256 for a in activities if a.source.sha256})
    docs = {r.id: r for r in conn.execute(select(DOCS.c.id, DOCS.c.name, func.substr(DOCS.c.text, 1, 400)
                                                 .label("head")).where(among(conn, DOCS.c.id, doc_ids)))}
    out = []
    for a in activities:
        doc = docs.get(a.source.sha256 or "")
        name = doc.name if doc else a.source.document
        out.append(SourceRecord(a, source_kind(a, doc.name if doc else None, doc.head if doc else None), name,
                                source_date(a)))
    return out


def _set_primary(conn: Connection, ids: Sequence[str]) -> str:
    """Point a cluster at its best source (by precedence, read from the rows: no records loaded); re-index
    all of it."""
    rows = conn.execute(select(ACTS.c.id, ACTS.c.iati_identifier, ACTS.c.last_updated, ACTS.c.announced_date,
                               DOCS.c.name, func.substr(DOCS.c.text, 1, 400).label("head"))
                        .outerjoin(DOCS, DOCS.c.id == ACTS.c.document_id).where(among(conn, ACTS.c.id, ids))).all()
    primary = min(rows, key=lambda r: precedence_key(kind_of(r.iati_identifier, r.name, r.head),
                                                      r.last_updated or r.announced_date, r.id)).id
    conn.execute(update(ACTS).where(among(conn, ACTS.c.id, list(ids))).values(same_as=primary))
    conn.execute(update(ACTS).where(ACTS.c.id == primary).values(same_as=None))
    _requeue(conn, ids)
    return primary


def _requeue(conn: Connection, ids: Sequence[str]) -> None:
    queued = set(conn.execute(select(dec.PENDING.c.activity_id)
                              .where(among(conn, dec.PENDING.c.activity_id, ids))).scalars())
    fresh = [{"activity_id": i} for i in sorted(set(ids) - queued)]
    if fresh:
        conn.execute(insert(dec.PENDING), fresh)


def link(conn: Connection, a: str, b: str, *, actor: str, reason: str, score: float | None = None,
         evidence: str = "") -> dec.Decision:
    """Two records are one activity: join their clusters under the best source."""
    side_a, side_b = cluster(conn, a), cluster(conn, b)
    if side_a[0] == side_b[0]:
        raise ConflictError(f"{a} and {b} are one activity already")
    if dec.rejected_pair(conn, SUBJECT, a, b):
        raise ConflictError(f"linking {a} and {b} was rejected before; undo that decision first")
    primary = _set_primary(conn, side_a + side_b)
    dec.set_candidate(conn, SUBJECT, a, b, "merged", score=score or 0.0, evidence=evidence)
    return dec.get(conn, dec.record(conn, SUBJECT, "merge", primary, b if primary != b else a, actor=actor,
                                    reason=reason, score=score,
                                    details={"sides": [side_a, side_b], "asked": [a, b], "evidence": evidence}))


def reject(conn: Connection, a: str, b: str, *, actor: str, reason: str) -> dec.Decision:
    if primary_of(conn, a) == primary_of(conn, b):
        raise ConflictError(f"{a} and {b} are linked; undo the link instead")
    dec.set_candidate(conn, SUBJECT, a, b, "rejected")
    return dec.get(conn, dec.record(conn, SUBJECT, "reject", *dec.ordered(a, b), actor=actor, reason=reason))


def undo(conn: Connection, d: dec.Decision, *, actor: str, reason: str) -> dec.Decision:
    """Undo a link (the two sides become separate activities again, not proposed again) or a rejection."""
    if d.action == "merge":
        for side in d.details["sides"]:
            present = [i for i in side if conn.execute(select(ACTS.c.id).where(ACTS.c.id == i)).first()]
            if present:
                _set_primary(conn, present)
        first, second = d.details["asked"]
        dec.set_candidate(conn, SUBJECT, first, second, "rejected")
    elif d.action == "reject":
        assert d.b is not None
        dec.set_candidate(conn, SUBJECT, d.a, d.b, "open")
    new = dec.record(conn, SUBJECT, "undo", d.a, d.b, actor=actor, reason=reason, details={"undoes": d.id})
    conn.execute(update(dec.DECISIONS).where(dec.DECISIONS.c.id == d.id).values(undone_by=new))
    return dec.get(conn, new)


def carry_over(conn: Connection, renamed: dict[str, str]) -> None:
    """A document's new version gives its records new ids: decisions about the old ids (links, rejections)
    now concern the new ones, so a rejected pair stays rejected and a confirmed link is made again."""
    cand = dec.CANDIDATES
    for old, new in renamed.items():
        if old == new:
            continue
        rows = conn.execute(select(cand).where(cand.c.subject == SUBJECT, (cand.c.a == old) | (cand.c.b == old))
                            ).mappings().all()
        for r in rows:
            conn.execute(delete(cand).where(cand.c.subject == SUBJECT, cand.c.a == r["a"], cand.c.b == r["b"]))
            x, y = (new if r["a"] == old else r["a"]), (new if r["b"] == old else r["b"])
            dec.set_candidate(conn, SUBJECT, x, y, r["status"], score=r["score"], evidence=r["evidence"])


def forget(conn: Connection, ids: Sequence[str]) -> None:
    """Records about to be deleted (a document replaced): drop their keys, re-point their clusters."""
    if not ids:
        return
    conn.execute(delete(KEYS).where(KEYS.c.subject.in_([SUBJECT, IATI_KEYS]), among(conn, KEYS.c.item, ids)))
    orphans = set(conn.execute(select(ACTS.c.id).where(among(conn, ACTS.c.same_as, list(ids)),
                                                       ACTS.c.id.not_in(list(ids)))).scalars())
    by_old: dict[str, list[str]] = {}
    for r in conn.execute(select(ACTS.c.id, ACTS.c.same_as).where(among(conn, ACTS.c.id, sorted(orphans)))):
        by_old.setdefault(r.same_as, []).append(r.id)
    for members in by_old.values():
        conn.execute(update(ACTS).where(among(conn, ACTS.c.id, members)).values(same_as=None))
        if len(members) > 1:
            _set_primary(conn, members)
        else:
            _requeue(conn, members)


@dataclass
class ActivityView:
    """An activity with all its sources: which record is primary, every source by precedence, conflicts."""

    requested: str
    primary: str
    sources: list[SourceRecord]
    conflicts: list[Conflict]

    def to_json(self) -> dict[str, object]:
        return {"activity": self.primary, "requested": self.requested,
                "sources": [{"activity_id": s.activity.id, "kind": s.kind, "name": s.name, "date": s.date,
                             "label": s.label(), "primary": s.activity.id == self.primary} for s in self.sources],
                "conflicts": [c.to_json() for c in self.conflicts],
                "precedence": "IATI record > official page > press release; newer > older"}


def activity_view(store: Store, activity_id: str) -> ActivityView:
    """The activity's sources (the record asked for and the records linked to it), by precedence, and the
    fields they disagree on; `NotFound` for an unknown id."""
    with store.engine.connect() as conn:
        found = view(conn, activity_id)
    if not any(s.activity.id == activity_id for s in found.sources):
        raise NotFound(f"no activity {activity_id!r} in the registry")
    return found


def view(conn: Connection, activity_id: str) -> ActivityView:
    ids = cluster(conn, activity_id)
    records = by_precedence(source_records(conn, Store.read_records(conn, ids)))
    return ActivityView(activity_id, ids[0], records, conflicts(records) if len(records) > 1 else [])


def proposals(conn: Connection, *, limit: int = 50) -> list[dict[str, object]]:
    """Open candidate links for review, best first, each side with its title and source."""
    cand = dec.CANDIDATES
    rows = conn.execute(select(cand).where(cand.c.subject == SUBJECT, cand.c.status == "open")
                        .order_by(cand.c.score.desc(), cand.c.a).limit(limit)).mappings().all()
    ids = sorted({r["a"] for r in rows} | {r["b"] for r in rows})
    records = {s.activity.id: s for s in source_records(conn, Store.read_activities(conn, ids))}
    out: list[dict[str, object]] = []
    for r in rows:
        a, b = records.get(r["a"]), records.get(r["b"])
        if a is None or b is None or primary_of(conn, r["a"]) == primary_of(conn, r["b"]):
            continue
        out.append({"a": r["a"], "b": r["b"], "score": float(r["score"]), "evidence": r["evidence"],
                    "a_title": a.activity.primary_title(), "b_title": b.activity.primary_title(),
                    "a_source": a.label(), "b_source": b.label()})
    return out
