"""The API's response and error bodies as pydantic models: OpenAPI (`/openapi.json`, `/docs`) is generated from
them, the registry's endpoints return through them (`response_model`), the grants endpoints document theirs
(`web/grants/schemas.py`, with `answers`), and `tests/test_web_api_strict.py` checks every documented
endpoint's real answer against its schema. Models allow keys they do not name (a new key is not a break);
the keys they name are required as typed.

The activity record is not restated here: `ActivityRecord` is built from `aidatlas/record.schema.json`, the
same contract the extractor's output and the JSON export follow.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel
from pydantic.json_schema import GetJsonSchemaHandler, JsonSchemaValue
from pydantic_core import CoreSchema


class Schema(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


# ------------------------------------------------------------------ the record
def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with each `#/$defs/X` replaced by X itself (the record schema's definitions do not recurse),
    so it can sit inside OpenAPI's components, where `#/$defs/…` would point nowhere."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.rsplit("/", 1)[-1]], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k not in ("$defs", "$schema", "$id", "$comment")}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


@cache
def record_schema() -> dict[str, Any]:
    """`record.schema.json` with its definitions inlined (read on first use)."""
    schema = json.loads(files("aidatlas").joinpath("record.schema.json").read_text(encoding="utf-8"))
    return dict(_inline(schema, schema.get("$defs", {})))


class ActivityRecord(RootModel[dict[str, Any]]):
    """One activity as `Activity.to_json()` gives it; its schema is the record schema."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return record_schema()


# ------------------------------------------------------------------ errors
class ValidationItem(Schema):
    loc: list[str | int]
    msg: str


class ErrorBody(Schema):
    """Every error the API answers with (status in the HTTP line): `error` is a stable code
    (`invalid_parameter`, `not_found`, `bad_request`, `login_required`, `forbidden`, `busy` …), `detail` says
    what was wrong. An invalid parameter also names it, the value sent and what is allowed."""

    error: str
    detail: str | list[ValidationItem]
    parameter: str | None = Field(None, description="the parameter refused (invalid_parameter only)")
    value: str | None = Field(None, description="the value sent, when there was one")
    allowed: list[str] | None = Field(None, description="the parameter names or values it takes; null: see detail")


# ------------------------------------------------------------------ shared parts
class PageLinks(Schema):
    self_: str = Field(alias="self")
    first: str
    last: str
    next: str | None
    prev: str | None


class Paged(Schema):
    """The envelope of every paginated list (`aidatlas.web.paging.paged`)."""

    total: int = Field(description="items in the whole list")
    page: int
    per_page: int
    pages: int
    links: PageLinks


class FlowTotal(Schema):
    eur: float
    by_currency: dict[str, float]
    transactions: int
    unconverted: int


class Aggregate(Schema):
    """A group of activities (a country, funder, year …) with its budgets in EUR and in original currencies."""

    value: str | int | None
    label: str | None
    activities: int
    eur: float
    by_currency: dict[str, float]
    unconverted: int


class Totals(Aggregate):
    committed: FlowTotal
    disbursed: FlowTotal


class Point(Schema):
    name: str
    country: str | None
    lat: float
    lon: float


class PlaceRef(Schema):
    name: str
    activities: int
    url: str


class Latest(Schema):
    total: int
    latest: list[ActivityRecord]


# ------------------------------------------------------------------ activities and search
class SearchEcho(Schema):
    q: str
    filters: dict[str, list[str]]
    sort: str
    min_eur: float | None
    max_eur: float | None
    from_: str | None = Field(alias="from")
    to: str | None


class FacetCount(Schema):
    value: str
    label: str
    count: int
    selected: bool
    adds: bool = Field(False, description="`count` is how many activities choosing the value would add "
                                          "(a facet that already has a choice: OR within a facet)")


class Suggestions(Schema):
    """Offered when the words found nothing."""
    did_you_mean: list[str] = Field(description="corrected queries that find something with the same filters")
    any_words: str | None = Field(description="the query with any of its words (`a OR b`), when that finds some")
    any_words_total: int
    did_you_mean_links: list[str]
    any_words_link: str | None


