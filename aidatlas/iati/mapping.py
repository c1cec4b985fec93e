"""How registry concepts map onto IATI 2.03, shared by the writer and the reader so the round trip agrees.

Codelist items are named here ("Funding", "Objectives"); their codes are looked up in the codelist files.
Also the small value conversions both directions need: text cleaning, dates with partial precision,
decimals, datetimes and language tags.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from aidatlas.records import Role

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IATI_VERSION = "2.03"
FALLBACK_LANGUAGE = "en"
"""narratives without a language take the activity's; files that declare none are read as English"""

ROLE_ITEM: dict[str, str] = {
    "funder": "Funding", "applicant": "Accountable", "extending": "Extending",
    "implementer": "Implementing", "partner": "Implementing", "affiliate": "Implementing",
}
ROLE_OF_ITEM: dict[str, Role] = {"Funding": "funder", "Accountable": "applicant", "Extending": "extending",
                                 "Implementing": "implementer"}
EMPTY_PARTICIPANT_ROLE = "Funding"
"""participating-org is required by the schema: a record without participants gets one empty funder slot."""

DESCRIPTION_GENERAL, DESCRIPTION_OBJECTIVES = "General", "Objectives"
DESCRIPTION_TARGET_GROUPS, DESCRIPTION_OTHER = "Target Groups", "Other"
"""objectives → Objectives, target groups and beneficiaries → Target Groups, activities → Other"""
RESULT_TYPE, INDICATOR_MEASURE = "Outcome", "Qualitative"
BUDGET_TYPE, BUDGET_STATUS = "Original", "Indicative"
PLANNED_START, ACTUAL_START = "Planned start", "Actual start"
PLANNED_END, ACTUAL_END = "Planned End", "Actual end"
STATUS_PIPELINE, STATUS_IMPLEMENTATION, STATUS_FINALISATION, STATUS_CLOSED, STATUS_CANCELLED = (
    "Pipeline/identification", "Implementation", "Finalisation", "Closed", "Cancelled")
SECTOR_VOCABULARY = "OECD DAC CRS Purpose Codes (5 digit)"
"""the vocabulary IATI assumes when a sector gives none"""
REPORTING_ORG_TYPE = "Other"
"""OrganisationType of the registry as reporting-org, until Settings carries one"""
GEONAMES, ISO_COUNTRY = "Geonames", "ISO Country (3166-1 alpha-2)"
TAG_VOCABULARY = "Reporting Organisation"
KIND_TAG_URI, PROGRAMME_TAG_URI = "urn:aidatlas:kind", "urn:aidatlas:programme"
"""reporting-organisation tags (vocabulary 99) that carry the record kind and the programme name"""
PARENT_RELATION, CHILD_RELATION = "Parent", "Child"
SRS_NAME = "http://www.opengis.net/def/crs/EPSG/0/4326"
NOT_STATED = "not stated"
"""narrative of the placeholder activity-date written when a record has no dates (the schema needs one)"""

_INVALID_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PARTIAL = re.compile(r"^[0-9]{4}(-[0-9]{2})?$")
_FULL = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LANG = re.compile(r"^([a-z]{2,3})(-[A-Za-z]{2,4})?$")


def clean_text(text: str) -> str:
    """Narrative text as written: XML-safe, stripped, never empty (U+FFFD stands in for nothing)."""
    return _INVALID_XML.sub("\ufffd", text).strip() or "\ufffd"


def clean_code(text: str) -> str:
    """An attribute value: XML-safe and stripped (may be empty)."""
    return _INVALID_XML.sub("\ufffd", text).strip()


@lru_cache(maxsize=1024)
def language(tag: str | None) -> str | None:
    """A language tag the record model accepts (`en`, `sr-Cyrl`), or None."""
    if not tag:
        return None
    tag = tag.strip()
    primary, _, rest = tag.partition("-")
    candidate = primary.lower() + (f"-{rest}" if rest else "")
    if _LANG.match(candidate):
        return candidate
    return primary.lower() if _LANG.match(primary.lower()) else None


def complete_date(value: str | None, *, end: bool) -> tuple[str, str | None] | None:
    """(YYYY-MM-DD, partial) for a date of any precision: a year or month is completed to its first day
    (start) or last day (end); `partial` is the precision actually known ("2021", "2021-03") or None when
    the date was complete. An impossible date falls back to the precision that is valid; None if none is."""
    if not value:
        return None
    parts = value.split("-")
    while parts:
        try:
            year = int(parts[0])
            if len(parts) == 3:
                return date(year, int(parts[1]), int(parts[2])).isoformat(), None
            if len(parts) == 2:
                month = int(parts[1])
                day = calendar.monthrange(year, month)[1] if end else 1
                return date(year, month, day).isoformat(), f"{year:04d}-{month:02d}"
            return date(year, 12 if end else 1, 31 if end else 1).isoformat(), f"{year:04d}"
        except (ValueError, calendar.IllegalMonthError):
            parts = parts[:-1]
    return None


def read_date(iso_date: str | None, narrative: str | None) -> str | None:
    """The inverse of `complete_date`: a narrative like "2021" that agrees with the iso-date restores it."""
    if not iso_date or not _FULL.match(iso_date.strip()):
        return None
    iso = iso_date.strip()[:10]
    text = (narrative or "").strip()
    if _PARTIAL.match(text) and iso.startswith(text):
        return text
    return iso


def decimal_text(value: float | Decimal) -> str | None:
    """An xsd:decimal for a number (no exponent); None for infinities and NaN, which IATI cannot hold."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if not number.is_finite():
        return None
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def normalize_datetime(value: str | None) -> str | None:
    """An xsd:dateTime (seconds precision, time zone kept) for an ISO date or datetime; None if unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    offset = parsed.utcoffset()
    if offset is not None and (offset.seconds % 60 or abs(offset) > timedelta(hours=14)):
        try:  # xsd:dateTime offsets are whole minutes within ±14:00
            parsed = parsed.astimezone(UTC)
        except OverflowError:
            return None
    return parsed.replace(microsecond=0).isoformat()
