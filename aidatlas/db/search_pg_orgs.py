"""An organisation's totals on PostgreSQL, kept by the search index (migration 0016), so its page reads a few
dozen rows instead of summing a funder's 340,000 activities (3.5 s at 1.1M).

Indexing a document writes one `search_org_docs` row per organisation it involves (its linked duplicates'
participants too, as the search counts them: once, through the primary), with the roles it has there, the
document's countries, start date and budget. Statement triggers on that table add what a statement inserted
to `search_org_totals` and subtract what one deleted (a re-index, a replaced document, a cascade from a deleted
activity): rows of deltas, one per organisation and key per statement, that `compact` folds into one per key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from aidatlas.db.values import copy_rows

YEARS, COUNTRIES, ROLES = 0, 1, 2
"""`search_org_totals.kind`: sums by start year and currency, activities by country, by role"""
COMPACT_SLACK = 4
"""an organisation's deltas are folded once it has more than this many rows per distinct key (and 8 more)"""


@dataclass(frozen=True)
class OrgDoc:
    """What one search document gives each organisation it involves."""

    doc: int
    orgs: set[tuple[str, str]]
    """(organisation id, role)"""
    countries: set[str]
    indexed: Mapping[str, Any]
    """its `search_docs` row: start date and budget"""


@dataclass
class OrgTotals:
    years: list[tuple[str | None, str | None, int, float, float, int]] = field(default_factory=list)
    """(start year, budget currency, activities, sum of budgets, of their EUR values, budgets with one)"""
    countries: list[tuple[str, int]] = field(default_factory=list)
    """(country code, activities), most first"""
    roles: dict[str, int] = field(default_factory=dict)
    latest: list[str] = field(default_factory=list)
    """activity ids, newest start first"""


def write_org_docs(conn: Connection, docs: Iterable[OrgDoc]) -> None:
    """The `search_org_docs` rows of freshly inserted search documents (the triggers add them up)."""
    rows = []
    for d in docs:
        roles: dict[str, set[str]] = defaultdict(set)
        for org, role in d.orgs:
            roles[org].add(role)
        row = d.indexed
        rows += [(d.doc, org, sorted(held), sorted(d.countries), row["start_date"], row["budget_currency"] or "",
                  row["budget_value"], row["budget_eur"]) for org, held in sorted(roles.items())]
    copy_rows(conn, "search_org_docs", ["doc", "org", "roles", "countries", "start_date", "currency", "value", "eur"],
              rows)


def compact(conn: Connection, slack: int = COMPACT_SLACK, spare: int = 8) -> None:
    """Fold the deltas of organisations with many (more than `slack` rows a key, and `spare`) into one row
    per key, zeros dropped, in one statement: what it deletes is what it sums, so concurrent writers' new
    deltas are kept as they are."""
    conn.exec_driver_sql(f"""WITH busy AS (
            SELECT org FROM search_org_totals GROUP BY org
            HAVING count(*) > {int(slack)} * count(DISTINCT (kind, key, currency)) + {int(spare)}),
        gone AS (DELETE FROM search_org_totals t USING busy WHERE t.org = busy.org RETURNING t.*)
        INSERT INTO search_org_totals (org, kind, key, currency, activities, value, eur, converted)
        SELECT org, kind, key, currency, sum(activities), sum(value), sum(eur), sum(converted) FROM gone
        GROUP BY org, kind, key, currency HAVING sum(activities) <> 0""")


def org_totals(conn: Connection, org_id: str, limit: int) -> OrgTotals:
    """An organisation's sums by start year and currency, activities by country and by role, and its latest
    `limit` activities."""
    out = OrgTotals()
    rows = conn.execute(text(
        "SELECT kind, key, currency, sum(activities), sum(value), sum(eur), sum(converted) FROM search_org_totals "
        "WHERE org = :org GROUP BY kind, key, currency HAVING sum(activities) <> 0"), {"org": org_id}).all()
    for kind, key, currency, n, value, eur, converted in rows:
        if kind == YEARS:
            out.years.append((key or None, currency or None, int(n), float(value), float(eur), int(converted)))
        elif kind == COUNTRIES:
            out.countries.append((key, int(n)))
        else:
            out.roles[key] = int(n)
    out.countries.sort(key=lambda c: (-c[1], c[0]))
    out.latest = list(conn.execute(text(
        "SELECT d.activity_id FROM search_org_docs o JOIN search_docs d ON d.doc = o.doc WHERE o.org = :org "
        "ORDER BY o.start_date DESC, o.doc DESC LIMIT :n"), {"org": org_id, "n": limit}).scalars())
    return out
