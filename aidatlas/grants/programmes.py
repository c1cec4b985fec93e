"""Programmes (a funder's scheme, in one currency) and their calls (window, ceilings, rules, rubric)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, insert, select, update

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import ConflictError, InputError, NotFound
from aidatlas.grants import audit, rules
from aidatlas.grants.context import Context, at, dumps
from aidatlas.grants.models import Call, CallStatus, Criterion, Programme
from aidatlas.grants.tables import CallRow, ProgrammeRow

PROGRAMMES = table_of(ProgrammeRow)
CALLS = table_of(CallRow)
GRANT_KINDS = ("follow-up", "core-support", "project")
_MOVES: dict[str, set[str]] = {"open": {"draft", "closed"}, "closed": {"open"}}
"""target status -> the statuses a call may move from (a closed call can be reopened, e.g. an extension)"""


def check_currency(code: str, where: str) -> str:
    from babel.numbers import list_currencies

    if code not in list_currencies():
        raise InputError(where, f"currency {code!r} is not an ISO 4217 code")
    return code


def check_country(code: str, where: str) -> str:
    if len(code) != 2 or not code.isupper() or not code.isalpha():
        raise InputError(where, f"country {code!r} is not an ISO 3166-1 alpha-2 code (XK for Kosovo)")
    return code


def _programme(row: Any) -> Programme:
    return Programme(row.id, row.name, row.funder, row.currency, row.description, row.kind, row.funder_ref)


def create_programme(ctx: Context, actor: User, name: str, funder: str, currency: str, description: str,
                     kind: str, funder_ref: str | None) -> Programme:
    ctx.require(actor, "officer", action="creating a programme")
    if not name.strip() or not funder.strip():
        raise InputError("programme", "a programme needs a name and a funder")
    if kind not in GRANT_KINDS:
        raise InputError("programme", f"kind {kind!r}: use one of {', '.join(GRANT_KINDS)}")
    check_currency(currency, "programme")
    values = dict(name=name.strip(), funder=funder.strip(), funder_ref=funder_ref, currency=currency,
                  description=description, kind=kind, created_at=ctx.ts())
    with ctx.begin() as conn:
        pid = conn.execute(insert(PROGRAMMES).values(**values).returning(PROGRAMMES.c.id)).scalar_one()
        audit.record(ctx, conn, actor, "programme.create", "programme", pid, None, values)
    return get_programme(ctx, pid)


def get_programme(ctx: Context, programme_id: int) -> Programme:
    with ctx.engine.connect() as conn:
        row = conn.execute(select(PROGRAMMES).where(PROGRAMMES.c.id == programme_id)).first()
    if row is None:
        raise NotFound(f"no programme {programme_id}")
    return _programme(row)


def list_programmes(ctx: Context) -> list[Programme]:
    with ctx.engine.connect() as conn:
        return [_programme(r) for r in conn.execute(select(PROGRAMMES).order_by(PROGRAMMES.c.id))]


def _rubric(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(items):
        try:
            c = Criterion(str(item["criterion"]), float(item["weight"]), float(item.get("max", 10)),
                          str(item.get("label", "")))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError("call rubric", f"item {i + 1}: needs criterion, weight and optional max ({exc})") from None
        if c.weight <= 0 or c.max <= 0:
            raise InputError("call rubric", f"criterion {c.criterion!r}: weight and max must be positive")
        out.append({"criterion": c.criterion, "weight": c.weight, "max": c.max, "label": c.label})
    if len({c["criterion"] for c in out}) != len(out):
        raise InputError("call rubric", "criteria must have different names")
    return out


def _utc(moment: datetime, zone: ZoneInfo) -> int:
    return int((moment if moment.tzinfo else moment.replace(tzinfo=zone)).timestamp())


def _call_values(ctx: Context, programme: Programme, title: str, *, opens_at: datetime, closes_at: datetime,
                 time_zone: str, ceiling_per_grant: float, total_budget: float,
                 rules: Sequence[Mapping[str, Any]] = (), rubric: Sequence[Mapping[str, Any]] = (),
                 countries: Sequence[str] = (), activity_types: Sequence[str] = (), description: str = "",
                 kind: str | None = None, currency: str | None = None) -> dict[str, Any]:
    """A call's columns, every value checked (`InputError` naming the first problem)."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("call", f"time zone {time_zone!r} is not an IANA zone such as Europe/Sarajevo") from None
    opens, closes = _utc(opens_at, zone), _utc(closes_at, zone)
    if closes <= opens:
        raise InputError("call", "the call must close after it opens")
    if not (0 < ceiling_per_grant <= total_budget):
        raise InputError("call", "the ceiling per grant must be positive and at most the total budget")
    if kind is not None and kind not in GRANT_KINDS:
        raise InputError("call", f"kind {kind!r}: use one of {', '.join(GRANT_KINDS)}")
    values = dict(programme_id=programme.id, title=title.strip(), description=description,
                  opens_at=opens, closes_at=closes, time_zone=time_zone,
                  currency=check_currency(currency or programme.currency, "call"),
                  ceiling_per_grant=float(ceiling_per_grant), total_budget=float(total_budget),
                  countries=dumps([check_country(c, "call countries") for c in countries]),
                  activity_types=dumps(list(activity_types)), rules=dumps(_rules(rules)),
                  rubric=dumps(_rubric(rubric)), kind=kind)
    if not values["title"]:
        raise InputError("call", "a call needs a title")
    return values


