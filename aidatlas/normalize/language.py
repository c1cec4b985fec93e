"""Language of a block of text: lingua over the region's languages, Bosnian/Croatian/Serbian as one group.

Bosnian, Croatian and Serbian (Latin) often cannot be told apart from a paragraph; within that group the
country the document is about decides when lingua is unsure. Serbian in Cyrillic is tagged `sr-Cyrl`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aidatlas.normalize.script import script_of

_BCS = {"bs", "hr", "sr"}
_BY_COUNTRY = {"BA": "bs", "HR": "hr", "RS": "sr", "ME": "sr"}


@dataclass
class LanguageDetector:
    """Wraps a lingua detector built on first use (building it costs nothing; models load lazily)."""

    _detector: Any = field(default=None, repr=False)

    def _lingua(self) -> Any:
        if self._detector is None:
            from lingua import Language, LanguageDetectorBuilder

            self._detector = LanguageDetectorBuilder.from_languages(
                Language.ENGLISH, Language.BOSNIAN, Language.CROATIAN, Language.SERBIAN, Language.ALBANIAN,
                Language.MACEDONIAN).with_low_accuracy_mode().build()
        return self._detector

    def detect(self, text: str, country: str | None = None) -> str | None:
        """ISO 639-1 tag (`en`, `bs`, `sq`, `mk`, `sr-Cyrl` …) of `text`, or None when there is too little."""
        sample = text[:1500]
        if sum(c.isalpha() for c in sample) < 12:
            return None
        values = self._lingua().compute_language_confidence_values(sample)
        if not values:
            return None
        code = values[0].language.iso_code_639_1.name.lower()
        if code in _BCS:
            group = {v.language.iso_code_639_1.name.lower(): v.value for v in values
                     if v.language.iso_code_639_1.name.lower() in _BCS}
            if max(group.values()) < 0.75 * sum(group.values()) and country in _BY_COUNTRY:
                code = _BY_COUNTRY[country]
            if script_of(sample) == "Cyrl":
                return f"{code}-Cyrl"
        return code
