"""The words of a query (`terms_of`: phrases, `a OR b`, prefixes, folded and stemmed; `with_variants`: a
place's other names) and their full-text matches: as FTS5 and tsquery expressions, and ids straight from the
SQLite driver into int64 arrays (`fts_ids`), so a common word costs one `fetchall`, not a row object per match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection

from aidatlas.normalize.script import fold
from aidatlas.normalize.stem import stem
from aidatlas.normalize.variants import Variants

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


FLAGGED_FTS = ("SELECT rowid * 4 + 2 * (rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?2)) "
                "+ (rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?3)) "
                "FROM search_fts WHERE search_fts MATCH ?1")


def fts_ids(conn: Connection, sql: str, params: tuple[Any, ...]) -> NDArray[np.int64]:
    """The integers of a one-column SQLite query, straight from the driver's cursor into an int64 array:
    no SQLAlchemy row objects, so 100,000 matches cost one `fetchall` and one `fromiter`."""
    cursor = conn.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
    try:
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return ids_of(rows)


def ids_of(rows: Sequence[Any]) -> NDArray[np.int64]:
    return np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows))


def split_flagged(flagged: NDArray[np.int64]) -> tuple[NDArray[np.int64], list[NDArray[np.int64]]]:
    """Ids encoded as id * 4 + 2 (a title match) + 1 (a field match) → (every id, [title ids, field ids])."""
    ids = flagged >> 2
    return ids, [ids[(flagged & 2).astype(bool)], ids[(flagged & 1).astype(bool)]]


@dataclass(frozen=True)
class Phrase:
    """A word or phrase of a query, folded and stemmed; `prefix` for `word*`."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Term:
    """One condition of a query: any of its phrases (`a OR b`, or a place's other names) must occur."""

    phrases: tuple[Phrase, ...]


def terms_of(q: str) -> list[Term]:
    """The query's terms: words and "phrases", folded and stemmed; `OR` between two joins them into one term."""
    out: list[Term] = []
    join = False
    for phrase, word in _TOKEN.findall(q or ""):
        if word == "OR" and out:
            join = True
            continue
        prefix = bool(word) and word.endswith("*")
        words = tuple(stem(w) for w in fold(phrase or word).split())
        if not words:
            continue
        if join:
            out[-1] = Term((*out[-1].phrases, Phrase(words, prefix)))
        else:
            out.append(Term((Phrase(words, prefix),)))
        join = False
    return out


def with_variants(terms: list[Term], variants: Variants) -> list[Term]:
    """Terms whose words name a place or country also match its other names; adjacent words that together
    name one (`novi sad`, `bosna i hercegovina`) become one term: that name or one of its variants."""
    out: list[Term] = []
    run: list[Term] = []

    def named(own: tuple[str, ...], names: frozenset[tuple[str, ...]]) -> Term:
        return Term((Phrase(own), *(Phrase(n) for n in sorted(names) if n != own)))

    def flush() -> None:
        words = [t.phrases[0].words[0] for t in run]
        spans = {start: (end, names) for start, end, names in variants.spans(words)}
        j = 0
        while j < len(words):
            if j in spans:
                end, names = spans[j]
                out.append(named(tuple(words[j:end]), names))
                j = end
            else:
                out.append(run[j])
                j += 1
        run.clear()

    for term in terms:
        plain = len(term.phrases) == 1 and not term.phrases[0].prefix
        if plain and len(term.phrases[0].words) == 1:
            run.append(term)
            continue
        flush()
        names = variants.of(term.phrases[0].words) if plain else frozenset()
        out.append(named(term.phrases[0].words, names) if names else term)
    flush()
    return out


def _fts5_phrase(p: Phrase) -> str:
    return '"' + " ".join(p.words) + '"' + ("*" if p.prefix else "")


def fts5_query(terms: Sequence[Term]) -> str:
    return " AND ".join("(" + " OR ".join(_fts5_phrase(p) for p in t.phrases) + ")" for t in terms)


def tsquery(terms: Sequence[Term]) -> str:
    return " & ".join("(" + " | ".join("(" + " <-> ".join(p.words) + (":*" if p.prefix else "") + ")"
                                       for p in t.phrases) + ")" for t in terms)
