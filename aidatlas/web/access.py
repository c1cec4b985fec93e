"""Who may call which route: ONE table, enforced centrally for every route of the app.

`ROUTES` maps (method, path template) → rule. `enforce` (an app-wide dependency) looks the matched route up
and applies its rule before the endpoint runs; a route without an entry is refused with 500 (and
`tests/test_web_access.py` fails naming it). The grants library checks authorization again on every call
(defence in depth): this table decides what the web exposes, the library what an actor may do.

Rules:
    PUBLIC              anyone, logged in or not
    LOGGED_IN           any account
    roles("officer")    an account holding one of the roles (admin holds them all)
    OWNER               the applicant who owns the application in the path (`application_id`)
    OWNER_OR_STAFF      its applicant, officers, admins and its assigned, non-conflicted reviewers
    ASSIGNED_REVIEWER   a reviewer assigned to the application who has not declared a conflict
    TOKEN_WRITE         a personal API token with the `write` scope of an editor (no session cookie: no CSRF)
    EDITOR_OR_TOKEN     an editor's session, or an editor's personal API token of either scope

Refusals: no session → LoginRequired (a GET page redirects to the login form; JSON and POST get 401);
a session without the role → Forbidden (403, a readable page or JSON); an application the user has no
relation to, or one a reviewer is conflicted on → NotFound (404: its existence is not revealed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.routing import iter_route_contexts
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from aidatlas.curation import tokens
from aidatlas.errors import Forbidden, LoginRequired, NotFound, RouteNotMapped
from aidatlas.grants import applications
from aidatlas.roles import has_role as has_any_role
from aidatlas.roles import roles_of
from aidatlas.web.common import current_user, user_roles, web

ADMIN = "admin"
STAFF = frozenset({"officer", ADMIN})


@dataclass(frozen=True)
class Rule:
    kind: str
    """public | logged_in | roles | owner | owner_or_staff | assigned_reviewer | token_write | editor_or_token"""
    roles: frozenset[str] = frozenset()

    def __str__(self) -> str:
        if self.kind == "roles":
            return "roles(" + ", ".join(sorted(self.roles)) + ")"
        return self.kind.upper()

    @property
    def on_application(self) -> bool:
        return self.kind in ("owner", "owner_or_staff", "assigned_reviewer")


PUBLIC = Rule("public")
LOGGED_IN = Rule("logged_in")
OWNER = Rule("owner")
OWNER_OR_STAFF = Rule("owner_or_staff")
ASSIGNED_REVIEWER = Rule("assigned_reviewer")


def roles(*names: str) -> Rule:
    return Rule("roles", frozenset(names))


EDITOR = roles("editor")
TOKEN_WRITE = Rule("token_write", frozenset({"editor"}))
EDITOR_OR_TOKEN = Rule("editor_or_token", frozenset({"editor"}))
OFFICER = roles("officer")
REVIEWER = roles("reviewer")
APPLICANT = roles("applicant")

ROUTES: dict[tuple[str, str], Rule] = {
    # ---- the registry: reading is public
    ("GET", "/"): PUBLIC,
    ("GET", "/activities"): PUBLIC,
    ("GET", "/api/activities"): PUBLIC,
    ("GET", "/facets/{facet}"): PUBLIC,
    ("GET", "/api/facets/{facet}"): PUBLIC,
    ("GET", "/activities.csv"): PUBLIC,
    ("GET", "/activities.json"): PUBLIC,
    ("GET", "/activities.xml"): PUBLIC,
    ("GET", "/activities/{activity_id}"): PUBLIC,
    ("GET", "/api/activities/{activity_id}"): PUBLIC,
    ("GET", "/api/activities/{activity_id}/sources"): PUBLIC,
    ("GET", "/api/activities/{activity_id}/duplicates"): PUBLIC,
    ("GET", "/api/activities/{activity_id}/money"): PUBLIC,
    ("GET", "/activities.transactions.csv"): PUBLIC,
    ("GET", "/charts"): PUBLIC,
    ("GET", "/api/charts"): PUBLIC,
    ("GET", "/documents/{document_id}"): PUBLIC,
    ("GET", "/api/documents/{document_id}"): PUBLIC,
    ("GET", "/api/documents"): PUBLIC,
    ("GET", "/organisations"): PUBLIC,
    ("GET", "/organisations/{org_id}"): PUBLIC,
    ("GET", "/api/organisations"): PUBLIC,
    ("GET", "/api/organisations/{org_id}"): PUBLIC,
    ("GET", "/overview"): PUBLIC,
    ("GET", "/api/overview"): PUBLIC,
    ("GET", "/countries/{code}"): PUBLIC,
    ("GET", "/api/countries/{code}"): PUBLIC,
    ("GET", "/places/{name}"): PUBLIC,
    ("GET", "/api/places/{name}"): PUBLIC,
    ("GET", "/api/places"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/static"): PUBLIC,
    # ---- accounts
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): PUBLIC,
    ("GET", "/signup"): PUBLIC,
    ("POST", "/signup"): PUBLIC,
    ("GET", "/admin/users"): roles(ADMIN),
    ("POST", "/admin/users/{user_id}/roles"): roles(ADMIN),
    # ---- adding documents to the registry
    ("GET", "/documents/new"): EDITOR,
    ("POST", "/documents/new"): EDITOR,
    ("GET", "/uploads/{upload_id}"): EDITOR,
    ("POST", "/uploads/{upload_id}/save"): EDITOR,
    ("POST", "/uploads/{upload_id}/discard"): EDITOR,
    # ---- reviewing merges of organisations and links of activities (aidatlas.web.merge_review)
    ("GET", "/review"): EDITOR,
    ("GET", "/api/review"): EDITOR,
    ("POST", "/review/organisations"): EDITOR,
    ("POST", "/review/activities"): EDITOR,
    ("POST", "/review/decisions/{decision_id}/undo"): EDITOR,
    ("POST", "/organisations/{org_id}/split"): EDITOR,
    # ---- curation: editors correct records (aidatlas.web.edit, .work, .tokens); the public reports errors
    ("GET", "/activities/{activity_id}/edit"): EDITOR,
    ("POST", "/activities/{activity_id}/edit/{field}"): EDITOR,
    ("GET", "/activities/{activity_id}/history"): EDITOR,
    ("GET", "/api/activities/{activity_id}/history"): EDITOR_OR_TOKEN,
    ("PATCH", "/api/activities/{activity_id}"): TOKEN_WRITE,
    ("POST", "/edits/{edit_id}/revert"): EDITOR,
    ("POST", "/edits/{edit_id}/keep"): EDITOR,
    ("GET", "/work"): EDITOR,
    ("GET", "/api/work"): EDITOR,
    ("POST", "/reports/{report_id}/close"): EDITOR,
    ("POST", "/activities/{activity_id}/report"): PUBLIC,
    ("GET", "/account/tokens"): EDITOR,
    ("POST", "/account/tokens"): EDITOR,
    ("POST", "/account/tokens/{token_id}/revoke"): EDITOR,
    # ---- grants: programmes and calls are public
    ("GET", "/calls"): PUBLIC,
    ("GET", "/api/calls"): PUBLIC,
    ("GET", "/calls/{call_id}"): PUBLIC,
    ("GET", "/api/calls/{call_id}"): PUBLIC,
    ("GET", "/brochure"): PUBLIC,
    ("GET", "/brochure.pdf"): OFFICER,  # rendered by Chromium: costly, so not open to everyone
    # ---- applicants
    ("GET", "/my/applications"): APPLICANT,
    ("GET", "/api/my/applications"): APPLICANT,
    ("POST", "/calls/{call_id}/apply"): APPLICANT,
    ("GET", "/applications/{application_id}"): OWNER_OR_STAFF,
    ("GET", "/api/applications/{application_id}"): OWNER_OR_STAFF,
    ("GET", "/applications/{application_id}/attachments/{attachment_id}"): OWNER_OR_STAFF,
    ("GET", "/applications/{application_id}/edit/{step}"): OWNER,
    ("POST", "/applications/{application_id}/edit/{step}"): OWNER,
    ("POST", "/applications/{application_id}/attachments"): OWNER,
    ("POST", "/applications/{application_id}/submit"): OWNER,
    ("GET", "/applications/{application_id}/report"): OWNER,
    ("POST", "/applications/{application_id}/report"): OWNER,
    # ---- reviewers
    ("GET", "/reviews"): REVIEWER,
    ("GET", "/api/reviews"): REVIEWER,
    ("GET", "/applications/{application_id}/review"): ASSIGNED_REVIEWER,
    ("POST", "/applications/{application_id}/review"): ASSIGNED_REVIEWER,
    ("POST", "/applications/{application_id}/conflict"): ASSIGNED_REVIEWER,
    # ---- programme officers
    ("GET", "/calls/{call_id}/applications"): OFFICER,
    ("GET", "/api/calls/{call_id}/applications"): OFFICER,
    ("GET", "/calls/{call_id}/ranking"): OFFICER,
    ("GET", "/api/calls/{call_id}/ranking"): OFFICER,
    ("GET", "/applications/{application_id}/eligibility"): OFFICER,
    ("POST", "/applications/{application_id}/eligibility"): OFFICER,
    ("GET", "/applications/{application_id}/reviewers"): OFFICER,
    ("POST", "/applications/{application_id}/reviewers"): OFFICER,
    ("POST", "/applications/{application_id}/decision"): OFFICER,
    ("POST", "/applications/{application_id}/complete"): OFFICER,
    ("GET", "/grants/overdue"): OFFICER,
    ("GET", "/api/grants/overdue"): OFFICER,
    ("GET", "/audit"): OFFICER,
    ("GET", "/api/audit"): OFFICER,
    # ---- alumni registry (personal data: officers only)
    ("GET", "/alumni"): OFFICER,
    ("GET", "/api/alumni"): OFFICER,
    ("POST", "/alumni"): OFFICER,
    ("POST", "/alumni/courses"): OFFICER,
    ("GET", "/alumni/{alumnus_id}/export"): OFFICER,
    ("GET", "/alumni/{alumnus_id}/erase"): OFFICER,
    ("POST", "/alumni/{alumnus_id}/erase"): OFFICER,
    ("GET", "/associations"): OFFICER,
    ("POST", "/associations"): OFFICER,
    # ---- grants run from the web (issue 18): calls managed by officers
    ("GET", "/calls/new"): OFFICER,
    ("POST", "/calls/new"): OFFICER,
    ("GET", "/calls/{call_id}/edit"): OFFICER,
    ("POST", "/calls/{call_id}/edit"): OFFICER,
    ("POST", "/calls/{call_id}/status"): OFFICER,
    ("POST", "/calls/{call_id}/extend"): OFFICER,
    ("POST", "/programmes"): OFFICER,
    ("GET", "/calls/{call_id}/questions"): OFFICER,
    ("POST", "/calls/{call_id}/questions"): OFFICER,
    # ---- verified claims: memberships of organisations, the ex-participant lookup
    ("GET", "/my/organisations"): roles("applicant", "reviewer", "officer"),
    ("POST", "/my/organisations"): roles("applicant", "reviewer", "officer"),
    ("GET", "/memberships"): OFFICER,
    ("POST", "/memberships/{organisation_id}/{user_id}"): roles("applicant", "reviewer", "officer"),  # officers or
    # confirmed members of the organisation: the library decides (Forbidden otherwise)
    ("GET", "/api/alumni/lookup"): roles("applicant", "officer"),
    # ---- applicants: feedback and withdrawal
    ("GET", "/api/applications/{application_id}/eligibility"): OWNER_OR_STAFF,
    ("POST", "/applications/{application_id}/withdraw"): OWNER,
    # ---- officers: the brochure is curated
    ("POST", "/applications/{application_id}/brochure"): OFFICER,
    # ---- money after the award: reports approved or returned, payments recorded
    ("POST", "/applications/{application_id}/reports/{report_id}/review"): OFFICER,
    ("POST", "/applications/{application_id}/tranches/{tranche_id}/payment"): OFFICER,
    # ---- messages: every account's inbox and e-mail address; the officers' outbox
    ("GET", "/inbox"): LOGGED_IN,
    ("GET", "/api/inbox"): LOGGED_IN,
    ("POST", "/inbox/read"): LOGGED_IN,
    ("GET", "/account"): LOGGED_IN,
    ("POST", "/account/email"): LOGGED_IN,
    ("GET", "/account/email/verify"): LOGGED_IN,
    ("GET", "/outbox"): OFFICER,
    ("POST", "/outbox/send"): OFFICER,
    ("GET", "/api/outbox"): OFFICER,
}


def all_routes(app: FastAPI) -> list[Any]:
    """Every route of the app, included routers flattened (FastAPI keeps them as one entry per router)."""
    return list(iter_route_contexts(app.routes))


def route_keys(route: Any) -> list[tuple[str, str]]:
    """The table keys of one route of the app (one per method; a mount is one GET prefix)."""
    original = getattr(route, "original_route", route)
    if isinstance(original, Mount):
        return [("GET", original.path)]
    path = getattr(route, "path", None)
    if path is None:
        return []
    methods = set(getattr(route, "methods", None) or {"GET"}) - {"HEAD"}
    return [(m, str(path)) for m in sorted(methods)]


def table_keys(app: FastAPI) -> list[tuple[str, str]]:
    return [key for route in all_routes(app) for key in route_keys(route)]


def unmapped(app: FastAPI) -> list[tuple[str, str]]:
    return [key for key in table_keys(app) if key not in ROUTES]


def has_role(request: Request, rule: Rule) -> bool:
    held = user_roles(request)
    return ADMIN in held or bool(held & rule.roles)


# ------------------------------------------------------------------ relations to an application
@dataclass(frozen=True)
class Relation:
    owner: bool
    assigned: bool
    conflicted: bool


def relation(request: Request, application_id: int, user_id: int) -> Relation:
    """How the user relates to the application (NotFound when there is no such application)."""
    owner, assigned, conflicted = applications.relation(web(request).store.engine, application_id, user_id)
    return Relation(owner, assigned, conflicted)


def _application_id(request: Request) -> int:
    raw = str(request.path_params.get("application_id", ""))
    if not raw.isdigit() or len(raw) > 12:
        raise NotFound(f"no application {raw!r}")
    return int(raw)


def check(request: Request, rule: Rule) -> None:
    """Apply `rule` to the request's user; raise LoginRequired, Forbidden or NotFound to refuse."""
    if rule.kind == "public":
        return
    if rule.kind in ("token_write", "editor_or_token"):
        check_token(request, rule)
        return
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    if rule.kind == "logged_in":
        return
    if rule.kind == "roles":
        if not has_role(request, rule):
            needed = " or ".join(sorted(rule.roles))
            raise Forbidden(f"This page is for the {needed} role; your account ({user.username}) does not have it.")
        return
    application_id = _application_id(request)
    rel = relation(request, application_id, user.id)
    held = user_roles(request)
    if rule.kind == "owner":
        allowed = rel.owner
    elif rule.kind == "owner_or_staff":
        allowed = rel.owner or bool(held & STAFF) or (rel.assigned and not rel.conflicted and "reviewer" in held)
    elif rule.kind == "assigned_reviewer":
        allowed = rel.assigned and not rel.conflicted and "reviewer" in held
    else:  # pragma: no cover - a rule kind without a check is a bug
        raise RouteNotMapped(request.method, f"rule {rule.kind}")
    if not allowed:
        raise NotFound(f"no application {application_id} for you (it does not exist, or is not yours to see)")


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None


