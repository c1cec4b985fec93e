"""Provenance: for each field of an activity, the value and the sentence of the source it was read from."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aidatlas.records import Activity, texts_of


@dataclass(frozen=True)
class FieldSource:
    field: str
    value: str
    start: int | None
    end: int | None
    page: int | None
    sentence: str | None


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> str:
    """The sentence (or line) of `text` that holds [start, end), trimmed to `limit` characters."""
    left = max(text.rfind("\n", 0, start), max((m.end() for m in re.finditer(r"[.!?]\s", text[:start])),
                                                 default=0) - 1)
    right_nl = text.find("\n", end)
    right_stop = re.search(r"[.!?](\s|$)", text[end:])
    candidates = [x for x in (right_nl, end + right_stop.end() if right_stop else -1) if x != -1]
    right = min(candidates) if candidates else len(text)
    sentence = " ".join(text[left + 1:right].split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def value_of(activity: Activity, field: str) -> str:
    """The value a provenance key (`title`, `participants.2`, `objectives.0` …) stands for, as text."""
    name, _, index = field.partition(".")
    value: Any = activity.to_json().get(name)
    if index and isinstance(value, list) and index.isdigit() and int(index) < len(value):
        value = value[int(index)]
    elif index and isinstance(value, dict) and index in value:
        value = value[index]
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return " / ".join(texts_of(value))
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def field_sources(activity: Activity, document: Mapping[str, Any] | None) -> list[FieldSource]:
    text = (document or {}).get("text") or ""
    out = []
    for field, spans in sorted(activity.source.spans.items()):
        page = activity.source.pages.get(field)
        for start, end in spans[:3]:
            sentence = sentence_around(text, start, end) if text else None
            out.append(FieldSource(field, value_of(activity, field), start, end, page, sentence))
    return out
