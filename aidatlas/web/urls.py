"""Every URL of the app is built here, so that templates, redirects, JSON links and tests agree."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from aidatlas.db.search import SearchQuery
from aidatlas.db.search_index import FACETS

RANGES = {"min_eur": "min_eur", "max_eur": "max_eur", "date_from": "from", "date_to": "to"}
"""SearchQuery field → URL parameter of the range filters"""
EXPORT_FORMATS = {"csv": "text/csv", "json": "application/json", "xml": "application/xml"}


def _params(query: SearchQuery, **changes: Any) -> list[tuple[str, str]]:
    q = changes.get("q", query.q)
    filters = dict(changes.get("filters", query.filters))
    sort = changes.get("sort", query.sort)
    page = changes.get("page", 1 if {"q", "filters", "sort", *RANGES} & set(changes) else query.page)
    per_page = changes.get("per_page", query.per_page)
    out: list[tuple[str, str]] = []
    if q:
        out.append(("q", q))
    for facet in FACETS:
        out += [(facet, v) for v in filters.get(facet, ())]
    for field, name in RANGES.items():
        value = changes.get(field, getattr(query, field))
        if value is not None:
            out.append((name, f"{value:.15g}" if isinstance(value, float) else str(value)))
    if sort != "relevance":
        out.append(("sort", sort))
    if page != 1:
        out.append(("page", str(page)))
    if per_page != 20:
        out.append(("per_page", str(per_page)))
    return out


def range_params(query: SearchQuery) -> list[tuple[str, str]]:
    """The URL parameters of the query's range filters (hidden fields of a form that keeps them)."""
    names = set(RANGES.values())
    return [p for p in _params(query) if p[0] in names]


