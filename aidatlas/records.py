"""Shared types: `Document` (a loaded source), `Draft` (what it says, raw), `Activity` (normalized, the API shape).

They sit on the bottom floor so that ingest, normalize, db and web all import them from here.

`Activity.to_json()` is the contract of `../shared/eval/record.schema.json`: the extract command, the JSON
export and the API all emit it. Nothing unnormalized reaches the store: extraction produces `Draft`s,
`aidatlas.normalize.draft.normalize_draft` turns them into `Activity`s.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator

Kind = Literal["project", "follow-up", "core-support", "event", "programme"]
Role = Literal["funder", "extending", "applicant", "partner", "affiliate", "implementer"]
KINDS: tuple[str, ...] = ("project", "follow-up", "core-support", "event", "programme")
ROLES: tuple[str, ...] = ("funder", "extending", "applicant", "partner", "affiliate", "implementer")

Localized = dict[str, str]
"""A narrative in one or more languages: {"en": "...", "bs": "..."}. Keys are ISO 639-1 (+ script)."""
TextItem = str | Localized
Span = tuple[int, int]

_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_ISO4217 = re.compile(r"^[A-Z]{3}$")


def _iso2(value: str) -> str:
    if not _ISO2.match(value):
        raise ValueError(f"country {value!r} is not ISO 3166-1 alpha-2")
    return value


Country = Annotated[str, AfterValidator(_iso2)]
"""ISO 3166-1 alpha-2; XK for Kosovo"""


@dataclass(frozen=True)
class Document:
    """One source document, loaded. `text` is what extraction reads and what spans point into."""

    name: str
    media_type: str
    content: bytes
    text: str
    page_starts: list[int] = field(default_factory=lambda: [0])
    """character offset where each page begins (one entry for unpaged formats)"""
    encoding: str | None = None
    path: str | None = None

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def page_of(self, offset: int) -> int:
        """1-based page number of a character offset."""
        page = 1
        for i, start in enumerate(self.page_starts, start=1):
            if offset >= start:
                page = i
        return page


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=True)


def _check_localized(value: Localized) -> Localized:
    if not value:
        raise ValueError("a localized text needs at least one language")
    for lang, text in value.items():
        if not _LANG.match(lang):
            raise ValueError(f"bad language tag {lang!r}")
        if not text:
            raise ValueError(f"empty text for language {lang!r}")
    return value


def _check_text_item(value: TextItem) -> TextItem:
    if isinstance(value, str):
        if not value:
            raise ValueError("empty text")
        return value
    return _check_localized(value)


def texts_of(item: TextItem | None) -> list[str]:
    """Every language version of a text item."""
    if item is None:
        return []
    return [item] if isinstance(item, str) else list(item.values())


class Money(_Model):
    value: float = Field(ge=0)
    currency: str
    value_date: str | None = None

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        if not _ISO4217.match(v):
            raise ValueError(f"currency {v!r} is not ISO 4217")
        return v

    @field_validator("value_date")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is not None and not _DATE.match(v):
            raise ValueError(f"value_date {v!r} is not an ISO date")
        return v


class Participant(_Model):
    name: str = Field(min_length=1)
    role: Role
    country: Country | None = None
    org_id: str | None = None


class Place(_Model):
    name: str = Field(min_length=1)
    country: Country | None = None
    admin1: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    geonames_id: int | None = None


class Dates(_Model):
    start: str | None = None
    end: str | None = None
    announced: str | None = None

    @field_validator("start", "end", "announced")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is not None and not _DATE.match(v):
            raise ValueError(f"date {v!r} is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)")
        return v

    def is_empty(self) -> bool:
        return self.start is None and self.end is None and self.announced is None


class FundingShare(_Model):
    org: str
    share: float = Field(ge=0, le=1)


class TargetGroup(_Model):
    text: TextItem
    count: int | None = Field(default=None, ge=0)

    _v = field_validator("text")(classmethod(lambda cls, v: _check_text_item(v)))


class Sector(_Model):
    code: str
    vocabulary: str = "1"
    percentage: float | None = None


class Source(_Model):
    """Where a record came from: the document (basename or URL), its content hash, and per-field spans.

    `spans` maps a field name (`title`, `budget`, `participants.2`, `objectives.0` ...) to a list of
    [start, end) character offsets in the document's text; `pages` maps the same keys to page numbers
    for paged formats (PDF).
    """

    document: str
    sha256: str | None = None
    spans: dict[str, list[Span]] = Field(default_factory=dict)
    pages: dict[str, int] = Field(default_factory=dict)


Origin = Literal["labels", "listing", "prose", "event", "programme", "iati", "edit"]


class Confidence(_Model):
    """How sure extraction is of a record and of each field it filled (0–1), and whether an editor should look.

    Explainable by construction: each figure comes from how the value was read (a labelled field, a list,
    a prose cue, a fallback), see `aidatlas.normalize.confidence`."""

    record: float = Field(ge=0, le=1)
    fields: dict[str, float] = Field(default_factory=dict)
    needs_review: bool = False


@dataclass(frozen=True)
class IatiSource:
    """An imported activity as its publisher wrote it: the XML of its `iati-activity` element (as written, the
    file's `xml:lang` made its own when inherited), and the record's `content_digest()` when it was read
    (key order free: the store gives a text's languages back in its own order). The IATI export
    writes the element itself while the record is unchanged (`digest` still matches), so everything the 2.03
    schema defines survives import → store → export; a changed record is written from its fields, keeping
    the element's own reporting-org, default-currency, last-updated-datetime and xml:lang."""

    xml: str
    digest: str


def _iso_date(value: str) -> str:
    if not _DATE.match(value):
        raise ValueError(f"date {value!r} is not an ISO date")
    return value


def _currency(value: str) -> str:
    if not _ISO4217.match(value):
        raise ValueError(f"currency {value!r} is not ISO 4217")
    return value


IsoDate = Annotated[str, AfterValidator(_iso_date)]
Currency = Annotated[str, AfterValidator(_currency)]


class _Flow(_Model):
    """What a transaction and a planned disbursement share: an amount (negative for a reversal), its
    currency and value date, and the organisations it goes from and to, as the publisher wrote them."""

    value: float
    currency: Currency | None = None
    """None when neither the value nor the activity names one: kept, listed, never converted"""
    value_date: IsoDate | None = None
    provider_name: str | None = None
    provider_ref: str | None = None
    receiver_name: str | None = None
    receiver_ref: str | None = None


class Transaction(_Flow):
    """One IATI transaction: a commitment, a disbursement, an expenditure … (`type`: TransactionType code)."""

    type: str
    date: IsoDate | None = None
    ref: str | None = None
    description: Annotated[Localized, AfterValidator(_check_localized)] | None = None
    sector_code: str | None = None
    sector_vocabulary: str | None = None
    recipient_country: Country | None = None


class PlannedDisbursement(_Flow):
    """Money a funder plans to pay in a period (`type`: BudgetType code, original or revised)."""

    type: str | None = None
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None


class Activity(_Model):
    """One normalized activity; mirrors record.schema.json."""

    id: str | None = None
    kind: Kind
    title: Localized
    description: Localized | None = None
    programme: str | None = None
    part_of: str | None = None
    """id of the programme record this activity belongs to, when the registry holds one"""
    iati_identifier: str | None = None
    status: str | None = None
    countries: list[Country] = Field(default_factory=list)
    locations: list[Place] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    budget: Money | None = None
    equivalents: list[Money] = Field(default_factory=list)
    funding_shares: list[FundingShare] = Field(default_factory=list)
    dates: Dates = Field(default_factory=Dates)
    objectives: list[TextItem] = Field(default_factory=list)
    results: list[TextItem] = Field(default_factory=list)
    activities: list[TextItem] = Field(default_factory=list)
    beneficiaries: list[TextItem] = Field(default_factory=list)
    target_groups: list[TargetGroup] = Field(default_factory=list)
    sectors: list[Sector] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    source: Source
    last_updated: str | None = None
    """ISO datetime of the source's own last update (IATI last-updated-datetime)"""
    confidence: Confidence | None = None
    """set for records read from documents; None for IATI imports (the publisher's own data)"""
    transactions: list[Transaction] = Field(default_factory=list)
    """the money flows an IATI activity reports, in the publisher's order"""
    planned_disbursements: list[PlannedDisbursement] = Field(default_factory=list)
    _iati_source: IatiSource | None = PrivateAttr(default=None)
    """an imported activity's own `iati-activity` element (not part of the record's JSON): see `IatiSource`"""

    _title = field_validator("title")(classmethod(lambda cls, v: _check_localized(v)))

    @field_validator("description")
    @classmethod
    def _description(cls, v: Localized | None) -> Localized | None:
        return None if v is None else _check_localized(v)

    @field_validator("objectives", "results", "activities", "beneficiaries")
    @classmethod
    def _text_lists(cls, v: list[TextItem]) -> list[TextItem]:
        return [_check_text_item(x) for x in v]

    @field_validator("countries")
    @classmethod
    def _countries(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(v))

    @field_validator("languages")
    @classmethod
    def _languages(cls, v: list[str]) -> list[str]:
        for lang in v:
            if not _LANG.match(lang):
                raise ValueError(f"bad language tag {lang!r}")
        return list(dict.fromkeys(v))

    def to_json(self) -> dict[str, Any]:
        """The record as record.schema.json describes it: empty optional fields left out."""
        data = self.model_dump(mode="json", exclude_none=True)
        for key in [k for k, v in data.items() if v in ([], {})]:
            del data[key]
        data["source"] = self.source.model_dump(mode="json", exclude_none=True)
        return data

    def content_digest(self) -> str:
        """SHA-256 of the record's JSON: what tells a changed record from the one that was stored or imported."""
        payload = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @property
    def iati_source(self) -> IatiSource | None:
        return self._iati_source

    @iati_source.setter
    def iati_source(self, source: IatiSource | None) -> None:
        self._iati_source = source

    def primary_title(self) -> str:
        return self.title.get("en") or next(iter(self.title.values()))


def stable_id(prefix: str, *parts: str | int) -> str:
    """A short id derived from content, so that re-ingesting the same input yields the same id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:16]}"


# ----------------------------------------------------------------------------- drafts
class Snippet(_Model):
    """A piece of source text with its place in the document's text: [start, end)."""

    text: str
    start: int
    end: int
    lang: str | None = None


class DraftParticipant(_Model):
    name: Snippet
    role: Role
    country_hint: str | None = None
    """ISO code of the country the document gives beside the name (`NGO X, Partner, Montenegro`)"""
    aliases: list[Snippet] = Field(default_factory=list)
    """the same organisation as another language version of the document names it"""


class DraftTargetGroup(_Model):
    text: list[Snippet]
    count: int | None = None


class Draft(_Model):
    """What one part of a document says about one activity, before normalization: raw strings + spans.

    Multilingual items are lists of `Snippet`s (one per language version). Normalization parses money and
    dates, resolves places and organisations, detects languages and fills countries.
    """

    kind: Kind
    title: list[Snippet]
    origin: Origin = "prose"
    """how the record was found: a labelled sheet, a list (table, bullets), or prose"""
    description: list[Snippet] = Field(default_factory=list)
    programme: Snippet | None = None
    participants: list[DraftParticipant] = Field(default_factory=list)
    budget: list[Snippet] = Field(default_factory=list)
    """sentences that state the total (several languages may state the same total)"""
    budget_parts: list[Snippet] = Field(default_factory=list)
    """amounts whose sum is the total when no sentence states it (`260.000 евра … ЕУ, а 40.000 евра … Општината`)"""
    shares: list[Snippet] = Field(default_factory=list)
    dates: dict[str, list[Snippet]] = Field(default_factory=dict)
    """start/end/announced/period -> source snippets; `period` holds a range like `January 2021 – 2023`"""
    places: list[Snippet] = Field(default_factory=list)
    """text regions to search for places (not single names: a region may list several)"""
    country_text: list[Snippet] = Field(default_factory=list)
    """text regions whose country names count for the record's countries"""
    context_text: list[Snippet] = Field(default_factory=list)
    """text around the record (a list's lead paragraph): its countries count only when the record names none"""
    country_codes: list[str] = Field(default_factory=list)
    """countries known from the document's structure (a country heading above the record)"""
    objectives: list[list[Snippet]] = Field(default_factory=list)
    results: list[list[Snippet]] = Field(default_factory=list)
    activities: list[list[Snippet]] = Field(default_factory=list)
    beneficiaries: list[list[Snippet]] = Field(default_factory=list)
    target_groups: list[DraftTargetGroup] = Field(default_factory=list)
    target_text: list[Snippet] = Field(default_factory=list)
    """sentences that describe target groups, to be read for counts"""
    body: list[Snippet] = Field(default_factory=list)
    """all the text that belongs to this record (for sectors, languages, fallbacks)"""
