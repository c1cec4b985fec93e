"""search_postings emptied on PostgreSQL: a document's facet terms are `search_facets.terms` there

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 14:20:00

Since 0010 PostgreSQL filters and counts facets from the `search_facets.terms` array (GIN-indexed), and the
postings were written only to be read by nobody (a few rows per activity, each with two indexes). The indexer no longer
writes them there; this empties what earlier versions wrote. SQLite keeps its postings (its snapshot reads them).
"""

from __future__ import annotations

from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("TRUNCATE search_postings")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("INSERT INTO search_postings (term, doc) SELECT u.term, f.doc FROM search_facets f, "
                   "unnest(f.terms) AS u(term)")
