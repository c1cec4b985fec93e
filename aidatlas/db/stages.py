"""After-write stages: what runs, inside the store's transaction, around every write of activities.

The store does persistence only; organisation resolution, activity matching and search indexing are stages
(`aidatlas.resolve.stages`, `aidatlas.db.search_index.SearchIndexing`) that the composition root
(`aidatlas.registry`) hands to the store in order, so a reader sees every step a saved document goes through.
A stage overrides only the hooks it needs; all of them run on the caller's connection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection

from aidatlas.db.mapping import WrittenRows
from aidatlas.reference.orgs import KnownOrgs
from aidatlas.settings import Settings


@dataclass(frozen=True)
class Written:
    """What one write added: the activities, and the organisations that are new or have a new spelling; with
    the store's settings and its curated organisations table (loaded on first use), and the rows inserted."""

    activity_ids: list[str]
    organisation_ids: list[str]
    settings: Settings
    known_orgs: Callable[[], KnownOrgs]
    rows: WrittenRows = field(default_factory=WrittenRows)


class Stage:
    """One step after a write. The default hooks do nothing."""

    def renamed(self, conn: Connection, renamed: dict[str, str]) -> None:
        """A document's new version gives its records new ids (old id → new id), before the old ones go."""

    def removing(self, conn: Connection, activity_ids: Sequence[str]) -> None:
        """These activities are about to be deleted (their document was replaced, or a newer import came)."""

    def written(self, conn: Connection, written: Written) -> None:
        """Activities and organisations were just inserted."""
