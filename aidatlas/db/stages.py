"""After-write stages: what runs, inside the store's transaction, around every write of activities.

The store does persistence only; organisation resolution, activity matching and search indexing are stages
(`aidatlas.resolve.stages`, `aidatlas.db.search_index.SearchIndexing`) that the composition root
(`aidatlas.registry`) hands to the store in order, so a reader sees every step a saved document goes through.
A stage overrides only the hooks it needs; all of them run on the caller's connection.

A bulk load (an IATI import of thousands of activities) writes with `settle_later`: a stage whose work is
cheaper done once for the whole load than per batch (organisation resolution reads each new name's
neighbourhood; per batch it reads the same popular neighbours again and again) only notes what is pending, in
the batch's own transaction, and does it in `settle`, a committed round at a time. An interrupted load leaves
its notes behind, and the next settle (the next import, `aidatlas orgs check`) finishes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from aidatlas.db.engine import retrying
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
    settle_later: bool = False


class Stage:
    """One step after a write. The default hooks do nothing."""

    def renamed(self, conn: Connection, renamed: dict[str, str]) -> None:
        """A document's new version gives its records new ids (old id → new id), before the old ones go."""

    def removing(self, conn: Connection, activity_ids: Sequence[str]) -> None:
        """These activities are about to be deleted (their document was replaced, or a newer import came)."""

    def written(self, conn: Connection, written: Written) -> None:
        """Activities and organisations were just inserted."""

    def settle(self, conn: Connection, settings: Settings, known_orgs: Callable[[], KnownOrgs]) -> bool:
        """Do one round of the work bulk loads left pending; False when nothing was left."""
        return False


def settle(engine: Engine, stages: Sequence[Stage], settings: Settings, known_orgs: Callable[[], KnownOrgs]) -> int:
    """Every stage's pending work, one committed transaction per round; how many rounds did some work."""
    def one_round(stage: Stage) -> bool:
        with engine.begin() as conn:
            return stage.settle(conn, settings, known_orgs)

    rounds = 0
    for stage in stages:
        while retrying(lambda s=stage: one_round(s), races=engine.dialect.name == "postgresql"):  # type: ignore[misc]
            rounds += 1
    return rounds
