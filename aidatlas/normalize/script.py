"""Scripts: Cyrillic ↔ Latin for Serbian/Bosnian/Montenegrin and Macedonian, and a folded form for matching.

Transliteration is for *matching only*: stored text keeps the script it was written in.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Serbian Cyrillic (Vuk) → Gaj's Latin; Macedonian letters added (ѓ ќ ѕ ј љ њ џ).
_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "й": "j", "ы": "y", "э": "e", "ю": "ju", "я": "ja", "щ": "šč",
    "ъ": "", "ь": "", "ё": "jo", "є": "je", "і": "i", "ї": "ji",
}
_TABLE: dict[int, str] = {}
for _c, _l in _CYR_TO_LAT.items():
    _TABLE[ord(_c)] = _l
    _TABLE[ord(_c.upper())] = _l[:1].upper() + _l[1:] if _l else ""

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))


def script_of(text: str) -> str | None:
    """'Cyrl', 'Latn' or None, by which letters are in the majority."""
    cyr = len(_CYRILLIC.findall(text))
    lat = len(_LATIN.findall(text))
    if cyr == lat == 0:
        return None
    return "Cyrl" if cyr > lat else "Latn"


def cyr_to_lat(text: str) -> str:
    """Serbian/Macedonian Cyrillic to Latin (Ћирилица → Ćirilica); other characters unchanged."""
    return text.translate(_TABLE)


_SERBIAN_LAT_TO_CYR = {
    "lj": "љ", "nj": "њ", "dž": "џ", "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "đ": "ђ", "e": "е",
    "ž": "ж", "z": "з", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р",
    "s": "с", "t": "т", "ć": "ћ", "u": "у", "f": "ф", "h": "х", "c": "ц", "č": "ч", "š": "ш",
}
_LAT_LETTER = re.compile(r"lj|nj|dž|[a-zđžćčš]")


def lat_to_cyr(text: str) -> str:
    """Serbian Latin to Cyrillic (lower case; for matching cue phrases written in one script against the other)."""
    return _LAT_LETTER.sub(lambda m: _SERBIAN_LAT_TO_CYR.get(m.group(0), m.group(0)), text.lower())


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def strip_diacritics(text: str) -> str:
    if text.isascii():
        return text
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return text.replace("đ", "dj").replace("Đ", "Dj").replace("ł", "l").replace("Ł", "L")


_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """The matching key of a text: Latin script, no diacritics, lower case, single spaces, no punctuation.

    `Приједор`, `Prijedor` and `PRIJEDOR` fold alike; so do `Zvečan`, `Zveçan`, `Zvecan` and `Звечан`.
    `đ` folds to `dj` (Đurđevik → djurdjevik), the usual ASCII spelling in the region.
    """
    text = strip_diacritics(cyr_to_lat(text)).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())
