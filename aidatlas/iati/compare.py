"""Semantic comparison of IATI activities: what "the round trip is lossless" is measured by.

Two `iati-activity` elements are equal when their canonical forms are: C14N (attribute order, empty-element
form and namespace declarations normalised), comments dropped, whitespace-only text dropped, and the file's
`xml:lang` made the activity's own when it inherits one. These are the documented normalisations of the
export (docs/iati.md); anything else that differs is a loss.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from aidatlas.iati import mapping as m
from aidatlas.iati.stream import Element, iter_activity_elements


def canonical(element: Element) -> bytes:
    copy = etree.fromstring(etree.tostring(element, with_tail=False))
    parent = element.getparent()
    if copy.get(m.XML_LANG) is None and parent is not None and parent.get(m.XML_LANG) is not None:
        copy.set(m.XML_LANG, parent.get(m.XML_LANG) or "")
    for comment in list(copy.iter(etree.Comment)):
        holder = comment.getparent()
        if holder is not None:
            holder.remove(comment)
    for node in copy.iter():
        if node.text is not None and not node.text.strip():
            node.text = None
        if node.tail is not None and not node.tail.strip():
            node.tail = None
    return etree.tostring(copy, method="c14n", exclusive=True)


def canonical_activities(path: Path) -> dict[str, bytes]:
    """iati-identifier → canonical form, for every top-level activity of a file (streamed)."""
    return {(a.findtext("iati-identifier") or "").strip(): canonical(a) for a in iter_activity_elements(path)}


def differing(original: Path, exported: Path) -> list[str]:
    """Identifiers of the activities of `original` that `exported` lacks or holds differently."""
    before, after = canonical_activities(original), canonical_activities(exported)
    return [ident for ident, form in before.items() if after.get(ident) != form]
