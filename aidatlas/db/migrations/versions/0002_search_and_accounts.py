"""search index (FTS5 / tsvector, facets) and web accounts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:00:00

Adds the search index of `aidatlas.db.search` and the web app's users, sessions and pending uploads.
Existing activities are queued in `search_pending`; `aidatlas.db.search.index_pending` indexes them (the web
app does so when it starts).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'search_docs',
        sa.Column('doc', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('activity_id', sa.String(length=80), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('title_key', sa.String(length=200), nullable=False),
        sa.Column('start_date', sa.String(length=10), nullable=True),
        sa.Column('budget_value', sa.Float(), nullable=True),
        sa.Column('budget_currency', sa.String(length=3), nullable=True),
        sa.Column('budget_eur', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_search_docs_activity_id_activities'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('doc', name=op.f('pk_search_docs')),
        sa.UniqueConstraint('activity_id', name=op.f('uq_search_docs_activity_id')),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_search_docs_title_key'), 'search_docs', ['title_key'])
    op.create_index(op.f('ix_search_docs_start_date'), 'search_docs', ['start_date'])
    op.create_index(op.f('ix_search_docs_budget_eur'), 'search_docs', ['budget_eur'])
    op.create_table(
        'search_terms',
        sa.Column('term', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('facet', sa.String(length=20), nullable=False),
        sa.Column('value', sa.String(length=300), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('term', name=op.f('pk_search_terms')),
        sa.UniqueConstraint('facet', 'value', name=op.f('uq_search_terms_facet')),
    )
    op.create_table(
        'search_postings',
        sa.Column('term', sa.Integer(), nullable=False),
        sa.Column('doc', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['term'], ['search_terms.term'], name=op.f('fk_search_postings_term_search_terms')),
        sa.ForeignKeyConstraint(['doc'], ['search_docs.doc'], name=op.f('fk_search_postings_doc_search_docs'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('term', 'doc', name=op.f('pk_search_postings')),
        sqlite_with_rowid=False,
    )
    op.create_index('ix_search_postings_doc_term', 'search_postings', ['doc', 'term'])
    op.create_table(
        'search_pending',
        sa.Column('activity_id', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_search_pending_activity_id_activities'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_search_pending')),
    )
    op.create_table(
        'search_meta',
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_search_meta')),
    )
    op.create_table(
        'users',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('username', sa.String(length=80), nullable=False),
        sa.Column('password_hash', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
        sa.UniqueConstraint('username', name=op.f('uq_users_username')),
    )
    op.create_table(
        'sessions',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sessions_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_sessions')),
    )
    op.create_index(op.f('ix_sessions_user_id'), 'sessions', ['user_id'])
    op.create_table(
        'uploads',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=500), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_uploads_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_uploads')),
    )
    op.create_index(op.f('ix_uploads_user_id'), 'uploads', ['user_id'])
    op.execute("INSERT INTO search_meta (key, value) VALUES ('generation', 0)")
    if op.get_bind().dialect.name == 'postgresql':
        _postgresql()
    else:
        _sqlite()
    op.execute("INSERT INTO search_pending (activity_id) SELECT id FROM activities")


def _sqlite() -> None:
    op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title_key, text, content='search_docs', "
               "content_rowid='doc', tokenize='unicode61 remove_diacritics 2')")
    op.execute("""CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
        INSERT INTO search_fts (rowid, title_key, text) VALUES (new.doc, new.title_key, new.text); END""")
    op.execute("""CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_key, text) VALUES ('delete', old.doc, old.title_key, old.text);
        UPDATE search_meta SET value = value + 1 WHERE key = 'generation'; END""")
    op.execute("""CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
        INSERT INTO search_fts (search_fts, rowid, title_key, text) VALUES ('delete', old.doc, old.title_key, old.text);
        INSERT INTO search_fts (rowid, title_key, text) VALUES (new.doc, new.title_key, new.text);
        UPDATE search_meta SET value = value + 1 WHERE key = 'generation'; END""")
    op.execute("""CREATE TRIGGER activities_search_queue AFTER INSERT ON activities BEGIN
        INSERT OR IGNORE INTO search_pending (activity_id) VALUES (new.id); END""")


def _postgresql() -> None:
    # full text in a narrow table of its own, so that a match reads few heap pages
    op.execute("CREATE TABLE search_text (doc integer PRIMARY KEY REFERENCES search_docs (doc) ON DELETE CASCADE, "
               "tsv tsvector NOT NULL, title_tsv tsvector NOT NULL)")
    op.execute("CREATE INDEX ix_search_text_tsv ON search_text USING gin (tsv)")
    op.execute("CREATE INDEX ix_search_text_title_tsv ON search_text USING gin (title_tsv)")
    op.execute("""CREATE FUNCTION aidatlas_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM search_text WHERE doc = NEW.doc;
          INSERT INTO search_text (doc, tsv, title_tsv) VALUES (NEW.doc,
            to_tsvector('simple', NEW.title_key || ' ' || NEW.text), to_tsvector('simple', NEW.title_key));
          RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER search_docs_text AFTER INSERT OR UPDATE OF title_key, text ON search_docs "
               "FOR EACH ROW EXECUTE FUNCTION aidatlas_search_text()")
    op.execute("""CREATE FUNCTION aidatlas_search_queue() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO search_pending (activity_id) VALUES (NEW.id) ON CONFLICT DO NOTHING; RETURN NULL; END $$""")
    op.execute("CREATE TRIGGER activities_search_queue AFTER INSERT ON activities "
               "FOR EACH ROW EXECUTE FUNCTION aidatlas_search_queue()")
    op.execute("""CREATE FUNCTION aidatlas_search_generation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE search_meta SET value = value + 1 WHERE key = 'generation'; RETURN NULL; END $$""")
    op.execute("CREATE TRIGGER search_docs_generation AFTER DELETE ON search_docs "
               "FOR EACH STATEMENT EXECUTE FUNCTION aidatlas_search_generation()")
    op.execute("CREATE TRIGGER search_docs_generation_update AFTER UPDATE ON search_docs "
               "FOR EACH STATEMENT EXECUTE FUNCTION aidatlas_search_generation()")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS activities_search_queue ON activities")
        op.execute("DROP FUNCTION IF EXISTS aidatlas_search_queue()")
        op.execute("DROP TRIGGER IF EXISTS search_docs_generation ON search_docs")
        op.execute("DROP FUNCTION IF EXISTS aidatlas_search_generation()")
        op.execute("DROP TABLE IF EXISTS search_text")
        op.execute("DROP TRIGGER IF EXISTS search_docs_text ON search_docs")
        op.execute("DROP FUNCTION IF EXISTS aidatlas_search_text()")
    else:
        op.execute("DROP TRIGGER IF EXISTS activities_search_queue")
        op.execute("DROP TABLE IF EXISTS search_fts")
    for table in ('uploads', 'sessions', 'users', 'search_meta', 'search_pending', 'search_postings',
                  'search_terms', 'search_docs'):
        op.drop_table(table)
