"""Streaming IATI 2.01–2.03 reader: an activity file → `Activity` records (and what they cannot hold); 1.01–1.05
activities are upgraded to 2.03 first (`upgrade.py`), with a warning.

`read_records` yields `IatiRecord(activity, extras)`; `read_activities` yields only the records, which is
what the store imports. Values are sanitised on the way in (language tags, country and currency codes,
dates), so one odd activity never stops a file; what cannot be carried is noted in `extras.warnings`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from lxml import etree
from pydantic import ValidationError

from aidatlas.errors import IatiFileError, display_name
from aidatlas.iati import mapping as m
from aidatlas.iati.extras import BudgetLine, DocumentLink, IatiExtras, IatiRecord, Share, Transaction
from aidatlas.iati.flows import FlowReader
from aidatlas.iati.stream import Element, iter_activity_elements, line_of
from aidatlas.iati.upgrade import upgrade_activity
from aidatlas.records import (
    KINDS,
    Activity,
    Dates,
    IatiSource,
    Kind,
    Localized,
    Money,
    Participant,
    Place,
    Role,
    Sector,
    Source,
    TargetGroup,
    TextItem,
    stable_id,
)
from aidatlas.reference.codelists import Codelists, codelists

_ISO2 = re.compile(r"^[A-Z]{2}$")
MAX_IDENTIFIER = 200
"""the length of `activities.iati_identifier`: longer is refused here, alike on every database"""
_ISO4217 = re.compile(r"^[A-Z]{3}$")


def read_activities(path: Path, on_warning: Callable[[str], None] | None = None) -> Iterator[Activity]:
    """The activities of an IATI file, one at a time (memory stays flat); what the store imports.
    `on_warning` hears what was left out of or dropped from each activity (a bad transaction …)."""
    reader = ActivityReader(display_name(path.name), codelists(), links=False)
    for element in iter_activity_elements(path, upgrade=True):
        record = reader.read(element)
        if on_warning is not None:
            for warning in record.extras.warnings:
                named = warning.startswith("activity ")
                on_warning(warning if named else f"activity {record.extras.iati_identifier}: {warning}")
        yield record.activity


def read_records(path: Path) -> Iterator[IatiRecord]:
    """`(activity, extras)` pairs for every top-level `iati-activity` of the file."""
    reader = ActivityReader(display_name(path.name), codelists())
    for element in iter_activity_elements(path, upgrade=True):
        yield reader.read(element)


def _float(text: str | None) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _decimal(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _attr(element: Element | None, name: str) -> str:
    """An attribute, stripped ("" when absent); parsed XML needs no further cleaning."""
    return (element.get(name) or "").strip() if element is not None else ""


class Descriptions(NamedTuple):
    description: Localized | None
    objectives: list[TextItem]
    target_groups: list[TargetGroup]
    activities: list[TextItem]


class ActivityReader:
    """Turns one `iati-activity` element into an `IatiRecord`; codes resolved once per file.

    `links=False` skips transactions, document links and related activities (extras only), for speed.
    """

    def __init__(self, document: str, cl: Codelists, *, links: bool = True) -> None:
        self.document = document
        self.links = links
        role, desc, when = cl["OrganisationRole"], cl["DescriptionType"], cl["ActivityDateType"]
        self.roles: dict[str, Role] = {role.code(item): r for item, r in m.ROLE_OF_ITEM.items()}
        self.general = desc.code(m.DESCRIPTION_GENERAL)
        self.objectives = desc.code(m.DESCRIPTION_OBJECTIVES)
        self.target_groups = desc.code(m.DESCRIPTION_TARGET_GROUPS)
        self.other = desc.code(m.DESCRIPTION_OTHER)
        self.starts = (when.code(m.ACTUAL_START), when.code(m.PLANNED_START))
        self.ends = (when.code(m.ACTUAL_END), when.code(m.PLANNED_END))
        self.original = cl.code("BudgetType", m.BUDGET_TYPE)
        self.indicative = cl.code("BudgetStatus", m.BUDGET_STATUS)
        self.geonames = cl.code("GeographicVocabulary", m.GEONAMES)
        self.iso_country = cl.code("GeographicVocabulary", m.ISO_COUNTRY)
        self.tag_vocabulary = cl.code("TagVocabulary", m.TAG_VOCABULARY)
        self.child = cl.code("RelatedActivityType", m.CHILD_RELATION)
        self.country_codes = cl["Country"]
        self._langs: dict[str, None] = {}

    # ------------------------------------------------------------------ helpers
    def localized(self, element: Element | None, lang: str) -> Localized:
        """Narratives by language: a narrative's own xml:lang, else its parent's, else the activity's."""
        out: Localized = {}
        if element is None:
            return out
        inherited = m.language(element.get(m.XML_LANG)) or lang
        for narrative in element.iterfind("narrative"):
            text = (narrative.text or "").strip()
            if text:
                key = m.language(narrative.get(m.XML_LANG)) or inherited
                out.setdefault(key, text)
                self._langs[key] = None
        return out

    def one_text(self, element: Element | None, lang: str) -> str | None:
        texts = self.localized(element, lang)
        return texts.get(lang) or next(iter(texts.values()), None)

    @staticmethod
    def default_language(el: Element) -> str:
        """The activity's xml:lang, else the file's, else the first title narrative's, else English."""
        parent = el.getparent()
        title = el.find("title/narrative")
        for holder in (el, parent, title):
            if holder is not None and (found := m.language(holder.get(m.XML_LANG))):
                return found
        return m.FALLBACK_LANGUAGE

    # ------------------------------------------------------------------ the record
    def read(self, el: Element) -> IatiRecord:
        line = line_of(el)
        parent = el.getparent()
        version = ((parent.get("version") if parent is not None else None) or el.get("version") or "").strip()
        upgraded = [f"upgraded from IATI {version} to 2.03", *upgrade_activity(el)] \
            if version.startswith("1.") else []
        identifier = (el.findtext("iati-identifier") or "").strip()
        if not identifier:
            raise IatiFileError(self.document, line, "an iati-activity has no iati-identifier")
        if len(identifier) > MAX_IDENTIFIER:
            raise IatiFileError(self.document, line, f"the iati-identifier {identifier[:40] + '…'!r} is "
                                f"{len(identifier):,} characters long; the registry holds at most {MAX_IDENTIFIER}")
        lang = self.default_language(el)
        currency = _attr(el, "default-currency").upper() or None
        reporting = el.find("reporting-org")
        extras = IatiExtras(identifier, line, _attr(reporting, "ref") or None, self.one_text(reporting, lang),
                            _hierarchy(el.get("hierarchy")), currency, warnings=upgraded)
        self._langs = {lang: None}  # the languages of the activity's own texts, from here on
        title = self.localized(el.find("title"), lang)
        if not title:
            extras.warnings.append("no title: the identifier stands in for it")
            title = {lang: identifier}
        texts = self._descriptions(el, lang, title)
        kind, programme = self._tags(el, lang)
        transactions, planned = FlowReader(identifier, currency, lambda e: self.localized(e, lang),
                                           extras.warnings).read(el)
        try:
            activity = Activity(
                id=stable_id("iati", identifier), kind=kind, title=title, iati_identifier=identifier,
                programme=programme, status=_attr(el.find("activity-status"), "code") or None,
                participants=self._participants(el, lang, extras), dates=self._dates(el, extras),
                countries=self._countries(el, extras), locations=self._locations(el, lang, extras),
                sectors=self._sectors(el), budget=self._budget(el, extras),
                last_updated=m.normalize_datetime(el.get("last-updated-datetime")),
                results=[t for r in el.iterfind("result") if (t := self.localized(r.find("title"), lang))],
                description=texts.description, objectives=texts.objectives, activities=texts.activities,
                target_groups=texts.target_groups, source=Source(document=self.document),
                languages=list(self._langs), transactions=transactions, planned_disbursements=planned)
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(p) for p in problem["loc"])
            message = f"activity {identifier}: {where}: {problem['msg']}"
            raise IatiFileError(self.document, line, message) from None
        if self.links:
            self._links(el, lang, extras)
        activity.iati_source = IatiSource(own_xml(el), activity.content_digest())
        return IatiRecord(activity, extras)

    def _descriptions(self, el: Element, lang: str, title: Localized) -> Descriptions:
        general: dict[str, list[str]] = {}
        objectives: list[Localized] = []
        groups: list[TargetGroup] = []
        activities: list[Localized] = []
        elements = el.findall("description")
        for d in elements:
            texts = self.localized(d, lang)
            if not texts:
                continue
            kind = _attr(d, "type") or self.general
            if kind == self.objectives:
                objectives.append(texts)
            elif kind == self.target_groups:
                groups.append(TargetGroup(text=texts))
            elif kind == self.other:
                activities.append(texts)
            else:
                for key, text in texts.items():
                    general.setdefault(key, []).append(text)
        description = {key: "\n\n".join(parts) for key, parts in general.items()} or None
        if description and list(description.items()) == list(title.items()) and len(elements) == 1:
            description = None  # the writer's stand-in for a record without any description
        return Descriptions(description, list(objectives), groups, list(activities))

    def _tags(self, el: Element, lang: str) -> tuple[Kind, str | None]:
        """Kind and programme from the writer's tags; an activity that lists children is a programme."""
        has_children = any(_attr(r, "type") == self.child for r in el.iterfind("related-activity"))
        kind: Kind = "programme" if has_children else "project"
        programme = None
        for tag in el.iterfind("tag"):
            if _attr(tag, "vocabulary") != self.tag_vocabulary:
                continue
            uri, code = _attr(tag, "vocabulary-uri"), _attr(tag, "code")
            if uri == m.KIND_TAG_URI and code in KINDS:
                kind = code  # type: ignore[assignment]
            elif uri == m.PROGRAMME_TAG_URI:
                programme = self.one_text(tag, lang) or programme
        return kind, programme

    def _participants(self, el: Element, lang: str, extras: IatiExtras) -> list[Participant]:
        out: list[Participant] = []
        for org in el.iterfind("participating-org"):
            ref = _attr(org, "ref")
            name = self.one_text(org, lang) or ref
            if not name:
                continue
            role = self.roles.get(_attr(org, "role"))
            if role is None:
                extras.warnings.append(f"participating-org {name!r}: unknown role {org.get('role')!r}")
                continue
            out.append(Participant(name=name, role=role, org_id=ref or None))
        return out

    def _dates(self, el: Element, extras: IatiExtras) -> Dates:
        found: dict[str, str] = {}
        for d in el.iterfind("activity-date"):
            narrative = d.findtext("narrative")
            if narrative is not None and narrative.strip() == m.NOT_STATED:
                continue
            value = m.read_date(d.get("iso-date"), narrative)
            kind = _attr(d, "type")
            if value is None:
                extras.warnings.append(f"activity-date type {kind}: bad iso-date {d.get('iso-date')!r}")
                continue
            extras.dates.setdefault(kind, (d.get("iso-date") or "").strip()[:10])
            found.setdefault(kind, value)
        start = next((found[c] for c in self.starts if c in found), None)
        end = next((found[c] for c in self.ends if c in found), None)
        return Dates(start=start, end=end)

    def _countries(self, el: Element, extras: IatiExtras) -> list[str]:
        countries: list[str] = []
        for rc in el.iterfind("recipient-country"):
            code = _attr(rc, "code").upper()
            extras.recipient_countries.append(Share(code, _float(rc.get("percentage"))))
            if not _ISO2.match(code):
                extras.warnings.append(f"recipient-country {code!r} is not an ISO 3166 alpha-2 code")
                continue
            if code not in self.country_codes:
                extras.warnings.append(f"recipient-country {code!r} is not on the Country codelist")
            countries.append(code)
        for rr in el.iterfind("recipient-region"):
            extras.recipient_regions.append(
                Share(_attr(rr, "code"), _float(rr.get("percentage")), _attr(rr, "vocabulary") or None))
        return countries

    def _locations(self, el: Element, lang: str, extras: IatiExtras) -> list[Place]:
        places: list[Place] = []
        for loc in el.iterfind("location"):
            name = self.one_text(loc.find("name"), lang)
            if not name:
                extras.warnings.append(f"a location without a name (line {line_of(loc)}) was skipped")
                continue
            geonames_id = next((int(_attr(i, "code")) for i in loc.iterfind("location-id")
                                if _attr(i, "vocabulary") == self.geonames
                                and re.fullmatch(r"-?\d+", _attr(i, "code"))), None)
            country = next((c for a in loc.iterfind("administrative")
                            if _attr(a, "vocabulary") == self.iso_country
                            and _ISO2.match(c := _attr(a, "code").upper())), None)
            lat = lon = None
            pos = (loc.findtext("point/pos") or "").split()
            if len(pos) == 2:
                lat, lon = _float(pos[0]), _float(pos[1])
                if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    extras.warnings.append(f"location {name!r}: point {' '.join(pos)!r} is not lat lon")
                    lat = lon = None
            places.append(Place(name=name, country=country, lat=lat, lon=lon, geonames_id=geonames_id))
        return places

    def _sectors(self, el: Element) -> list[Sector]:
        sectors: list[Sector] = []
        for s in el.iterfind("sector"):
            code = _attr(s, "code")
            if code:
                vocabulary = _attr(s, "vocabulary")
                extra = {"vocabulary": vocabulary} if vocabulary else {}
                sectors.append(Sector(code=code, percentage=_float(s.get("percentage")), **extra))
        return sectors

    def _budget(self, el: Element, extras: IatiExtras) -> Money | None:
        """The sum of original budgets (revised ones if there are no originals), when one currency."""
        for b in el.iterfind("budget"):
            value_el = b.find("value")
            value = _decimal(value_el.text if value_el is not None else None)
            if value is None:
                extras.warnings.append(f"budget on line {line_of(b)}: no readable value")
                continue
            extras.budgets.append(BudgetLine(
                _attr(b, "type") or self.original, _attr(b, "status") or self.indicative,
                _attr(b.find("period-start"), "iso-date") or None,
                _attr(b.find("period-end"), "iso-date") or None,
                value, _attr(value_el, "currency").upper() or extras.default_currency,
                _attr(value_el, "value-date") or None))
        lines = [b for b in extras.budgets if b.type == self.original] or extras.budgets
        if not lines:
            return None
        currencies = {b.currency for b in lines}
        currency = currencies.pop() if len(currencies) == 1 else None
        total = sum((b.value for b in lines), Decimal(0))
        if currency is None or not _ISO4217.match(currency) or total < 0:
            extras.warnings.append("budgets not summed: no single valid currency, or a negative total")
            return None
        return Money(value=float(total), currency=currency, value_date=m.read_date(lines[0].value_date, None))

    def _links(self, el: Element, lang: str, extras: IatiExtras) -> None:
        for tx in el.iterfind("transaction"):
            value_el = tx.find("value")
            value = _decimal(value_el.text if value_el is not None else None)
            if value is None:
                extras.warnings.append(f"transaction on line {line_of(tx)}: no readable value")
                continue
            provider, receiver = tx.find("provider-org"), tx.find("receiver-org")
            extras.transactions.append(Transaction(
                _attr(tx.find("transaction-type"), "code"),
                _attr(tx.find("transaction-date"), "iso-date") or None,
                value, _attr(value_el, "currency").upper() or extras.default_currency,
                _attr(value_el, "value-date") or None,
                (self.one_text(provider, lang) or _attr(provider, "ref")) or None,
                (self.one_text(receiver, lang) or _attr(receiver, "ref")) or None))
        for link in el.iterfind("document-link"):
            url = _attr(link, "url")
            if url:
                title = self.one_text(link.find("title"), lang)
                category = _attr(link.find("category"), "code") or None
                extras.document_links.append(DocumentLink(url, title, category))
        for related in el.iterfind("related-activity"):
            extras.related.append((_attr(related, "type"), _attr(related, "ref")))


def own_xml(el: Element) -> str:
    """The activity element as written (attribute order, whitespace), with the file's `xml:lang` made its own
    when it inherits one, so the element means the same outside its file."""
    parent = el.getparent()
    if el.get(m.XML_LANG) is None and parent is not None and parent.get(m.XML_LANG) is not None:
        el.set(m.XML_LANG, parent.get(m.XML_LANG) or "")
    return etree.tostring(el, encoding="unicode", with_tail=False)


def _hierarchy(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None
