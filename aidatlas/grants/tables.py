"""Tables of the small-grants module (migrations 0004 and 0008). Structured form data is kept as JSON text: the
library validates it per step, and the columns that queries filter or sum on are real columns."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aidatlas.db.tables import Base


class ProgrammeRow(Base):
    __tablename__ = "grant_programmes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(300))
    funder: Mapped[str] = mapped_column(String(300))
    funder_ref: Mapped[str | None] = mapped_column(String(80))
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[int] = mapped_column(Integer)


class CallRow(Base):
    __tablename__ = "grant_calls"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("grant_programmes.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    opens_at: Mapped[int] = mapped_column(Integer)  # unix seconds, UTC
    closes_at: Mapped[int] = mapped_column(Integer)
    time_zone: Mapped[str] = mapped_column(String(60))
    currency: Mapped[str] = mapped_column(String(3))
    ceiling_per_grant: Mapped[float] = mapped_column(Float)
    total_budget: Mapped[float] = mapped_column(Float)
    countries: Mapped[str] = mapped_column(Text)  # JSON list
    activity_types: Mapped[str] = mapped_column(Text)  # JSON list
    rules: Mapped[str] = mapped_column(Text)  # JSON list of {"rule": name, ...params}
    rubric: Mapped[str] = mapped_column(Text)  # JSON list of {"criterion", "weight", "max"}
    kind: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[int] = mapped_column(Integer)


class CallFormRow(Base):
    """One version of a call's additional questions (the form builder); applications keep the version they
    answered (migration 0008)."""

    __tablename__ = "grant_call_forms"
    call_id: Mapped[int] = mapped_column(ForeignKey("grant_calls.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    questions: Mapped[str] = mapped_column(Text)  # JSON list of {key, label, type, required, choices}
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[int] = mapped_column(Integer)


class CourseRow(Base):
    __tablename__ = "grant_courses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(300))
    course_type: Mapped[str] = mapped_column(String(20))
    length_years: Mapped[int] = mapped_column(Integer)
    first_year: Mapped[int] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(String(2))


class OrganisationRow(Base):
    __tablename__ = "grant_organisations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    org_type: Mapped[str] = mapped_column(String(30))
    registered: Mapped[bool] = mapped_column(Boolean)
    registration_number: Mapped[str | None] = mapped_column(String(80))
    thematic_areas: Mapped[str] = mapped_column(Text)  # JSON list
    scope: Mapped[str | None] = mapped_column(String(20))  # alumni associations: national | cross-country
    member_countries: Mapped[str] = mapped_column(Text)  # JSON list
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AlumnusRow(Base):
    """Minimum personal data of an ex-participant; erasure deletes the row (and its memberships)."""

    __tablename__ = "grant_alumni"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    course_id: Mapped[int] = mapped_column(ForeignKey("grant_courses.id"), index=True)
    cohort: Mapped[int] = mapped_column(Integer)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("grant_organisations.id", ondelete="SET NULL"),
                                                        index=True)
    consent_at: Mapped[int] = mapped_column(Integer)
    consent_text: Mapped[str] = mapped_column(Text)


class AssociationMemberRow(Base):
    __tablename__ = "grant_association_members"
    association_id: Mapped[int] = mapped_column(ForeignKey("grant_organisations.id", ondelete="CASCADE"),
                                                primary_key=True)
    alumnus_id: Mapped[int] = mapped_column(ForeignKey("grant_alumni.id", ondelete="CASCADE"), primary_key=True)


class ApplicationRow(Base):
    __tablename__ = "grant_applications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("grant_calls.id"))
    owner_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    data: Mapped[str] = mapped_column(Text)  # JSON: step -> fields
    version: Mapped[int] = mapped_column(Integer)
    requested_amount: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str | None] = mapped_column(String(500))  # the project's title, for lists and the ranking
    currency: Mapped[str | None] = mapped_column(String(3))
    applicant_name: Mapped[str | None] = mapped_column(String(300))
    eligibility: Mapped[str | None] = mapped_column(Text)  # JSON list of RuleResult
    decision_reason: Mapped[str | None] = mapped_column(Text)
    screening_reason: Mapped[str | None] = mapped_column(Text)  # why eligible/ineligible (migration 0008)
    alumni_confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # the officer (0008)
    awarded_amount: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[int | None] = mapped_column(Integer)


Index("ix_grant_applications_call_status", ApplicationRow.call_id, ApplicationRow.status)


class ApplicationVersionRow(Base):
    """A frozen, submitted version: never changed once written."""

    __tablename__ = "grant_application_versions"
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[int] = mapped_column(Integer)


class AttachmentRow(Base):
    __tablename__ = "grant_attachments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("grant_reports.id"))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[int] = mapped_column(Integer)


class AssignmentRow(Base):
    __tablename__ = "grant_assignments"
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"), primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    assigned_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[int] = mapped_column(Integer)
    conflict: Mapped[bool] = mapped_column(Boolean)
    conflict_reason: Mapped[str | None] = mapped_column(Text)


Index("ix_grant_assignments_reviewer", AssignmentRow.reviewer_id)


class ScoreRow(Base):
    __tablename__ = "grant_scores"
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"), primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    scores: Mapped[str] = mapped_column(Text)  # JSON criterion -> value
    weighted: Mapped[float] = mapped_column(Float)  # 0-100
    comment: Mapped[str] = mapped_column(Text)
    scored_at: Mapped[int] = mapped_column(Integer)


class AwardRow(Base):
    __tablename__ = "grant_awards"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id"), unique=True)
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))
    activity_id: Mapped[str] = mapped_column(String(80))
    iati_identifier: Mapped[str] = mapped_column(String(150))
    status: Mapped[str] = mapped_column(String(10))
    start: Mapped[str] = mapped_column(String(10))  # ISO dates
    end: Mapped[str] = mapped_column(String(10))
    interim_due: Mapped[str | None] = mapped_column(String(10))
    final_due: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[int | None] = mapped_column(Integer)


class ReportRow(Base):
    __tablename__ = "grant_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("grant_awards.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    results: Mapped[str] = mapped_column(Text)  # JSON objective -> result
    participants_reached: Mapped[int] = mapped_column(Integer)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[int] = mapped_column(Integer)
    spent: Mapped[str | None] = mapped_column(Text)  # JSON budget line -> amount spent (the financial report)
    status: Mapped[str] = mapped_column(String(10), default="submitted")  # submitted | approved | returned
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[int | None] = mapped_column(Integer)


class TrancheRow(Base):
    """One instalment of a grant's payment schedule: released when the report it waits for is approved
    (`after_report` None: on signature), then paid (migration 0008)."""

    __tablename__ = "grant_tranches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("grant_awards.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    amount: Mapped[float] = mapped_column(Float)
    after_report: Mapped[str | None] = mapped_column(String(10))  # None | interim | final
    status: Mapped[str] = mapped_column(String(10))  # planned | released | paid
    released_at: Mapped[int | None] = mapped_column(Integer)
    paid_on: Mapped[str | None] = mapped_column(String(10))  # ISO date of the payment
    reference: Mapped[str | None] = mapped_column(String(120))  # the bank's or ledger's reference
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class OutboxRow(Base):
    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued | sent | failed | no-address
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    read_at: Mapped[int | None] = mapped_column(Integer)  # read in the in-app inbox


Index("ix_outbox_recipient", OutboxRow.recipient, OutboxRow.id)


class MembershipRow(Base):
    """An account's claim to act for an organisation: `pending` until an officer or a confirmed member
    confirms it (migration 0008)."""

    __tablename__ = "grant_memberships"
    organisation_id: Mapped[int] = mapped_column(ForeignKey("grant_organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))  # pending | confirmed
    requested_at: Mapped[int] = mapped_column(Integer)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[int | None] = mapped_column(Integer)


Index("ix_grant_memberships_user", MembershipRow.user_id)


class BrochureEntryRow(Base):
    """A completed grant an officer chose for the public brochure, with its short story and photo."""

    __tablename__ = "grant_brochure_entries"
    award_id: Mapped[int] = mapped_column(ForeignKey("grant_awards.id", ondelete="CASCADE"), primary_key=True)
    story: Mapped[str] = mapped_column(Text)
    photo_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("grant_attachments.id", ondelete="SET NULL"))
    chosen_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    chosen_at: Mapped[int] = mapped_column(Integer)


class AccountEmailRow(Base):
    """An account's e-mail address; messages go there only once `verified_at` is set (the owner opened the
    link with `token_hash`'s token)."""

    __tablename__ = "account_emails"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    address: Mapped[str] = mapped_column(String(320))
    token_hash: Mapped[str | None] = mapped_column(String(64))
    verified_at: Mapped[int | None] = mapped_column(Integer)


class AuditRow(Base):
    """Append-only (triggers refuse UPDATE and DELETE). Holds no personal data of alumni, so that erasure
    never needs to rewrite it."""

    __tablename__ = "audit_log"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON


Index("ix_audit_log_entity", AuditRow.entity, AuditRow.entity_id)
