"""`Grants`: the one entry point of the small-grants library (the web app and the CLI are thin shells on it).

Every mutating method takes the acting `User` first, checks the actor's roles itself (`Forbidden` with a
readable reason; the web layer checks too), writes its audit row in the same transaction and commits before
returning. Reads that concern one application enforce the access rule: its owner, a programme officer, or an
assigned reviewer who has not declared a conflict. The work is done in one module per concept
(`programmes`, `alumni`, `applications`, `eligibility`, `attachments`, `review`, `awards`, `reports`,
`brochure`, `outbox`, `audit`); this class only names the API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from aidatlas.auth import User
from aidatlas.db.store import Store
from aidatlas.grants import (
    accounts,
    alumni,
    applications,
    attachments,
    audit,
    awards,
    brochure,
    curation,
    eligibility,
    memberships,
    outbox,
    payments,
    programmes,
    questions,
    reports,
    review,
)
from aidatlas.grants.context import Context
from aidatlas.grants.models import (
    Alumnus,
    Application,
    Assignment,
    Attachment,
    AuditEntry,
    Award,
    Call,
    CallBudget,
    Course,
    Membership,
    Organisation,
    OutboxMessage,
    OverdueReport,
    Programme,
    RankRow,
    Report,
    RuleResult,
    Score,
    StepResult,
    Tranche,
    Version,
)
from aidatlas.grants.outbox import Delivery
from aidatlas.registry import store_on
from aidatlas.settings import Settings


class Grants:
    """A small-grants programme on the registry's database. `clock` (UTC now) is replaceable for tests."""

    def __init__(self, engine: Engine, settings: Settings, store: Store | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.ctx = Context(engine, settings, store or store_on(engine, settings), clock)

    # ------------------------------------------------------------------ programmes and calls (officer)
    def create_programme(self, actor: User, name: str, funder: str, currency: str, description: str = "",
                         kind: str = "follow-up", funder_ref: str | None = None) -> Programme:
        return programmes.create_programme(self.ctx, actor, name, funder, currency, description, kind, funder_ref)

    def get_programme(self, programme_id: int) -> Programme:
        return programmes.get_programme(self.ctx, programme_id)

    def list_programmes(self) -> list[Programme]:
        return programmes.list_programmes(self.ctx)

    def create_call(self, actor: User, programme_id: int, title: str, *, opens_at: datetime, closes_at: datetime,
                    time_zone: str, ceiling_per_grant: float, total_budget: float,
                    rules: Sequence[Mapping[str, Any]] = (), rubric: Sequence[Mapping[str, Any]] = (),
                    countries: Sequence[str] = (), activity_types: Sequence[str] = (), description: str = "",
                    kind: str | None = None, currency: str | None = None) -> Call:
        """A draft call. Naive `opens_at`/`closes_at` are read in `time_zone`. Unknown rule names, bad rule
        parameters, a rubric whose weights are not positive, an unknown time zone or currency: `InputError`."""
        return programmes.create_call(self.ctx, actor, programme_id, title, opens_at=opens_at,
                                      closes_at=closes_at, time_zone=time_zone,
                                      ceiling_per_grant=ceiling_per_grant, total_budget=total_budget,
                                      rules=rules, rubric=rubric, countries=countries,
                                      activity_types=activity_types, description=description, kind=kind,
                                      currency=currency)

    def update_call(self, actor: User, call_id: int, title: str, **fields: Any) -> Call:
        """Replace a draft call's settings (same fields as `create_call`); an open call: `ConflictError`."""
        return programmes.update_call(self.ctx, actor, call_id, title, **fields)

    def extend_call(self, actor: User, call_id: int, closes_at: datetime) -> Call:
        """A later deadline (naive: in the call's time zone); a closed call opens again."""
        return programmes.extend_call(self.ctx, actor, call_id, closes_at)

    def set_questions(self, actor: User, call_id: int, items: Sequence[Mapping[str, Any]]) -> int:
        """A new version of the call's additional questions (`questions.FIELD_TYPES`); returns its number."""
        return questions.set_questions(self.ctx, actor, call_id, items)

    def call_form(self, call_id: int, version: int | None = None) -> tuple[int, list[dict[str, Any]]]:
        """(version, questions) of a call: the current version, or the one an application answered."""
        with self.ctx.engine.connect() as conn:
            return questions.form_of(conn, call_id, version)

    def open_call(self, actor: User, call_id: int) -> Call:
        return programmes.set_call_status(self.ctx, actor, call_id, "open")

    def close_call(self, actor: User, call_id: int) -> Call:
        return programmes.set_call_status(self.ctx, actor, call_id, "closed")

    def get_call(self, call_id: int) -> Call:
        """Any call by id (calls are public once open; drafts are for officers: see `list_calls`)."""
        return programmes.get_call(self.ctx, call_id)

    def list_calls(self, public_only: bool = True, programme_id: int | None = None) -> list[Call]:
        """Open and closed calls (public), or every call including drafts (`public_only=False`)."""
        return programmes.list_calls(self.ctx, public_only, programme_id)

    # ------------------------------------------------------------------ alumni registry (officer)
    def create_course(self, actor: User, title: str, course_type: str, length_years: int, first_year: int,
                      country: str | None = None) -> Course:
        """A training course: `group-region` or `country-focused` (then `country`), one cohort a year."""
        return alumni.create_course(self.ctx, actor, title, course_type, length_years, first_year, country)

    def list_courses(self) -> list[Course]:
        return alumni.list_courses(self.ctx)

    def create_organisation(self, actor: User, name: str, country: str | None, org_type: str, *,
                            registered: bool = False, registration_number: str | None = None,
                            thematic_areas: Sequence[str] = ()) -> Organisation:
        """An organisation applicants can apply for (any signed-in applicant or officer; the creator owns it)."""
        return alumni.create_organisation(self.ctx, actor, name, country, org_type, registered=registered,
                                          registration_number=registration_number,
                                          thematic_areas=thematic_areas)

    def create_association(self, actor: User, name: str, scope: str, member_countries: Sequence[str]) -> Organisation:
        """An alumni association: `national` (one member country) or `cross-country` (several)."""
        return alumni.create_association(self.ctx, actor, name, scope, member_countries)

    def get_organisation(self, organisation_id: int) -> Organisation:
        return alumni.get_organisation(self.ctx, organisation_id)

    def list_organisations(self, org_type: str | None = None) -> list[Organisation]:
        return alumni.list_organisations(self.ctx, org_type)

    def add_alumnus(self, actor: User, name: str, country: str, course_id: int, cohort: int, *,
                    consent_text: str, organisation_id: int | None = None,
                    associations: Sequence[int] = ()) -> Alumnus:
        """An ex-participant, with the consent they gave (required, recorded with its time)."""
        return alumni.add_alumnus(self.ctx, actor, name, country, course_id, cohort, consent_text=consent_text,
                                  organisation_id=organisation_id, associations=associations)

    def join_association(self, actor: User, alumnus_id: int, association_id: int) -> None:
        alumni.join_association(self.ctx, actor, alumnus_id, association_id)

    def get_alumnus(self, alumnus_id: int) -> Alumnus:
        return alumni.get_alumnus(self.ctx, alumnus_id)

    def list_alumni(self, actor: User, course_id: int | None = None) -> list[Alumnus]:
        return alumni.list_alumni(self.ctx, actor, course_id)

    def export_alumnus(self, actor: User, alumnus_id: int) -> dict[str, Any]:
        """Everything held about one person (a subject-access request), as JSON-ready data."""
        return alumni.export_alumnus(self.ctx, actor, alumnus_id)

    def erase_alumnus(self, actor: User, alumnus_id: int) -> None:
        """Delete the person's row and memberships; the audit log records only that an erasure happened."""
        alumni.erase_alumnus(self.ctx, actor, alumnus_id)

    # ------------------------------------------------------------------ verified claims
    def request_membership(self, actor: User, organisation_id: int) -> Membership:
        """Ask to act for an organisation; pending until an officer or a confirmed member confirms."""
        return memberships.request_membership(self.ctx, actor, organisation_id)

    def decide_membership(self, actor: User, organisation_id: int, user_id: int, confirm: bool) -> Membership:
        return memberships.decide_membership(self.ctx, actor, organisation_id, user_id, confirm)

    def my_memberships(self, actor: User) -> list[Membership]:
        return memberships.my_memberships(self.ctx, actor)

    def pending_memberships(self, actor: User) -> list[Membership]:
        """Requests the actor may decide (officers: all; members: their organisations')."""
        return memberships.pending_for(self.ctx, actor)

    def find_alumni(self, actor: User, name: str = "", course_id: int | None = None,
                    year: int | None = None) -> list[dict[str, Any]]:
        """Ex-participants matching a name, course and cohort year, as an applicant may see them: id, name,
        course title, cohort and its year (no organisation, country or consent)."""
        return alumni.find_alumni(self.ctx, actor, name, course_id, year)

    # ------------------------------------------------------------------ applications (applicant)
    def start_application(self, actor: User, call_id: int) -> int:
        return applications.start_application(self.ctx, actor, call_id)

    def save_draft(self, actor: User, app_id: int, step: str, data: Mapping[str, Any]) -> StepResult:
        """Validate one step (`models.STEPS`) and save it when valid; errors name each field."""
        return applications.save_draft(self.ctx, actor, app_id, step, data)

    def get_application(self, actor: User, app_id: int) -> Application:
        """Owner, officer, or an assigned reviewer without a conflict; anyone else: `Forbidden`."""
        return applications.get_application(self.ctx, actor, app_id)

    def list_my_applications(self, actor: User) -> list[Application]:
        return applications.list_my_applications(self.ctx, actor)

    def list_applications(self, actor: User, call_id: int) -> list[Application]:
        """Every application of a call (officer), or those assigned to the reviewer without a conflict."""
        return applications.list_applications(self.ctx, actor, call_id)

    def validate_application(self, actor: User, app_id: int) -> dict[str, str]:
        """Every field error of every step (empty: ready to submit)."""
        return applications.validate_application(self.ctx, actor, app_id)

    def submit(self, actor: User, app_id: int) -> Application:
        """Freeze the application as a new version. After the deadline: `ConflictError` naming the deadline
        in the call's time zone; incomplete: `InputError` listing the fields."""
        return applications.submit(self.ctx, actor, app_id)

    def withdraw(self, actor: User, app_id: int) -> Application:
        """Back to draft before the deadline (owner); the next submission is a new version."""
        return applications.withdraw(self.ctx, actor, app_id)

    def versions(self, actor: User, app_id: int) -> list[Version]:
        return applications.versions(self.ctx, actor, app_id)

    def preview_eligibility(self, actor: User, app_id: int) -> list[RuleResult]:
        """The call's rules on the application as it stands (a draft too), nothing stored: what fails and why."""
        return eligibility.preview_eligibility(self.ctx, actor, app_id)

    # ------------------------------------------------------------------ eligibility (officer)
    def check_eligibility(self, actor: User, app_id: int) -> list[RuleResult]:
        """Run the call's rules on the submitted application; results are stored with it."""
        return eligibility.check_eligibility(self.ctx, actor, app_id)

    def named_alumni(self, actor: User, app_id: int) -> list[dict[str, Any]]:
        """The ex-participants an application names, as the registry holds them, and whether each matches."""
        return eligibility.named_alumni(self.ctx, actor, app_id)

    def confirm_alumni(self, actor: User, app_id: int) -> Application:
        return eligibility.confirm_alumni(self.ctx, actor, app_id)

    def mark_eligibility(self, actor: User, app_id: int, eligible: bool, reason: str = "") -> Application:
        return eligibility.mark_eligibility(self.ctx, actor, app_id, eligible, reason)

    # ------------------------------------------------------------------ attachments
    def add_attachment(self, actor: User, app_id: int, filename: str, content: bytes,
                       report_id: int | None = None) -> Attachment:
        """pdf/png/jpg/docx/xlsx/odt by extension AND content, at most `settings.max_upload_bytes`, stored
        under `settings.files_dir` with a random name. Drafts (owner) or reports of an award (owner)."""
        return attachments.add_attachment(self.ctx, actor, app_id, filename, content, report_id)

    def list_attachments(self, actor: User, app_id: int) -> list[Attachment]:
        return attachments.list_attachments(self.ctx, actor, app_id)

    def read_attachment(self, actor: User, attachment_id: int) -> tuple[Attachment, bytes]:
        return attachments.read_attachment(self.ctx, actor, attachment_id)

    # ------------------------------------------------------------------ review
    def assign_reviewer(self, actor: User, app_id: int, reviewer_id: int) -> Assignment:
        return review.assign_reviewer(self.ctx, actor, app_id, reviewer_id)

    def candidate_reviewers(self, actor: User, app_id: int) -> list[tuple[int, str, list[str]]]:
        """(id, name, detected conflicts) of each reviewer not yet on the application's panel."""
        return review.candidate_reviewers(self.ctx, actor, app_id)

    def assignments(self, actor: User, app_id: int) -> list[Assignment]:
        return review.assignments(self.ctx, actor, app_id)

    def my_assignments(self, actor: User) -> list[Assignment]:
        return review.my_assignments(self.ctx, actor)

    def declare_conflict(self, actor: User, app_id: int, reason: str) -> None:
        """The reviewer can no longer see or score the application (a score already given is withdrawn)."""
        review.declare_conflict(self.ctx, actor, app_id, reason)

    def score(self, actor: User, app_id: int, scores: Mapping[str, float], comment: str = "") -> Score:
        """Score every rubric criterion (0..max); scoring again replaces the reviewer's score."""
        return review.score(self.ctx, actor, app_id, scores, comment)

    def scores(self, actor: User, app_id: int) -> list[Score]:
        return review.scores(self.ctx, actor, app_id)

    def ranking(self, actor: User, call_id: int) -> list[RankRow]:
        """Submitted, not ineligible applications by weighted mean score, with the running total of requested
        amounts and whether each fits the call's total budget. One aggregated query."""
        return review.ranking(self.ctx, actor, call_id)

    def call_budget(self, actor: User, call_id: int) -> CallBudget:
        """The call's total, what is awarded and what remains."""
        return awards.call_budget(self.ctx, actor, call_id)

    def decide(self, actor: User, app_id: int, award: bool, amount: float | None = None,
               reason: str = "") -> Award | None:
        """Award (creates the registry Activity) or reject, with a reason. An award past the call's total
        budget: `InputError` naming the remainder."""
        return awards.decide(self.ctx, actor, app_id, award, amount, reason)

    # ------------------------------------------------------------------ awards and reports
    def get_award(self, actor: User, award_id: int) -> Award:
        return awards.get_award(self.ctx, actor, award_id)

    def award_of(self, actor: User, app_id: int) -> Award | None:
        return awards.award_of(self.ctx, actor, app_id)

    def list_awards(self, actor: User, call_id: int | None = None) -> list[Award]:
        return awards.list_awards(self.ctx, actor, call_id)

    def submit_report(self, actor: User, award_id: int, kind: str, results: Mapping[str, str],
                      participants_reached: int, attachments: Sequence[tuple[str, bytes]] = (),
                      spent: Mapping[str, float] | None = None) -> Report:
        """The grantee's interim or final report: results per objective, people reached, photos/documents and
        (`spent`: budget line -> amount) the financial part. Only within the project's dates."""
        return reports.submit_report(self.ctx, actor, award_id, kind, results, participants_reached, attachments,
                                     spent)

    def review_report(self, actor: User, report_id: int, approve: bool, comment: str = "") -> Report:
        """Approve (releases the tranches that waited for it) or return with comments."""
        return reports.review_report(self.ctx, actor, report_id, approve, comment)

    def tranches(self, actor: User, award_id: int) -> list[Tranche]:
        """The grant's payment schedule with what is released and paid (its owner or an officer)."""
        self.get_award(actor, award_id)
        return payments.tranches_of(self.ctx, award_id)

    def set_schedule(self, actor: User, award_id: int, items: Sequence[tuple[float, str | None]]) -> list[Tranche]:
        """Replace the schedule [(amount, None | "interim" | "final")] while nothing is paid."""
        return payments.set_schedule(self.ctx, actor, award_id, items)

    def record_payment(self, actor: User, tranche_id: int, paid_on: date, reference: str) -> Tranche:
        """A released tranche paid (date, bank or ledger reference)."""
        return payments.record_payment(self.ctx, actor, tranche_id, paid_on, reference)

    def list_reports(self, actor: User, award_id: int) -> list[Report]:
        return reports.list_reports(self.ctx, actor, award_id)

    def overdue_reports(self, actor: User, today: date | None = None) -> list[OverdueReport]:
        return reports.overdue_reports(self.ctx, actor, today)

    def complete_grant(self, actor: User, award_id: int) -> Award:
        """Close the grant (needs a final report) and mark its registry Activity completed. It reaches the
        brochure only when an officer chooses it (`choose_for_brochure`)."""
        return reports.complete_grant(self.ctx, actor, award_id)

    def choose_for_brochure(self, actor: User, award_id: int, story: str, photo_attachment_id: int | None = None
                            ) -> None:
        return curation.choose(self.ctx, actor, award_id, story, photo_attachment_id)

    def remove_from_brochure(self, actor: User, award_id: int) -> None:
        curation.withdraw(self.ctx, actor, award_id)

    def brochure_choices(self) -> dict[int, str]:
        """award id -> story of the grants in the brochure."""
        return curation.chosen_awards(self.ctx)

    # ------------------------------------------------------------------ published examples
    def brochure_html(self, programme_id: int, call_id: int | None = None) -> str:
        """"Successful examples" of completed grants, one section per country (public data only)."""
        return brochure.brochure_html(self.ctx, programme_id, call_id)

    def brochure_pdf(self, programme_id: int, call_id: int | None = None) -> bytes:
        """The brochure printed by the system Chromium (`AidatlasError` when there is none)."""
        return brochure.brochure_pdf(self.ctx, programme_id, call_id)

    # ------------------------------------------------------------------ notifications and audit
    def notify(self, to: str, subject: str, body: str) -> OutboxMessage:
        """Queue a message in the outbox (and log it); `to` is a user name or an address."""
        with self.ctx.begin() as conn:
            return outbox.notify(self.ctx, conn, to, subject, body)

    def outbox(self, actor: User, unsent_only: bool = False) -> list[OutboxMessage]:
        return outbox.list_outbox(self.ctx, actor, unsent_only)

    def send_outbox(self, actor: User) -> Delivery:
        """Send queued messages through `settings.smtp_url` (to addresses, and to users' verified addresses);
        an unreachable server: `AidatlasError` naming it, messages stay queued."""
        return outbox.send_outbox(self.ctx, actor)

    def inbox(self, actor: User, before: int | None = None, limit: int = 50) -> tuple[list[OutboxMessage], int]:
        """The actor's notifications, newest first, and how many are unread."""
        return outbox.inbox(self.ctx, actor, before, limit)

    def mark_inbox_read(self, actor: User) -> None:
        outbox.mark_read(self.ctx, actor)

    def set_email(self, actor: User, address: str, verify_url: str) -> None:
        """Record the actor's address and send it a confirmation link (`verify_url?token=…`)."""
        accounts.set_email(self.ctx, actor, address, verify_url)

    def verify_email(self, actor: User, token: str) -> str:
        return accounts.verify_email(self.ctx, actor, token)

    def email_of(self, actor: User) -> tuple[str | None, bool]:
        return accounts.email_of(self.ctx, actor)

    def change_role(self, actor: User, user_id: int, role: str, give: bool) -> frozenset[str]:
        """Give or take a role (administrators); audited."""
        return accounts.change_role(self.ctx, actor, user_id, role, give)

    def audit_entries(self, actor: User, entity: str | None = None, entity_id: str | int | None = None,
                      limit: int = 500, before: int | None = None) -> list[AuditEntry]:
        """Newest first; `before` (an entry id) pages to older entries."""
        return audit.audit_entries(self.ctx, actor, entity, entity_id, limit, before)
