"""The form builder: a call's additional questions over a fixed set of field types, versioned. Changing the
questions makes a new version; an application answers the version current when it is saved, a submitted one
keeps the version it answered (its frozen data names it), a draft must answer the current one to be submitted.

    {"key": "staff", "label": "How many staff work on the project?", "type": "number", "required": true}
    types: text, long-text, number, yes-no, choice (with "choices"), date (YYYY-MM-DD)
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, select

from aidatlas.auth import User
from aidatlas.db.tables import table_of
from aidatlas.errors import InputError
from aidatlas.grants import audit
from aidatlas.grants.context import Context, dumps
from aidatlas.grants.programmes import load_call
from aidatlas.grants.tables import CallFormRow

FORMS = table_of(CallFormRow)
FIELD_TYPES = ("text", "long-text", "number", "yes-no", "choice", "date")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_QUESTIONS = 30


def check_questions(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each question checked: a key (a-z, 0-9, _), a label, a known type, choices for a choice."""
    out: list[dict[str, Any]] = []
    if len(items) > MAX_QUESTIONS:
        raise InputError("questions", f"at most {MAX_QUESTIONS} questions")
    for i, item in enumerate(items, start=1):
        key, label, kind = str(item.get("key", "")), str(item.get("label", "")).strip(), item.get("type")
        if not KEY.match(key):
            raise InputError(f"question {i}", f"key {key!r}: lower-case letters, digits and _ (a letter first)")
        if not label or len(label) > 300:
            raise InputError(f"question {i}", "a label of 1 to 300 characters")
        if kind not in FIELD_TYPES:
            raise InputError(f"question {i}", f"type {kind!r}: use one of {', '.join(FIELD_TYPES)}")
        choices = [str(c).strip() for c in item.get("choices") or [] if str(c).strip()]
        if kind == "choice" and len(choices) < 2:
            raise InputError(f"question {i}", "a choice question needs at least two choices")
        out.append({"key": key, "label": label, "type": kind, "required": bool(item.get("required")),
                    "choices": choices if kind == "choice" else []})
    if len({q["key"] for q in out}) != len(out):
        raise InputError("questions", "every question needs its own key")
    return out


def set_questions(ctx: Context, actor: User, call_id: int, items: Sequence[Mapping[str, Any]]) -> int:
    """A new version of the call's questions; returns its number."""
    ctx.require(actor, "officer", action="changing a call's questions")
    questions = check_questions(items)
    with ctx.begin() as conn:
        load_call(conn, call_id)
        version = int(conn.execute(select(func.coalesce(func.max(FORMS.c.version), 0))
                                   .where(FORMS.c.call_id == call_id)).scalar_one()) + 1
        conn.execute(insert(FORMS).values(call_id=call_id, version=version, questions=dumps(questions),
                                          created_by=actor.id, created_at=ctx.ts()))
        audit.record(ctx, conn, actor, "call.questions", "call", call_id, None,
                     {"version": version, "keys": [q["key"] for q in questions]})
    return version


def form_of(conn: Connection, call_id: int, version: int | None = None) -> tuple[int, list[dict[str, Any]]]:
    """(version, questions): the given version or the current one; (0, []) when the call asks none."""
    query = select(FORMS.c.version, FORMS.c.questions).where(FORMS.c.call_id == call_id)
    query = query.where(FORMS.c.version == version) if version is not None else \
        query.order_by(FORMS.c.version.desc()).limit(1)
    row = conn.execute(query).first()
    return (0, []) if row is None else (int(row.version), json.loads(row.questions))


def answers(questions: Sequence[Mapping[str, Any]], given: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers cleaned by type, and each question's problem (keyed `answers.KEY`)."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for q in questions:
        raw = given.get(q["key"])
        text = raw.strip() if isinstance(raw, str) else raw
        if text in (None, ""):
            if q["required"]:
                errors[f"answers.{q['key']}"] = "required"
            continue
        where = f"answers.{q['key']}"
        if q["type"] == "number":
            try:
                cleaned[q["key"]] = float(str(text).replace(",", ""))
            except ValueError:
                errors[where] = "a number"
        elif q["type"] == "yes-no":
            if isinstance(text, bool):  # an answer already cleaned
                cleaned[q["key"]] = text
            elif str(text).lower() not in ("yes", "no"):
                errors[where] = "yes or no"
            else:
                cleaned[q["key"]] = str(text).lower() == "yes"
        elif q["type"] == "choice":
            if text not in q["choices"]:
                errors[where] = f"one of: {', '.join(q['choices'])}"
            else:
                cleaned[q["key"]] = text
        elif q["type"] == "date":
            try:
                cleaned[q["key"]] = date.fromisoformat(str(text)).isoformat()
            except ValueError:
                errors[where] = "a date as YYYY-MM-DD"
        else:
            limit = 300 if q["type"] == "text" else 5000
            if len(str(text)) > limit:
                errors[where] = f"at most {limit} characters"
            else:
                cleaned[q["key"]] = str(text)
    return cleaned, errors


def step(conn: Connection, call_id: int, data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The `questions` step against the call's current form: {"form_version", "answers"}."""
    version, questions = form_of(conn, call_id)
    given = data.get("answers") or {}
    cleaned, errors = answers(questions, given if isinstance(given, Mapping) else {})
    return {"form_version": version, "answers": cleaned}, errors


def problems(conn: Connection, call_id: int, data: Mapping[str, Any]) -> dict[str, str]:
    """What keeps a draft from being submitted: unanswered required questions, or answers to an old form."""
    version, questions = form_of(conn, call_id)
    if not questions:
        return {}
    saved = data.get("questions")
    if not saved:
        return {"questions": "answer the call's additional questions"}
    if saved.get("form_version") != version:
        return {"questions": "the call's questions changed since you answered them: answer them again"}
    return {f"questions.{k}": v for k, v in answers(questions, saved.get("answers") or {})[1].items()}
