"""search in PostgreSQL: facets, ranges and money as columns beside the search documents

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 07:30:00

On PostgreSQL the search runs in the database (`db/search_pg.py`), so two narrow tables sit beside
`search_docs`, filled when an activity is indexed (`db/search_pg_columns.py`) and dropped with its document:
`search_facets` (the document's facet terms as an `int[]` with a GIN index, for `&&` filters and facet counts;
its first and last day for date ranges) and `search_flows` (its commitments and disbursements with their EUR
values). Two expression indexes on `search_docs` serve the newest-first and title orders of a page of
everything. Existing documents are queued to be indexed again, which fills them.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


ORDER_INDEXES = {
    "ix_search_docs_newest": "((start_date IS NULL OR start_date = '')), (start_date COLLATE \"C\") DESC, doc DESC",
    "ix_search_docs_title_c": "(title_key COLLATE \"C\"), doc",
}
"""the first page of the whole registry newest first, or by title, read from an index (`search_pg._ORDERS`)"""


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
    for name, order in ORDER_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON search_docs ({order})")
    op.execute("INSERT INTO search_pending (activity_id) SELECT activity_id FROM search_docs ON CONFLICT DO NOTHING")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ORDER_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_flows")
        op.execute("DROP TABLE IF EXISTS search_facets")
