"""search matching: stemmed text in three tiers (title, other fields, source document)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 07:30:00

`search_docs` gains `title_text` (the folded, stemmed title) and `doc_text` (the folded, stemmed text of the
activity's source document); `text` now holds the other fields stemmed, with the other names of the
activity's places and countries. Full text covers the three: FTS5 columns `title_text`, `text`, `doc_text` on
SQLite; on PostgreSQL `search_text` gains `fields_tsv` (title and fields, for ranking) and `tsv` covers all
three. `title_key` stays the folded title, the sort key. Every activity is queued to be indexed again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = ("search_docs_ai", "search_docs_ad", "search_docs_au")


def upgrade() -> None:
    op.add_column('search_docs', sa.Column('title_text', sa.Text(), nullable=False, server_default=''))
    op.add_column('search_docs', sa.Column('doc_text', sa.Text(), nullable=False, server_default=''))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TABLE search_text ADD COLUMN fields_tsv tsvector NOT NULL DEFAULT ''::tsvector")
        _pg_trigger("NEW.title_text || ' ' || NEW.text || ' ' || NEW.doc_text", "NEW.title_text",
                    "NEW.title_text || ' ' || NEW.text", "title_text, text, doc_text")
    else:
        _drop_sqlite_fts()
    _reindex_everything()  # before the new FTS5 table: its delete triggers must only see rows it indexed
    if op.get_bind().dialect.name != 'postgresql':
        _sqlite_fts(("title_text", "text", "doc_text"))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        _pg_trigger("NEW.title_key || ' ' || NEW.text", "NEW.title_key", "NEW.title_key || ' ' || NEW.text",
                    "title_key, text")
        op.execute("ALTER TABLE search_text DROP COLUMN fields_tsv")
    else:
        _drop_sqlite_fts()
    op.execute("ALTER TABLE search_docs DROP COLUMN doc_text")
    op.execute("ALTER TABLE search_docs DROP COLUMN title_text")
    _reindex_everything()
    if op.get_bind().dialect.name != 'postgresql':
        _sqlite_fts(("title_key", "text"))


def _reindex_everything() -> None:
    op.execute("DELETE FROM search_postings")
    op.execute("DELETE FROM search_docs")
    op.execute("INSERT INTO search_pending (activity_id) SELECT id FROM activities "
               "WHERE id NOT IN (SELECT activity_id FROM search_pending)")
    op.execute("UPDATE search_meta SET value = value + 1 WHERE key = 'generation'")


def _drop_sqlite_fts() -> None:
    for trigger in _SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS search_fts")


def _sqlite_fts(columns: tuple[str, ...]) -> None:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    op.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5({names}, content='search_docs', "
               "content_rowid='doc', tokenize='unicode61 remove_diacritics 2')")
    op.execute(f"""CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
        INSERT INTO search_fts (rowid, {names}) VALUES (new.doc, {new}); END""")
    op.execute(f"""CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
        INSERT INTO search_fts (search_fts, rowid, {names}) VALUES ('delete', old.doc, {old});
        UPDATE search_meta SET value = value + 1 WHERE key = 'generation'; END""")
    op.execute(f"""CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
        INSERT INTO search_fts (search_fts, rowid, {names}) VALUES ('delete', old.doc, {old});
        INSERT INTO search_fts (rowid, {names}) VALUES (new.doc, {new});
        UPDATE search_meta SET value = value + 1 WHERE key = 'generation'; END""")


def _pg_trigger(everything: str, title: str, fields: str, columns: str) -> None:
    with_fields = ", fields_tsv" if "title_text" in columns else ""
    fields_value = f", to_tsvector('simple', {fields})" if with_fields else ""
    op.execute(f"""CREATE OR REPLACE FUNCTION aidatlas_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          DELETE FROM search_text WHERE doc = NEW.doc;
          INSERT INTO search_text (doc, tsv, title_tsv{with_fields}) VALUES (NEW.doc,
            to_tsvector('simple', {everything}), to_tsvector('simple', {title}){fields_value});
          RETURN NULL;
        END $$""")
    op.execute("DROP TRIGGER IF EXISTS search_docs_text ON search_docs")
    op.execute(f"CREATE TRIGGER search_docs_text AFTER INSERT OR UPDATE OF {columns} ON search_docs "
               "FOR EACH ROW EXECUTE FUNCTION aidatlas_search_text()")
