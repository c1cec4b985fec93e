"""Each activity's record JSON, stored: a page, the API and the search page's rows read one row per activity
instead of a dozen child tables and the editors' overlay.

The stored form is what readers see (`Store.read_activities`, corrections laid over) and is derived data,
rewritten whenever the activity is indexed for search (`search_index.index_activities`, in the write's
transaction), which is whenever it is written, edited or touched by entity resolution. A record whose
activity waits in `search_pending` may be stale and is never served: readers fall back to the rows then, and
when none is stored (a database not yet indexed). The IATI element an import kept (`records.IatiSource`) is
not part of the JSON: exports read the rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, and_, delete, exists, insert, select

from aidatlas.db import search_tables as st
from aidatlas.db import tables as t
from aidatlas.db.tables import batched, table_of
from aidatlas.db.values import among
from aidatlas.records import Activity

RECORDS = table_of(t.ActivityRecordRow)
_PENDING = table_of(st.SearchPendingRow)
_ACTIVITIES = table_of(t.ActivityRow)


def record_json(activity: Activity) -> str:
    return json.dumps(activity.to_json(), ensure_ascii=False, separators=(",", ":"))


def write_records(conn: Connection, activities: Sequence[Activity]) -> None:
    """Store (replace) the record JSON of `activities`, as readers see them."""
    for chunk in batched(list(activities), 500):
        conn.execute(delete(RECORDS).where(among(conn, RECORDS.c.activity_id, [a.id for a in chunk])))
        conn.execute(insert(RECORDS), [{"activity_id": a.id, "json": record_json(a)} for a in chunk])


def stored_json(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """Current record JSON of those of `ids` that have one (stored and not waiting to be re-indexed)."""
    fresh = select(RECORDS.c.activity_id, RECORDS.c.json).join(
        _ACTIVITIES, _ACTIVITIES.c.id == RECORDS.c.activity_id).where(
        among(conn, RECORDS.c.activity_id, list(ids)),
        ~exists().where(and_(_PENDING.c.activity_id == RECORDS.c.activity_id)))
    return {r[0]: r[1] for r in conn.execute(fresh)}


def stored_records(conn: Connection, ids: Sequence[str]) -> dict[str, Activity]:
    return {i: Activity.model_validate_json(text) for i, text in stored_json(conn, ids).items()}

