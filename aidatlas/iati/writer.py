"""Streaming IATI 2.03 writer: Activity records → one `iati-activities` document.

Each `iati-activity` is built as a small tree and written through lxml's incremental `xmlfile`, so memory
stays flat however many activities there are. Every document validates against the 2.03 schema: where the
schema requires an element that a record may lack (description, participating-org, activity-date), the
writer fills it in a way the reader recognises, so export → import → export is stable (see mapping.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from itertools import chain
from typing import BinaryIO

from lxml import etree

from aidatlas.errors import IatiError
from aidatlas.iati import mapping as m
from aidatlas.iati.flows import write_planned, write_transactions
from aidatlas.records import Activity, TextItem, stable_id
from aidatlas.reference.codelists import Codelists, codelists
from aidatlas.settings import Settings

Element = etree._Element


@dataclass(frozen=True)
class WriterCodes:
    """The codes the writer uses, looked up once per document from the codelist files."""

    roles: dict[str, str]
    empty_role: str
    general: str
    objectives: str
    target_groups: str
    other: str
    planned_start: str
    actual_start: str
    planned_end: str
    actual_end: str
    statuses: frozenset[str]
    pipeline: str
    implementation: str
    finalisation: str
    closed: str
    cancelled: str
    budget_type: str
    budget_status: str
    result_type: str
    measure: str
    geonames: str
    iso_country: str
    tag_vocabulary: str
    reporting_org_type: str
    sector_vocabulary: str

    @classmethod
    def load(cls, cl: Codelists) -> WriterCodes:
        role = cl["OrganisationRole"]
        desc, when, status = cl["DescriptionType"], cl["ActivityDateType"], cl["ActivityStatus"]
        return cls(
            roles={r: role.code(item) for r, item in m.ROLE_ITEM.items()},
            empty_role=role.code(m.EMPTY_PARTICIPANT_ROLE),
            general=desc.code(m.DESCRIPTION_GENERAL), objectives=desc.code(m.DESCRIPTION_OBJECTIVES),
            target_groups=desc.code(m.DESCRIPTION_TARGET_GROUPS), other=desc.code(m.DESCRIPTION_OTHER),
            planned_start=when.code(m.PLANNED_START), actual_start=when.code(m.ACTUAL_START),
            planned_end=when.code(m.PLANNED_END), actual_end=when.code(m.ACTUAL_END),
            statuses=frozenset(status.items), pipeline=status.code(m.STATUS_PIPELINE),
            implementation=status.code(m.STATUS_IMPLEMENTATION),
            finalisation=status.code(m.STATUS_FINALISATION),
            closed=status.code(m.STATUS_CLOSED), cancelled=status.code(m.STATUS_CANCELLED),
            budget_type=cl.code("BudgetType", m.BUDGET_TYPE),
            budget_status=cl.code("BudgetStatus", m.BUDGET_STATUS),
            result_type=cl.code("ResultType", m.RESULT_TYPE),
            measure=cl.code("IndicatorMeasure", m.INDICATOR_MEASURE),
            geonames=cl.code("GeographicVocabulary", m.GEONAMES),
            iso_country=cl.code("GeographicVocabulary", m.ISO_COUNTRY),
            tag_vocabulary=cl.code("TagVocabulary", m.TAG_VOCABULARY),
            reporting_org_type=cl.code("OrganisationType", m.REPORTING_ORG_TYPE),
            sector_vocabulary=cl.code("SectorVocabulary", m.SECTOR_VOCABULARY),
        )


def write_activities(activities: Iterable[Activity], out: BinaryIO, settings: Settings, *,
                     now: datetime | None = None) -> int:
    """Write an IATI 2.03 activity file to `out` and return the number of activities written.

    The schema needs at least one `iati-activity`, so an empty input raises `IatiError` before any byte is
    written. `now` (default: the current UTC time) stamps the file and derives status from dates.
    """
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    codes = WriterCodes.load(codelists())
    iterator = iter(activities)
    first = next(iterator, None)
    if first is None:
        name = getattr(out, "name", None)
        raise IatiError(name if isinstance(name, str) else "output",
                        "nothing to export: an IATI file needs at least one activity")
    count = 0
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        root = {"version": m.IATI_VERSION, "generated-datetime": moment.isoformat()}
        with xf.element("iati-activities", root):
            xf.write("\n")
            for activity in chain([first], iterator):
                xf.write(activity_element(activity, settings, moment, codes), pretty_print=True)
                count += 1
    return count


def activity_identifier(activity: Activity, settings: Settings) -> str:
    """The record's own IATI identifier, or a stable one under the registry's reporting-org prefix."""
    own = m.clean_code(activity.iati_identifier or "")
    if own:
        return own
    local = activity.id or stable_id("record", activity.source.document, activity.source.sha256 or "",
                                     json.dumps(activity.title, sort_keys=True, ensure_ascii=False))
    return m.clean_code(f"{settings.reporting_org_ref}-{local}")


def default_language(activity: Activity) -> str:
    return activity.languages[0] if activity.languages else next(iter(activity.title))


def activity_element(activity: Activity, settings: Settings, now: datetime,
                     codes: WriterCodes | None = None) -> Element:
    """One `iati-activity` element, children in the order the schema's sequence requires."""
    codes = codes or WriterCodes.load(codelists())
    a = activity
    own = _own_element(a)
    if own is not None and a.iati_source is not None and a.iati_source.digest == a.content_digest() \
            and _schema_valid(own):
        return own  # unchanged since import: the publisher's element, everything the schema defines kept
    lang = default_language(a)
    updated = m.normalize_datetime(a.last_updated) or now.isoformat()
    budget_value = m.decimal_text(a.budget.value) if a.budget else None
    attrib = {"last-updated-datetime": updated, m.XML_LANG: lang}
    if a.budget and budget_value is not None:
        attrib["default-currency"] = a.budget.currency
    if own is not None:  # a changed import keeps its own attributes and reporting-org
        attrib.update({str(k): str(v) for k, v in own.attrib.items() if k in OWN_ATTRIBUTES})
    act = etree.Element("iati-activity", attrib)
    _sub(act, "iati-identifier").text = activity_identifier(a, settings)
    if own is not None and (theirs := own.find("reporting-org")) is not None:
        theirs.tail = None
        act.append(theirs)
    else:
        reporting = _sub(act, "reporting-org", {
            "ref": m.clean_code(settings.reporting_org_ref),
            "type": str(settings.reporting_org_type or codes.reporting_org_type)})
        _narratives(reporting, {"en": settings.reporting_org_name}, lang)
    _narratives(_sub(act, "title"), a.title, lang)
    _descriptions(act, a, lang, codes)
    _participants(act, a, codes)
    status = _status(a, now.date(), codes)
    _sub(act, "activity-status", {"code": status})
    _dates(act, a, status, now.date(), updated[:10], codes)
    for country, share in zip(a.countries, _shares(len(a.countries)), strict=True):
        _sub(act, "recipient-country", {"code": country, "percentage": share})
    _locations(act, a, codes)
    for sector in a.sectors:
        code = m.clean_code(sector.code)
        if not code:
            continue
        attrs = {"vocabulary": m.clean_code(sector.vocabulary) or codes.sector_vocabulary, "code": code}
        percentage = m.decimal_text(sector.percentage) if sector.percentage is not None else None
        if percentage is not None:
            attrs["percentage"] = percentage
        _sub(act, "sector", attrs)
    _tags(act, a, lang, codes)
    if a.budget and budget_value is not None:
        _budget(act, a, budget_value, updated[:10], codes)
    fallback = (m.complete_date(a.dates.start, end=False) or (updated[:10], None))[0]
    write_planned(act, a.planned_disbursements, fallback)
    write_transactions(act, a.transactions, fallback, lambda element, item: _narratives(element, item, lang))
    for result in a.results:
        element = _sub(act, "result", {"type": codes.result_type})
        _narratives(_sub(element, "title"), result, lang)
        indicator = _sub(element, "indicator", {"measure": codes.measure})
        _narratives(_sub(indicator, "title"), result, lang)
    return act


