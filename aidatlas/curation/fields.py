"""The editable fields as a plain HTML form sees them: rows of named cells, turned into a field's JSON value
and back. Pure (the gazetteer is passed in); every problem is an `InputError` naming the field, row and cell.

A form posts each column as a repeated parameter (`name`, `role`, `name`, `role` …); a row whose cells are all
empty is skipped, so a form may offer blank rows to add to a list. Text lists group their rows by `item`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from aidatlas.errors import InputError
from aidatlas.records import KINDS, ROLES
from aidatlas.reference.codelists import codelists
from aidatlas.reference.gazetteer import Gazetteer

Row = dict[str, str]
TEXT_LISTS = ("objectives", "results", "activities", "beneficiaries")
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("lang", "text"), "description": ("lang", "text"), "kind": ("kind",), "programme": ("programme",),
    "participants": ("name", "role", "country", "org_id"), "locations": ("name", "country"),
    "countries": ("country",), "sectors": ("code", "percentage"), "budget": ("value", "currency", "value_date"),
    "equivalents": ("value", "currency", "value_date"), "dates": ("start", "end", "announced"),
    "target_groups": ("item", "lang", "text", "count"),
    **{name: ("item", "lang", "text") for name in TEXT_LISTS},
}
"""field → the cells of one of its rows"""
SINGLE = frozenset({"kind", "programme", "budget", "dates"})
"""fields with one row (no blank rows to add)"""
LABELS = {"title": "Title", "description": "Description", "kind": "Kind", "programme": "Programme",
          "participants": "Participants", "locations": "Places", "countries": "Countries", "sectors": "Sectors",
          "budget": "Budget", "equivalents": "Equivalents", "dates": "Dates", "target_groups": "Target groups",
          "objectives": "Objectives", "results": "Results", "activities": "Activities",
          "beneficiaries": "Beneficiaries"}
_NUMBER = re.compile(r"^[0-9]+([ ,][0-9]{3})*(\.[0-9]+)?$")


def rows_of(field: str, value: Any) -> list[Row]:
    """A field's JSON value as form rows (the inverse of `value_from_rows`)."""
    if value is None or value == [] or value == {}:
        return []
    if field in ("title", "description"):
        return [{"lang": lang, "text": text} for lang, text in value.items()]
    if field in ("kind", "programme"):
        return [{field: str(value)}]
    if field == "countries":
        return [{"country": c} for c in value]
    if field == "budget":
        return [_money_row(value)]
    if field == "equivalents":
        return [_money_row(m) for m in value]
    if field == "dates":
        return [{k: value.get(k) or "" for k in ("start", "end", "announced")}]
    if field == "participants":
        return [{"name": p["name"], "role": p["role"], "country": p.get("country") or "",
                 "org_id": p.get("org_id") or ""} for p in value]
    if field == "locations":
        return [{"name": p["name"], "country": p.get("country") or ""} for p in value]
    if field == "sectors":
        return [{"code": s["code"], "percentage": "" if s.get("percentage") is None else f"{s['percentage']:g}"}
                for s in value]
    if field == "target_groups":
        return [{**row, "count": "" if g.get("count") is None else str(g["count"])}
                for i, g in enumerate(value) for row in _item_rows(i, g["text"])]
    return [row for i, item in enumerate(value) for row in _item_rows(i, item)]


def _money_row(m: Mapping[str, Any]) -> Row:
    return {"value": f"{m['value']:.2f}".removesuffix(".00"), "currency": m["currency"],
            "value_date": m.get("value_date") or ""}


def _item_rows(i: int, item: Any) -> list[Row]:
    if isinstance(item, str):
        return [{"item": str(i + 1), "lang": "", "text": item}]
    return [{"item": str(i + 1), "lang": lang, "text": text} for lang, text in item.items()]


def rows_from_form(field: str, cells: Mapping[str, Sequence[str]]) -> list[Row]:
    """Repeated form parameters (column → values) as rows; all-empty rows left out."""
    if field not in COLUMNS:
        raise InputError("field", f"{field!r} cannot be edited; editable: {', '.join(COLUMNS)}")
    columns = COLUMNS[field]
    height = max((len(cells.get(c, ())) for c in columns), default=0)
    rows = []
    for i in range(height):
        row = {c: (cells.get(c, [])[i] if i < len(cells.get(c, [])) else "").strip() for c in columns}
        if any(row.values()):
            rows.append(row)
    return rows


def value_from_rows(field: str, rows: Sequence[Row], gazetteer: Gazetteer | None = None, current: Any = None) -> Any:
    """The JSON value the rows of a form describe; codes are checked against the IATI codelists. A place or a
    sector the form shows unchanged keeps what `current` (the field's value now) knows of it."""
    if field not in COLUMNS:
        raise InputError("field", f"{field!r} cannot be edited; editable: {', '.join(COLUMNS)}")
    where = LABELS[field]
    if field in ("title", "description"):
        value = {_need(r, "lang", where, i): _need(r, "text", where, i) for i, r in enumerate(rows)}
        if field == "title" and not value:
            raise InputError(where, "a title needs at least one language")
        return value or None
    if field == "kind":
        kind = rows[0]["kind"] if rows else ""
        if kind not in KINDS:
            raise InputError(where, f"{kind!r} is not one of {', '.join(KINDS)}")
        return kind
    if field == "programme":
        return rows[0]["programme"] if rows else None
    if field == "countries":
        return [_country(r["country"], where, i) for i, r in enumerate(rows)]
    if field == "budget":
        return _money(rows[0], where, 0) if rows else None
    if field == "equivalents":
        return [_money(r, where, i) for i, r in enumerate(rows)]
    if field == "dates":
        row = rows[0] if rows else {}
        return {k: row.get(k) or None for k in ("start", "end", "announced")}
    if field == "participants":
        return [_participant(r, where, i) for i, r in enumerate(rows)]
    if field == "locations":
        known = {(p["name"], p.get("country") or ""): p for p in current or []}
        return [known.get((r["name"], r.get("country", "").upper())) or _place(r, where, i, gazetteer)
                for i, r in enumerate(rows)]
    if field == "sectors":
        had = {(s["code"], "" if s.get("percentage") is None else f"{s['percentage']:g}"): s for s in current or []}
        return [had.get((r["code"], r.get("percentage", ""))) or _sector(r, where, i) for i, r in enumerate(rows)]
    return _items(field, rows, where)


