"""Read-only queries behind the organisation, place and overview pages (the search itself is in search.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, distinct, func, select

from aidatlas.db import tables as t
from aidatlas.db.search_index import DOCS, POSTINGS, TERMS
from aidatlas.db.search_pg_orgs import org_totals
from aidatlas.db.tables import table_of
from aidatlas.errors import NotFound
from aidatlas.normalize.eur import to_eur
from aidatlas.normalize.script import fold
from aidatlas.reference.names import country_name
from aidatlas.reference.rates import year_of


def _t(model: Any) -> Table:
    return table_of(model)


ORGS, ALIASES, PARTS = _t(t.OrganisationRow), _t(t.OrganisationAliasRow), _t(t.ParticipationRow)
ACTS, COUNTRIES, LOCATIONS, MONEY = _t(t.ActivityRow), _t(t.CountryRow), _t(t.LocationRow), _t(t.MoneyRow)
NARRATIVES = _t(t.NarrativeRow)


@dataclass
class OrganisationProfile:
    id: str
    name: str
    country: str | None
    iati_ref: str | None
    aliases: list[str]
    roles: dict[str, int]
    by_currency: dict[str, float]
    eur: float
    unconverted: int
    countries: list[tuple[str, str, int]]
    timeline: list[dict[str, Any]]
    activity_ids: list[str] = field(default_factory=list)
    activities: int = 0
    merged: list[tuple[str, str]] = field(default_factory=list)      # (id, name) merged into this one
    parent: tuple[str, str] | None = None                            # an embassy's ministry
    children: list[tuple[str, str]] = field(default_factory=list)    # its embassies, offices, agencies


def organisation(engine: Engine, org_id: str, limit: int = 50) -> OrganisationProfile:
    """An organisation: its spellings, its roles, the money of its activities, where and when it worked."""
    with engine.connect() as conn:
        org = conn.execute(select(ORGS).where(ORGS.c.id == org_id)).mappings().first()
        if org is None:
            raise NotFound(f"no organisation {org_id!r} in the registry")
        if org["merged_into"]:                  # a merged id shows (and links to) the organisation it joined
            org_id = org["merged_into"]
            org = conn.execute(select(ORGS).where(ORGS.c.id == org_id)).mappings().one()
        merged = [(r.id, r.name) for r in conn.execute(select(ORGS.c.id, ORGS.c.name)
                                                       .where(ORGS.c.merged_into == org_id).order_by(ORGS.c.name))]
        members = [org_id, *(m for m, _ in merged)]
        aliases = sorted(set(conn.execute(select(ALIASES.c.alias).where(ALIASES.c.organisation_id.in_(members)))
                             .scalars()) | {org["name"]}, key=str.casefold)
        parent = conn.execute(select(ORGS.c.id, ORGS.c.name).where(ORGS.c.id == org["parent_id"])).first() \
            if org["parent_id"] else None
        children = [(r.id, r.name) for r in conn.execute(select(ORGS.c.id, ORGS.c.name).where(
            ORGS.c.parent_id.in_(members), ORGS.c.merged_into.is_(None)).order_by(ORGS.c.name))]
        if conn.dialect.name == "postgresql":  # kept by the index (`search_pg_orgs`): a row per key once compacted
            kept = org_totals(conn, org_id, limit)
            roles, groups, first, countries = kept.roles, kept.years, kept.latest, kept.countries
        else:
            roles, groups, first, countries = _summed(conn, org_id, limit)
    by_currency: dict[str, float] = defaultdict(float)
    years: dict[int, dict[str, Any]] = {}
    eur = 0.0
    unconverted = total = 0
    for start, currency, n, value, eur_sum, converted in groups:
        slot = years.setdefault(year_of(start) or 0, {"year": year_of(start), "activities": 0, "eur": 0.0})
        slot["activities"] += n
        total += n
        if currency:
            by_currency[currency] += value or 0.0
            unconverted += n - converted
            eur += eur_sum or 0.0
            slot["eur"] += eur_sum or 0.0
    timeline = sorted((v for k, v in years.items() if k), key=lambda v: v["year"])
    return OrganisationProfile(
        id=org_id, name=org["name"], country=org["country"], iati_ref=org["iati_ref"], aliases=aliases,
        roles=roles, by_currency=dict(sorted(by_currency.items())), eur=eur, unconverted=unconverted,
        countries=[(c, country_name(c), n) for c, n in countries], timeline=timeline,
        activity_ids=first, activities=total, merged=merged,
        parent=(parent.id, parent.name) if parent else None, children=children)


def _summed(conn: Connection, org_id: str, limit: int) -> tuple[dict[str, int], list[Any], list[str], list[Any]]:
    """`search_pg_orgs.org_totals` summed from the rows: an organisation's activities by role, sums by start
    year and currency, latest activities and activities by country. Each counts a search document once (a
    duplicate record through its primary, whose document holds its participants, as the search does)."""
    group = func.coalesce(ACTS.c.same_as, PARTS.c.activity_id)
    roles: dict[str, int] = {r: n for r, n in conn.execute(
        select(PARTS.c.role, func.count(distinct(group))).join(ACTS, ACTS.c.id == PARTS.c.activity_id)
        .where(PARTS.c.organisation_id == org_id).group_by(PARTS.c.role)).all()}
    mine = select(group).select_from(PARTS.join(ACTS, ACTS.c.id == PARTS.c.activity_id)).where(
        PARTS.c.organisation_id == org_id).scalar_subquery()
    # totals by start year and currency from the database: a funder of 30,000 activities is ~60 rows, not 30,000
    year = func.substr(DOCS.c.start_date, 1, 4)
    groups = conn.execute(select(year, DOCS.c.budget_currency, func.count(), func.sum(DOCS.c.budget_value),
                                 func.sum(DOCS.c.budget_eur), func.count(DOCS.c.budget_eur))
                          .where(DOCS.c.activity_id.in_(mine)).group_by(year, DOCS.c.budget_currency)).all()
    first = list(conn.execute(select(DOCS.c.activity_id).where(DOCS.c.activity_id.in_(mine))
                              .order_by(DOCS.c.start_date.desc(), DOCS.c.doc.desc()).limit(limit)).scalars())
    docs = select(DOCS.c.doc).where(DOCS.c.activity_id.in_(mine)).scalar_subquery()
    n = func.count().label("n")
    countries = conn.execute(select(TERMS.c.value, n).join(POSTINGS, POSTINGS.c.term == TERMS.c.term)
                             .where(TERMS.c.facet == "country", POSTINGS.c.doc.in_(docs))
                             .group_by(TERMS.c.value).order_by(n.desc(), TERMS.c.value)).all()
    return roles, list(groups), first, list(countries)


def _organisations_matching(q: str) -> Any:
    """The organisations (merged ones counted under the one they merged into) with a spelling holding `q`."""
    spelt = select(ALIASES.c.organisation_id).where(ALIASES.c.key.contains(fold(q), autoescape=True))
    return select(func.coalesce(ORGS.c.merged_into, ORGS.c.id)).where(ORGS.c.id.in_(spelt))


def organisations(engine: Engine, q: str = "", limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Organisations by number of activities, optionally those with a spelling that contains `q` (folded)."""
    n = func.count(distinct(PARTS.c.activity_id)).label("activities")
    stmt = (select(ORGS.c.id, ORGS.c.name, ORGS.c.country, n).join(PARTS, PARTS.c.organisation_id == ORGS.c.id)
            .group_by(ORGS.c.id, ORGS.c.name, ORGS.c.country).order_by(n.desc(), ORGS.c.name, ORGS.c.id)
            .limit(limit).offset(offset))
    if q.strip():
        stmt = stmt.where(ORGS.c.id.in_(_organisations_matching(q)))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def count_organisations(engine: Engine, q: str = "") -> int:
    """How many organisations `organisations` lists for `q` (those with at least one activity)."""
    stmt = select(func.count(distinct(PARTS.c.organisation_id)))
    if q.strip():
        stmt = stmt.where(PARTS.c.organisation_id.in_(_organisations_matching(q)))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


