"""SQLAlchemy 2 tables. The only code that knows how an `Activity` maps to rows is `store.py`.

Ids are strings derived from content (see `records.stable_id`), so the same input always yields the same
rows. Child rows carry a `position` so that lists come back in the order the source gave them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar, cast

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


T = TypeVar("T")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def batched(items: Sequence[T], size: int = 500) -> Iterator[list[T]]:
    """`items` in slices of `size`: the IN lists and executemany batches stay under the databases' limits."""
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def table_of(model: type[Base]) -> Table:
    """A model's Core table, for the select/insert statements the bulk paths build (one cast, here)."""
    return cast(Table, model.__table__)


class DocumentRow(Base):
    """A source document: the original bytes, the text extraction read, and where each page starts."""

    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the content
    name: Mapped[str] = mapped_column(String(500), index=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    encoding: Mapped[str | None] = mapped_column(String(40))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    path: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    page_starts: Mapped[str] = mapped_column(Text, default="[0]")  # JSON list of offsets
    kind: Mapped[str] = mapped_column(String(20), default="document")  # document | iati


class ActivityRow(Base):
    __tablename__ = "activities"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    iati_identifier: Mapped[str | None] = mapped_column(String(200), unique=True)
    programme: Mapped[str | None] = mapped_column(Text)
    part_of: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str | None] = mapped_column(String(4))
    start_date: Mapped[str | None] = mapped_column(String(10), index=True)
    end_date: Mapped[str | None] = mapped_column(String(10))
    announced_date: Mapped[str | None] = mapped_column(String(10))
    languages: Mapped[str] = mapped_column(String(100), default="")  # space-separated tags
    source_document: Mapped[str] = mapped_column(String(500))  # basename or URL as the record says
    last_updated: Mapped[str | None] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))  # hash of the record's JSON: unchanged detection
    same_as: Mapped[str | None] = mapped_column(String(80), index=True)  # the primary record of its duplicates
    confidence: Mapped[float | None] = mapped_column(Float)  # extraction's confidence in the record (0–1)
    field_confidence: Mapped[str | None] = mapped_column(Text)  # JSON {field: confidence}
    needs_review: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)


class NarrativeRow(Base):
    """One language version of one text field: title, description, objectives[i], target_groups[i]…"""

    __tablename__ = "narratives"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(30), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    lang: Mapped[str] = mapped_column(String(12), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    plain: Mapped[bool] = mapped_column(default=False)  # the item was a plain string, not {lang: text}


class TargetCountRow(Base):
    __tablename__ = "target_counts"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int | None] = mapped_column(Integer)


class OrganisationRow(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    org_type: Mapped[str | None] = mapped_column(String(4))
    iati_ref: Mapped[str | None] = mapped_column(String(200), index=True)
    website: Mapped[str | None] = mapped_column(Text)
    merged_into: Mapped[str | None] = mapped_column(String(80), index=True)  # set by an accepted merge
    parent_id: Mapped[str | None] = mapped_column(String(80))  # an embassy's ministry, an office's agency


class OrganisationAliasRow(Base):
    __tablename__ = "organisation_aliases"
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    alias: Mapped[str] = mapped_column(String(500), primary_key=True)
    key: Mapped[str] = mapped_column(String(500), index=True)  # folded comparison key


class ParticipationRow(Base):
    __tablename__ = "participations"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)  # after merges
    source_org_id: Mapped[str | None] = mapped_column(String(80), index=True)  # as ingest resolved it
    role: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(Text)  # as the source wrote it
    country: Mapped[str | None] = mapped_column(String(2))
    org_ref: Mapped[str | None] = mapped_column(String(200))


class LocationRow(Base):
    __tablename__ = "locations"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    country: Mapped[str | None] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geonames_id: Mapped[int | None] = mapped_column(Integer)


class CountryRow(Base):
    __tablename__ = "activity_countries"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class MoneyRow(Base):
    """A budget (`kind='budget'`, position 0) or one of its equivalents in other currencies."""

    __tablename__ = "money"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)  # budget | equivalent
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3), index=True)
    value_date: Mapped[str | None] = mapped_column(String(10))


