"""What a search that found nothing offers instead: "did you mean …" from the index's own words, and the
query with any of its words.

The vocabulary is the words of the indexed titles (folded) and of the facet values (places, organisations,
sectors as written), rebuilt when the index generation moves on and only when a search finds nothing. A
query word whose stem is not in the vocabulary is replaced by the closest vocabulary words (rapidfuzz's
`ratio`, at least `MIN_SCORE`); `Searcher.suggest` keeps the corrected queries that find something.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from aidatlas.normalize.script import fold
from aidatlas.normalize.stem import stem

MIN_SCORE = 72
_TOKEN = re.compile(r'"[^"]*"|\S+')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Suggestions:
    did_you_mean: list[str] = field(default_factory=list)
    """whole corrected queries, each finding something"""
    any_words: str | None = None
    """the query with any of its words (`a OR b OR c`), when it has several and that finds something"""
    any_words_total: int = 0

    def to_json(self) -> dict[str, object]:
        return {"did_you_mean": self.did_you_mean, "any_words": self.any_words,
                "any_words_total": self.any_words_total}


@dataclass(frozen=True)
class Vocabulary:
    generation: int
    words: list[str]
    """folded words, each once"""
    shown: dict[str, str]
    """folded word → how to write it in a suggestion (as a facet value spells it, else folded)"""
    stems: frozenset[str]

    @classmethod
    def build(cls, generation: int, titles: Iterable[str], labels: Iterable[str]) -> Vocabulary:
        shown: dict[str, str] = {}
        for label in labels:
            for word in _WORD.findall(label):
                key = fold(word)
                if len(key) >= 3 and key.isalpha():
                    shown.setdefault(key, word)
        for title in titles:
            for key in title.split():
                if len(key) >= 3 and key.isalpha():
                    shown.setdefault(key, key)
        return cls(generation, list(shown), shown, frozenset(stem(w) for w in shown))


def corrections(q: str, vocabulary: Vocabulary, limit: int = 6) -> list[str]:
    """Up to `limit` queries with the unknown words of `q` replaced by close words of the vocabulary."""
    tokens = _TOKEN.findall(q or "")
    choices: list[list[str]] = []
    for token in tokens:
        key = fold(token)
        if token.startswith('"') or token.endswith("*") or token == "OR" or not key.isalpha() or len(key) < 3 \
                or stem(key) in vocabulary.stems:
            choices.append([token])
            continue
        close = process.extract(key, vocabulary.words, scorer=fuzz.ratio, score_cutoff=MIN_SCORE, limit=limit)
        choices.append([vocabulary.shown[word] for word, _score, _i in close] or [token])
    if all(len(c) == 1 and c[0] == t for c, t in zip(choices, tokens, strict=True)):
        return []
    out: dict[str, None] = {" ".join(c[0] for c in choices): None}
    for i, options in enumerate(choices):  # then the second, third … choice of one word at a time
        for option in options[1:]:
            out[" ".join(option if j == i else c[0] for j, c in enumerate(choices))] = None
    return list(out)[:limit]


def relaxed(q: str) -> str | None:
    """`a OR b OR c` for a query of several words or phrases (None for one, or one that already has OR)."""
    tokens = _TOKEN.findall(q or "")
    if len(tokens) < 2 or "OR" in tokens:
        return None
    return " OR ".join(tokens)