OWN_ATTRIBUTES = ("default-currency", "last-updated-datetime", m.XML_LANG, "hierarchy", "humanitarian",
                  "linked-data-uri", "budget-not-provided")
"""what a changed imported activity keeps of its own element's attributes"""
_FRAGMENT = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _own_element(a: Activity) -> Element | None:
    """An imported activity's own element, parsed from its stored XML (None for the registry's records)."""
    if a.iati_source is None:
        return None
    return etree.fromstring(a.iati_source.xml.encode("utf-8"), _FRAGMENT)


def _schema_valid(element: Element) -> bool:
    """Whether a publisher's element is valid 2.03 on its own (~50 µs); an invalid one is written from the
    record's fields instead, so every export validates."""
    root = etree.Element("iati-activities", {"version": m.IATI_VERSION})
    root.append(element)
    valid = codelists().schema().validate(root)
    root.remove(element)
    return bool(valid)


def _sub(parent: Element, tag: str, attrib: dict[str, str] | None = None) -> Element:
    return etree.SubElement(parent, tag, attrib or {})


def _narratives(parent: Element, item: TextItem, lang: str) -> None:
    """Narratives for every language; the activity's default language goes without xml:lang."""
    if isinstance(item, str):
        _sub(parent, "narrative").text = m.clean_text(item)
        return
    for key, text in item.items():
        narrative = _sub(parent, "narrative", None if key == lang else {m.XML_LANG: key})
        narrative.text = m.clean_text(text)


