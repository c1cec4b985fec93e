"""The editors' API: personal tokens (created and revoked on the account page, shown once) and the two calls
they open: `PATCH /api/activities/{id}` (write scope; the same validation and overlay as the edit form) and
`GET /api/activities/{id}/history`. Who may call is decided by `aidatlas.web.access` (TOKEN_WRITE,
EDITOR_OR_TOKEN): a token-authenticated call carries no cookie, so it needs no CSRF token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from aidatlas.auth import User
from aidatlas.curation import edits, tokens
from aidatlas.web import schemas, urls
from aidatlas.web.auth import require_csrf, require_user
from aidatlas.web.common import render, web

router = APIRouter()


class Patch(BaseModel):
    """Fields to change (field → new value in the record schema's shape) and why."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=1000)
    changes: dict[str, Any] = Field(min_length=1, max_length=20)


@router.patch("/api/activities/{activity_id}", tags=["curation"],
              summary="Correct fields of an activity (editors' API token, write scope)")
def api_patch(request: Request, activity_id: str, patch: Patch) -> dict[str, Any]:
    """Each changed field is stored as an edit over the source's value (kept); the answer is the record as
    everyone now reads it, and the edits made (none when every value was the one shown)."""
    user: User = request.state.token_user
    store = web(request).store
    made = edits.edit(store, activity_id, patch.changes, actor=user.username, reason=patch.reason)
    return {"activity": store.get_activity(activity_id).to_json(), "edits": [e.to_json() for e in made]}


@router.get("/api/activities/{activity_id}/history", tags=["curation"],
            summary="Every edit of an activity, with its diff (editors)",
            response_model=schemas.History)
def api_history(request: Request, activity_id: str) -> dict[str, Any]:
    store = web(request).store
    store.get_activity(activity_id)
    return {"activity": activity_id, "edits": [h.to_json() for h in edits.history(store, activity_id)]}


def _account(request: Request, created: tuple[tokens.Token, str] | None = None) -> Response:
    user = require_user(request)
    context: dict[str, Any] = {"tokens": tokens.tokens_of(web(request).store.engine, user), "created": created}
    if created:
        context["done"] = urls.DONE["token"]
    return render(request, "tokens.html", context)


@router.get("/account/tokens", include_in_schema=False)
def account_page(request: Request) -> Response:
    return _account(request)


@router.post("/account/tokens", include_in_schema=False)
def create_token(request: Request, name: str = Form("", max_length=80), scope: str = Form("read", max_length=8),
                 csrf: str = Form("")) -> Response:
    user = require_user(request)
    require_csrf(request, csrf)
    created = tokens.create(web(request).store.engine, user, name, scope)
    return _account(request, created)  # the plain token is shown on this page once, never put in a URL


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def revoke_token(request: Request, token_id: int, csrf: str = Form("")) -> Response:
    user = require_user(request)
    require_csrf(request, csrf)
    tokens.revoke(web(request).store.engine, user, token_id)
    return RedirectResponse(urls.tokens("revoked"), status_code=303)
