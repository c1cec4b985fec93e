"""Typed values the grants library returns (plain frozen dataclasses: the web layer renders them as they are).

Times are `datetime`s in UTC (aware); `Call.local(dt)` shows one in the call's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

CallStatus = Literal["draft", "open", "closed"]
AppStatus = Literal["draft", "submitted", "eligible", "ineligible", "awarded", "rejected", "completed"]
CourseType = Literal["group-region", "country-focused"]
AssociationScope = Literal["national", "cross-country"]
ReportKind = Literal["interim", "final"]
STEPS: tuple[str, ...] = ("applicant", "course", "project", "budget")
"""The application form's steps, in order (see `aidatlas.grants.forms` for each step's fields)."""


@dataclass(frozen=True)
class Programme:
    id: int
    name: str
    funder: str
    currency: str
    description: str
    kind: str
    """kind of the registry Activity an award becomes: follow-up | core-support | project"""
    funder_ref: str | None = None


@dataclass(frozen=True)
class Criterion:
    """One line of a call's scoring rubric: scores go from 0 to `max`; `weight` is its share of the total."""

    criterion: str
    weight: float
    max: float = 10.0
    label: str = ""


@dataclass(frozen=True)
class Call:
    id: int
    programme_id: int
    title: str
    description: str
    status: CallStatus
    opens_at: datetime
    closes_at: datetime
    time_zone: str
    currency: str
    ceiling_per_grant: float
    total_budget: float
    countries: tuple[str, ...]
    activity_types: tuple[str, ...]
    rules: tuple[dict[str, Any], ...]
    rubric: tuple[Criterion, ...]
    kind: str
    """the Activity kind an award of this call becomes (the call's own or its programme's)"""
    public: bool = True

    def state(self, now: datetime) -> str:
        """What an applicant can do now: draft | upcoming | open | closed (status AND window)."""
        if self.status == "draft":
            return "draft"
        if self.status == "closed" or now >= self.closes_at:
            return "closed"
        return "upcoming" if now < self.opens_at else "open"

    def local(self, moment: datetime) -> datetime:
        """`moment` in the call's time zone, for display."""
        return moment.astimezone(ZoneInfo(self.time_zone))

    def deadline_text(self) -> str:
        """The deadline as applicants read it: `2026-03-31 17:00 (Europe/Sarajevo, UTC+02:00)`."""
        local = self.local(self.closes_at)
        offset = local.strftime("%z")
        return f"{local:%Y-%m-%d %H:%M} ({self.time_zone}, UTC{offset[:3]}:{offset[3:]})"


@dataclass(frozen=True)
class Course:
    id: int
    title: str
    course_type: CourseType
    length_years: int
    first_year: int
    country: str | None = None
    """the country of a country-focused course"""

    def cohort_year(self, cohort: int) -> int:
        """The calendar year in which yearly cohort `cohort` (1-based) finishes its training."""
        return self.first_year + cohort - 1

    @property
    def last_year(self) -> int:
        return self.first_year + self.length_years - 1


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    country: str | None
    org_type: str
    """cso | government | public-institution | alumni-association | company | other"""
    registered: bool = False
    registration_number: str | None = None
    thematic_areas: tuple[str, ...] = ()
    scope: AssociationScope | None = None
    member_countries: tuple[str, ...] = ()
    owner_user_id: int | None = None


@dataclass(frozen=True)
class Membership:
    """An account's claim to act for an organisation: pending | confirmed | refused."""

    organisation_id: int
    organisation: str
    user_id: int
    username: str
    status: str
    requested_at: datetime
    decided_at: datetime | None = None


@dataclass(frozen=True)
class Alumnus:
    id: int
    name: str
    country: str
    course_id: int
    cohort: int
    organisation_id: int | None
    consent_at: datetime
    consent_text: str
    associations: tuple[int, ...] = ()


@dataclass(frozen=True)
class RuleResult:
    rule: str
    passed: bool
    reason: str


@dataclass(frozen=True)
class StepResult:
    """What `save_draft` did: saved or not, and each field's problem (`budget.lines.2.amount`: message)."""

    saved: bool
    errors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Application:
    id: int
    call_id: int
    owner_user_id: int
    status: AppStatus
    data: dict[str, Any]
    """step name -> that step's fields"""
    version: int
    """0 while a draft; the number of the frozen version once submitted"""
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    requested_amount: float | None = None
    currency: str | None = None
    eligibility: tuple[RuleResult, ...] = ()
    decision_reason: str | None = None
    awarded_amount: float | None = None
    screening_reason: str | None = None
    alumni_confirmed: bool = False
    """an officer confirmed that the ex-participants named are the registry's people"""

    @property
    def title(self) -> str:
        return str(self.data.get("project", {}).get("title") or f"application {self.id}")


@dataclass(frozen=True)
class Version:
    application_id: int
    version: int
    submitted_at: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class Attachment:
    id: int
    application_id: int
    filename: str
    media_type: str
    size: int
    uploaded_at: datetime
    report_id: int | None = None


@dataclass(frozen=True)
class Assignment:
    application_id: int
    reviewer_id: int
    reviewer: str
    conflict: bool
    conflict_reason: str | None
    scored: bool


@dataclass(frozen=True)
class Score:
    application_id: int
    reviewer_id: int
    scores: dict[str, float]
    weighted: float
    """0–100: each criterion's value/max, weighted by the rubric"""
    comment: str
    at: datetime


@dataclass(frozen=True)
class RankRow:
    rank: int
    application_id: int
    title: str
    applicant: str
    status: str
    mean_score: float | None
    n_reviews: int
    requested: float
    cumulative: float
    fits_budget: bool
    remaining: float = 0.0
    """the call's total budget minus `cumulative` (negative: past the budget)"""


@dataclass(frozen=True)
class CallBudget:
    """A call's money: its total, what awards have committed, and what remains to award."""

    total: float
    awarded: float
    currency: str

    @property
    def remaining(self) -> float:
        return round(self.total - self.awarded, 2)


@dataclass(frozen=True)
class Award:
    id: int
    application_id: int
    amount: float
    currency: str
    activity_id: str
    iati_identifier: str
    status: Literal["active", "completed"]
    start: date
    end: date
    interim_due: date | None
    final_due: date
    completed_at: datetime | None = None


@dataclass(frozen=True)
class Report:
    id: int
    award_id: int
    kind: ReportKind
    results: dict[str, str]
    """objective text -> what was achieved"""
    participants_reached: int
    submitted_at: datetime
    spent: dict[str, float] = field(default_factory=dict)
    """the financial report: budget line -> amount spent"""
    status: str = "submitted"
    """submitted | approved | returned (with `review_comment`)"""
    review_comment: str | None = None


@dataclass(frozen=True)
class Tranche:
    """One instalment of a grant: `after_report` None (paid on signature), interim or final."""

    id: int
    award_id: int
    number: int
    amount: float
    after_report: str | None
    status: str
    """planned | released | paid"""
    released_at: datetime | None = None
    paid_on: date | None = None
    reference: str | None = None


@dataclass(frozen=True)
class OverdueReport:
    award_id: int
    application_id: int
    title: str
    kind: ReportKind
    due: date
    days_late: int


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    at: datetime
    to: str
    subject: str
    body: str
    sent_at: datetime | None = None
    status: str = "queued"
    """queued | sent | failed | no-address"""
    attempts: int = 0
    last_error: str | None = None
    read_at: datetime | None = None