def _descriptions(act: Element, a: Activity, lang: str, codes: WriterCodes) -> None:
    items: list[tuple[str, TextItem]] = []
    if a.description:
        items.append((codes.general, a.description))
    items += [(codes.objectives, o) for o in a.objectives]
    items += [(codes.target_groups, g.text) for g in a.target_groups]
    items += [(codes.target_groups, b) for b in a.beneficiaries]
    items += [(codes.other, x) for x in a.activities]
    if not items:  # the schema requires a description; the reader drops one that only repeats the title
        items.append((codes.general, a.title))
    for code, item in items:
        _narratives(_sub(act, "description", {"type": code}), item, lang)


def _participants(act: Element, a: Activity, codes: WriterCodes) -> None:
    for p in a.participants:
        attrs = {"role": codes.roles[p.role]}
        ref = m.clean_code(p.org_id or "")
        if ref:
            attrs["ref"] = ref
        _sub(_sub(act, "participating-org", attrs), "narrative").text = m.clean_text(p.name)
    if not a.participants:  # required by the schema; an organisation with neither ref nor name reads as none
        _sub(act, "participating-org", {"role": codes.empty_role})


def _as_date(value: str | None, *, end: bool) -> date | None:
    done = m.complete_date(value, end=end)
    return date.fromisoformat(done[0]) if done else None


def _status(a: Activity, today: date, codes: WriterCodes) -> str:
    """The record's status when it is an ActivityStatus code, else one derived from its dates."""
    given = m.clean_code(a.status or "")
    if given in codes.statuses:
        return given
    start, end = _as_date(a.dates.start, end=False), _as_date(a.dates.end, end=True)
    if start and start > today:
        return codes.pipeline
    if end and end < today:
        return codes.closed
    return codes.implementation


