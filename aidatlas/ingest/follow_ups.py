"""Sentences after a listing that speak of one listed activity: `„Sunčani most“ će organizovati praksu za 15
mladih` belongs to the grant of the Centar za inkluziju „Sunčani most“, and says what it will do and for whom.

A sentence (or a clause of one: `…, dok će zenički „Oslonac“ …`) belongs to an item when it names exactly one
item by a quoted part of its grantee's name, or by the stem of its place (`iz Bihaća`, `zenički`).
"""

from __future__ import annotations

import re

from aidatlas.ingest.chrome import is_furniture
from aidatlas.ingest.items import Item, sub
from aidatlas.ingest.lines import Line
from aidatlas.normalize.script import fold

_QUOTED = re.compile(r"[„“\"«]([^“”\"»„]{3,60})[”“\"»]")
_CLAUSE = re.compile(r"[^.!?;]+?(?:[.!?;]|,\s+(?=(?:dok|a|while|whereas|ndërsa|додека|а)\s)|$)")
_LEAD = re.compile(r"^(?:dok|a|while|whereas|ndërsa|додека|а)\s+(?:će\s+|ће\s+|ќе\s+)?", re.IGNORECASE)
#: what a grantee will do is said in the future: a clause without a future is news, not a plan
_FUTURE = re.compile(r"\b(?:će|ће|ќе|will|do të|shall|treba da|trebalo bi)\b|\w+(?:ti|t) će\b", re.IGNORECASE)
#: the page's own text ends where links to other news or a photo caption begin
_OTHER_NEWS = re.compile(r"^(?:vezane|povezan|related|ostale|lexo|lajme te|procitajte|прочитај|повезан|поврзан|"
                         r"read also|see also|more news|foto|photo|fotografi)", re.IGNORECASE)
_PLACE_WORDS = re.compile(r"^(?:in|u|у|во|në|from|iz|из|од|nga|od)\s+", re.IGNORECASE)


def _keys(item: Item) -> set[str]:
    """What a later sentence may call the item by: quoted names and place stems, folded."""
    keys = {fold(m.group(1)) for s in (item.implementer, item.title) if s for m in _QUOTED.finditer(s.text)}
    if item.place is not None:
        place = fold(_PLACE_WORDS.sub("", item.place.text))
        if len(place) >= 4:
            keys.add(place[:-1] if len(place) > 4 else place)
    return {k for k in keys if len(k) >= 4}


def _names(folded: str, key: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(key)}", folded) is not None


def attach_follow_ups(items: list[Item], lines: list[Line]) -> None:
    """Hand each later sentence that names exactly one item to that item (as `follow_ups`)."""
    keys = [_keys(item) for item in items]
    if sum(bool(k) for k in keys) < 2:
        return
    last = max(item.text.end for item in items)
    shared = {k for i, ks in enumerate(keys) for k in ks if any(k in other for other in keys[i + 1:])}
    for line in lines:
        if line.start < last:
            continue
        if is_furniture(line) or _OTHER_NEWS.match(fold(line.text)) or _OTHER_NEWS.match(line.text.strip("*_ ")):
            break
        for clause in _CLAUSE.finditer(line.text):
            words = clause.group(0)
            folded = fold(words)
            named = [i for i, ks in enumerate(keys) if any(_names(folded, k) for k in ks - shared)]
            if len(named) == 1 and len(words.split()) >= 5 and _FUTURE.search(words):
                start = clause.start() + (lead.end() if (lead := _LEAD.match(words)) else 0)
                items[named[0]].follow_ups.append(sub(line, start, clause.end()))
