"""Organisation matching inside the registry: a blocking index in the database, checked incrementally.

When a document adds organisations, only they are checked: their names' blocking keys (see `matcher`) are
written to `blocking_keys` and looked up there, so a new name is compared with the few organisations that
share a key — never with all pairs. A match the rules accept is either merged at once (score at or above
`Settings.auto_merge_score`: near-identical spellings; logged and undoable like any merge) or proposed for
review (translations, acronyms, …). Pairs rejected before are never proposed again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from aidatlas.db import values
from aidatlas.db.tables import batched
from aidatlas.errors import ConflictError
from aidatlas.reference.orgs import KnownOrgs
from aidatlas.resolve import blocking
from aidatlas.resolve import decisions as dec
from aidatlas.resolve.matcher import MERGE, OrgMatcher, blocking_keys
from aidatlas.resolve.signature import signature

ORG = dec.ORG
MAX_POSTING = 1000
"""a key naming more organisations than this narrows nothing (the in-memory matcher allows more: it only
pays for the keys it reads)"""


class _BatchState:
    """What one batch knows without asking the database again: decided pairs, clusters, merges made so far.
    (`dec.merge` still checks against the database: this only spares the queries for pairs it can rule out.)"""

    def __init__(self, decided: dict[tuple[str, str], str], members: dict[str, list[str]]) -> None:
        self.decided_pairs = decided
        self.members = {k: list(v) for k, v in members.items()}
        self.moved: dict[str, str] = {}
        self.rejected: dict[str, set[str]] = {}
        for (x, y), status in decided.items():
            if status == "rejected":
                self.rejected.setdefault(x, set()).add(y)
                self.rejected.setdefault(y, set()).add(x)

    def canonical(self, org_id: str) -> str:
        return self.moved.get(org_id, org_id)

    def merged(self, keep: str, gone: str) -> None:
        for k, v in list(self.moved.items()):
            if v == gone:
                self.moved[k] = keep
        self.moved[gone] = keep
        self.members.setdefault(keep, [keep]).extend(self.members.pop(gone, [gone]))

    def decided(self, a: str, b: str) -> bool:
        """Merged or rejected before: this pair, or (rejected) any pair between the two clusters."""
        if self.decided_pairs.get(dec.ordered(a, b)):
            return True
        right = set(self.members.get(b, [b]))
        return any(self.rejected.get(x, set()) & right for x in self.members.get(a, [a]))


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


def _among(conn: Connection, columns: Sequence[Any], key: Any, ids: Sequence[str]) -> Iterator[Any]:
    """`columns` of the rows whose `key` is one of `ids`, read 500 ids a statement."""
    for chunk in batched(ids, 500):
        yield from conn.execute(select(*columns).where(values.among(conn, key, chunk)))


def _names(conn: Connection, org_ids: Sequence[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {o: [] for o in org_ids}
    for chunk in batched(org_ids, 500):
        for r in conn.execute(select(dec.ALIASES.c.organisation_id, dec.ALIASES.c.alias)
                              .where(values.among(conn, dec.ALIASES.c.organisation_id, chunk))
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
        blocking.write(self.conn, ORG, {o: org_keys(names[o]) for o in org_ids})

    def check(self, org_ids: Sequence[str]) -> CheckReport:
        """Index the organisations, then merge or propose what they match. Idempotent.

        Batch-shaped: the organisations' clusters, names, blocking postings and neighbours are read with a
        few queries for the whole batch, then each organisation is decided in turn (a merge made for one is
        seen by the next: canonical ids are read afresh before each decision)."""
        began = time.perf_counter()
        report = CheckReport()
        self.index(org_ids)
        self._check_batch(list(org_ids), report)
        report.seconds = time.perf_counter() - began
        return report

    def _groups(self, canon: set[str]) -> dict[str, list[str]]:
        """canonical id → its members (itself and what was merged into it), for many clusters at once."""
        out: dict[str, list[str]] = {c: [c] for c in canon}
        for r in _among(self.conn, [dec.ORGS.c.id, dec.ORGS.c.merged_into], dec.ORGS.c.merged_into, sorted(canon)):
            out[r.merged_into].append(r.id)
        return out

    def _check_batch(self, org_ids: list[str], report: CheckReport) -> None:
        conn = self.conn
        info = {r.id: r for r in _among(conn, [dec.ORGS.c.id, dec.ORGS.c.merged_into, dec.ORGS.c.country],
                                        dec.ORGS.c.id, org_ids)}
        me_of = {o: info[o].merged_into or o for o in org_ids if o in info}
        groups = self._groups(set(me_of.values()))
        names = _names(conn, sorted({m for g in groups.values() for m in g}))
        mine = {o: [n for m in groups[me_of[o]] for n in names[m]] for o in me_of}
        keys = {o: org_keys(mine[o]) for o in me_of}
        posting = blocking.postings(conn, ORG, set().union(*keys.values()) if keys else set(), MAX_POSTING)
        # each organisation's neighbours are gathered when it is decided: held for a round of 10,000 at once
        # (`resolve.stages.SETTLE_ORGS`), hundreds each, they had taken most of the memory of a bulk load
        everyone = sorted(set().union(*posting.values()) if posting else set())
        canon: dict[str, str] = {r[0]: r[1] for r in _among(
            conn, [dec.ORGS.c.id, func.coalesce(dec.ORGS.c.merged_into, dec.ORGS.c.id)], dec.ORGS.c.id, everyone)}
        clusters = self._groups(set(canon.values()))
        wanted = sorted({m for g in clusters.values() for m in g})
        rows = {r.id: r for r in _among(conn, [dec.ORGS.c.id, dec.ORGS.c.country, dec.ORGS.c.name], dec.ORGS.c.id,
                                        wanted)}
        their_names = _names(conn, sorted(set(wanted) - set(names)))
        matcher = OrgMatcher(self.known)
        for c, members in clusters.items():
            for m in members:
                row = rows.get(m)
                table_entry = self.known.get(row.name) if self.known is not None and row is not None else None
                matcher.add(c, names.get(m) or their_names.get(m, []), row.country if row else None,
                            look_up=False, known=table_entry.canonical if table_entry else None, index=False)
        every = {**clusters, **groups}
        state = _BatchState(decided=self._decided_pairs(sorted({m for g in every.values() for m in g})),
                            members=every)
        for o in me_of:
            if mine[o]:
                report.checked += 1
            near = {i for k in keys[o] for i in posting.get(k, ())} - set(groups[me_of[o]])
            if near:
                self._decide(me_of[o], mine[o], info[o].country, matcher,
                             {canon[n] for n in near if n in canon}, state, report)

    def _decided_pairs(self, ids: list[str]) -> dict[tuple[str, str], str]:
        """Merged and rejected pairs touching these organisations: read once for the batch (each side through
        an index: `(subject, a, …)` is the key, `(subject, b)` migration 0014's)."""
        cand = dec.CANDIDATES
        out: dict[tuple[str, str], str] = {}
        for chunk in batched(ids, 500):
            for column in (cand.c.a, cand.c.b):
                query = select(cand.c.a, cand.c.b, cand.c.status).where(cand.c.subject == ORG,
                                                                         cand.c.status != "open",
                                                                         values.among(self.conn, column, chunk))
                out.update(((r.a, r.b), r.status) for r in self.conn.execute(query))
        return out

    def _decide(self, start: str, names: list[str], country: str | None, matcher: OrgMatcher, among: set[str],
                state: _BatchState, report: CheckReport) -> None:
        me = state.canonical(start)
        best: dict[str, tuple[float, str]] = {}
        for name in names:
            for cand in matcher.candidates(name, country, limit=4, among=among):
                other = state.canonical(cand.org_id)
                if other != me and cand.score >= MERGE and cand.score > best.get(other, (0.0, ""))[0]:
                    best[other] = (cand.score, f"{name} ~ {cand.name}: {cand.evidence}")
        if not best:
            return
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        top_id, (top_score, _) = ranked[0]
        unique = len(ranked) == 1 or ranked[1][1][0] < top_score - 1e-9
        for other, (score, why) in ranked:
            if state.decided(me, other):
                continue
            if other == top_id and unique and score >= self.auto_merge:
                try:
                    done = dec.merge(self.conn, me, other, actor=dec.AUTOMATIC, score=score, evidence=why,
                                     reason=f"automatic: score {score:.2f} ≥ {self.auto_merge:.2f}")
                except ConflictError:           # rejected between members merged earlier in this batch
                    continue
                state.merged(done.a, done.b or other)
                report.merged.append(done)
                return
            dec.set_candidate(self.conn, ORG, me, other, "open", score=score, evidence=why)
            report.proposed += 1

    def check_all(self, batch: int = 2000) -> CheckReport:
        """Re-index and re-check every organisation (after a change of rules or of the alias table)."""
        ids = list(self.conn.execute(select(dec.ORGS.c.id).order_by(dec.ORGS.c.id)).scalars())
        total = CheckReport()
        began = time.perf_counter()
        for chunk in batched(ids, batch):
            self.index(chunk)
        for chunk in batched(ids, batch):
            self._check_batch(chunk, total)
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