def _with(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def search(query: SearchQuery | None = None, **changes: Any) -> str:
    return _with("/activities", _params(query or SearchQuery(), **changes))


def api_search(query: SearchQuery | None = None, **changes: Any) -> str:
    return _with("/api/activities", _params(query or SearchQuery(), **changes))


def charts(query: SearchQuery | None = None) -> str:
    params = [p for p in _params(query or SearchQuery()) if p[0] not in ("page", "per_page", "sort")]
    return _with("/charts", params)


def api_charts(query: SearchQuery | None = None) -> str:
    params = [p for p in _params(query or SearchQuery()) if p[0] not in ("page", "per_page", "sort")]
    return _with("/api/charts", params)


def toggle(query: SearchQuery, facet: str, value: str) -> str:
    """The search with `facet=value` added, or removed when it is already selected."""
    filters = {k: list(v) for k, v in query.filters.items()}
    values = filters.setdefault(facet, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return search(query, filters={k: tuple(v) for k, v in filters.items() if v})


def facet(query: SearchQuery, name: str, contains: str = "", **changes: Any) -> str:
    """Every value of facet `name` for the search `query` (the "more" page); `contains` filters the values,
    `page` and `per_page` page them."""
    return _with(f"/facets/{quote(name, safe='')}", _facet_params(query, contains, **changes))


def api_facet(query: SearchQuery, name: str, contains: str = "", **changes: Any) -> str:
    return _with(f"/api/facets/{quote(name, safe='')}", _facet_params(query, contains, **changes))


def _facet_params(query: SearchQuery, contains: str, **changes: Any) -> list[tuple[str, str]]:
    params = _params(query, **changes)
    return [*params, ("contains", contains)] if contains else params


def only(facet: str, value: str) -> str:
    """A search for one facet value alone (links from records to their programme, kind …)."""
    return search(SearchQuery(filters={facet: (value,)}))


def export(query: SearchQuery, fmt: str) -> str:
    params = [p for p in _params(query) if p[0] not in ("page", "per_page")]
    return _with(f"/activities.{fmt}", params)


def activity(activity_id: str, text: str | None = None) -> str:
    """An activity's page; `text` picks the language of its texts (the UI language is `lang`, kept by cookie)."""
    path = f"/activities/{quote(activity_id, safe='')}"
    return f"{path}?text={quote(text)}" if text else path


def api_activity(activity_id: str) -> str:
    return f"/api/activities/{quote(activity_id, safe='')}"


def api_money(activity_id: str) -> str:
    return f"/api/activities/{quote(activity_id, safe='')}/money"


def api_provenance(activity_id: str) -> str:
    return f"/api/activities/{quote(activity_id, safe='')}/sources"


def review() -> str:
    return "/review"


def split_organisation(org_id: str) -> str:
    return f"/organisations/{quote(org_id, safe='')}/split"


def undo_decision(decision_id: int) -> str:
    return f"/review/decisions/{int(decision_id)}/undo"


def api_duplicates(activity_id: str) -> str:
    return f"/api/activities/{quote(activity_id, safe='')}/duplicates"


def organisation(org_id: str) -> str:
    return f"/organisations/{quote(org_id, safe='')}"


def api_organisation(org_id: str) -> str:
    return f"/api/organisations/{quote(org_id, safe='')}"


def organisations(q: str = "") -> str:
    return _with("/organisations", [("q", q)] if q else [])


def _page(page: int, per_page: int, default: int) -> list[tuple[str, str]]:
    return ([("page", str(page))] if page != 1 else []) + ([("per_page", str(per_page))] if per_page != default else [])


def page_of(path: str, page: int, per_page: int, default: int = 20) -> str:
    """`path` at one page of its list (the grants lists; the registry's lists have their own builders)."""
    return _with(path, _page(page, per_page, default))


def api_organisations(q: str = "", page: int = 1, per_page: int = 100) -> str:
    return _with("/api/organisations", ([("q", q)] if q else []) + _page(page, per_page, 100))


def country(code: str) -> str:
    return f"/countries/{quote(code, safe='')}"


def api_country(code: str) -> str:
    return f"/api/countries/{quote(code, safe='')}"


def place(name: str) -> str:
    return f"/places/{quote(name, safe='')}"


def api_places(q: str = "", page: int = 1, per_page: int = 20) -> str:
    return _with("/api/places", ([("q", q)] if q else []) + _page(page, per_page, 20))


def api_place(name: str) -> str:
    return f"/api/places/{quote(name, safe='')}"


def document(document_id: str, start: int | None = None, end: int | None = None, field: str | None = None) -> str:
    path = f"/documents/{quote(document_id, safe='')}"
    if start is None or end is None:
        return path
    params = [("start", str(start)), ("end", str(end))] + ([("field", field)] if field else [])
    return f"{path}?{urlencode(params)}#source"


def api_documents(page: int = 1, per_page: int = 20) -> str:
    return _with("/api/documents", _page(page, per_page, 20))


def api_document(document_id: str) -> str:
    return f"/api/documents/{quote(document_id, safe='')}"


def overview() -> str:
    return "/overview"


def api_overview() -> str:
    return "/api/overview"


def upload() -> str:
    return "/documents/new"


def upload_preview(upload_id: str) -> str:
    return f"/uploads/{quote(upload_id, safe='')}"


def upload_save(upload_id: str) -> str:
    return f"/uploads/{quote(upload_id, safe='')}/save"


def upload_discard(upload_id: str) -> str:
    return f"/uploads/{quote(upload_id, safe='')}/discard"


def login(next_url: str | None = None) -> str:
    return _with("/login", [("next", next_url)] if next_url else [])


def logout() -> str:
    return "/logout"


# ------------------------------------------------------------------ grants (aidatlas.web.grants)
def signup(next_url: str | None = None) -> str:
    return _with("/signup", [("next", next_url)] if next_url else [])


def admin_users() -> str:
    return "/admin/users"


def admin_user_roles(user_id: int) -> str:
    return f"/admin/users/{int(user_id)}/roles"


def calls() -> str:
    return "/calls"


def api_calls() -> str:
    return "/api/calls"


def call(call_id: int) -> str:
    return f"/calls/{int(call_id)}"


def api_call(call_id: int) -> str:
    return f"/api/calls/{int(call_id)}"


def apply(call_id: int) -> str:
    return f"/calls/{int(call_id)}/apply"


def call_applications(call_id: int) -> str:
    return f"/calls/{int(call_id)}/applications"


def api_call_applications(call_id: int) -> str:
    return f"/api/calls/{int(call_id)}/applications"


def ranking(call_id: int) -> str:
    return f"/calls/{int(call_id)}/ranking"


def api_ranking(call_id: int) -> str:
    return f"/api/calls/{int(call_id)}/ranking"


def my_applications() -> str:
    return "/my/applications"


def api_my_applications() -> str:
    return "/api/my/applications"


def application(application_id: int, action: str | None = None) -> str:
    """`/applications/7`, or one of its actions: edit/STEP, submit, attachments, review, conflict, eligibility,
    reviewers, decision, complete, report."""
    path = f"/applications/{int(application_id)}"
    return f"{path}/{action}" if action else path


def api_application(application_id: int) -> str:
    return f"/api/applications/{int(application_id)}"


def application_step(application_id: int, step: str) -> str:
    return f"/applications/{int(application_id)}/edit/{quote(step, safe='')}"


def attachment(application_id: int, attachment_id: int) -> str:
    return f"/applications/{int(application_id)}/attachments/{int(attachment_id)}"


def reviews() -> str:
    return "/reviews"


def api_reviews() -> str:
    return "/api/reviews"


def overdue() -> str:
    return "/grants/overdue"


def api_overdue() -> str:
    return "/api/grants/overdue"


def audit(entity: str | None = None, entity_id: str | int | None = None, before: int | None = None) -> str:
    params = [("entity", entity)] if entity else []
    params += [("entity_id", str(entity_id))] if entity_id is not None else []
    params += [("before", str(before))] if before is not None else []
    return _with("/audit", params)


def api_audit() -> str:
    return "/api/audit"


def brochure(programme_id: int | None = None, pdf: bool = False) -> str:
    return _with("/brochure.pdf" if pdf else "/brochure",
                 [("programme", str(programme_id))] if programme_id is not None else [])


def alumni(course_id: int | None = None) -> str:
    return _with("/alumni", [("course", str(course_id))] if course_id is not None else [])


def api_alumni() -> str:
    return "/api/alumni"


def alumni_courses() -> str:
    return "/alumni/courses"


def alumnus_export(alumnus_id: int) -> str:
    return f"/alumni/{int(alumnus_id)}/export"


def alumnus_erase(alumnus_id: int) -> str:
    return f"/alumni/{int(alumnus_id)}/erase"


def associations() -> str:
    return "/associations"


# ---- grants run from the web (issue 18)
def new_call() -> str:
    return "/calls/new"


def call_action(call_id: int, action: str) -> str:
    """`/calls/7/edit`, `/calls/7/status`, `/calls/7/extend`."""
    return f"/calls/{int(call_id)}/{quote(action, safe='')}"


def programmes() -> str:
    return "/programmes"


def my_organisations() -> str:
    return "/my/organisations"


def memberships() -> str:
    return "/memberships"


def membership_decision(organisation_id: int, user_id: int) -> str:
    return f"/memberships/{int(organisation_id)}/{int(user_id)}"


def alumni_lookup() -> str:
    return "/api/alumni/lookup"


def inbox(before: int | None = None) -> str:
    return _with("/inbox", [("before", str(before))] if before is not None else [])


def api_inbox() -> str:
    return "/api/inbox"


def account() -> str:
    return "/account"


def account_email_verify() -> str:
    return "/account/email/verify"


def eligibility_preview(application_id: int) -> str:
    return f"/api/applications/{int(application_id)}/eligibility"


def outbox() -> str:
    return "/outbox"


def api_outbox() -> str:
    return "/api/outbox"


def static(name: str) -> str:
    return f"/static/{name}"


def docs() -> str:
    return "/docs"


def safe_next(value: str | None) -> str:
    """A redirect target from a `next` parameter: a local path only (never `//host` or a scheme)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


# ------------------------------------------------------------------ curation (aidatlas.web.edit, .work, .tokens)
DONE = {"edited": "Your edit is saved; the record shows it everywhere (page, search, exports).",
        "unchanged": "Nothing changed: the values sent are the ones shown.",
        "reverted": "The edit is reverted: the field shows the value before it.",
        "kept": "Your edit is kept against the source's new value.",
        "reported": "Thank you: your report reaches the editors (it is not published).",
        "closed": "The report is closed.", "token": "The token is created: copy it now, it is not shown again.",
        "revoked": "The token is revoked.",
        "decided": "Your decision is recorded with your reason; it can be undone from the log below.",
        "undone": "The decision is undone.",
        "split": "The spellings chosen now belong to a new organisation (the split can be undone on the review "
                 "page).",
        "saved": "The document is saved to the registry (a file read before changes nothing).",
        "discarded": "The upload is discarded."}
"""confirmation messages after an editor's action, by the `done` key a redirect carries"""


def _done(path: str, done: str | None) -> str:
    return _with(path, [("done", done)] if done else [])


def activity_done(activity_id: str, done: str) -> str:
    return _done(activity(activity_id), done)


def edit_activity(activity_id: str, done: str | None = None) -> str:
    return _done(f"{activity(activity_id)}/edit", done)


def edit_field(activity_id: str, field: str) -> str:
    return f"{activity(activity_id)}/edit/{quote(field, safe='')}"


def history(activity_id: str, done: str | None = None) -> str:
    return _done(f"{activity(activity_id)}/history", done)


def api_history(activity_id: str) -> str:
    return f"/api/activities/{quote(activity_id, safe='')}/history"


def revert_edit(edit_id: int) -> str:
    return f"/edits/{edit_id}/revert"


def keep_edit(edit_id: int) -> str:
    return f"/edits/{edit_id}/keep"


def report_error(activity_id: str) -> str:
    return f"{activity(activity_id)}/report"


def close_report(report_id: int) -> str:
    return f"/reports/{report_id}/close"


def work(done: str | None = None) -> str:
    return _done("/work", done)


def tokens(done: str | None = None) -> str:
    return _done("/account/tokens", done)


def revoke_token(token_id: int) -> str:
    return f"/account/tokens/{token_id}/revoke"