def create_call(ctx: Context, actor: User, programme_id: int, title: str, **fields: Any) -> Call:
    ctx.require(actor, "officer", action="creating a call")
    values = _call_values(ctx, get_programme(ctx, programme_id), title, **fields)
    values.update(status="draft", created_at=ctx.ts())
    with ctx.begin() as conn:
        cid = conn.execute(insert(CALLS).values(**values).returning(CALLS.c.id)).scalar_one()
        audit.record(ctx, conn, actor, "call.create", "call", cid, None, values)
    return get_call(ctx, cid)


def update_call(ctx: Context, actor: User, call_id: int, title: str, **fields: Any) -> Call:
    """Change everything about a call while it is a draft (once open, applicants rely on it: extend only)."""
    ctx.require(actor, "officer", action="editing a call")
    current = get_call(ctx, call_id)
    values = _call_values(ctx, get_programme(ctx, current.programme_id), title, **fields)
    with ctx.begin() as conn:
        call = load_call(conn, call_id)
        if call.status != "draft":
            raise ConflictError(f"call {call_id} is {call.status}; only a draft call can be edited "
                                "(an open or closed call can be extended)")
        before = conn.execute(select(CALLS).where(CALLS.c.id == call_id)).one()._asdict()
        conn.execute(update(CALLS).where(CALLS.c.id == call_id).values(**values))
        audit.record(ctx, conn, actor, "call.edit", "call", call_id,
                     {k: before[k] for k in values if before[k] != values[k]},
                     {k: v for k, v in values.items() if before[k] != v})
    return get_call(ctx, call_id)


def extend_call(ctx: Context, actor: User, call_id: int, closes_at: datetime) -> Call:
    """Move the deadline later (naive: in the call's time zone); a closed call opens again."""
    ctx.require(actor, "officer", action="extending a call")
    with ctx.begin() as conn:
        call = load_call(conn, call_id)
        if call.status == "draft":
            raise ConflictError(f"call {call_id} is a draft: edit it instead")
        closes = _utc(closes_at, ZoneInfo(call.time_zone))
        if closes <= int(call.closes_at.timestamp()) or closes <= ctx.ts():
            raise InputError("deadline", f"the new deadline must be later than the current one "
                                         f"({call.deadline_text()}) and in the future")
        conn.execute(update(CALLS).where(CALLS.c.id == call_id).values(closes_at=closes, status="open"))
        audit.record(ctx, conn, actor, "call.extend", "call", call_id,
                     {"closes_at": int(call.closes_at.timestamp()), "status": call.status},
                     {"closes_at": closes, "status": "open"})
    return get_call(ctx, call_id)


def _rules(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    checked = [dict(item) for item in items]
    rules.validate(checked)
    return checked


def call_from_row(row: Any, programme_kind: str) -> Call:
    return Call(
        id=row.id, programme_id=row.programme_id, title=row.title, description=row.description, status=row.status,
        opens_at=at(row.opens_at), closes_at=at(row.closes_at), time_zone=row.time_zone, currency=row.currency,
        ceiling_per_grant=row.ceiling_per_grant, total_budget=row.total_budget,
        countries=tuple(json.loads(row.countries)), activity_types=tuple(json.loads(row.activity_types)),
        rules=tuple(json.loads(row.rules)),
        rubric=tuple(Criterion(c["criterion"], c["weight"], c["max"], c.get("label", ""))
                     for c in json.loads(row.rubric)),
        kind=row.kind or programme_kind, public=row.status != "draft")


def load_call(conn: Connection, call_id: int) -> Call:
    row = conn.execute(select(CALLS, PROGRAMMES.c.kind.label("programme_kind"))
                       .join(PROGRAMMES, PROGRAMMES.c.id == CALLS.c.programme_id)
                       .where(CALLS.c.id == call_id)).first()
    if row is None:
        raise NotFound(f"no call {call_id}")
    return call_from_row(row, row.programme_kind)


def get_call(ctx: Context, call_id: int) -> Call:
    with ctx.engine.connect() as conn:
        return load_call(conn, call_id)


def list_calls(ctx: Context, public_only: bool, programme_id: int | None) -> list[Call]:
    query = (select(CALLS, PROGRAMMES.c.kind.label("programme_kind"))
             .join(PROGRAMMES, PROGRAMMES.c.id == CALLS.c.programme_id).order_by(CALLS.c.closes_at, CALLS.c.id))
    if public_only:
        query = query.where(CALLS.c.status != "draft")
    if programme_id is not None:
        query = query.where(CALLS.c.programme_id == programme_id)
    with ctx.engine.connect() as conn:
        return [call_from_row(r, r.programme_kind) for r in conn.execute(query)]


def set_call_status(ctx: Context, actor: User, call_id: int, status: CallStatus) -> Call:
    ctx.require(actor, "officer", action=f"setting a call {status}")
    with ctx.begin() as conn:
        call = load_call(conn, call_id)
        if call.status not in _MOVES[status]:
            raise ConflictError(f"call {call_id} is {call.status}; it cannot become {status}")
        conn.execute(update(CALLS).where(CALLS.c.id == call_id).values(status=status))
        audit.record(ctx, conn, actor, f"call.{status}", "call", call_id, {"status": call.status},
                     {"status": status})
    return get_call(ctx, call_id)
