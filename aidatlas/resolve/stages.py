"""The after-write stages entity resolution provides (see `aidatlas.db.stages`), run in the store's transaction.

`OrganisationResolution` checks organisations that are new or have a new spelling against the registry (merge
near-identical ones, propose the rest; twins written the same way are always at least proposed: `twins.py`);
`ActivityMatching` links a new record to the records of the same activity from other sources (or proposes the
link), and keeps decisions about replaced records.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from aidatlas.db.stages import Stage, Written
from aidatlas.resolve.activities import ActivityMatcher, carry_over, forget
from aidatlas.resolve.organisations import OrgResolver
from aidatlas.resolve.twins import propose_twins


class OrganisationResolution(Stage):
    def written(self, conn: Connection, written: Written) -> None:
        if written.organisation_ids:
            OrgResolver(conn, written.known_orgs(), auto_merge=written.settings.auto_merge_score).check(
                written.organisation_ids)
            propose_twins(conn, written.organisation_ids)


class ActivityMatching(Stage):
    def renamed(self, conn: Connection, renamed: dict[str, str]) -> None:
        carry_over(conn, renamed)

    def removing(self, conn: Connection, activity_ids: Sequence[str]) -> None:
        forget(conn, activity_ids)

    def written(self, conn: Connection, written: Written) -> None:
        ActivityMatcher(conn).check(written.activity_ids, given=written.rows)
