"""The after-write stage that keeps editors' corrections across new versions of their sources.

A new version of a document gives its records new ids (`renamed`): the edits follow them. Whenever an activity
with edits in force is written again (a re-ingest, a newer IATI import), each edit's field is compared with the
source's new value: when the source now says something else than when the edit was made, the edit is flagged
(`source_changed`, the new value kept beside it) for an editor to decide; the edit keeps applying meanwhile.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, update

from aidatlas.db.edits import EDITS, edits_of, field_value
from aidatlas.db.stages import Stage, Written
from aidatlas.db.store import Store


class EditsFollowSources(Stage):
    """Runs before search indexing, so that the index sees the edits on the written records."""

    def renamed(self, conn: Connection, renamed: dict[str, str]) -> None:
        for old, new in renamed.items():
            if old != new:
                conn.execute(update(EDITS).where(EDITS.c.activity_id == old).values(activity_id=new))

    def written(self, conn: Connection, written: Written) -> None:
        edits = edits_of(conn, written.activity_ids)
        if not edits:
            return
        for activity in Store.read_activities(conn, sorted(edits), raw=True):
            for edit in edits[activity.id or ""]:
                now = field_value(activity, edit.field)
                if now != edit.source:
                    conn.execute(update(EDITS).where(EDITS.c.id == edit.id).values(
                        source_changed=True, source_now=json.dumps(now, ensure_ascii=False)))
