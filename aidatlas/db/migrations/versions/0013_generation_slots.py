"""The index generation in slots on PostgreSQL: concurrent writers no longer wait on one counter row

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 23:55:00

Every write to the index bumped the single `search_meta` row `generation` (a statement trigger on
`search_docs` and the indexer itself), so the row stayed locked until the writing transaction ended and a
second import worker waited at its first `DELETE FROM search_docs` for the whole rest of the other's batch:
parallel imports ran one after the other. Now each backend bumps its own slot row `generation:<pid mod 64>`
(`aidatlas_bump_generation()`), and the generation is the sum of the rows — it still grows with every
committed change, which is all its readers (caches keyed on it) need. SQLite has one writer and keeps one row.
"""

from __future__ import annotations

from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

_ONE_ROW = "UPDATE search_meta SET value = value + 1 WHERE key = 'generation'"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""CREATE FUNCTION aidatlas_bump_generation() RETURNS void LANGUAGE sql AS $$
        INSERT INTO search_meta (key, value) VALUES ('generation:' || (pg_backend_pid() % 64), 1)
        ON CONFLICT (key) DO UPDATE SET value = search_meta.value + 1 $$""")
    op.execute("""CREATE OR REPLACE FUNCTION aidatlas_search_generation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM aidatlas_bump_generation(); RETURN NULL; END $$""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""CREATE OR REPLACE FUNCTION aidatlas_search_generation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_ONE_ROW}; RETURN NULL; END $$""")
    op.execute("DROP FUNCTION aidatlas_bump_generation()")
    op.execute("UPDATE search_meta SET value = (SELECT sum(value) FROM search_meta WHERE key LIKE 'generation%') "
               "WHERE key = 'generation'")
    op.execute("DELETE FROM search_meta WHERE key LIKE 'generation:%'")
