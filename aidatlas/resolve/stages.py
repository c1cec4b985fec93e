"""The after-write stages entity resolution provides (see `aidatlas.db.stages`), run in the store's transaction.

`OrganisationResolution` checks organisations that are new or have a new spelling against the registry (merge
near-identical ones, propose the rest; twins written the same way are always at least proposed: `twins.py`);
`ActivityMatching` links a new record to the records of the same activity from other sources (or proposes the
link), and keeps decisions about replaced records.

In a bulk load (`Written.settle_later`) organisation resolution only notes the organisations in
`resolution_pending`, and `settle` resolves them `SETTLE_ORGS` at a time: one matcher over their whole
neighbourhood per round instead of one per batch, which read the same popular neighbours for every batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection, delete, select

from aidatlas.db import tables as t
from aidatlas.db.stages import Stage, Written
from aidatlas.db.tables import batched, table_of
from aidatlas.db.values import among, insert_new
from aidatlas.reference.orgs import KnownOrgs
from aidatlas.resolve.activities import ActivityMatcher, carry_over, forget
from aidatlas.resolve.decisions import ORG
from aidatlas.resolve.organisations import OrgResolver
from aidatlas.resolve.twins import propose_twins
from aidatlas.settings import Settings

PENDING = table_of(t.ResolutionPendingRow)
SETTLE_ORGS = 10_000
"""organisations resolved per settle round: their neighbourhoods overlap, so one large round reads much less
than many small ones, while a round still commits every minute or so. The round's matcher holds the whole
neighbourhood: on the 1.1M corpus a pass over 24,000 organisations peaked at 322 MB in rounds of 20,000,
284 MB in rounds of 10,000, and took no longer (226 and 189 s)"""


class OrganisationResolution(Stage):
    def written(self, conn: Connection, written: Written) -> None:
        if not written.organisation_ids:
            return
        if written.settle_later:
            insert_new(conn, PENDING, [{"subject": ORG, "item": o} for o in sorted(written.organisation_ids)])
            return
        self._resolve(conn, written.organisation_ids, written.settings, written.known_orgs)

    def settle(self, conn: Connection, settings: Settings, known_orgs: Callable[[], KnownOrgs]) -> bool:
        ids = list(conn.execute(select(PENDING.c.item).where(PENDING.c.subject == ORG).order_by(PENDING.c.item)
                                .limit(SETTLE_ORGS)).scalars())
        if not ids:
            return False
        self._resolve(conn, ids, settings, known_orgs)
        for chunk in batched(ids, 5000):
            conn.execute(delete(PENDING).where(PENDING.c.subject == ORG, among(conn, PENDING.c.item, chunk)))
        return True

    @staticmethod
    def _resolve(conn: Connection, org_ids: Sequence[str], settings: Settings,
                 known_orgs: Callable[[], KnownOrgs]) -> None:
        OrgResolver(conn, known_orgs(), auto_merge=settings.auto_merge_score).check(org_ids)
        propose_twins(conn, org_ids)


class ActivityMatching(Stage):
    def renamed(self, conn: Connection, renamed: dict[str, str]) -> None:
        carry_over(conn, renamed)

    def removing(self, conn: Connection, activity_ids: Sequence[str]) -> None:
        forget(conn, activity_ids)

    def written(self, conn: Connection, written: Written) -> None:
        ActivityMatcher(conn).check(written.activity_ids, given=written.rows)