class TransactionRow(Base):
    """A transaction (`flow='transaction'`, `type` a TransactionType code) or a planned disbursement
    (`flow='planned'`, `type` a BudgetType code, `date`…`end_date` its period) of an IATI activity."""

    __tablename__ = "transactions"
    # codes and references are Text: a publisher's odd value must not fail a PostgreSQL import on its length
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    flow: Mapped[str] = mapped_column(String(12), primary_key=True)  # transaction | planned
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str | None] = mapped_column(Text, index=True)
    date: Mapped[str | None] = mapped_column(String(10))
    end_date: Mapped[str | None] = mapped_column(String(10))
    value: Mapped[float] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    value_date: Mapped[str | None] = mapped_column(String(10))
    provider_name: Mapped[str | None] = mapped_column(Text)
    provider_ref: Mapped[str | None] = mapped_column(Text)
    receiver_name: Mapped[str | None] = mapped_column(Text)
    receiver_ref: Mapped[str | None] = mapped_column(Text)
    ref: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)  # JSON {lang: text}
    sector_code: Mapped[str | None] = mapped_column(Text)
    sector_vocabulary: Mapped[str | None] = mapped_column(Text)
    recipient_country: Mapped[str | None] = mapped_column(String(2))


class IatiSourceRow(Base):
    """An imported activity's own `iati-activity` element, as XML (see `records.IatiSource`)."""

    __tablename__ = "iati_sources"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    xml: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))  # the record's content digest when it was read


class ActivityRecordRow(Base):
    """What readers see of an activity (editors' corrections laid over), as its record JSON: one row read
    makes a page (`db.activity_records`)."""

    __tablename__ = "activity_records"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    json: Mapped[str] = mapped_column(Text)


class FundingShareRow(Base):
    __tablename__ = "funding_shares"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(Text)
    share: Mapped[float] = mapped_column(Float)


class SectorRow(Base):
    __tablename__ = "sectors"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), index=True)
    vocabulary: Mapped[str] = mapped_column(String(10))
    percentage: Mapped[float | None] = mapped_column(Float)


class ProvenanceRow(Base):
    """Where one extracted value came from: a character span of the document's text, and its page."""

    __tablename__ = "provenance"
    activity_id: Mapped[str] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)


class MergeCandidateRow(Base):
    """A pair that may be one organisation (or one activity), with its score and evidence; `a` < `b`."""

    __tablename__ = "merge_candidates"
    subject: Mapped[str] = mapped_column(String(12), primary_key=True)  # organisation | activity
    a: Mapped[str] = mapped_column(String(80), primary_key=True)
    b: Mapped[str] = mapped_column(String(80), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # open | merged | rejected
    created_at: Mapped[int] = mapped_column(Integer)


class MergeDecisionRow(Base):
    """Append-only: every merge, rejection, split and undo, with who, when and why (`details`: what moved)."""

    __tablename__ = "merge_decisions"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(12))  # merge | reject | split | undo
    a: Mapped[str] = mapped_column(String(80))
    b: Mapped[str | None] = mapped_column(String(80))
    score: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[int] = mapped_column(Integer)
    details: Mapped[str] = mapped_column(Text)  # JSON
    undone_by: Mapped[int | None] = mapped_column(Integer)


class BlockingKeyRow(Base):
    """The blocking index: a new name or activity is compared only with items that share one of its keys."""

    __tablename__ = "blocking_keys"
    __table_args__ = ({"sqlite_with_rowid": False},)
    subject: Mapped[str] = mapped_column(String(12), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    item: Mapped[str] = mapped_column(String(80), primary_key=True)


class ResolutionPendingRow(Base):
    """Items a bulk load wrote and left for one set-based resolution pass afterwards (`Stage.settle`)."""

    __tablename__ = "resolution_pending"
    __table_args__ = ({"sqlite_with_rowid": False},)
    subject: Mapped[str] = mapped_column(String(12), primary_key=True)
    item: Mapped[str] = mapped_column(String(80), primary_key=True)


Index("ix_merge_candidates_status", MergeCandidateRow.subject, MergeCandidateRow.status, MergeCandidateRow.score)
Index("ix_merge_candidates_b", MergeCandidateRow.subject, MergeCandidateRow.b)
Index("ix_merge_decisions_a", MergeDecisionRow.subject, MergeDecisionRow.a)
Index("ix_merge_decisions_b", MergeDecisionRow.subject, MergeDecisionRow.b)
Index("ix_blocking_keys_item", BlockingKeyRow.subject, BlockingKeyRow.item)
Index("ix_participations_org_role", ParticipationRow.organisation_id, ParticipationRow.role)

CHILD_TABLES = (
    NarrativeRow, TargetCountRow, ParticipationRow, LocationRow, CountryRow, MoneyRow, FundingShareRow,
    SectorRow, ProvenanceRow, TransactionRow, IatiSourceRow,
)
