"""Organisation matching inside the registry: a blocking index in the database, checked incrementally.

When a document adds organisations, only they are checked: their names' blocking keys (see `matcher`) are
written to `blocking_keys` and looked up there, so a new name is compared with the few organisations that
share a key — never with all pairs. A match the rules accept is either merged at once (score at or above
`Settings.auto_merge_score`: near-identical spellings; logged and undoable like any merge) or proposed for
review (translations, acronyms, …). Pairs rejected before are never proposed again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Connection, Table, delete, func, insert, select

from aidatlas.db import tables as t
from aidatlas.reference.orgs import KnownOrgs
from aidatlas.resolve import decisions as dec
from aidatlas.resolve.matcher import MAX_POSTING, MERGE, OrgMatcher, blocking_keys
from aidatlas.resolve.signature import signature

KEYS = cast(Table, t.BlockingKeyRow.__table__)
ORG = dec.ORG


@dataclass
class CheckReport:
    checked: int = 0
    merged: list[dec.Decision] = field(default_factory=list)
    proposed: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Proposal:
    """A candidate pair for review, with what each side is called and how often it is used."""

    a: str
    b: str
    a_name: str
    b_name: str
    a_names: tuple[str, ...]
    b_names: tuple[str, ...]
    a_uses: int
    b_uses: int
    score: float
    evidence: str
    status: str
    created_at: int


def org_keys(names: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for name in names:
        sig = signature(name)
        if sig.key:
            keys |= {k[:300] for k in blocking_keys(sig)}
    return keys


def _names(conn: Connection, org_ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {o: [] for o in org_ids}
    for start in range(0, len(org_ids), 500):
        chunk = list(org_ids[start:start + 500])
        for r in conn.execute(select(dec.ALIASES.c.organisation_id, dec.ALIASES.c.alias)
                              .where(dec.ALIASES.c.organisation_id.in_(chunk))
                              .order_by(dec.ALIASES.c.organisation_id, dec.ALIASES.c.alias)):
            out[r.organisation_id].append(r.alias)
    return out


class OrgResolver:
    """Checks organisations against the registry on the caller's connection (the caller commits)."""

    def __init__(self, conn: Connection, known: KnownOrgs | None = None, *, auto_merge: float = 0.95) -> None:
        self.conn = conn
        self.known = known
        self.auto_merge = auto_merge

    def index(self, org_ids: Sequence[str]) -> None:
        """(Re)write the blocking keys of these organisations from all their names."""
        names = _names(self.conn, org_ids)
        for start in range(0, len(org_ids), 500):
            self.conn.execute(delete(KEYS).where(KEYS.c.subject == ORG,
                                                 KEYS.c.item.in_(list(org_ids[start:start + 500]))))
        rows = [{"subject": ORG, "key": k, "item": o} for o in org_ids for k in sorted(org_keys(names[o]))]
        for start in range(0, len(rows), 5000):
            self.conn.execute(insert(KEYS), rows[start:start + 5000])

    def _blocked(self, keys: set[str], exclude: set[str]) -> set[str]:
        """Items sharing a key, skipping keys too common to narrow anything (as the in-memory matcher)."""
        if not keys:
            return set()
        counts = self.conn.execute(select(KEYS.c.key, func.count()).where(KEYS.c.subject == ORG,
                                                                          KEYS.c.key.in_(sorted(keys)))
                                   .group_by(KEYS.c.key)).all()
        narrow = [k for k, n in counts if n <= MAX_POSTING]
        if not narrow:
            return set()
        items = self.conn.execute(select(KEYS.c.item).where(KEYS.c.subject == ORG, KEYS.c.key.in_(narrow))
                                  .distinct()).scalars()
        return set(items) - exclude

    def check(self, org_ids: Sequence[str]) -> CheckReport:
        """Index the organisations, then merge or propose what they match. Idempotent."""
        began = time.perf_counter()
        report = CheckReport()
        self.index(org_ids)
        for org_id in org_ids:
            self._check_one(org_id, report)
        report.seconds = time.perf_counter() - began
        return report

    def _check_one(self, org_id: str, report: CheckReport) -> None:
        conn = self.conn
        row = conn.execute(select(dec.ORGS.c.merged_into, dec.ORGS.c.country).where(dec.ORGS.c.id == org_id)).first()
        if row is None:
            return
        me = row.merged_into or org_id
        mine = dec.members(conn, me)
        names = [n for names in _names(conn, mine).values() for n in names]
        if not names:
            return
        report.checked += 1
        nearby = self._blocked(org_keys(names), set(mine))
        if not nearby:
            return
        clusters = dict(conn.execute(select(dec.ORGS.c.id, func.coalesce(dec.ORGS.c.merged_into, dec.ORGS.c.id))
                                     .where(dec.ORGS.c.id.in_(sorted(nearby)))).all())
        others = sorted(set(clusters.values()) - {me})
        if not others:
            return
        matcher = OrgMatcher(self.known)
        member_rows = conn.execute(select(dec.ORGS.c.id, dec.ORGS.c.country,
                                          func.coalesce(dec.ORGS.c.merged_into, dec.ORGS.c.id).label("c"))
                                   .where((dec.ORGS.c.id.in_(others)) | (dec.ORGS.c.merged_into.in_(others)))).all()
        all_names = _names(conn, [r.id for r in member_rows])
        for r in member_rows:
            matcher.add(r.c, all_names[r.id], r.country)
        best: dict[str, tuple[float, str]] = {}
        for name in names:
            for cand in matcher.candidates(name, row.country, limit=3):
                if cand.score >= MERGE and cand.score > best.get(cand.org_id, (0.0, ""))[0]:
                    best[cand.org_id] = (cand.score, f"{name} ~ {cand.name}: {cand.evidence}")
        if not best:
            return
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        top_id, (top_score, _) = ranked[0]
        unique = len(ranked) == 1 or ranked[1][1][0] < top_score - 1e-9
        for other, (score, why) in ranked:
            if dec.rejected(conn, me, other) or dec.decided(conn, ORG, me, other):
                continue
            if other == top_id and unique and score >= self.auto_merge:
                report.merged.append(dec.merge(conn, me, other, actor=dec.AUTOMATIC, score=score, evidence=why,
                                               reason=f"automatic: score {score:.2f} ≥ {self.auto_merge:.2f}"))
                return
            dec.set_candidate(conn, ORG, me, other, "open", score=score, evidence=why)
            report.proposed += 1

    def check_all(self, batch: int = 2000) -> CheckReport:
        """Re-index and re-check every organisation (after a change of rules or of the alias table)."""
        ids = list(self.conn.execute(select(dec.ORGS.c.id).order_by(dec.ORGS.c.id)).scalars())
        total = CheckReport()
        began = time.perf_counter()
        for start in range(0, len(ids), batch):
            self.index(ids[start:start + batch])
        for org_id in ids:
            self._check_one(org_id, total)
        total.seconds = time.perf_counter() - began
        return total


