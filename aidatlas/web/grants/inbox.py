"""Messages in the browser: every account's inbox (each notification the programme sends it, newest first),
its e-mail address (verified by a link sent to it), and the officers' outbox with each message's delivery
status and a button that sends the queue through SMTP."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from aidatlas.errors import InputError
from aidatlas.web import schemas, urls
from aidatlas.web.common import render
from aidatlas.web.grants import schemas as grant_schemas
from aidatlas.web.grants.common import actor, form_of, grants, jsonable, redirect, text, when
from aidatlas.web.paging import Page, paged, pages

router = APIRouter()
PAGE = 50


@router.get("/inbox", include_in_schema=False)
def inbox_page(request: Request, before: int | None = Query(None, ge=1)) -> Response:
    messages, unread = grants(request).inbox(actor(request), before, PAGE)
    older = messages[-1].id if len(messages) == PAGE else None
    return render(request, "grants/inbox.html", {"messages": messages, "unread": unread, "older": older,
                                                 "when": when, "json_url": urls.api_inbox()})


@router.get("/api/inbox", tags=["grants"], summary="The signed-in account's notifications, newest first",
            responses=schemas.answers(grant_schemas.Inbox))
def inbox_api(request: Request, before: int | None = Query(None, ge=1)) -> Response:
    messages, unread = grants(request).inbox(actor(request), before, PAGE)
    return JSONResponse({"unread": unread, "messages": [
        {"id": m.id, "at": m.at.isoformat(), "subject": m.subject, "body": m.body, "read": m.read_at is not None,
         "email": m.status} for m in messages]})


@router.post("/inbox/read", include_in_schema=False)
async def mark_read(request: Request) -> Response:
    await form_of(request)
    await run_in_threadpool(grants(request).mark_inbox_read, actor(request))
    return redirect(request, urls.inbox())


def _account(request: Request, error: str | None = None, status: int = 200) -> Response:
    address, verified = grants(request).email_of(actor(request))
    return render(request, "grants/account.html", {"address": address, "verified": verified, "error": error}, status)


@router.get("/account", include_in_schema=False)
def account_page(request: Request) -> Response:
    return _account(request)


@router.post("/account/email", include_in_schema=False)
async def set_email(request: Request) -> Response:
    form = await form_of(request)
    verify_url = str(request.url_for("verify_email"))
    try:
        await run_in_threadpool(grants(request).set_email, actor(request), text(form, "address", 320), verify_url)
    except InputError as exc:
        return _account(request, f"{exc.source}: {exc.problem}", 422)
    return redirect(request, urls.account() + "?sent=1")


@router.get("/account/email/verify", include_in_schema=False, name="verify_email")
def verify_email(request: Request, token: str = Query("", max_length=100)) -> Response:
    if not token:
        return _account(request, "This confirmation link has no token: open the link from the message.", 422)
    grants(request).verify_email(actor(request), token)
    return redirect(request, urls.account() + "?verified=1")


@router.get("/outbox", include_in_schema=False)
def outbox_page(request: Request) -> Response:
    messages = grants(request).outbox(actor(request))
    return render(request, "grants/outbox.html", {"messages": messages, "when": when, "result": None})


@router.post("/outbox/send", include_in_schema=False)
async def send(request: Request) -> Response:
    await form_of(request)
    g = grants(request)
    result = await run_in_threadpool(g.send_outbox, actor(request))
    messages = await run_in_threadpool(g.outbox, actor(request))
    return render(request, "grants/outbox.html", {"messages": messages, "when": when, "result": str(result)})


@router.get("/api/outbox", tags=["grants"], summary="Every queued or sent message with its status (officers)",
            responses=schemas.answers(grant_schemas.OutboxPage))
def outbox_api(request: Request, page: Page = Depends(pages())) -> Response:
    found = grants(request).outbox(actor(request))
    return JSONResponse(paged("messages", jsonable(page.of(found)), len(found), page,
                              lambda n: urls.page_of(urls.api_outbox(), n, page.per_page)))
