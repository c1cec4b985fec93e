"""search in PostgreSQL: facets, ranges and money as columns beside the search documents

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-05 07:30:00

On PostgreSQL the search runs in the database (`db/search_pg.py`), so two narrow tables sit beside
`search_docs`, filled when an activity is indexed (`db/search_pg_columns.py`) and dropped with its document:
`search_facets` (the document's facet terms as an `int[]` with a GIN index, for `&&` filters and facet counts;
its first and last day for date ranges) and `search_flows` (its commitments and disbursements with their EUR
values). Existing documents are queued to be indexed again, which fills them.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE search_facets (doc integer PRIMARY KEY REFERENCES search_docs (doc) ON DELETE CASCADE, "
               "terms integer[] NOT NULL, first_day integer NOT NULL, last_day integer NOT NULL)")
    op.execute("CREATE INDEX ix_search_facets_terms ON search_facets USING gin (terms)")
    op.execute("CREATE TABLE search_flows (doc integer NOT NULL REFERENCES search_docs (doc) ON DELETE CASCADE, "
               "measure smallint NOT NULL, currency varchar(3), value double precision NOT NULL, "
               "eur double precision, year integer NOT NULL)")
    op.execute("CREATE INDEX ix_search_flows_doc ON search_flows (doc)")
    op.execute("INSERT INTO search_pending (activity_id) SELECT activity_id FROM search_docs ON CONFLICT DO NOTHING")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS search_flows")
        op.execute("DROP TABLE IF EXISTS search_facets")