DOCUMENTS = _t(t.DocumentRow)


def documents(engine: Engine, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Source documents by name (not their text), each with how many activities it holds."""
    n = func.count(ACTS.c.id).label("activities")
    stmt = (select(DOCUMENTS.c.id, DOCUMENTS.c.name, DOCUMENTS.c.media_type, DOCUMENTS.c.size, DOCUMENTS.c.kind, n)
            .outerjoin(ACTS, ACTS.c.document_id == DOCUMENTS.c.id)
            .group_by(DOCUMENTS.c.id, DOCUMENTS.c.name, DOCUMENTS.c.media_type, DOCUMENTS.c.size, DOCUMENTS.c.kind)
            .order_by(DOCUMENTS.c.name, DOCUMENTS.c.id).limit(limit).offset(offset))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def count_documents(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(DOCUMENTS)).scalar_one())


def place_points(engine: Engine) -> dict[str, dict[str, Any]]:
    """Every location name that has coordinates → its country and mean position (one point per name)."""
    stmt = (select(LOCATIONS.c.name, func.min(LOCATIONS.c.country).label("country"),
                   func.avg(LOCATIONS.c.lat).label("lat"), func.avg(LOCATIONS.c.lon).label("lon"))
            .where(LOCATIONS.c.lat.is_not(None), LOCATIONS.c.lon.is_not(None)).group_by(LOCATIONS.c.name))
    with engine.connect() as conn:
        return {r.name: {"name": r.name, "country": r.country, "lat": float(r.lat), "lon": float(r.lon)}
                for r in conn.execute(stmt)}


def place_country(engine: Engine, name: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(LOCATIONS.c.country).where(LOCATIONS.c.name == name)
                            .where(LOCATIONS.c.country.is_not(None)).limit(1)).scalar_one_or_none()


def converted(value: float, currency: str, *dates: str | None) -> dict[str, Any] | None:
    """An amount in EUR with the rate and its basis, for showing beside the original, by the one rule
    (`normalize.eur`); `value` None with the reason when there is no rate; None for an amount in EUR."""
    if currency == "EUR":
        return None
    return to_eur(value, currency, *dates).to_json()
