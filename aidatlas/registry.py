"""The composition root: the registry's store with its after-write stages, for the CLI, the web app and grants.

Every saved document or imported batch goes, in one transaction, through:

1. the store's own writes (documents, activities, organisations get-or-create: `aidatlas.db.store`);
2. organisation resolution: new organisations and spellings merged or proposed (`resolve.stages`);
3. activity matching: records of one activity from several sources linked or proposed (`resolve.stages`);
4. editors' corrections follow their records and are flagged when the source changed under them
   (`db.edit_sources.EditsFollowSources`);
5. search indexing: the written and re-queued activities indexed (`db.search_index.SearchIndexing`).
"""

from __future__ import annotations

from sqlalchemy import Engine

from aidatlas.db.edit_sources import EditsFollowSources
from aidatlas.db.search_index import SearchIndexing
from aidatlas.db.stages import Stage
from aidatlas.db.store import Store
from aidatlas.resolve.stages import ActivityMatching, OrganisationResolution
from aidatlas.settings import Settings


def stages() -> list[Stage]:
    """The after-write stages, in order (fresh objects: a stage may keep counts for its store)."""
    return [OrganisationResolution(), ActivityMatching(), EditsFollowSources(), SearchIndexing()]


def open_store(settings: Settings, *, migrate: bool = True) -> Store:
    """The registry at `settings.database_url`, its schema created or upgraded when `migrate`."""
    return Store.open(settings, migrate=migrate, stages=stages())


def store_on(engine: Engine, settings: Settings | None = None) -> Store:
    """The registry's store on an engine that is open already (its schema current)."""
    return Store(engine, settings, stages=stages())
