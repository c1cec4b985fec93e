"""IATI `transaction` and `planned-disbursement` elements ↔ the record's `Transaction` / `PlannedDisbursement`.

One bad flow never costs its activity: a transaction without a readable value or type is left out and a
warning names the activity and the line; a bad currency or date is dropped from the flow, which is kept
(its amount is then listed as unconverted). Reader and writer live together so the round trip agrees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from lxml import etree
from pydantic import ValidationError

from aidatlas.iati import mapping as m
from aidatlas.iati.stream import Element, line_of
from aidatlas.records import Localized, PlannedDisbursement, Transaction

_ISO4217 = re.compile(r"^[A-Z]{3}$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
Texts = Callable[[Element | None], Localized]
"""the reader's narratives-by-language of an element (activity language inherited)"""


def _attr(element: Element | None, name: str) -> str:
    return (element.get(name) or "").strip() if element is not None else ""


def _value(text: str | None) -> float | None:
    try:
        number = float((text or "").strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


class FlowReader:
    """Reads the flows of one activity; `warnings` collects what was left out or dropped, and why."""

    def __init__(self, identifier: str, default_currency: str | None, texts: Texts,
                 warnings: list[str]) -> None:
        self.identifier = identifier
        self.default_currency = default_currency
        self.texts = texts
        self.warnings = warnings

    def _warn(self, element: Element, what: str) -> None:
        self.warnings.append(f"activity {self.identifier}: {element.tag} on line {line_of(element)}: {what}")

    def _date(self, element: Element, raw: str, what: str) -> str | None:
        if not raw:
            return None
        found = _checked_date(raw)
        if found is None:
            self._warn(element, f"{what} {raw!r} is not a date; left empty")
        return found

    def _money(self, element: Element, parts: dict[str, Element]) -> dict[str, Any] | None:
        value_el = parts.get("value")
        value = _value(value_el.text if value_el is not None else None)
        if value is None:
            self._warn(element, "no readable value; left out")
            return None
        currency = _attr(value_el, "currency").upper() or self.default_currency
        if currency and not _ISO4217.match(currency):
            self._warn(element, f"currency {currency!r} is not ISO 4217; kept unconverted")
            currency = None
        out: dict[str, Any] = {"value": value, "currency": currency,
                               "value_date": self._date(element, _attr(value_el, "value-date"), "value-date")}
        for side in ("provider", "receiver"):
            org = parts.get(f"{side}-org")
            if org is not None:
                texts = self.texts(org)
                out[f"{side}_name"] = next(iter(texts.values()), None)
                out[f"{side}_ref"] = _attr(org, "ref") or None
        return out

    def transaction(self, element: Element) -> Transaction | None:
        parts = _children(element)
        kind = _attr(parts.get("transaction-type"), "code")
        if not kind:
            self._warn(element, "no transaction-type code; left out")
            return None
        money = self._money(element, parts)
        if money is None:
            return None
        sector = parts.get("sector")
        country = _attr(parts.get("recipient-country"), "code").upper() or None
        if country and not _ISO2.match(country):
            self._warn(element, f"recipient-country {country!r} is not ISO 3166-1 alpha-2; left empty")
            country = None
        description = self.texts(parts.get("description")) or None
        day = self._date(element, _attr(parts.get("transaction-date"), "iso-date"), "transaction-date")
        try:
            return Transaction(
                type=kind, date=day, ref=_attr(element, "ref") or None, description=description,
                sector_code=_attr(sector, "code") or None, sector_vocabulary=_attr(sector, "vocabulary") or None,
                recipient_country=country, **money)
        except ValidationError as exc:  # checked above; a safety net, so one flow never stops its activity
            self._warn(element, f"{exc.errors()[0]['msg']}; left out")
            return None

    def planned(self, element: Element) -> PlannedDisbursement | None:
        parts = _children(element)
        money = self._money(element, parts)
        if money is None:
            return None
        try:
            return PlannedDisbursement(
                type=_attr(element, "type") or None,
                period_start=self._date(element, _attr(parts.get("period-start"), "iso-date"), "period-start"),
                period_end=self._date(element, _attr(parts.get("period-end"), "iso-date"), "period-end"), **money)
        except ValidationError as exc:
            self._warn(element, f"{exc.errors()[0]['msg']}; left out")
            return None

    def read(self, activity: Element) -> tuple[list[Transaction], list[PlannedDisbursement]]:
        transactions = [t for el in activity.iterfind("transaction") if (t := self.transaction(el))]
        planned = [p for el in activity.iterfind("planned-disbursement") if (p := self.planned(el))]
        return transactions, planned


def _children(element: Element) -> dict[str, Element]:
    """The first child of each tag, in one pass (a flow has a handful of children)."""
    found: dict[str, Element] = {}
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            found.setdefault(tag, child)
    return found


@lru_cache(maxsize=8192)
def _checked_date(raw: str) -> str | None:
    """An iso-date as the record keeps it, or None when it is not a real day (2009-13-45)."""
    found = m.read_date(raw, None)
    if found is not None and m.complete_date(found, end=False) != (found, None):
        return None
    return found


# ---------------------------------------------------------------------------- writing
def _complete(*dates: str | None) -> str | None:
    for d in dates:
        done = m.complete_date(d, end=False)
        if done:
            return done[0]
    return None


def _sub(parent: Element, tag: str, attrib: dict[str, str] | None = None) -> Element:
    return etree.SubElement(parent, tag, attrib or {})


def _orgs(parent: Element, flow: Transaction | PlannedDisbursement) -> None:
    for side in ("provider", "receiver"):
        name, ref = getattr(flow, f"{side}_name"), getattr(flow, f"{side}_ref")
        if name or ref:
            org = _sub(parent, f"{side}-org", {"ref": m.clean_code(ref)} if ref else None)
            if name:
                _sub(org, "narrative").text = m.clean_text(name)


def _write_value(parent: Element, flow: Transaction | PlannedDisbursement, day: str) -> None:
    attrs = {"currency": flow.currency} if flow.currency else {}
    attrs["value-date"] = _complete(flow.value_date) or day
    _sub(parent, "value", attrs).text = m.decimal_text(flow.value) or "0"


def write_planned(act: Element, flows: list[PlannedDisbursement], fallback: str) -> None:
    """`planned-disbursement` elements (after the budget: the schema's order); a missing period start falls
    back to the value date, then `fallback` (the activity's start or last update)."""
    for p in flows:
        start = _complete(p.period_start, p.value_date) or fallback
        element = _sub(act, "planned-disbursement", {"type": p.type} if p.type else None)
        _sub(element, "period-start", {"iso-date": start})
        if end := _complete(p.period_end):
            _sub(element, "period-end", {"iso-date": end})
        _write_value(element, p, start)
        _orgs(element, p)


def write_transactions(act: Element, flows: list[Transaction], fallback: str,
                       narratives: Callable[[Element, Localized], None]) -> None:
    """`transaction` elements in the schema's child order; a missing date falls back like `write_planned`."""
    for t in flows:
        day = _complete(t.date, t.value_date) or fallback
        element = _sub(act, "transaction", {"ref": m.clean_code(t.ref)} if t.ref else None)
        _sub(element, "transaction-type", {"code": t.type})
        _sub(element, "transaction-date", {"iso-date": day})
        _write_value(element, t, day)
        if t.description:
            narratives(_sub(element, "description"), t.description)
        _orgs(element, t)
        if t.sector_code:
            attrs = {"vocabulary": t.sector_vocabulary} if t.sector_vocabulary else {}
            _sub(element, "sector", {**attrs, "code": t.sector_code})
        if t.recipient_country:
            _sub(element, "recipient-country", {"code": t.recipient_country})
