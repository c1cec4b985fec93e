"""The search index's tables (built by `search_index.py`, read by `search.py` and `search_snapshot.py`).

The index is derived data: `search_docs` holds one row per activity (folded, stemmed text for full-text
search in three tiers — title, other fields, source document —, sort keys, the budget and its EUR value),
`search_terms` the facet values and `search_postings` which activity has which facet value. A trigger on
`activities` queues every new activity in `search_pending`; `aidatlas.db.search.index_pending` indexes the
queue. Deleting an activity cascades to its index rows. Full text: an FTS5 table on SQLite, and on PostgreSQL
a narrow `search_text` table of tsvectors with GIN indexes, filled by a trigger on `search_docs`; both are
created by the migration in SQL (they are not SQLAlchemy models).
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aidatlas.db.tables import Base


class SearchDocRow(Base):
    __tablename__ = "search_docs"
    doc: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(Text)  # folded and stemmed: every field but the title, place variants
    title_key: Mapped[str] = mapped_column(String(200), index=True)  # folded title, the sort key
    title_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # folded and stemmed title
    doc_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # the source document's, stemmed
    start_date: Mapped[str | None] = mapped_column(String(10), index=True)
    budget_value: Mapped[float | None] = mapped_column(Float)
    budget_currency: Mapped[str | None] = mapped_column(String(3))
    budget_eur: Mapped[float | None] = mapped_column(Float, index=True)


class SearchTermRow(Base):
    __tablename__ = "search_terms"
    __table_args__ = (UniqueConstraint("facet", "value"),)
    term: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    facet: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(300))
    label: Mapped[str] = mapped_column(Text)


class SearchPostingRow(Base):
    __tablename__ = "search_postings"
    __table_args__ = ({"sqlite_with_rowid": False},)
    term: Mapped[int] = mapped_column(ForeignKey("search_terms.term"), primary_key=True)
    doc: Mapped[int] = mapped_column(ForeignKey("search_docs.doc", ondelete="CASCADE"), primary_key=True)


Index("ix_search_postings_doc_term", SearchPostingRow.doc, SearchPostingRow.term)


class SearchPendingRow(Base):
    __tablename__ = "search_pending"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)


class SearchMetaRow(Base):
    """`generation` grows whenever the index changes, so caches of whole-registry figures know when to go."""

    __tablename__ = "search_meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
