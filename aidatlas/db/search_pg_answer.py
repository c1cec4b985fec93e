"""A search page's whole answer on PostgreSQL from one statement: size, facet counts, totals and the page.

The search page and its JSON twin ask four things of one result — facet counts, budget totals, flow totals, a
page of ids — and `search_pg.py`'s readers each find the result again. At 1.1 million activities finding a
common word's 55,000 matches is most of a query's cost (its tsvectors' heap pages), so four finds cost four
times one. Here the result is found once: the documents that miss at most one facet filter (`s`, which the
facet counts need: `search_pg_facets.counting_ctes`), the result among them with its sort keys, budget and
summed transactions (`m`, all read from `search_facets`: migration 0017), and every answer read from those,
returned as one row of JSON; only the page's ids come from `search_docs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from aidatlas.db.search_pg import PgSearch, Result, SearchQuery, budget_sums, flow_sums
from aidatlas.db.search_pg_columns import FACET_COLUMNS
from aidatlas.db.search_pg_facets import Counts, count_columns, counting_ctes, read_counts


@dataclass
class Answer:
    size: int
    ids: list[str]
    counts: Counts = field(default_factory=dict)
    """(facet, value) → (label, activities in the result)"""
    widened: dict[str, tuple[Counts, int]] = field(default_factory=dict)
    """per filtering facet: the counts and size of the result without that facet's filter"""
    budgets: list[dict[str, Any]] = field(default_factory=list)
    """`PgSearch.sums(…, None)`: the result's budgets (empty when not asked for)"""
    flows: dict[str, dict[str, Any]] = field(default_factory=dict)
    """`PgSearch.flow_totals`: its commitments and disbursements (empty when not asked for)"""


def answer(pg: PgSearch, conn: Connection, query: SearchQuery, result: Result, *, facets: bool,
           totals: bool) -> Answer:
    """The result's size and page, with its facet counts and totals when asked for, from one statement."""
    tiers = ""
    if result.with_title:
        tiers = (", x.title_tsv @@ to_tsquery('simple', :tsq) AS in_title, "
                 "x.fields_tsv @@ to_tsquery('simple', :tsq) AS in_fields")
    offset = (query.page - 1) * query.per_page
    order = pg.order_by(query, result)
    parts = {
        "size": "SELECT count(*) FROM m",
        "page": f"SELECT json_agg(d.activity_id ORDER BY {order}) FROM (SELECT * FROM m r ORDER BY {order} "
                f"LIMIT {int(query.per_page)} OFFSET {int(offset)}) r JOIN search_docs d ON d.doc = r.doc",
    }
    if facets:
        parts["counts"] = (f"SELECT json_agg(json_build_array({count_columns(result)})) "
                           "FROM c LEFT JOIN search_terms t ON t.term = c.term")
    if totals:
        parts["budgets"] = ("SELECT json_agg(json_build_array('all', 'all', b.budget_currency, b.n, b.original, b.eur, "
                            "b.converted)) FROM (SELECT budget_currency, count(*) AS n, sum(budget_value) AS original, "
                            "sum(budget_eur) AS eur, count(budget_eur) AS converted FROM m "
                            "GROUP BY budget_currency) b")
        parts["flows"] = ("SELECT json_agg(json_build_array(w.measure, w.currency, w.n, w.original, w.eur, "
                          "w.converted)) FROM (SELECT u.measure, u.currency, sum(u.n) AS n, sum(u.v) AS original, "
                          "sum(u.e) AS eur, sum(u.c) AS converted FROM (SELECT unnest(flow_measures) AS measure, "
                          "unnest(flow_currencies) AS currency, unnest(flow_counts) AS n, unnest(flow_values) AS v, "
                          "unnest(flow_eurs) AS e, unnest(flow_converted) AS c FROM m) u "
                          "GROUP BY u.measure, u.currency) w")
    page_columns = FACET_COLUMNS[4:]  # sort keys, budget, summed transactions: not read from search_docs,
    # search_flows; carried along when the documents counted are the result, else read for the result only
    if result.facet_conditions:
        ranked = ", s.in_title, s.in_fields" if tiers else ""
        carry: tuple[str, ...] = ()
        result_cte = (f"m AS (SELECT f.doc, {', '.join(f'f.{c}' for c in page_columns)}{ranked} FROM s "
                      "JOIN search_facets f ON f.doc = s.doc WHERE s.a)")
    else:
        carry, result_cte = tuple(page_columns), "m AS (SELECT * FROM s WHERE s.a)"
    sql = (f"WITH {counting_ctes(result, tiers, carry)}, {result_cte} "
           f"SELECT {', '.join(f'({part}) AS {name}' for name, part in parts.items())}")
    row = conn.execute(text(sql), {**result.params, "chosen_terms": result.chosen_terms}).mappings().one()
    out = Answer(int(row["size"]), list(row["page"] or []))
    if facets:
        out.counts, _size, out.widened = read_counts(row["counts"] or [], result)
    if totals:
        out.budgets = budget_sums(row["budgets"] or [])
        out.flows = flow_sums(row["flows"] or [])
    result.size = out.size
    return out