def check_token(request: Request, rule: Rule) -> None:
    """An editor's personal API token (`request.state.token_user` is its user); for EDITOR_OR_TOKEN a session
    does too. Unknown or revoked token → 401; a read-only token for a write, or no editor role → 403."""
    token = bearer(request)
    if token is None and rule.kind == "editor_or_token":
        check(request, EDITOR)
        return
    user, scope = tokens.verify(web(request).store.engine, token)
    if not has_any_role(roles_of(web(request).store.engine, user.id), "editor"):
        raise Forbidden(f"the account {user.username} does not hold the editor role")
    if rule.kind == "token_write" and scope != "write":
        raise Forbidden("this token is read-only: create a token with the write scope to change records")
    request.state.token_user = user


def rule_for(request: Request) -> Rule:
    route = request.scope.get("route")
    path = str(getattr(route, "path", request.url.path))
    method = "GET" if request.method == "HEAD" else request.method
    rule = ROUTES.get((method, path))
    if rule is None:
        raise RouteNotMapped(method, path)
    return rule


def enforce(request: Request) -> None:
    """The app-wide dependency: every API route passes here before its endpoint runs."""
    rule = rule_for(request)
    request.state.access_rule = rule
    check(request, rule)


def _refuse(method: str, path: str) -> Any:
    async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(f"{method} {path} has no authorization rule", status_code=500)
        await response(scope, receive, send)

    return refuse


def install(app: FastAPI) -> None:
    """Close the routes the dependency cannot reach (plain Starlette routes and mounts) when they are unmapped."""
    for route in app.routes:  # the app's own routes (openapi.json, mounts); included routers pass `enforce`
        keys = route_keys(route)
        if any(k not in ROUTES for k in keys) and (isinstance(route, Mount) or type(route) is Route):
            route.app = _refuse(*keys[0])
