"""FastAPI application factory. Every page has a JSON twin: `/activities/ID` ↔ `/api/activities/ID`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from aidatlas.db.store import Store
from aidatlas.errors import AidatlasError, NotFound
from aidatlas.settings import Settings

TEMPLATES = Path(__file__).with_name("templates")
PAGE_SIZE = 50


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Build the app for `settings`; the store opens (and migrates) here, not at import time."""
    store = store or Store.open(settings)
    templates = Jinja2Templates(directory=str(TEMPLATES))
    app = FastAPI(title="aidatlas", version="0.1.0",
                  description="Development-cooperation activities in the Western Balkans.")
    app.state.store = store
    app.state.settings = settings

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "not_found", "detail": str(exc)}, status_code=404)
        return templates.TemplateResponse(request, "error.html", {"message": str(exc)}, status_code=404)

    @app.exception_handler(AidatlasError)
    async def _bad_request(request: Request, exc: AidatlasError) -> Any:
        return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=400)

    def page(offset: int, kind: str | None) -> dict[str, Any]:
        ids = store.activity_ids(kind=kind, limit=PAGE_SIZE + 1, offset=offset)
        activities = store.get_activities(ids[:PAGE_SIZE])
        return {"activities": activities, "offset": offset, "kind": kind,
                "next_offset": offset + PAGE_SIZE if len(ids) > PAGE_SIZE else None}

    @app.get("/api/activities")
    def api_activities(offset: int = Query(0, ge=0), kind: str | None = None) -> dict[str, Any]:
        data = page(offset, kind)
        return {"records": [a.to_json() | {"id": a.id} for a in data["activities"]],
                "offset": offset, "next_offset": data["next_offset"]}

    @app.get("/api/activities/{activity_id}")
    def api_activity(activity_id: str) -> dict[str, Any]:
        return store.get_activity(activity_id).to_json()

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, offset: int = Query(0, ge=0), kind: str | None = None) -> Any:
        return templates.TemplateResponse(request, "index.html", page(offset, kind))

    @app.get("/activities/{activity_id}", response_class=HTMLResponse)
    def activity_page(request: Request, activity_id: str) -> Any:
        return templates.TemplateResponse(request, "activity.html",
                                          {"a": store.get_activity(activity_id)})

    return app
