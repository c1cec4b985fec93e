"""IATI 1.01–1.05 activities upgraded in place to 2.03 on the way in, per the IATI 2.01 upgrade notes.

What changes: free text moves into `narrative` children (with its `xml:lang`); text is dropped from the
elements that no longer hold any (codes); word codes become numbers (activity-date types, organisation roles,
transaction types, sector, region and policy-marker vocabularies); `coordinates` becomes `point/pos`;
`other-identifier` gets its 2.0x shape; attributes 2.0x dropped are removed; children are put in the 2.03
schema's order. What has no 2.0x counterpart (`activity-website`, `location-type`, …) is dropped, each with a
warning; the reader adds one saying the activity was upgraded.
"""

from __future__ import annotations

from lxml import etree

from aidatlas.iati import mapping as m
from aidatlas.iati.stream import Element

NARRATIVE_HOLDERS = frozenset({
    "title", "description", "participating-org", "reporting-org", "activity-date", "recipient-country",
    "recipient-region", "sector", "policy-marker", "provider-org", "receiver-org", "organisation", "department",
    "person-name", "job-title", "mailing-address", "name", "activity-description", "condition", "comment",
})
"""elements whose 1.0x text becomes a narrative (location `name`, `description`, transaction `description` …)"""
TEXT_DROPPED = frozenset({
    "activity-status", "activity-scope", "collaboration-type", "default-flow-type", "default-finance-type",
    "default-aid-type", "default-tied-status", "transaction-type", "flow-type", "finance-type", "aid-type",
    "tied-status", "disbursement-channel", "related-activity", "language", "category", "budget-item",
})
CODES: dict[tuple[str, str], dict[str, str]] = {
    ("activity-date", "type"): {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"},
    ("participating-org", "role"): {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"},
    ("transaction-type", "code"): {"IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7",
                                   "QP": "8", "QS": "9", "CG": "10"},
    ("sector", "vocabulary"): {"DAC": "1", "DAC-3": "2", "COFOG": "3", "NACE": "4", "NTEE": "5", "ADT": "6",
                               "RO": "99", "RO2": "98"},
    ("recipient-region", "vocabulary"): {"DAC": "1", "UN": "2"},
    ("policy-marker", "vocabulary"): {"DAC": "1", "RO": "99"},
}
LOWER_CASE_CODES = frozenset({"activity-date", "participating-org"})
"""whose word codes are compared in lower case (the others in upper case)"""
DROPPED_ELEMENTS = frozenset({"activity-website", "location-type", "gazetteer-entry", "coordinates-type"})
DROPPED_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "planned-disbursement": ("updated",), "iati-activity": ("version",), "location": ("percentage",),
}
ORDER = (
    "iati-identifier", "reporting-org", "title", "description", "participating-org", "other-identifier",
    "activity-status", "activity-date", "contact-info", "activity-scope", "recipient-country", "recipient-region",
    "location", "sector", "tag", "country-budget-items", "humanitarian-scope", "policy-marker",
    "collaboration-type", "default-flow-type", "default-finance-type", "default-aid-type", "default-tied-status",
    "budget", "planned-disbursement", "capital-spend", "transaction", "document-link", "related-activity",
    "legacy-data", "conditions", "result", "crs-add", "fss",
)
"""the 2.03 schema's sequence of iati-activity children"""
CHILD_ORDER: dict[str, tuple[str, ...]] = {
    "iati-activity": ORDER,
    "transaction": ("transaction-type", "transaction-date", "value", "description", "provider-org",
                    "receiver-org", "disbursement-channel", "sector", "recipient-country", "recipient-region",
                    "flow-type", "finance-type", "aid-type", "tied-status"),
    "location": ("location-reference", "location-id", "name", "description", "activity-description",
                 "administrative", "point", "exactness", "location-class", "feature-designation"),
    "budget": ("period-start", "period-end", "value"),
    "planned-disbursement": ("period-start", "period-end", "value", "provider-org", "receiver-org"),
    "document-link": ("title", "description", "category", "language", "document-date"),
}
"""the order 2.03 requires of the children of the elements 1.0x let publishers order freely"""


def _narrative(element: Element) -> None:
    text = (element.text or "").strip()
    if not text:
        return
    element.text = None
    narrative = etree.Element("narrative")
    narrative.text = text
    lang = element.get(m.XML_LANG)
    if lang:
        del element.attrib[m.XML_LANG]
        narrative.set(m.XML_LANG, lang)
    narrative.tail = element[0].tail if len(element) else None
    element.insert(0, narrative)


def _other_identifier(element: Element) -> None:
    """1.0x `<other-identifier owner-ref owner-name>ID</…>` → 2.0x `ref`, `type`, `owner-org`."""
    ref = (element.text or "").strip()
    element.text = None
    owner_ref, owner_name = element.get("owner-ref") or "", element.get("owner-name") or ""
    for attribute in ("owner-ref", "owner-name"):
        element.attrib.pop(attribute, "")
    element.set("ref", ref)
    element.set("type", "A1" if owner_ref or owner_name else "B9")
    if owner_ref or owner_name:
        owner = etree.SubElement(element, "owner-org", {"ref": owner_ref} if owner_ref else {})
        if owner_name:
            etree.SubElement(owner, "narrative").text = owner_name


def _merge_languages(activity: Element) -> None:
    """1.0x repeats `title` (and each type of `description`) once per language; 2.0x has one element with a
    narrative per language."""
    first: dict[tuple[str, str], Element] = {}
    for element in list(activity):
        if element.tag not in ("title", "description"):
            continue
        key = (str(element.tag), element.get("type") or "1")
        if key not in first:
            first[key] = element
            continue
        first[key].extend(element.findall("narrative"))
        activity.remove(element)


def upgrade_activity(activity: Element) -> list[str]:
    """Upgrade one 1.0x `iati-activity` element to 2.03 in place; returns what could not be carried over."""
    warnings: list[str] = []
    for element in list(activity.iter()):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag in DROPPED_ELEMENTS:
            warnings.append(f"{tag} has no IATI 2.0x counterpart: left out")
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        for (code_tag, attribute), table in CODES.items():
            if tag == code_tag and (value := element.get(attribute)) is not None:
                key = value.strip().lower() if tag in LOWER_CASE_CODES else value.strip().upper()
                if key in table:
                    element.set(attribute, table[key])
        for attribute in DROPPED_ATTRIBUTES.get(tag, ()):
            element.attrib.pop(attribute, "")
        if tag == "coordinates":
            lat, lon = element.get("latitude", ""), element.get("longitude", "")
            element.tag = "point"
            element.attrib.clear()
            element.set("srsName", m.SRS_NAME)
            etree.SubElement(element, "pos").text = f"{lat.strip()} {lon.strip()}"
        elif tag == "other-identifier":
            _other_identifier(element)
        elif tag in NARRATIVE_HOLDERS and element.find("narrative") is None:
            _narrative(element)
        elif tag in TEXT_DROPPED:
            element.text = None
    _merge_languages(activity)
    for element in [activity, *(e for tag in CHILD_ORDER if tag != "iati-activity" for e in activity.iter(tag))]:
        order = CHILD_ORDER[str(element.tag)]
        rank = {tag: i for i, tag in enumerate(order)}
        element[:] = sorted(element, key=lambda c: rank.get(c.tag, len(order)) if isinstance(c.tag, str)
                            else len(order))
    return warnings
