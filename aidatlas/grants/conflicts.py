"""Conflicts of interest detected, not only declared: a reviewer who applies to the same call, belongs to the
organisation of an applicant of the call, or belongs to an organisation the registry knows as the same one as
a party of an application (applicant, implementer, partner: the relationships the application declares)
cannot review that call's applications. A reviewer may still declare a conflict the data cannot see."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, or_, select

from aidatlas.db.store import name_key, organisation_id
from aidatlas.db.tables import OrganisationAliasRow, table_of
from aidatlas.grants.alumni import ORGS
from aidatlas.grants.applications import APPS
from aidatlas.grants.memberships import MEMBERSHIPS
from aidatlas.records import Participant

ALIASES = table_of(OrganisationAliasRow)


@dataclass(frozen=True)
class Party:
    """One application of a call as the conflict check sees it."""

    application_id: int
    owner_user_id: int
    organisation_id: int | None
    names: tuple[str, ...]
    """the applicant, implementing organisation and partners as the application names them"""


def call_parties(conn: Connection, call_id: int) -> list[Party]:
    """Every application of the call (drafts too: their owners compete), with the organisations it names."""
    rows = conn.execute(select(APPS.c.id, APPS.c.owner_user_id, APPS.c.data, APPS.c.applicant_name)
                        .where(APPS.c.call_id == call_id).order_by(APPS.c.id))
    out = []
    for row in rows:
        who = json.loads(row.data).get("applicant", {})
        names = [row.applicant_name, who.get("name"), who.get("implementing_organisation")]
        names += [p.get("name") for p in who.get("partners", []) if isinstance(p, dict)]
        oid = who.get("organisation_id")
        out.append(Party(row.id, row.owner_user_id, oid if isinstance(oid, int) else None,
                         tuple(dict.fromkeys(n for n in names if n))))
    return out


def registry_ids(conn: Connection, names: Iterable[str]) -> dict[str, set[str]]:
    """Each name's identities in the registry: the id its name resolves to, and every organisation that has it
    as an alias (merged organisations share aliases)."""
    wanted = {n: name_key(n) for n in names if n.strip()}
    found: dict[str, set[str]] = {n: {organisation_id(Participant(name=n, role="applicant"))} for n in wanted}
    keys = set(wanted.values())
    if keys:
        by_key: dict[str, set[str]] = {}
        for row in conn.execute(select(ALIASES.c.key, ALIASES.c.organisation_id).where(ALIASES.c.key.in_(keys))):
            by_key.setdefault(row.key, set()).add(row.organisation_id)
        for name, key in wanted.items():
            found[name] |= by_key.get(key, set())
    return found


@dataclass(frozen=True)
class Reviewer:
    user_id: int
    organisations: dict[int, str]
    """id -> name of the organisations the reviewer belongs to (confirmed) or registered"""


def reviewer_of(conn: Connection, user_id: int) -> Reviewer:
    member = select(MEMBERSHIPS.c.organisation_id).where(MEMBERSHIPS.c.user_id == user_id,
                                                          MEMBERSHIPS.c.status == "confirmed")
    rows = conn.execute(select(ORGS.c.id, ORGS.c.name).where(or_(ORGS.c.id.in_(member),
                                                                 ORGS.c.owner_user_id == user_id)))
    return Reviewer(user_id, {int(r.id): r.name for r in rows})


def reasons(conn: Connection, reviewer: Reviewer, parties: list[Party],
            named: dict[str, set[str]] | None = None) -> list[str]:
    """Why `reviewer` may not review the applications of the call of `parties` (empty: none the data shows).
    `named`: `registry_ids` of every name the parties give, when the caller checks several reviewers."""
    out = []
    for party in parties:
        if party.owner_user_id == reviewer.user_id:
            out.append(f"the reviewer applies to the same call (application {party.application_id})")
        elif party.organisation_id in reviewer.organisations:
            out.append(f"the reviewer belongs to {reviewer.organisations[party.organisation_id]}, which applies "
                       f"to the same call (application {party.application_id})")
    if not reviewer.organisations:
        return out
    own = registry_ids(conn, reviewer.organisations.values())
    if named is None:
        named = registry_ids(conn, [n for p in parties for n in p.names])
    for party in parties:
        for name in party.names:
            for org, ids in own.items():
                if ids & named.get(name, set()):
                    out.append(f"the reviewer belongs to {org}, the same organisation in the registry as {name} "
                               f"named in application {party.application_id} of this call")
    return list(dict.fromkeys(out))


def conflicts_of(conn: Connection, reviewer_id: int, call_id: int) -> list[str]:
    return reasons(conn, reviewer_of(conn, reviewer_id), call_parties(conn, call_id))
