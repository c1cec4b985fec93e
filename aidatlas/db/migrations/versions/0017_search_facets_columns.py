"""search_facets carries what a search page sums and sorts (PostgreSQL)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 05:10:00

A search page's answer (`db/search_pg_answer.py`) read each matching document's sort keys and budget from
`search_docs` and its transactions from `search_flows`: at 1.1M activities, for a word matching 55,000 of them,
55,000 look-ups into a 1.5 GB table (300 ms) and a join over 2.7M flow rows (560 ms). `search_facets`, the
narrow table the result is read from anyway, now holds them too: the start date, folded title, budget (value,
currency, EUR) and the document's transactions summed per measure and currency, as parallel arrays. Filled here
from the index as it is.
"""

from __future__ import annotations

from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

COLUMNS = ("start_date varchar(10)", "title_key varchar(200) NOT NULL DEFAULT ''", "budget_value double precision",
           "budget_currency varchar(3)", "budget_eur double precision",
           "flow_measures smallint[] NOT NULL DEFAULT '{}'", "flow_currencies text[] NOT NULL DEFAULT '{}'",
           "flow_counts integer[] NOT NULL DEFAULT '{}'", "flow_values double precision[] NOT NULL DEFAULT '{}'",
           "flow_eurs double precision[] NOT NULL DEFAULT '{}'", "flow_converted integer[] NOT NULL DEFAULT '{}'")


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("ALTER TABLE search_facets " + ", ".join(f"ADD COLUMN {c}" for c in COLUMNS))
    op.execute("""UPDATE search_facets f SET start_date = d.start_date, title_key = d.title_key,
        budget_value = d.budget_value, budget_currency = d.budget_currency, budget_eur = d.budget_eur
        FROM search_docs d WHERE d.doc = f.doc""")
    op.execute("""UPDATE search_facets f SET flow_measures = w.measures, flow_currencies = w.currencies,
        flow_counts = w.counts, flow_values = w.vals, flow_eurs = w.eurs, flow_converted = w.converted
        FROM (SELECT doc, array_agg(measure ORDER BY measure, currency) AS measures,
                     array_agg(coalesce(currency, '') ORDER BY measure, currency) AS currencies,
                     array_agg(n ORDER BY measure, currency) AS counts,
                     array_agg(total ORDER BY measure, currency) AS vals,
                     array_agg(eur ORDER BY measure, currency) AS eurs,
                     array_agg(converted ORDER BY measure, currency) AS converted
              FROM (SELECT doc, measure, currency, count(*)::int AS n, coalesce(sum(value), 0) AS total,
                           coalesce(sum(eur), 0) AS eur, count(eur)::int AS converted
                    FROM search_flows GROUP BY doc, measure, currency) g GROUP BY doc) w
        WHERE w.doc = f.doc""")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("ALTER TABLE search_facets " + ", ".join(f"DROP COLUMN {c.split()[0]}" for c in COLUMNS))
