"""Logging in and out. Reading is public; writing (adding documents) needs an account (`aidatlas user add`).

The session cookie is HttpOnly and SameSite=Lax (Secure over https); every form carries a CSRF token
(see `aidatlas.auth`). Repeated failed logins for one user name or address are slowed down (HTTP 429).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from aidatlas import auth
from aidatlas.errors import CsrfFailed, LoginRequired
from aidatlas.web import urls
from aidatlas.web.common import SESSION_COOKIE, csrf_ok, current_user, finish, render, secure, web
from aidatlas.web.i18n import gettext

router = APIRouter()
MAX_FAILURES = 10
WINDOW = 600.0


class _Throttle:
    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                times = self._failures[key]
                while times and now - times[0] > WINDOW:
                    times.popleft()
                if len(times) >= MAX_FAILURES:
                    return True
        return False

    def fail(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures[key].append(time.monotonic())


def _throttle(request: Request) -> _Throttle:
    """One throttle per app (so that two apps in one process, as in tests, do not share failures)."""
    state = request.app.state
    if not hasattr(state, "login_throttle"):
        state.login_throttle = _Throttle()
    return state.login_throttle


def require_user(request: Request) -> auth.User:
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    return user


def require_csrf(request: Request, token: str | None) -> None:
    if not csrf_ok(request, token):
        raise CsrfFailed()


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next_url: str = Query("/", alias="next", max_length=500)) -> Response:
    return render(request, "login.html", {"next": urls.safe_next(next_url), "error": None})


@router.post("/login", include_in_schema=False)
def login(request: Request, username: str = Form("", max_length=80), password: str = Form("", max_length=500),
          csrf: str = Form(""), next_url: str = Form("/", alias="next", max_length=500)) -> Response:
    require_csrf(request, csrf)
    target = urls.safe_next(next_url)
    client = request.client.host if request.client else "?"
    throttle = _throttle(request)
    if throttle.blocked(f"user:{username}", f"ip:{client}"):
        return render(request, "login.html", {"next": target, "error": gettext(
            "Too many failed attempts: wait a few minutes and try again.")}, 429)
    user = auth.authenticate(web(request).store.engine, username, password)
    if user is None:
        throttle.fail(f"user:{username}", f"ip:{client}")
        return render(request, "login.html", {"next": target, "error": gettext(
            "The user name or the password is wrong.")},
                      401)
    token = auth.create_session(web(request).store.engine, user)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=auth.SESSION_SECONDS, httponly=True, samesite="lax",
                        secure=secure(request), path="/")
    return finish(request, response)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: str = Form("")) -> Response:
    require_csrf(request, csrf)
    auth.end_session(web(request).store.engine, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure(request))
    return response
