"""The country of an organisation from its IATI organisation identifier's registration agency prefix
(`KR-GOV-050` → KR, `GB-COH-01234567` → GB, `XM-DAC-41114` → none: multilateral).

Package data `data/org_registration_agencies.tsv` (org-id.guide list codes, see data/SOURCES.md) is read on
first use; a prefix it does not hold still counts when it begins with a country code (org-id.guide's rule).
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources

from aidatlas.reference.codelists import codelists

_PREFIX = re.compile(r"^([A-Z]{2})-([A-Z0-9_]+)-")


@cache
def registration_agencies() -> dict[str, str | None]:
    """prefix → country (None for international and multilateral lists)."""
    text = (resources.files("aidatlas.reference") / "data" / "org_registration_agencies.tsv").read_text("utf-8")
    return {row["prefix"]: row["country"] or None for row in csv.DictReader(io.StringIO(text), delimiter="\t")}


def country_of_ref(ref: str | None) -> str | None:
    """The ISO country of the registration agency that issued `ref`, or None when it names none."""
    match = _PREFIX.match((ref or "").strip().upper())
    if match is None:
        return None
    known = registration_agencies()
    prefix = f"{match.group(1)}-{match.group(2)}"
    if prefix in known:
        return known[prefix]
    country = match.group(1)
    if country.startswith("X") or country not in codelists()["Country"]:
        return None
    return country