def _need(row: Row, cell: str, where: str, i: int) -> str:
    if not row.get(cell):
        raise InputError(where, f"row {i + 1}: {cell} is empty")
    return row[cell]


def _country(code: str, where: str, i: int) -> str:
    code = code.upper()
    if code != "XK" and code not in codelists()["Country"]:
        raise InputError(where, f"row {i + 1}: {code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _number(text: str, where: str, i: int, cell: str) -> float:
    if not _NUMBER.match(text):
        raise InputError(where, f"row {i + 1}: {cell} {text!r} is not a number (write 1200000 or 1,200,000.50)")
    return float(text.replace(",", "").replace(" ", ""))


def _money(row: Row, where: str, i: int) -> dict[str, Any]:
    currency = _need(row, "currency", where, i).upper()
    if currency not in codelists()["Currency"]:
        raise InputError(where, f"row {i + 1}: {currency!r} is not an ISO 4217 currency code")
    return {"value": _number(_need(row, "value", where, i), where, i, "value"), "currency": currency,
            "value_date": row.get("value_date") or None}


def _participant(row: Row, where: str, i: int) -> dict[str, Any]:
    role = _need(row, "role", where, i)
    if role not in ROLES:
        raise InputError(where, f"row {i + 1}: role {role!r} is not one of {', '.join(ROLES)}")
    country = row.get("country") or None
    return {"name": _need(row, "name", where, i), "role": role,
            "country": _country(country, where, i) if country else None, "org_id": row.get("org_id") or None}


def _place(row: Row, where: str, i: int, gazetteer: Gazetteer | None) -> dict[str, Any]:
    name = _need(row, "name", where, i)
    country = _country(row["country"], where, i) if row.get("country") else None
    found = gazetteer.lookup(name, country) if gazetteer is not None else []
    if not found:
        return {"name": name, "country": country, "admin1": None, "lat": None, "lon": None, "geonames_id": None}
    e = found[0]
    return {"name": e.name, "country": e.country, "admin1": e.admin1, "lat": e.lat, "lon": e.lon,
            "geonames_id": e.geonames_id}


def _sector(row: Row, where: str, i: int) -> dict[str, Any]:
    code = _need(row, "code", where, i).split()[0]
    vocabulary = "1" if code in codelists()["Sector"] else ("2" if code in codelists()["SectorCategory"] else "")
    if not vocabulary:
        raise InputError(where, f"row {i + 1}: {code!r} is not a DAC sector (5 digits) or category (3 digits) code")
    pct = row.get("percentage")
    return {"code": code, "vocabulary": vocabulary,
            "percentage": _number(pct, where, i, "percentage") if pct else None}


def _items(field: str, rows: Sequence[Row], where: str) -> list[Any]:
    groups: dict[str, list[Row]] = {}
    for i, r in enumerate(rows):
        _need(r, "text", where, i)
        groups.setdefault(r.get("item") or f"new-{i}", []).append(r)
    out: list[Any] = []
    for group in groups.values():
        text: Any = group[0]["text"] if len(group) == 1 and not group[0].get("lang") else \
            {r.get("lang") or "und": r["text"] for r in group}
        if field == "target_groups":
            counts = [r["count"] for r in group if r.get("count")]
            if counts and not counts[0].isdigit():
                raise InputError(where, f"count {counts[0]!r} is not a whole number")
            out.append({"text": text, "count": int(counts[0]) if counts else None})
        else:
            out.append(text)
    return out


def check_codes(field: str, value: Any) -> None:
    """Codes in a field's JSON value (from the form or the API) are checked against the IATI codelists."""
    where = LABELS.get(field, field)
    if field == "countries":
        for i, code in enumerate(value or []):
            _country(str(code), where, i)
    elif field == "participants":
        for i, p in enumerate(value or []):
            if isinstance(p, dict) and p.get("country"):
                _country(str(p["country"]), where, i)
    elif field == "sectors":
        for i, s in enumerate(value or []):
            if isinstance(s, dict) and s.get("vocabulary", "1") in ("1", "2"):
                _sector({"code": str(s.get("code", ""))}, where, i)
    elif field in ("budget", "equivalents"):
        for i, m in enumerate([value] if isinstance(value, dict) else (value or [])):
            if isinstance(m, dict) and str(m.get("currency", "")).upper() not in codelists()["Currency"]:
                raise InputError(where, f"row {i + 1}: {m.get('currency')!r} is not an ISO 4217 currency code")