def proposals(conn: Connection, *, status: str = "open", limit: int = 50, offset: int = 0) -> list[Proposal]:
    """Candidate pairs for review, best first; pairs whose sides were merged since are left out."""
    cand = dec.CANDIDATES
    rows = conn.execute(select(cand).where(cand.c.subject == ORG, cand.c.status == status)
                        .order_by(cand.c.score.desc(), cand.c.a, cand.c.b).limit(limit).offset(offset)).mappings().all()
    ids = sorted({r["a"] for r in rows} | {r["b"] for r in rows})
    orgs = {r.id: r for r in conn.execute(select(dec.ORGS.c.id, dec.ORGS.c.name, dec.ORGS.c.merged_into)
                                          .where(dec.ORGS.c.id.in_(ids)))}
    names = _names(conn, ids)
    uses: dict[str, int] = dict(conn.execute(select(dec.PARTS.c.source_org_id, func.count())
                                             .where(dec.PARTS.c.source_org_id.in_(ids))
                                             .group_by(dec.PARTS.c.source_org_id)).all())
    out = []
    for r in rows:
        a, b = orgs.get(r["a"]), orgs.get(r["b"])
        if a is None or b is None or (status == "open" and (a.merged_into or a.id) == (b.merged_into or b.id)):
            continue
        out.append(Proposal(r["a"], r["b"], a.name, b.name, tuple(names[r["a"]]), tuple(names[r["b"]]),
                            uses.get(r["a"], 0), uses.get(r["b"], 0), float(r["score"]), r["evidence"],
                            r["status"], int(r["created_at"])))
    return out


def count_open(conn: Connection) -> int:
    cand = dec.CANDIDATES
    return int(conn.execute(select(func.count()).select_from(cand)
                            .where(cand.c.subject == ORG, cand.c.status == "open")).scalar_one())
