"""Accounts for the grants programme: applicants sign up themselves (role `applicant`, logged in at once);
administrators give roles (`/admin/users`)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from aidatlas import auth
from aidatlas.errors import AuthError, InputError
from aidatlas.roles import ROLES, grant_role, users_and_roles
from aidatlas.web import urls
from aidatlas.web.auth import require_csrf, require_user
from aidatlas.web.common import SESSION_COOKIE, finish, render, secure, web
from aidatlas.web.grants.common import grants
from aidatlas.web.i18n import gettext

router = APIRouter()


@router.get("/signup", include_in_schema=False)
def signup_page(request: Request, next_url: str = Query("", alias="next", max_length=500)) -> Response:
    return render(request, "grants/signup.html", {"error": None, "username": "", "next": urls.safe_next(next_url)})


@router.post("/signup", include_in_schema=False)
def signup(request: Request, username: str = Form("", max_length=80), password: str = Form("", max_length=500),
           password2: str = Form("", max_length=500), csrf: str = Form(""),
           next_url: str = Form("", alias="next", max_length=500)) -> Response:
    require_csrf(request, csrf)
    engine = web(request).store.engine
    target = urls.safe_next(next_url) if next_url else urls.my_applications()
    context = {"username": username, "next": next_url}
    if password != password2:
        return render(request, "grants/signup.html", {**context, "error": gettext("The two passwords differ.")}, 422)
    try:
        user = auth.add_user(engine, username.strip(), password)
    except AuthError as exc:
        return render(request, "grants/signup.html", {**context, "error": gettext(
            "This account cannot be made: %(reason)s.") % {"reason": exc}},
                      422)
    grant_role(engine, user.id, "applicant")
    token = auth.create_session(engine, user)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=auth.SESSION_SECONDS, httponly=True, samesite="lax",
                        secure=secure(request), path="/")
    return finish(request, response)


@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request) -> Response:
    users, held = users_and_roles(web(request).store.engine)
    return render(request, "grants/users.html", {"users": users, "held": held, "all_roles": ROLES})


@router.post("/admin/users/{user_id}/roles", include_in_schema=False)
def set_role(request: Request, user_id: int, role: str = Form("", max_length=20), action: str = Form("grant"),
             csrf: str = Form("")) -> Response:
    require_csrf(request, csrf)
    admin = require_user(request)
    if role not in ROLES:
        raise InputError("role", f"no role {role!r}; roles: {', '.join(ROLES)}")
    grants(request).change_role(admin, user_id, role, action != "revoke")  # audited
    return finish(request, RedirectResponse(urls.admin_users(), status_code=303))
