"""What the edit form offers to pick from: the registry's organisations under every name they are known by,
the gazetteer's places, the DAC sector and country codelists. Plain lists for HTML `<datalist>`s (no script)."""

from __future__ import annotations

from sqlalchemy import Engine, select

from aidatlas.db.store import ALIASES, ORGANISATIONS, Store
from aidatlas.reference.codelists import codelists
from aidatlas.reference.gazetteer import Gazetteer
from aidatlas.reference.names import country_name

PLACE_KINDS = frozenset({"municipality", "city", "entity", "canton", "district", "region", "county"})


def organisations(engine: Engine, limit: int = 5000) -> list[tuple[str, str]]:
    """(a name the registry knows, the organisation's own name) for organisations that were not merged away."""
    with engine.connect() as conn:
        rows = conn.execute(select(ALIASES.c.alias, ORGANISATIONS.c.name)
                            .join(ORGANISATIONS, ORGANISATIONS.c.id == ALIASES.c.organisation_id)
                            .where(ORGANISATIONS.c.merged_into.is_(None)).order_by(ALIASES.c.alias).limit(limit))
        return [(r.alias, r.name) for r in rows]


def places(gazetteer: Gazetteer) -> list[tuple[str, str]]:
    """(place name, country) of the gazetteer's municipalities, cities and regions."""
    return sorted({(e.name, e.country) for e in gazetteer.entries if e.kind in PLACE_KINDS})


def sectors() -> list[tuple[str, str]]:
    """(code, name) of the DAC 5-digit sectors still in use."""
    return [(i.code, i.name) for i in codelists()["Sector"].items.values() if not i.withdrawn]


def countries() -> list[tuple[str, str]]:
    codes = [i.code for i in codelists()["Country"].items.values() if not i.withdrawn]
    return sorted(((c, country_name(c)) for c in {*codes, "XK"}), key=lambda p: p[1])


def organisation_ids(store: Store, participants_edited: bool, activity_id: str, names: list[str]) -> list[str]:
    """The registry organisation of each participant shown: the stored links, or for edited participants the
    organisation each name belongs to (merges followed)."""
    if not participants_edited:
        return store.organisation_ids(activity_id)
    with store.engine.connect() as conn:
        owner: dict[str, str] = {}
        for r in conn.execute(select(ALIASES.c.alias, ORGANISATIONS.c.id, ORGANISATIONS.c.merged_into)
                              .join(ORGANISATIONS, ORGANISATIONS.c.id == ALIASES.c.organisation_id)
                              .where(ALIASES.c.alias.in_(names)).order_by(ORGANISATIONS.c.id)):
            owner.setdefault(r.alias, r.merged_into or r.id)
    return [owner.get(n, "") for n in names]
