"""The grants API's bodies (`aidatlas.web.schemas` holds the registry's and the shared parts): the grants
endpoints return their own JSONResponse and document these with `schemas.answers`; the strict API test checks
each real answer against them."""

from __future__ import annotations

from typing import Any

from aidatlas.web.schemas import Paged, Schema


class Call(Schema):
    id: int
    programme_id: int
    title: str
    status: str
    currency: str
    countries: list[str]


class CallDetail(Call):
    rules: list[dict[str, Any]]
    rubric: list[dict[str, Any]]
    state: str
    links: dict[str, str]


class ProgrammeCalls(Schema):
    programme: dict[str, Any]
    calls: list[Call]


class ApplicationRow(Schema):
    id: int
    title: str | None
    status: str
    version: int
    requested_amount: float | None
    currency: str | None
    submitted_at: str | None
    links: dict[str, str]


class RankingRow(Schema):
    rank: int
    application_id: int
    title: str | None
    status: str
    mean_score: float | None
    requested: float | None
    fits_budget: bool


class Ranking(Schema):
    call: int
    total_budget: float | None
    currency: str
    awarded: float
    remaining: float | None
    cut_off: int | None
    rows: list[RankingRow]


class RuleResult(Schema):
    rule: str
    passed: bool
    reason: str


class ApplicationView(Schema):
    application: dict[str, Any]
    versions: list[int]
    attachments: list[dict[str, Any]]
    award: dict[str, Any] | None
    reports: list[dict[str, Any]]


class Assignment(Schema):
    application_id: int
    conflict: bool
    scored: bool
    title: str | None
    links: dict[str, str]


class AuditEntry(Schema):
    id: int
    at: str
    actor: str | None
    action: str
    entity: str
    entity_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class Alumni(Schema):
    courses: list[dict[str, Any]]
    alumni: list[dict[str, Any]]


class InboxMessage(Schema):
    id: int
    at: str
    subject: str
    body: str
    read: bool


class Inbox(Schema):
    unread: int
    messages: list[InboxMessage]


class OutboxMessage(Schema):
    id: int
    at: str
    to: str | None
    subject: str
    status: str
    attempts: int


class ProgrammesPage(Paged):
    programmes: list[ProgrammeCalls]


class ApplicationRowsPage(Paged):
    applications: list[ApplicationRow]


class MyApplicationsPage(Paged):
    applications: list[dict[str, Any]]


class AssignmentsPage(Paged):
    assignments: list[Assignment]


class OutboxPage(Paged):
    messages: list[OutboxMessage]


class OverduePage(Paged):
    reports: list[dict[str, Any]]
