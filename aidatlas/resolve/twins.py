"""A safety net under organisation matching: two organisations written the same way (the same folded name)
whose IATI references do not contradict each other are always at least proposed for review.

The matcher may pass such a pair by (a blocking key too common to read, two table entries kept apart, a
candidate list already full); an editor then saw two "European Union" facet values side by side and no
proposal. Runs after `OrgResolver.check` in the same stage, on the organisations of the write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations

from sqlalchemy import Connection, select

from aidatlas.db.tables import batched
from aidatlas.resolve import decisions as dec

SCORE = 0.9


def compatible_refs(a: str | None, b: str | None) -> bool:
    """Refs are compatible when one is missing or both are the same identifier."""
    return not a or not b or a.strip().upper() == b.strip().upper()


def propose_twins(conn: Connection, org_ids: Sequence[str]) -> int:
    """Propose every undecided pair of organisations sharing a folded name with `org_ids`; returns how many."""
    keys: set[str] = set()
    for chunk in batched(list(org_ids), 500):
        keys.update(conn.execute(select(dec.ALIASES.c.key).where(dec.ALIASES.c.organisation_id.in_(chunk)))
                    .scalars())
    named: dict[str, set[str]] = defaultdict(set)
    for chunk in batched(sorted(keys), 500):
        for key, org in conn.execute(select(dec.ALIASES.c.key, dec.ALIASES.c.organisation_id)
                                     .where(dec.ALIASES.c.key.in_(chunk))):
            named[key].add(org)
    ids = sorted({o for group in named.values() for o in group})
    rows = {}
    for chunk in batched(ids, 500):
        rows.update({r.id: r for r in conn.execute(select(dec.ORGS.c.id, dec.ORGS.c.merged_into, dec.ORGS.c.iati_ref)
                                                   .where(dec.ORGS.c.id.in_(chunk)))})
    proposed = 0
    for key, group in sorted(named.items()):
        canon = sorted({rows[o].merged_into or o for o in group if o in rows})
        for a, b in combinations(canon, 2):
            ra, rb = (rows[a].iati_ref if a in rows else None), (rows[b].iati_ref if b in rows else None)
            if not compatible_refs(ra, rb):
                continue
            first, second = dec.ordered(a, b)
            known = conn.execute(select(dec.CANDIDATES.c.status).where(
                dec.CANDIDATES.c.subject == dec.ORG, dec.CANDIDATES.c.a == first, dec.CANDIDATES.c.b == second)).first()
            if known is None:
                dec.set_candidate(conn, dec.ORG, a, b, "open", score=SCORE,
                                  evidence=f"same name written the same way ({key}), compatible IATI refs")
                proposed += 1
    return proposed
