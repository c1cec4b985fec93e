"""The editors' work: what waits for them, counted and listed on one page (`/work`).

Queues: records extraction was unsure of (`needs_review`), activities whose source changed under an edit,
open merge proposals (organisations and activities), open public error reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select

from aidatlas.curation.reports import REPORTS, Report, reports
from aidatlas.db import tables as t
from aidatlas.db.edits import EDITS
from aidatlas.db.store import Store
from aidatlas.db.tables import table_of

ACTIVITIES = table_of(t.ActivityRow)
CANDIDATES = table_of(t.MergeCandidateRow)


@dataclass
class Work:
    counts: dict[str, int]
    needs_review: list[dict[str, Any]] = field(default_factory=list)
    source_changed: list[dict[str, Any]] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"counts": self.counts, "needs_review": self.needs_review, "source_changed": self.source_changed,
                "reports": [r.to_json() for r in self.reports]}


def work(engine: Engine, *, limit: int = 50) -> Work:
    """Counts of every queue and the first `limit` items of the record queues."""
    with engine.connect() as conn:
        changed = select(EDITS.c.activity_id).where(EDITS.c.source_changed, EDITS.c.reverted_at.is_(None))
        counts = {
            "needs_review": conn.execute(select(func.count()).select_from(ACTIVITIES)
                                         .where(ACTIVITIES.c.needs_review)).scalar_one(),
            "source_changed": conn.execute(select(func.count(func.distinct(EDITS.c.activity_id)))
                                           .where(EDITS.c.source_changed, EDITS.c.reverted_at.is_(None))
                                           ).scalar_one(),
            "merge_proposals": conn.execute(select(func.count()).select_from(CANDIDATES)
                                            .where(CANDIDATES.c.status == "open")).scalar_one(),
            "reports": conn.execute(select(func.count()).select_from(REPORTS)
                                    .where(REPORTS.c.status == "open")).scalar_one(),
        }
        review = [dict(r) for r in conn.execute(
            select(ACTIVITIES.c.id, ACTIVITIES.c.confidence, ACTIVITIES.c.source_document)
            .where(ACTIVITIES.c.needs_review).order_by(ACTIVITIES.c.confidence, ACTIVITIES.c.id).limit(limit)
        ).mappings()]
        moved = [{"id": i} for i in conn.execute(changed.distinct().order_by(EDITS.c.activity_id).limit(limit))
                 .scalars()]
        titles = {a.id: a.primary_title() for a in Store.read_activities(conn, [r["id"] for r in review + moved])}
    for item in review + moved:
        item["title"] = titles.get(item["id"], item["id"])
    return Work({k: int(v) for k, v in counts.items()}, review, moved, reports(engine, limit=limit))
