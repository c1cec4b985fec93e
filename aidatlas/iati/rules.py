"""IATI rules the schema cannot express, checked on one `iati-activity` element at a time.

Codes must be on their codelists; end dates may not precede start dates; recipient country and region
percentages sum to 100; budget periods should not exceed a year; a reporting-org must be named. Each
finding is a `Finding(severity, line, code, message)`; the validator adds the file and activity.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Literal, NamedTuple

from aidatlas.iati import mapping as m
from aidatlas.iati.stream import Element, line_of
from aidatlas.reference.codelists import Codelists

Severity = Literal["error", "warning"]

CODED: tuple[tuple[str, str, str], ...] = (
    # (XPath from the activity, attribute, codelist)
    ("participating-org", "role", "OrganisationRole"),
    ("participating-org", "type", "OrganisationType"),
    ("reporting-org", "type", "OrganisationType"),
    ("transaction/provider-org", "type", "OrganisationType"),
    ("transaction/receiver-org", "type", "OrganisationType"),
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("recipient-country", "code", "Country"),
    ("transaction/recipient-country", "code", "Country"),
    ("description", "type", "DescriptionType"),
    ("budget", "type", "BudgetType"),
    ("budget", "status", "BudgetStatus"),
    ("transaction/transaction-type", "code", "TransactionType"),
)
CURRENCY_PATHS = ("budget/value", "planned-disbursement/value", "transaction/value")


class Finding(NamedTuple):
    severity: Severity
    line: int | None
    code: str
    message: str


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _child_date(parent: Element, tag: str) -> date | None:
    child = parent.find(tag)
    return _date(child.get("iso-date")) if child is not None else None


class Rules:
    """The rule checks, with codelists and vocabulary codes resolved once."""

    def __init__(self, cl: Codelists) -> None:
        self.cl = cl
        when = cl["ActivityDateType"]
        self.pairs = ((when.code(m.PLANNED_START), when.code(m.PLANNED_END)),
                      (when.code(m.ACTUAL_START), when.code(m.ACTUAL_END)))
        sector_vocab = cl["SectorVocabulary"]
        self.sector_lists = {sector_vocab.code(m.SECTOR_VOCABULARY): "Sector",
                             sector_vocab.code("OECD DAC CRS Purpose Codes (3 digit)"): "SectorCategory"}
        self.default_sector_vocabulary = sector_vocab.code(m.SECTOR_VOCABULARY)
        self.region_vocabulary = cl.code("RegionVocabulary", "OECD DAC")

    def check(self, el: Element) -> Iterator[Finding]:
        yield from self.reporting_org(el)
        yield from self.codes(el)
        yield from self.dates(el)
        yield from self.percentages(el)
        yield from self.budgets(el)

    def _code(self, element: Element, attribute: str, codelist: str) -> Iterator[Finding]:
        value = element.get(attribute)
        if value is None:
            return
        code = value.strip()
        found = self.cl[codelist]
        if code not in found:
            yield Finding("error", line_of(element), "unknown-code",
                          f"{element.tag}/@{attribute} {code!r} is not on the {codelist} codelist")
        elif found.is_withdrawn(code):
            yield Finding("warning", line_of(element), "withdrawn-code",
                          f"{element.tag}/@{attribute} {code!r} is withdrawn from the {codelist} codelist")

    def codes(self, el: Element) -> Iterator[Finding]:
        for path, attribute, codelist in CODED:
            for element in el.iterfind(path):
                yield from self._code(element, attribute, codelist)
        for sector in el.iterfind("sector"):
            vocabulary = (sector.get("vocabulary") or self.default_sector_vocabulary).strip()
            if vocabulary in self.sector_lists:
                yield from self._code(sector, "code", self.sector_lists[vocabulary])
        for region in el.iterfind("recipient-region"):
            if (region.get("vocabulary") or self.region_vocabulary).strip() == self.region_vocabulary:
                yield from self._code(region, "code", "Region")
        default_currency = el.get("default-currency")
        yield from self._code(el, "default-currency", "Currency")
        for path in CURRENCY_PATHS:
            for value in el.iterfind(path):
                if value.get("currency") is not None:
                    yield from self._code(value, "currency", "Currency")
                elif not default_currency:
                    yield Finding("error", line_of(value), "currency-missing",
                                  f"{path} has no @currency and the activity no @default-currency")

    def reporting_org(self, el: Element) -> Iterator[Finding]:
        org = el.find("reporting-org")
        if org is None:
            yield Finding("error", line_of(el), "reporting-org-missing", "the activity has no reporting-org")
        elif not (org.get("ref") or "").strip():
            yield Finding("error", line_of(org), "reporting-org-missing", "reporting-org has no @ref")

    def dates(self, el: Element) -> Iterator[Finding]:
        found: dict[str, tuple[date, int | None]] = {}
        for d in el.iterfind("activity-date"):
            day = _date(d.get("iso-date"))
            if day is not None:
                found.setdefault((d.get("type") or "").strip(), (day, line_of(d)))
        for start_code, end_code in self.pairs:
            if start_code in found and end_code in found and found[end_code][0] < found[start_code][0]:
                kind = "planned" if start_code == self.pairs[0][0] else "actual"
                (start, _), (end, line) = found[start_code], found[end_code]
                yield Finding("error", line, "end-before-start",
                              f"{kind} end {end} is before {kind} start {start}")

    def percentages(self, el: Element) -> Iterator[Finding]:
        shares = [*el.iterfind("recipient-country"), *el.iterfind("recipient-region")]
        if len(shares) < 2 and not any(s.get("percentage") for s in shares):
            return
        given = [s for s in shares if (s.get("percentage") or "").strip()]
        if len(given) < len(shares) and len(shares) > 1:
            missing = len(shares) - len(given)
            yield Finding("warning", line_of(shares[0]), "percentage-missing",
                          f"{missing} of {len(shares)} recipient countries/regions give no percentage")
        try:
            total = sum(float((s.get("percentage") or "0").strip()) for s in given)
        except ValueError:
            return  # the schema reports the non-decimal
        if given and abs(total - 100) > 0.01:
            yield Finding("error", line_of(given[0]), "percentage-sum",
                          f"recipient country and region percentages sum to {total:g}, not 100")

    def budgets(self, el: Element) -> Iterator[Finding]:
        for budget in el.iterfind("budget"):
            start, end = _child_date(budget, "period-start"), _child_date(budget, "period-end")
            if start is None or end is None:
                continue
            if end < start:
                yield Finding("error", line_of(budget), "budget-period-reversed",
                              f"budget period ends ({end}) before it starts ({start})")
            elif end > _year_after(start):
                yield Finding("warning", line_of(budget), "budget-period-over-a-year",
                              f"budget period {start} to {end} is longer than a year")


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28) if day.year < date.max.year else date.max
