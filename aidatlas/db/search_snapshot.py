"""A columnar, in-memory copy of the search index, for facet counts, filters, sorting and sums in milliseconds.

The index itself lives in the database (`search_docs`, `search_terms`, `search_postings`). Counting facet
values of a result of 30,000 activities with SQL takes ~100 ms on SQLite; with the postings as numpy arrays
it is one `bincount` (~3 ms at 100,000 activities). Each process loads a snapshot when it first searches and
again whenever the database's index generation moves on (any write to the index bumps it), so every process
sees every write. Memory: ~20 MB per 100,000 activities. Full text stays in the database (FTS5/tsvector):
its matches come in as doc ids and become a mask here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, select

from aidatlas.db.flow_totals import FlowColumns, load_flows
from aidatlas.db.search_index import FACETS, TERMS
from aidatlas.db.search_ranges import RangeColumns, load_ranges

Mask = NDArray[np.bool_]
Positions = NDArray[np.int64]


@dataclass
class Snapshot:
    generation: int
    docs: NDArray[np.int64]
    """database doc ids, ascending; an activity's position in every array below is its index here"""
    activity_ids: Sequence[str]
    post_pos: NDArray[np.int64]
    post_term: NDArray[np.int64]
    term_ptr: NDArray[np.int64]
    """postings sorted by term: term t's positions are post_pos[term_ptr[t]:term_ptr[t + 1]]"""
    doc_ptr: NDArray[np.int64]
    doc_terms: NDArray[np.int64]
    """the same postings sorted by position: doc p's terms are doc_terms[doc_ptr[p]:doc_ptr[p + 1]]"""
    term_facet: NDArray[np.int64]
    term_value: list[str]
    term_label: list[str]
    term_index: dict[tuple[str, str], int]
    orders: dict[str, Positions]
    eur: NDArray[np.float64]
    value: NDArray[np.float64]
    currency: NDArray[np.int64]
    currencies: list[str]
    facets: list[str]
    flows: FlowColumns
    """committed and disbursed amounts of the indexed activities (`db.flow_totals`)"""
    ranges: RangeColumns
    """each activity's first and last day, for date range filters (`db.search_ranges`)"""

    @property
    def size(self) -> int:
        return len(self.docs)

    def everything(self) -> Mask:
        return np.ones(self.size, dtype=bool)

    def positions_of(self, doc_ids: Sequence[int] | NDArray[np.int64]) -> Positions:
        ids = np.asarray(doc_ids, dtype=np.int64)
        pos = np.searchsorted(self.docs, ids)
        ok = pos < self.size
        ok[ok] = self.docs[pos[ok]] == ids[ok]
        return pos[ok]

    def mask_of_docs(self, doc_ids: Sequence[int] | NDArray[np.int64]) -> Mask:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.positions_of(doc_ids)] = True
        return mask

    def mask_of_terms(self, facet: str, values: tuple[str, ...]) -> Mask:
        mask = np.zeros(self.size, dtype=bool)
        for v in values:
            t = self.term_index.get((facet, v))
            if t is not None:
                mask[self.post_pos[self.term_ptr[t]:self.term_ptr[t + 1]]] = True
        return mask

    def facet_postings(self, facet: str) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(term, position) of every posting of one facet's values: counting within one facet (`facet_counts`)
        passes over these instead of every posting."""
        terms = np.flatnonzero(self.term_facet == self.facets.index(facet))
        starts = self.term_ptr[terms]
        lengths = self.term_ptr[terms + 1] - starts
        offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        at = offsets + np.arange(int(lengths.sum()))
        return self.post_term[at], self.post_pos[at]

    def term_counts(self, mask: Mask | None) -> NDArray[np.int64]:
        """How many activities of the result have each term (all postings, or only the result's)."""
        if mask is None:
            terms = self.post_term
        else:
            positions = np.flatnonzero(mask)
            if len(positions) * 8 > self.size:  # a large result: one pass over every posting
                terms = self.post_term[mask[self.post_pos]]
            else:  # a small one: gather just its docs' postings
                starts = self.doc_ptr[positions]
                lengths = self.doc_ptr[positions + 1] - starts
                offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
                terms = self.doc_terms[offsets + np.arange(int(lengths.sum()))]
        return np.bincount(terms, minlength=len(self.term_value))

    def sums(self, mask: Mask | None, facet: str) -> list[dict[str, Any]]:
        """Per value of `facet`: activities, EUR total, sums in original currencies, and how many are unconverted."""
        fid = self.facets.index(facet)
        sel = self.term_facet[self.post_term] == fid
        if mask is not None:
            sel &= mask[self.post_pos]
        terms, pos = self.post_term[sel], self.post_pos[sel]
        return self._fold(terms, pos, lambda t: (self.term_value[t], self.term_label[t]))

    def total(self, mask: Mask | None) -> dict[str, Any]:
        pos = np.arange(self.size) if mask is None else np.flatnonzero(mask)
        found = self._fold(np.zeros(len(pos), dtype=np.int64), pos, lambda _t: ("all", "all"))
        return found[0] if found else {"value": "all", "label": "all", "activities": 0, "eur": 0.0,
                                       "by_currency": {}, "unconverted": 0}

    def _fold(self, terms: NDArray[np.int64], pos: NDArray[np.int64], name: Any) -> list[dict[str, Any]]:
        if not len(terms):
            return []
        n_cur = len(self.currencies) + 1
        cur = self.currency[pos] + 1  # 0: no budget
        key = terms * n_cur + cur
        size = (int(terms.max()) + 1) * n_cur
        count = np.bincount(key, minlength=size)
        original = np.bincount(key, weights=self.value[pos], minlength=size)
        eur_known = ~np.isnan(self.eur[pos])
        eur = np.bincount(key, weights=np.where(eur_known, self.eur[pos], 0.0), minlength=size)
        converted = np.bincount(key, weights=eur_known.astype(np.float64), minlength=size)
        out: dict[int, dict[str, Any]] = {}
        for k in np.flatnonzero(count):
            t, c = divmod(int(k), n_cur)
            value, label = name(t)
            item = out.setdefault(t, {"value": value, "label": label, "activities": 0, "eur": 0.0,
                                      "by_currency": {}, "unconverted": 0})
            n = int(count[k])
            item["activities"] += n
            if c:
                item["by_currency"][self.currencies[c - 1]] = float(original[k])
                item["eur"] += float(eur[k])
                item["unconverted"] += n - int(converted[k])
        return sorted(out.values(), key=lambda i: (-i["eur"], -i["activities"], str(i["label"]).casefold()))

    def ordered(self, mask: Mask | None, sort: str, tiers: Sequence[Mask] = ()) -> Positions:
        """Positions of the result in `sort` order; with `tiers`, those of the first tier come first, then
        those of the second (not in the first), …, then the rest, each in `sort` order."""
        order = self.orders[sort]
        found = order if mask is None else order[mask[order]]
        if not tiers:
            return found
        rank = np.full(self.size, len(tiers), dtype=np.int8)
        for i in range(len(tiers) - 1, -1, -1):
            rank[tiers[i]] = i
        ranks = rank[found]
        return np.concatenate([found[ranks == i] for i in range(len(tiers) + 1)])


def _driver_rows(conn: Connection, sql: str) -> list[Any]:
    """Rows of `sql` as the driver's tuples, in the caller's transaction: no SQLAlchemy row objects."""
    cursor = conn.connection.driver_connection.execute(sql)  # type: ignore[union-attr]
    try:
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _int_pairs(rows: list[Any]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=2 * len(rows)).reshape(-1, 2)
    return flat[:, 0], flat[:, 1]


def load_snapshot(conn: Connection, generation: int) -> Snapshot:
    """Build the snapshot from the index tables (seconds at 100,000 activities: `snapshot_files` keeps it)."""
    facets = list(FACETS)
    doc_rows = _driver_rows(conn, "SELECT doc, activity_id, title_key, start_date, budget_value, budget_currency, "
                                  "budget_eur FROM search_docs ORDER BY doc")
    docs = np.fromiter((r[0] for r in doc_rows), dtype=np.int64, count=len(doc_rows))
    currencies = sorted({r[5] for r in doc_rows if r[5]})
    cur_index = {c: i for i, c in enumerate(currencies)}
    value = np.array([r[4] if r[4] is not None else 0.0 for r in doc_rows], dtype=np.float64)
    eur = np.array([r[6] if r[6] is not None else np.nan for r in doc_rows], dtype=np.float64)
    currency = np.array([cur_index[r[5]] if r[5] else -1 for r in doc_rows], dtype=np.int64)
    term_rows = conn.execute(select(TERMS.c.term, TERMS.c.facet, TERMS.c.value, TERMS.c.label)
                             .order_by(TERMS.c.term)).all()
    term_ids = np.array([r[0] for r in term_rows], dtype=np.int64)
    postings = "SELECT term, doc FROM search_postings" if conn.dialect.name != "postgresql" else \
        "SELECT u.term, f.doc FROM search_facets f, unnest(f.terms) AS u(term)"  # PostgreSQL keeps no postings
    post_term_id, post_doc = _int_pairs(_driver_rows(conn, f"SELECT term, doc FROM ({postings}) p ORDER BY term, doc"))
    # each query sees the latest commit (READ COMMITTED; SQLite outside a transaction): postings of terms and
    # documents indexed after they were read belong to the next generation and are left out, as its documents are
    post_term = np.searchsorted(term_ids, post_term_id)
    known = post_term < len(term_ids)
    known[known] = term_ids[post_term[known]] == post_term_id[known]
    post_pos = np.searchsorted(docs, post_doc)
    keep = known & (post_pos < len(docs))
    keep[keep] = docs[post_pos[keep]] == post_doc[keep]
    post_pos, post_term = post_pos[keep], post_term[keep]
    term_ptr = np.zeros(len(term_rows) + 1, dtype=np.int64)
    np.cumsum(np.bincount(post_term, minlength=len(term_rows)), out=term_ptr[1:])
    n = len(doc_rows)
    by_doc = np.argsort(post_pos, kind="stable")
    doc_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(post_pos, minlength=n), out=doc_ptr[1:])
    start = np.array([r[3] or "" for r in doc_rows], dtype=str)
    by_start = np.lexsort((docs, start))
    dated = start[by_start] != ""
    with_start, without = by_start[dated], by_start[~dated]
    known_eur = ~np.isnan(eur)
    by_budget = np.lexsort((-docs, -np.where(known_eur, eur, 0.0)))
    orders = {
        "newest": np.concatenate([with_start[::-1], without[::-1]]).astype(np.int64),
        "oldest": np.concatenate([with_start, without]).astype(np.int64),
        "title": np.array(sorted(range(n), key=lambda i: (doc_rows[i][2], docs[i])), dtype=np.int64),
        "budget": np.concatenate([by_budget[known_eur[by_budget]], np.flatnonzero(~known_eur)]).astype(np.int64),
    }
    return Snapshot(
        generation=generation, docs=docs, activity_ids=[r[1] for r in doc_rows], post_pos=post_pos,
        post_term=post_term, term_ptr=term_ptr, doc_ptr=doc_ptr, doc_terms=post_term[by_doc],
        term_facet=np.array([facets.index(r[1]) if r[1] in facets else -1 for r in term_rows], dtype=np.int64),
        term_value=[r[2] for r in term_rows], term_label=[r[3] for r in term_rows],
        term_index={(r[1], r[2]): i for i, r in enumerate(term_rows)}, orders=orders, eur=eur, value=value,
        currency=currency, currencies=currencies, facets=facets, flows=load_flows(conn, docs),
        ranges=load_ranges(conn, [r[1] for r in doc_rows], [r[3] for r in doc_rows]))
