"""The application form's pages and how each maps onto the library's steps (`aidatlas.grants.forms`).

The library validates and saves whole steps (applicant, course, project, budget) and saves nothing while a
step has an error, so a page holds every required field of its step; later pages of the same step add the
optional ones (partners, places and target groups). Lists are numbered inputs (`partners.0.name`), named as
the library names its errors, so each error lands beside its field; blank rows are dropped before saving.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from aidatlas.grants.forms import ORG_TYPES
from aidatlas.grants.models import Application
from aidatlas.web.i18n import N_


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    """English, marked for translation: templates show `translate(page.title)`"""
    step: str | None
    """the library step this page saves (None: attachments, review)"""
    lists: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(list name, its row fields; () for a list of texts)"""
    scalars: tuple[str, ...] = ()


PAGES: tuple[Page, ...] = (
    Page("applicant", N_("Applicant and implementing organisation"), "applicant",
         scalars=("kind", "organisation_id", "name", "country", "org_type", "registered", "registration_number",
                  "implementing_organisation")),
    Page("partners", N_("Partners"), "applicant", lists=(("partners", ("name", "country")),)),
    Page("course", N_("Course and cohort"), "course", scalars=("course_id", "cohort", "alumni")),
    Page("project", N_("Background, objectives and activities"), "project",
         lists=(("objectives", ()), ("activities", ("type", "description"))),
         scalars=("title", "thematic_area", "background")),
    Page("places", N_("Places and target groups"), "project",
         lists=(("places", ("name", "country")), ("target_groups", ("text", "count")))),
    Page("budget", N_("Budget and timeline"), "budget", lists=(("lines", ("item", "amount")),),
         scalars=("currency", "cofinancing", "start", "end")),
    Page("questions", N_("Additional questions"), "questions", scalars=("answers",)),
    Page("attachments", N_("Attachments"), None),
    Page("review", N_("Review and submit"), None),
)
BY_SLUG = {p.slug: p for p in PAGES}
BLANK_ROWS = 2
ORG_TYPE_CHOICES = ORG_TYPES


def neighbours(slug: str) -> tuple[Page | None, Page | None]:
    i = [p.slug for p in PAGES].index(slug)
    return (PAGES[i - 1] if i else None), (PAGES[i + 1] if i + 1 < len(PAGES) else None)


def _s(form: FormData, key: str, limit: int = 5000) -> str:
    value = form.get(key)
    return value.replace("\r\n", "\n").strip()[:limit] if isinstance(value, str) else ""  # browsers send CRLF


def _amount(text: str) -> str | float:
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return text  # the library names the problem


def _rows(form: FormData, name: str, fields: tuple[str, ...]) -> tuple[list[Any], list[int]]:
    """The non-blank rows of a numbered list and the form index of each (to put errors back in place)."""
    indices = sorted({int(k.split(".")[1]) for k in form
                      if k.startswith(f"{name}.") and k.split(".")[1].isdigit() and int(k.split(".")[1]) < 200})
    rows: list[Any] = []
    where: list[int] = []
    for i in indices:
        if not fields:
            value = _s(form, f"{name}.{i}")
            if value:
                rows.append(value)
                where.append(i)
            continue
        row: dict[str, Any] = {f: _s(form, f"{name}.{i}.{f}") for f in fields}
        if any(row.values()):
            if "country" in row:
                row["country"] = row["country"].upper() or None
            if "amount" in row:
                row["amount"] = _amount(str(row["amount"]))
            rows.append(row)
            where.append(i)
    return rows, where


def parse(page: Page, form: FormData) -> tuple[dict[str, Any], dict[str, dict[int, int]]]:
    """The page's fields as library step data, and for each list the library index → form index."""
    data: dict[str, Any] = {}
    positions: dict[str, dict[int, int]] = {}
    if page.step == "questions":  # the call's own questions (the form builder): inputs named q.KEY
        return {"answers": {k[2:]: _s(form, k) for k in form if k.startswith("q.")}}, positions
    for name, fields in page.lists:
        rows, where = _rows(form, name, fields)
        data[name] = rows
        positions[name] = dict(enumerate(where))
    for key in page.scalars:
        value = _s(form, key)
        if key == "registered":
            data[key] = value in ("yes", "on", "true")
        elif key == "alumni":
            data[key] = [a for a in value.replace(";", ",").replace(" ", ",").split(",") if a]
        elif key == "cofinancing":
            data[key] = _amount(value) if value else 0
        elif key == "country":
            data[key] = value.upper() or None
        elif key in ("organisation_id", "course_id", "cohort") and not value:
            data[key] = None
        else:
            data[key] = value
    return data, positions


def place_errors(errors: Mapping[str, str], positions: Mapping[str, Mapping[int, int]]) -> dict[str, str]:
    """Library error keys (`lines.0.amount`: index among saved rows) → the form's input names."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        parts = key.split(".")
        if len(parts) >= 2 and parts[0] in positions and parts[1].isdigit():
            parts[1] = str(positions[parts[0]].get(int(parts[1]), parts[1]))
        out[".".join(parts)] = message
    return out


def values(page: Page, application: Application, submitted: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What the page's inputs show: the posted values after an error, else what the draft holds."""
    if submitted is not None:
        return dict(submitted)
    saved = application.data.get(page.step or "", {}) if page.step else {}
    out: dict[str, Any] = {}
    if page.step == "questions":
        given = saved.get("answers") or {}
        return {f"q.{k}": ("yes" if v else "no") if isinstance(v, bool) else f"{v:g}" if isinstance(v, float)
                else str(v) for k, v in given.items()}
    for key in page.scalars:
        value = saved.get(key)
        if key == "alumni":
            out[key] = ", ".join(str(a) for a in value or [])
        elif key == "registered":
            out[key] = "yes" if value else ""
        else:
            out[key] = "" if value is None else str(value)
    for name, fields in page.lists:
        for i, row in enumerate(saved.get(name) or []):
            if fields:
                for f in fields:
                    v = row.get(f) if isinstance(row, Mapping) else None
                    out[f"{name}.{i}.{f}"] = "" if v is None else str(v)
            else:
                out[f"{name}.{i}"] = str(row)
    return out


def row_count(page: Page, shown: Mapping[str, Any]) -> dict[str, int]:
    """How many rows each list shows: the filled ones and a few blank ones to add more (no script needed)."""
    counts = {}
    for name, _fields in page.lists:
        used = [int(k.split(".")[1]) for k in shown if k.startswith(f"{name}.") and k.split(".")[1].isdigit()]
        counts[name] = (max(used) + 1 if used else 0) + BLANK_ROWS
    return counts
