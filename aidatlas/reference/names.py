"""Display names of codes: countries, sectors, languages. Held here once, for search facets, pages and brochures.

The region's country names are the first (English) name `normalize.countries` reads; other countries and
sectors come from the IATI codelists; nothing is loaded until a name is asked for.
"""

from __future__ import annotations

from functools import cache

from aidatlas.normalize.countries import NAMES, REGION
from aidatlas.reference.codelists import codelists

LANGUAGES = {"en": "English", "bs": "Bosnian", "hr": "Croatian", "sr": "Serbian", "sr-Cyrl": "Serbian (Cyrillic)",
             "sq": "Albanian", "mk": "Macedonian", "cnr": "Montenegrin", "de": "German", "fr": "French",
             "it": "Italian", "ja": "Japanese", "sv": "Swedish", "no": "Norwegian", "nb": "Norwegian",
             "und": "Undetermined"}
COUNTRY_NAMES = {code: NAMES[code][0] for code in REGION}
"""the region's countries, named as people there write them in English (the codelist shouts them)"""


@cache
def country_name(code: str) -> str:
    if code in COUNTRY_NAMES:
        return COUNTRY_NAMES[code]
    return codelists()["Country"].name_of(code) or code


@cache
def sector_name(code: str) -> str:
    for name in ("Sector", "SectorCategory"):
        found = codelists()[name].name_of(code)
        if found:
            return found
    return code


def language_name(tag: str) -> str:
    return LANGUAGES.get(tag, tag)