class SearchLinks(PageLinks):
    html: str
    csv: str
    json_: str = Field(alias="json")
    iati: str
    transactions_csv: str


class SearchPage(Paged):
    query: SearchEcho
    records: list[ActivityRecord]
    totals: dict[str, Any] = Field(description="budgets of the whole result, as `Totals`, with the EUR `method`")
    facets: dict[str, list[FacetCount]]
    links: SearchLinks
    suggestions: Suggestions | None = None


class Download(Schema):
    records: list[ActivityRecord]


class FieldSource(Schema):
    field: str
    value: Any = None


class Sources(Schema):
    activity: str
    document: str | None
    document_url: str | None
    fields: dict[str, list[FieldSource]]


class SourceOfRecord(Schema):
    activity_id: str
    kind: str
    name: str | None
    date: str | None
    label: str
    primary: bool


class Duplicates(Schema):
    activity: str
    requested: str
    sources: list[SourceOfRecord]
    conflicts: list[dict[str, Any]]
    precedence: str


class Converted(Schema):
    value: float | None
    currency: str


class Money(Schema):
    activity: str
    budget: Converted | None = None
    transactions: list[Converted]
    planned_disbursements: list[Converted]
    totals: dict[str, FlowTotal]
    method: str


class History(Schema):
    activity: str
    edits: list[dict[str, Any]]


class DocumentRef(Schema):
    id: str
    name: str
    media_type: str
    size: int
    kind: str
    activities: int
    url: str


class Documents(Paged):
    documents: list[DocumentRef]


class DocumentText(Schema):
    id: str
    name: str
    media_type: str
    text: str | None
    page_starts: str
    activities: list[str]


class YearMoney(Schema):
    year: int
    budget: float
    committed: float
    disbursed: float


class Charts(Schema):
    by_year: list[YearMoney]
    by_sector: list[Aggregate]
    by_funder: list[Aggregate]
    by_country: list[Aggregate]
    method: str
    html: str


# ------------------------------------------------------------------ organisations and places
class OrganisationRef(Schema):
    id: str
    name: str
    country: str | None
    activities: int
    url: str


class Organisations(Paged):
    q: str
    organisations: list[OrganisationRef]


class CountryCount(Schema):
    code: str
    name: str
    activities: int


class Organisation(Schema):
    id: str
    name: str
    country: str | None
    iati_ref: str | None
    aliases: list[str]
    roles: dict[str, int]
    by_currency: dict[str, float]
    eur: float
    unconverted: int
    countries: list[CountryCount]
    timeline: list[dict[str, Any]]
    activities: Latest


class Places(Paged):
    q: str
    places: list[PlaceRef]


class AreaActivities(Latest):
    search: str


class Area(Schema):
    totals: Totals
    funders: list[Aggregate]
    years: list[Aggregate]
    places: list[PlaceRef]
    points: list[dict[str, Any]]
    activities: AreaActivities


class Country(Area):
    code: str
    name: str


class Place(Area):
    name: str
    country: str | None
    location: Point | None


class Rates(Schema):
    source: str
    data_to: str | None
    pegs: dict[str, Any]
    unconverted_currencies: list[str]
    method: str


class Overview(Schema):
    totals: Totals
    by_country: list[Aggregate]
    by_funder: list[Aggregate]
    by_year: list[Aggregate]
    points: list[dict[str, Any]]
    rates: Rates


# ------------------------------------------------------------------ editors
class Review(Schema):
    open_organisation_pairs: int
    organisations: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    decisions: list[dict[str, Any]]


class Work(Schema):
    counts: dict[str, int]
    needs_review: list[dict[str, Any]]
    source_changed: list[dict[str, Any]]
    reports: list[dict[str, Any]]


def answers(model: Any, description: str = "Success") -> dict[int | str, dict[str, Any]]:
    """`responses=` of an endpoint that returns its own JSONResponse: the 200 body it documents."""
    return {200: {"model": model, "description": description}}


def download(media_type: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a download that is not JSON: the whole result as one file of `media_type`."""
    return {200: {"description": "The whole result, streamed (downloads take no page/per_page)",
                  "content": {media_type: {"schema": {"type": "string"}}}}}
