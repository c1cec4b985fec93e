"""FastAPI application factory. Every page has a JSON twin: `/activities/ID` ↔ `/api/activities/ID`.

Modules, one per resource: search (list, facets, downloads), facets (every value of one facet), activities
(record, sources, documents), organisations, places (countries and places), overview (charts, map), auth (login),
upload (add a document), apidocs (`/docs`). `urls.py` builds every URL. Errors: JSON `{"error", "detail"}`
under `/api/`, a page elsewhere.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aidatlas.db.engine import BUSY_ERRORS, is_busy
from aidatlas.db.search import Searcher
from aidatlas.db.store import Store
from aidatlas.errors import AidatlasError, DatabaseBusy, InvalidParameter, LoginRequired
from aidatlas.registry import open_store
from aidatlas.settings import Settings
from aidatlas.web import (
    access,
    activities,
    apidocs,
    auth,
    edit,
    facets,
    i18n,
    merge_review,
    money,
    organisations,
    overview,
    places,
    search,
    strict,
    texts,
    tokens,
    upload,
    urls,
    work,
)
from aidatlas.web.common import STATIC, TEMPLATES, Web, refuse_nul, render, template_globals, wants_json
from aidatlas.web.grants import ROUTERS as GRANTS_ROUTERS

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                 b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the security headers to every HTTP response (a plain ASGI middleware: no buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def _error(request: Request, status: int, code: str, detail: Any, title: str,
           extra: dict[str, Any] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse({"error": code, "detail": detail, **(extra or {})}, status_code=status)
    message = detail if isinstance(detail, str) else texts.INVALID_PARAMETERS
    return render(request, "error.html", {"title": i18n.gettext(title), "message": i18n.gettext(message),
                                          "response_status": status}, status)


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the app for `settings`; the store opens (and migrates) here, not at import time."""
    store = store or open_store(replace(settings, busy_timeout=settings.web_busy_timeout))
    templates = Jinja2Templates(directory=str(TEMPLATES))
    template_globals(templates)
    app = FastAPI(title="aidatlas", version="0.2.0", docs_url=None, redoc_url=None,
                  description="Development-cooperation activities in the Western Balkans: search, records with "
                              "their sources, organisations, places, overview. Read-only and public; records "
                              "follow the record schema (`Activity.to_json()`). Errors are "
                              "`{\"error\": code, \"detail\": …}` with a matching HTTP status (`ErrorBody`); "
                              "an unknown parameter or a value it does not take is a 400 naming it. Lists come "
                              "in pages (`page`, `per_page`, `total`, `links`); downloads stream the whole "
                              "result and take no `page`/`per_page`. See docs/api.md.",
                  dependencies=[Depends(refuse_nul), Depends(access.enforce),  # access: web.access.ROUTES
                                Depends(strict.check_parameters)])
    searcher = Searcher(store.engine)
    searcher.ensure_indexed()
    app.state.web = Web(settings, store, searcher, templates)
    app.state.store = store
    app.state.settings = settings
    app.add_middleware(SecurityHeaders)
    app.add_middleware(i18n.LanguageMiddleware, catalogues=lambda: app.state.web.catalogues)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (search, facets, upload, activities, money, organisations, places, overview, merge_review, auth,
                   apidocs, edit, work, tokens):
        app.include_router(module.router)
    for router in GRANTS_ROUTERS:
        app.include_router(router)
    access.install(app)
    apidocs.install(app)

    @app.exception_handler(AidatlasError)
    async def _library_error(request: Request, exc: AidatlasError) -> Response:
        """Every library error carries its status, code and title (`aidatlas.errors`)."""
        if isinstance(exc, LoginRequired) and request.method == "GET" and not wants_json(request):
            return RedirectResponse(urls.login(request.url.path), status_code=303)
        extra = exc.body() if isinstance(exc, InvalidParameter) else None
        response = _error(request, exc.http_status, exc.error_code(), exc.public_message(), exc.title, extra)
        if isinstance(exc, DatabaseBusy):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(BUSY_ERRORS[0])
    async def _busy(request: Request, exc: Exception) -> Response:
        """A read or write the busy timeout gave up on: 503 and when to come back, not a 500."""
        if not is_busy(exc):
            raise exc
        return await _library_error(request, DatabaseBusy(str(exc)))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        """A query or path parameter of the wrong type or range is a 400 naming it (like any invalid
        parameter); a form or body that does not validate stays a 422 listing its errors."""
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = list(first.get("loc", ()))
        if loc and loc[0] in ("query", "path"):
            name = str(loc[-1]) if len(loc) > 1 else "?"
            value = first.get("input")
            problem = InvalidParameter(name, value if isinstance(value, str) else None,
                                       f"{name}: {first.get('msg', 'not a valid value')}")
            return await _library_error(request, problem)
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in errors]
        return _error(request, 422, "invalid_request", detail, texts.INVALID_REQUEST)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        detail = texts.NO_SUCH_PAGE if exc.status_code == 404 else str(exc.detail)
        return _error(request, exc.status_code, code, detail, texts.NOT_FOUND if exc.status_code == 404 else "Error")

    return app


def settle_heap() -> None:
    """Before serving: what is loaded by now (reference tables, search snapshot, templates) lives as long as
    the process, so it is collected once and moved out of the collector's sight; a full collection during a
    request then scans only what requests allocate (a 2,000-row ranking page otherwise pays ~100 ms for a
    gen-2 pass now and then). `serve` and the web benchmarks call it; tests, which build many apps, do not."""
    gc.collect()
    gc.freeze()


def app_from_env() -> FastAPI:
    """The app for `Settings.from_env()`: the factory `uvicorn --factory` and `aidatlas serve --workers N` use."""
    app = create_app(Settings.from_env())
    settle_heap()
    return app
