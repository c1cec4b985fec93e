"""The PostgreSQL-only columns of the search index, written when an activity is indexed (migration 0010).

What the SQLite snapshot keeps in numpy arrays (`search_snapshot.py`, `search_ranges.py`, `flow_totals.py`)
lives in two tables on PostgreSQL, so `search_pg.py` filters, counts and sums in SQL and the web process
holds nothing per activity: `search_facets` (a document's facet terms as an `int[]`, its first and last day)
and `search_flows` (its commitments and disbursements, converted to EUR by the one rule). Both follow their
document: re-indexing deletes the document, and the delete cascades.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, select

from aidatlas.db import tables as t
from aidatlas.db.mapping import WrittenRows
from aidatlas.db.search_ranges import NO_DAY, day_number
from aidatlas.db.tables import batched, table_of
from aidatlas.db.values import among, copy_rows
from aidatlas.normalize.eur import MEASURE_OF_TYPE, flow_eur
from aidatlas.reference.rates import year_of

FACET_COLUMNS = ["doc", "terms", "first_day", "last_day", "start_date", "title_key", "budget_value",
                 "budget_currency", "budget_eur", "flow_measures", "flow_currencies", "flow_counts", "flow_values",
                 "flow_eurs", "flow_converted"]
"""`search_facets`: the terms and days filters read; the sort keys, budget and summed transactions (per measure
and currency, as parallel arrays) a search page reads without visiting `search_docs` or `search_flows`"""
MEASURE_NAMES = ("committed", "disbursed")
"""measure number (the `measure` column) → its name, in the order of `flow_totals.MEASURES`"""
_ACTS = table_of(t.ActivityRow)
_FLOWS = table_of(t.TransactionRow)


def write_columns(conn: Connection, doc_ids: Mapping[str, int], terms: Mapping[str, Sequence[int]],
                  docs: Mapping[str, Mapping[str, Any]], given: WrittenRows | None = None) -> None:
    """Rows of `search_facets` and `search_flows` for freshly inserted documents (`doc_ids`: activity → doc;
    `terms`: activity → its term ids; `docs`: activity → its `search_docs` row, whose start date, sort key and
    budget `search_facets` repeats); activities in `given` (this transaction's write) are read from its rows."""
    if not doc_ids:
        return
    written, others = given.split(doc_ids) if given is not None else ([], list(doc_ids))
    ends: dict[str, str | None] = {}
    flows: list[tuple[int, int, str | None, float, float | None, int]] = []
    codes = {code: MEASURE_NAMES.index(name) for code, name in MEASURE_OF_TYPE.items()}

    def flow(r: Mapping[str, Any], start: str | None, announced: str | None) -> None:
        if r["flow"] == "transaction" and r["type"] in codes:
            eur = flow_eur(r["value"], r["currency"], r["value_date"], r["date"], start, announced).eur
            flows.append((doc_ids[r["activity_id"]], codes[r["type"]], r["currency"], r["value"], eur,
                          year_of(r["value_date"], r["date"], start, announced) or 0))

    if given is not None:
        for a in given.of("activities", written):
            ends[a["id"]] = a["end_date"]
            for r in given.of("transactions", [a["id"]]):
                flow(r, a["start_date"], a["announced_date"])
    for chunk in batched(others, 1000):
        ends.update(conn.execute(select(_ACTS.c.id, _ACTS.c.end_date).where(among(conn, _ACTS.c.id, chunk))).all())
        for row in conn.execute(
                select(_FLOWS.c.activity_id, _FLOWS.c.flow, _FLOWS.c.type, _FLOWS.c.value, _FLOWS.c.currency,
                       _FLOWS.c.value_date, _FLOWS.c.date, _ACTS.c.start_date, _ACTS.c.announced_date)
                .join(_ACTS, _ACTS.c.id == _FLOWS.c.activity_id)
                .where(among(conn, _FLOWS.c.activity_id, chunk), _FLOWS.c.flow == "transaction",
                       among(conn, _FLOWS.c.type, list(codes)))).mappings():
            flow(cast(Mapping[str, Any], row), row["start_date"], row["announced_date"])
    summed: dict[int, dict[tuple[int, str], list[Any]]] = defaultdict(dict)
    for doc, measure, currency, value, eur, _year in flows:
        item = summed[doc].setdefault((measure, currency or ""), [0, 0.0, 0.0, 0])
        item[0] += 1
        item[1] += value or 0.0
        if eur is not None:
            item[2] += eur
            item[3] += 1
    facets = []
    for aid, doc in doc_ids.items():
        indexed = docs[aid]
        start = indexed["start_date"]
        first = day_number(start, end=False)
        last = max(day_number(ends.get(aid) or start, end=True), first) if first != NO_DAY else NO_DAY
        sums = sorted(summed.get(doc, {}).items())
        facets.append((doc, sorted(set(terms.get(aid, ()))), first, last, start, indexed["title_key"],
                       indexed["budget_value"], indexed["budget_currency"], indexed["budget_eur"],
                       *([k[i] for k, _ in sums] for i in range(2)), *([v[i] for _, v in sums] for i in range(4))))
    copy_rows(conn, "search_facets", FACET_COLUMNS, facets)
    copy_rows(conn, "search_flows", ["doc", "measure", "currency", "value", "eur", "year"], flows)
