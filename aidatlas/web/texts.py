"""Texts the web shows that are not in a template: names of codes (kinds, roles, sorts, facets), the confirmations
after an editor's action. Marked with `N_` for extraction and translated where they are shown."""

from __future__ import annotations

from aidatlas.web.i18n import N_, gettext

KIND_NAMES = {"project": N_("project"), "follow-up": N_("follow-up"), "core-support": N_("core support"),
              "event": N_("event"), "programme": N_("programme")}
ROLE_NAMES = {"funder": N_("funder"), "extending": N_("extending"), "applicant": N_("applicant"),
              "partner": N_("partner"), "affiliate": N_("affiliate"), "implementer": N_("implementer")}
SORT_NAMES = {"relevance": N_("Relevance"), "newest": N_("Newest first"), "oldest": N_("Oldest first"),
              "title": N_("Title A–Z"), "budget": N_("Largest budget")}
FACET_NAMES = {"country": N_("Country"), "municipality": N_("Municipality or place"), "funder": N_("Funder"),
               "implementer": N_("Implementer"), "kind": N_("Kind"), "sector": N_("Sector"),
               "year": N_("Start year"), "programme": N_("Programme"), "language": N_("Language")}
STATUS_NAMES = {
    "draft": N_("draft"), "open": N_("open"), "closed": N_("closed"), "upcoming": N_("upcoming"),
    "submitted": N_("submitted"), "eligible": N_("eligible"), "ineligible": N_("ineligible"),
    "awarded": N_("awarded"), "rejected": N_("rejected"), "completed": N_("completed"), "active": N_("active"),
    "pending": N_("pending"), "confirmed": N_("confirmed"), "refused": N_("refused"), "approved": N_("approved"),
    "returned": N_("returned"), "planned": N_("planned"), "released": N_("released"), "paid": N_("paid"),
    "queued": N_("queued"), "sent": N_("sent"), "failed": N_("failed"), "no-address": N_("no address")}
"""the states of calls, applications, awards, reports, tranches, memberships and e-mails (grants module)"""
REPORT_KIND_NAMES = {"interim": N_("interim report"), "final": N_("final report")}
QUESTION_TYPE_NAMES = {"text": N_("short text"), "long-text": N_("long text"), "number": N_("number"),
                       "yes-no": N_("yes or no"), "choice": N_("choice"), "date": N_("date")}
USER_ROLE_NAMES = {"applicant": N_("applicant"), "reviewer": N_("reviewer"), "officer": N_("programme officer"),
                   "editor": N_("editor"), "admin": N_("administrator")}
DONE = {"edited": N_("Your edit is saved; the record shows it everywhere (page, search, exports)."),
        "unchanged": N_("Nothing changed: the values sent are the ones shown."),
        "reverted": N_("The edit is reverted: the field shows the value before it."),
        "kept": N_("Your edit is kept against the source's new value."),
        "reported": N_("Thank you: your report reaches the editors (it is not published)."),
        "closed": N_("The report is closed."),
        "token": N_("The token is created: copy it now, it is not shown again."),
        "revoked": N_("The token is revoked."),
        "decided": N_("Your decision is recorded with your reason; it can be undone from the log below."),
        "undone": N_("The decision is undone."),
        "split": N_("The spellings chosen now belong to a new organisation (the split can be undone on the "
                    "review page)."),
        "saved": N_("The document is saved to the registry (a file read before changes nothing)."),
        "discarded": N_("The upload is discarded.")}
"""the confirmations after an editor's action, by the `done` key a redirect carries (English: urls.DONE)"""

FIELD_LABELS = (N_("Title"), N_("Description"), N_("Kind"), N_("Programme"), N_("Participants"), N_("Places"),
                N_("Countries"), N_("Sectors"), N_("Budget"), N_("Equivalents"), N_("Dates"), N_("Target groups"),
                N_("Objectives"), N_("Results"), N_("Activities"), N_("Beneficiaries"))
"""the labels of curation.fields.LABELS, as the edit and history pages show them"""
COLUMN_NAMES = {"announced": N_("announced"), "code": N_("code"), "count": N_("count"), "country": N_("country"),
                "currency": N_("currency"), "end": N_("end"), "item": N_("item"), "lang": N_("lang"),
                "name": N_("name"), "org_id": N_("org id"), "percentage": N_("percentage"),
                "role": N_("role"), "start": N_("start"), "text": N_("text"), "value": N_("value"),
                "value_date": N_("value date"), "kind": N_("kind"), "programme": N_("programme")}
"""the columns of the edit form's rows"""
EUR_METHOD = N_("Each amount at the rate of its own date (transaction: value date, else transaction date; planned "
                "disbursement: value date, else period start; budget: value date, else period start; then the "
                "activity's start, else its announcement): ECB reference rates (yearly means), the national banks' "
                "annual averages for RSD, MKD and ALL, the BAM peg; never a later year's rate")
"""normalize.eur.METHOD, the one conversion rule, as pages state it (a test keeps the two equal)"""
NO_SUCH_PAGE = N_("No such page.")
NOT_FOUND = N_("Not found")
INVALID_REQUEST = N_("Invalid request")
INVALID_PARAMETERS = N_("Some parameters of the request are not valid.")
ERROR_TEXTS = (
    N_("Error"), N_("Something went wrong"), N_("This input cannot be used"), N_("Busy"),
    N_("This search cannot be run"), N_("Not allowed"), N_("Form expired"), N_("Log in first"),
    N_("Token refused"), N_("Too many requests"), N_("Not possible now"), N_("Closed"),
    N_("The registry is busy writing: try again in a few seconds."),
    N_("The form expired or came from another site: reload the page and try again."),
    N_("Log in first: reading the registry is public, this needs an account."),
    N_("This page has no authorization rule yet, so it stays closed."),
)
"""the titles and fixed messages of aidatlas.errors, as the error page shows them (the library stays English)"""


def _named(table: dict[str, str], key: str, fallback: str | None = None) -> str:
    text = table.get(key)
    return gettext(text) if text else (fallback if fallback is not None else key)


def kind_name(kind: str) -> str:
    return _named(KIND_NAMES, kind)


def role_name(role: str) -> str:
    return _named(ROLE_NAMES, role)


def sort_label(key: str, fallback: str | None = None) -> str:
    return _named(SORT_NAMES, key, fallback)


def facet_label(key: str, fallback: str | None = None) -> str:
    return _named(FACET_NAMES, key, fallback)


def done_message(key: str) -> str | None:
    text = DONE.get(key)
    return gettext(text) if text else None


def status_name(status: str) -> str:
    return _named(STATUS_NAMES, status)


def report_kind_name(kind: str) -> str:
    return _named(REPORT_KIND_NAMES, kind)


def question_type_name(kind: str) -> str:
    return _named(QUESTION_TYPE_NAMES, kind)


def user_role_name(role: str) -> str:
    return _named(USER_ROLE_NAMES, role)


def column_name(column: str) -> str:
    return _named(COLUMN_NAMES, column, column.replace("_", " "))