def _dates(act: Element, a: Activity, status: str, today: date, updated: str, codes: WriterCodes) -> None:
    """Start and end as actual dates once they are past (and the status agrees), planned otherwise;
    a year or month is completed to a full date and kept as the narrative."""
    written = False
    for value, end in ((a.dates.start, False), (a.dates.end, True)):
        done = m.complete_date(value, end=end)
        if done is None:
            continue
        iso, partial = done
        past = date.fromisoformat(iso) <= today
        if end:
            actual = past and status in (codes.finalisation, codes.closed)
            code = codes.actual_end if actual else codes.planned_end
        else:
            actual = past and status not in (codes.pipeline, codes.cancelled)
            code = codes.actual_start if actual else codes.planned_start
        element = _sub(act, "activity-date", {"type": code, "iso-date": iso})
        if partial:
            _sub(element, "narrative").text = partial
        written = True
    if not written:  # the schema requires one: the last-update date, marked as not a real date
        placeholder = _sub(act, "activity-date", {"type": codes.planned_start, "iso-date": updated})
        _sub(placeholder, "narrative", {m.XML_LANG: "en"}).text = m.NOT_STATED


def _shares(n: int) -> list[str]:
    """Percentages for n recipient countries that sum to exactly 100."""
    if n <= 1:
        return ["100"] * n
    base = (Decimal(100) / n).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [m.decimal_text(base) or "0"] * (n - 1) + [m.decimal_text(Decimal(100) - base * (n - 1)) or "0"]


def _locations(act: Element, a: Activity, codes: WriterCodes) -> None:
    for place in a.locations:
        location = _sub(act, "location")
        if place.geonames_id is not None:
            _sub(location, "location-id", {"vocabulary": codes.geonames, "code": str(place.geonames_id)})
        _sub(_sub(location, "name"), "narrative").text = m.clean_text(place.name)
        if place.country:
            attrs = {"vocabulary": codes.iso_country, "code": place.country, "level": "0"}
            _sub(location, "administrative", attrs)
        if place.lat is not None and place.lon is not None:
            point = _sub(location, "point", {"srsName": m.SRS_NAME})
            _sub(point, "pos").text = f"{m.decimal_text(place.lat)} {m.decimal_text(place.lon)}"


def _tags(act: Element, a: Activity, lang: str, codes: WriterCodes) -> None:
    """Kind and programme as reporting-organisation tags: IATI has no field for either."""
    if a.kind != "project":
        _sub(act, "tag", {"vocabulary": codes.tag_vocabulary, "vocabulary-uri": m.KIND_TAG_URI,
                          "code": a.kind})
    if a.programme:
        tag = _sub(act, "tag", {"vocabulary": codes.tag_vocabulary, "vocabulary-uri": m.PROGRAMME_TAG_URI,
                                "code": stable_id("programme", m.clean_text(a.programme))})
        _narratives(tag, a.programme, lang)


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, or out of range
        try:
            return day.replace(year=day.year + years, day=28)
        except ValueError:
            return date.max if years > 0 else date.min


def _budget(act: Element, a: Activity, value: str, updated: str, codes: WriterCodes) -> None:
    """One original, indicative budget spanning the activity's dates.

    A stated total is not an annual breakdown, so it is not split into invented yearly figures: the schema
    allows any period, and the standard's one-year guidance is a "should" (the validator warns). Without
    dates the period is the calendar year of the value date (or of the last update).
    """
    assert a.budget is not None
    start, end = _as_date(a.dates.start, end=False), _as_date(a.dates.end, end=True)
    if start and end and start <= end:
        period = (start, end)
    elif start:
        period = (start, max(start, _shift_year(start, 1) - timedelta(days=1)))
    elif end:
        period = (min(end, _shift_year(end, -1) + timedelta(days=1)), end)
    else:
        year = (_as_date(a.budget.value_date, end=False) or date.fromisoformat(updated)).year
        period = (date(year, 1, 1), date(year, 12, 31))
    value_date = m.complete_date(a.budget.value_date, end=False)
    budget = _sub(act, "budget", {"type": codes.budget_type, "status": codes.budget_status})
    _sub(budget, "period-start", {"iso-date": period[0].isoformat()})
    _sub(budget, "period-end", {"iso-date": period[1].isoformat()})
    _sub(budget, "value", {"currency": a.budget.currency,
                           "value-date": value_date[0] if value_date else period[0].isoformat()}).text = value
