"""Builds the search index (tables in `search_tables.py`) from the stored rows of queued activities.

A trigger queues every inserted activity in `search_pending`; `index_pending(conn)` indexes the queue in batches, in
the caller's transaction. Index rows of an activity: one `search_docs` row and one posting per facet value (on
PostgreSQL its facet values are the `search_facets.terms` array instead: `search_pg_columns`). The row's text comes
in three tiers, each folded and stemmed (`normalize.script.fold`, `normalize.stem`) so that `Prijedor` finds
`Приједор` and `Bosna` finds `Bosni`: `title_text` (its titles in every language), `text` (every other narrative,
name, organisation alias and place, with the other names of its places and countries from `normalize.variants`) and
`doc_text` (the source document's text, up to `DOC_TEXT_LIMIT` characters). Also sort keys, the budget and its value
in EUR. Indexing is idempotent: an activity's old index rows go first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Connection, delete, func, insert, select, tuple_, update

from aidatlas.db import search_tables as st
from aidatlas.db import tables as t
from aidatlas.db.activity_records import write_records
from aidatlas.db.edits import edited_ids
from aidatlas.db.mapping import WrittenRows
from aidatlas.db.search_pg_columns import write_columns
from aidatlas.db.search_pg_orgs import OrgDoc, compact, write_org_docs
from aidatlas.db.stages import Stage, Written
from aidatlas.db.store import Store, rows_of
from aidatlas.db.tables import batched, table_of
from aidatlas.db.values import among, copy_rows, insert_new
from aidatlas.normalize.eur import budget_eur
from aidatlas.normalize.script import fold
from aidatlas.normalize.stem import stem_words
from aidatlas.normalize.variants import Variants
from aidatlas.records import Activity, texts_of
from aidatlas.reference.gazetteer import Gazetteer
from aidatlas.reference.names import country_name, language_name, sector_name
from aidatlas.reference.orgs import KnownOrgs
from aidatlas.reference.rates import year_of
from aidatlas.settings import Settings

DOCS = table_of(st.SearchDocRow)
TERMS = table_of(st.SearchTermRow)
POSTINGS = table_of(st.SearchPostingRow)
PENDING = table_of(st.SearchPendingRow)
META = table_of(st.SearchMetaRow)

FACETS: dict[str, str] = {
    "country": "Country", "municipality": "Municipality or place", "funder": "Funder",
    "implementer": "Implementer", "kind": "Kind", "sector": "Sector", "year": "Start year",
    "programme": "Programme", "language": "Language",
}
"""facet key → label; the keys are the filter parameters of the search page and the API"""
IMPLEMENTER_ROLES = ("implementer", "applicant")
ANALYZE_AFTER = 1000
ANALYZED = ("activities", "narratives", "target_counts", "participations", "locations", "activity_countries",
            "money", "funding_shares", "sectors", "provenance", "transactions", "organisations", "organisation_aliases",
            "search_docs", "search_terms", "search_postings", "search_pending", "search_text", "search_facets",
            "search_flows", "search_org_docs", "search_org_totals", "blocking_keys")
DOC_TEXT_LIMIT = 100_000
"""characters of a source document indexed with each of its activities (a brochure of fifty projects is
indexed fifty times)"""
SETTLE_ACTIVITIES = 5000
"""activities re-indexed per committed round after a bulk load's settling (`SearchIndexing.settle`)"""


@cache
def place_variants() -> Variants:
    """The gazetteer's and country table's names, built on first use and kept for the process (~0.3 s)."""
    return Variants.build(Gazetteer.load())


@cache
def _known_orgs() -> KnownOrgs:
    return KnownOrgs.load()


def known_names(name: str) -> tuple[str, ...]:
    """Every name the curated organisation table gives the organisation called `name` (none when unknown), so
    that `Evropska unija`, `Европска унија` and `Bashkimi Evropian` find what the European Union funds."""
    known = _known_orgs().lookup(name)
    return known.names if known is not None else ()


def index_form(text: str) -> str:
    """What the full-text index holds for a text: folded, then every word stemmed."""
    return stem_words(fold(text))


@dataclass
class _Doc:
    activity_id: str
    texts: list[str] = field(default_factory=list)
    title: str = ""
    titles: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    """names of its places and countries, whose other names are indexed too"""
    documents: list[str] = field(default_factory=list)
    """ids of its source documents (its own and its linked duplicates')"""
    start: str | None = None
    budget: tuple[float, str, str | None] | None = None
    terms: set[tuple[str, str, str]] = field(default_factory=set)
    orgs: set[tuple[str, str]] = field(default_factory=set)
    """(organisation id, role) of its participants (its linked duplicates' too)"""

    def term(self, facet: str, value: str | None, label: str | None = None) -> None:
        if value:
            self.terms.add((facet, value[:300], label or value))


class SearchIndexing(Stage):
    """The last after-write stage: index what the write (and the stages before it) queued, in the same
    transaction, so a committed write is searchable. Writes of other processes are indexed by
    `Searcher.ensure_indexed`. Planner statistics are refreshed after `ANALYZE_AFTER` activities and then
    whenever the index has doubled since (a bulk load of 1M activities analyses ~10 times, not 1,000)."""

    def __init__(self) -> None:
        self._since_analyze = 0
        self._analyze_after = ANALYZE_AFTER

    def settle(self, conn: Connection, settings: Settings, known_orgs: Callable[[], KnownOrgs]) -> bool:
        """What the stages' own settling queued (a merge re-indexes the merged organisations' activities), a
        committed round of `SETTLE_ACTIVITIES` at a time: a bulk load ends with its index current. Without
        `ANALYZE`: re-indexing changes no table's size, and at 1.1M activities each one took 7 s a round."""
        if index_pending(conn, most=SETTLE_ACTIVITIES, statistics=False):
            return True
        if conn.dialect.name == "postgresql":
            compact(conn)  # the load's organisation totals: a row per batch and key, folded
        return False

    def written(self, conn: Connection, written: Written) -> None:
        self._since_analyze += index_pending(conn, statistics=False, given=written.rows)
        if self._since_analyze >= self._analyze_after:
            refresh_statistics(conn)
            self._since_analyze = 0
            self._analyze_after = max(ANALYZE_AFTER, indexed_estimate(conn))


def index_pending(conn: Connection, batch_size: int = 500, *, statistics: bool = True,
                  given: WrittenRows | None = None, most: int | None = None) -> int:
    """Index every queued activity, or about `most` of them (in the caller's transaction); returns how many
    were indexed. Those in `given` (the rows this transaction just wrote) are read from there."""
    done = 0
    while most is None or done < most:
        ids = list(conn.execute(select(PENDING.c.activity_id).limit(batch_size)).scalars())
        if not ids:
            break
        index_activities(conn, ids, given)
        conn.execute(delete(PENDING).where(among(conn, PENDING.c.activity_id, ids)))
        done += len(ids)
    if done:
        bump_generation(conn)
    if statistics and done >= ANALYZE_AFTER:
        refresh_statistics(conn)
    return done


def refresh_statistics(conn: Connection) -> None:
    """Fresh planner statistics after a large import (autovacuum may be off or late): without them
    PostgreSQL scans whole child tables to fetch 20 activities. The organisation totals' deltas are folded
    first (`search_pg_orgs.compact`)."""
    if conn.dialect.name == "postgresql":
        compact(conn)
        for name in ANALYZED:
            conn.exec_driver_sql(f"ANALYZE {name}")


def indexed_estimate(conn: Connection) -> int:
    """About how many documents the index holds: the planner's figure on PostgreSQL (free after ANALYZE)."""
    if conn.dialect.name == "postgresql":
        return int(conn.exec_driver_sql("SELECT reltuples::bigint FROM pg_class WHERE oid = 'search_docs'::regclass")
                   .scalar_one() or 0)
    return int(conn.execute(select(func.count()).select_from(DOCS)).scalar_one())


def pending_count(conn: Connection) -> int:
    return len(conn.execute(select(PENDING.c.activity_id).limit(1)).all())


def generation(conn: Connection) -> int:
    """Grows with every committed change to the index: the sum of its slots (one row on SQLite; one per
    writing backend on PostgreSQL, so that concurrent writers do not queue on one row — migration 0013)."""
    return int(conn.execute(select(func.coalesce(func.sum(META.c.value), 0))
                            .where(META.c.key.like("generation%"))).scalar_one())


def bump_generation(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT aidatlas_bump_generation()")
    else:
        conn.execute(update(META).where(META.c.key == "generation").values(value=META.c.value + 1))


def index_activities(conn: Connection, ids: Sequence[str], given: WrittenRows | None = None) -> None:
    """(Re)index the activities `ids` from their stored rows (those in `given`: from the rows just written,
    which is the same, `tests/test_stages.py` holds)."""
    postgres = conn.dialect.name == "postgresql"
    if not postgres:  # PostgreSQL keeps a document's terms in `search_facets.terms` only (migration 0012)
        old = select(DOCS.c.doc).where(among(conn, DOCS.c.activity_id, ids)).scalar_subquery()
        conn.execute(delete(POSTINGS).where(POSTINGS.c.doc.in_(old)))
    conn.execute(delete(DOCS).where(among(conn, DOCS.c.activity_id, ids)))
    write_records(conn, Store.read_activities(conn, ids, given=given))
    docs = _with_duplicates(conn, ids, given)
    if not docs:
        return
    texts = {doc: index_form(text) for doc, text in
             _document_texts(conn, {doc for d in docs.values() for doc in d.documents}).items()}
    rows = []
    for d in docs.values():
        value = currency = eur = None
        if d.budget:
            value, currency, value_date = d.budget
            eur = budget_eur(value, currency, value_date, d.start, None).eur  # d.start: start, else announced
        variants = place_variants().index_text(dict.fromkeys(d.places))
        doc_text = " ".join(texts[doc] for doc in dict.fromkeys(d.documents) if doc in texts)
        rows.append({"activity_id": d.activity_id, "text": index_form(" ".join(dict.fromkeys(d.texts))) + " " +
                     " ".join(variants), "title_text": index_form(" ".join(dict.fromkeys(d.titles))),
                     "doc_text": doc_text, "title_key": fold(d.title)[:200], "start_date": d.start,
                     "budget_value": value, "budget_currency": currency, "budget_eur": eur})
    term_ids = _term_ids(conn, {term for d in docs.values() for term in d.terms})
    if postgres:  # doc ids drawn first, then COPY: no statement per row
        numbers = conn.exec_driver_sql("SELECT nextval(pg_get_serial_sequence('search_docs', 'doc')) "
                                       "FROM generate_series(1, %(n)s)", {"n": len(rows)}).scalars().all()
        doc_ids: dict[str, int] = {str(r["activity_id"]): int(n) for r, n in zip(rows, numbers, strict=True)}
        columns = ["doc", *rows[0]]
        copy_rows(conn, "search_docs", columns, ([doc_ids[str(r["activity_id"])], *r.values()] for r in rows))
    else:
        doc_ids = {r.activity_id: r.doc for r in conn.execute(
            insert(DOCS).returning(DOCS.c.doc, DOCS.c.activity_id, sort_by_parameter_order=True), rows)}
        postings = [{"term": term_ids[(facet, value)], "doc": doc_ids[d.activity_id]}
                    for d in docs.values() for facet, value, _ in d.terms]
        if postings:
            conn.execute(insert(POSTINGS), postings)
    if postgres:  # the columns search_pg.py filters and sums in SQL
        indexed = {str(r["activity_id"]): r for r in rows}
        write_columns(conn, doc_ids, {a: [term_ids[(f, v)] for f, v, _ in d.terms] for a, d in docs.items()},
                      indexed, given)
        write_org_docs(conn, [OrgDoc(doc_ids[a], d.orgs, {v for f, v, _ in d.terms if f == "country"}, indexed[a])
                              for a, d in docs.items()])


def _with_duplicates(conn: Connection, ids: Sequence[str], given: WrittenRows | None) -> dict[str, _Doc]:
    """One search document per activity: a record linked to another source (`same_as`) is not indexed on
    its own; its words and facet values join its primary's, so any source's wording finds the activity and
    every count sees it once."""
    act = table_of(t.ActivityRow)
    links = dict(conn.execute(select(act.c.id, act.c.same_as).where(among(conn, act.c.id, list(ids)),
                                                                    act.c.same_as.is_not(None))).all())
    primaries = [i for i in ids if i not in links]
    dups: dict[str, str] = {}
    for chunk in batched(primaries, 500):
        dups.update(conn.execute(select(act.c.id, act.c.same_as).where(
            among(conn, act.c.same_as, chunk))).all())
    docs = _load(conn, [*primaries, *dups], given)
    for dup, primary in dups.items():
        extra = docs.pop(dup, None)
        if extra is not None and primary in docs:
            docs[primary].texts += extra.texts
            docs[primary].places += extra.places
            docs[primary].documents += extra.documents
            docs[primary].terms |= {term for term in extra.terms if term[0] not in ("kind", "year")}
            docs[primary].orgs |= extra.orgs
    return docs


def _document_texts(conn: Connection, ids: Iterable[str]) -> dict[str, str]:
    """The extracted text of source documents (not of IATI files: their records hold all they say)."""
    doc = table_of(t.DocumentRow)
    out: dict[str, str] = {}
    for chunk in batched(sorted(ids), 200):
        out.update({r.id: r.text or "" for r in conn.execute(
            select(doc.c.id, func.substr(doc.c.text, 1, DOC_TEXT_LIMIT).label("text"))
            .where(among(conn, doc.c.id, chunk), doc.c.kind == "document"))})
    return out


def _term_ids(conn: Connection, terms: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], int]:
    labels = {(facet, value): label for facet, value, label in terms}
    found: dict[tuple[str, str], int] = {}
    keys = list(labels)
    for chunk in batched(keys, 400):
        found.update({(r.facet, r.value): r.term for r in conn.execute(
            select(TERMS.c.term, TERMS.c.facet, TERMS.c.value).where(tuple_(TERMS.c.facet, TERMS.c.value).in_(chunk)))})
    missing = [{"facet": f, "value": v, "label": labels[(f, v)]} for f, v in keys if (f, v) not in found]
    if missing:
        insert_new(conn, TERMS, sorted(missing, key=lambda m: (m["facet"], m["value"])))
        for batch in batched(missing, 400):
            pairs = [(m["facet"], m["value"]) for m in batch]
            found.update({(r.facet, r.value): r.term for r in conn.execute(
                select(TERMS.c.term, TERMS.c.facet, TERMS.c.value).where(
                    tuple_(TERMS.c.facet, TERMS.c.value).in_(pairs)))})
    return found


def _load(conn: Connection, ids: Sequence[str], given: WrittenRows | None = None) -> dict[str, _Doc]:
    docs: dict[str, _Doc] = {}
    for r in rows_of(conn, "activities", ids, given):
        d = docs[r["id"]] = _Doc(r["id"], start=r["start_date"] or r["announced_date"],
                                 documents=[r["document_id"]] if r["document_id"] else [])
        d.texts += [r["iati_identifier"] or "", r["programme"] or ""]
        d.term("kind", r["kind"])
        d.term("programme", r["programme"])
        year = year_of(r["start_date"], r["announced_date"], r["end_date"])
        d.term("year", str(year) if year else None)
        for lang in (r["languages"] or "").split():
            d.term("language", lang, language_name(lang))
    titles: dict[str, dict[str, str]] = defaultdict(dict)
    for n in rows_of(conn, "narratives", ids, given):
        docs[n["activity_id"]].texts.append(n["text"])
        if n["field"] == "title":
            titles[n["activity_id"]][n["lang"]] = n["text"]
            docs[n["activity_id"]].titles.append(n["text"])
    for aid, by_lang in titles.items():
        docs[aid].title = by_lang.get("en") or next(iter(by_lang.values()))
    _participants(conn, ids, docs)
    for lo in rows_of(conn, "locations", ids, given):
        docs[lo["activity_id"]].texts += [lo["name"], lo["admin1"] or ""]
        docs[lo["activity_id"]].places.append(lo["name"])
        docs[lo["activity_id"]].term("municipality", lo["name"])
    for c in rows_of(conn, "activity_countries", ids, given):
        docs[c["activity_id"]].texts.append(country_name(c["country"]))
        docs[c["activity_id"]].places.append(country_name(c["country"]))
        docs[c["activity_id"]].term("country", c["country"], country_name(c["country"]))
    for m in rows_of(conn, "money", ids, given):
        if m["kind"] == "budget":
            docs[m["activity_id"]].budget = (m["value"], m["currency"], m["value_date"])
    for se in rows_of(conn, "sectors", ids, given):
        docs[se["activity_id"]].texts.append(sector_name(se["code"]))
        docs[se["activity_id"]].term("sector", se["code"], f"{se['code']} {sector_name(se['code'])}".strip())
    _with_edits(conn, docs)
    return docs


def _participants(conn: Connection, ids: Sequence[str], docs: dict[str, _Doc]) -> None:
    part, org, alias = table_of(t.ParticipationRow), table_of(t.OrganisationRow), table_of(t.OrganisationAliasRow)
    org_of: dict[str, set[str]] = defaultdict(set)
    stmt = (select(part.c.activity_id, part.c.role, part.c.name, part.c.organisation_id, org.c.name.label("org"))
            .join(org, org.c.id == part.c.organisation_id).where(among(conn, part.c.activity_id, ids)))
    for r in conn.execute(stmt):
        d = docs[r.activity_id]
        d.texts += [r.name, r.org, *known_names(r.org)]
        org_of[r.organisation_id].add(r.activity_id)
        d.orgs.add((r.organisation_id, r.role))
        if r.role == "funder":
            d.term("funder", r.organisation_id, r.org)
        elif r.role in IMPLEMENTER_ROLES:
            d.term("implementer", r.organisation_id, r.org)
    orgs = list(org_of)
    for chunk in batched(orgs, 500):
        for al in conn.execute(select(alias.c.organisation_id, alias.c.alias)
                               .where(among(conn, alias.c.organisation_id, chunk))):
            for aid in org_of[al.organisation_id]:
                docs[aid].texts.append(al.alias)


# ------------------------------------------------------------------ editors' corrections
def _with_edits(conn: Connection, docs: dict[str, _Doc]) -> None:
    """An activity an editor corrected is indexed from what readers see (`Store.read_activities`, with the
    overlay), not from its stored rows, so that search and facets show the edited values."""
    edited = edited_ids(conn, list(docs))
    if not edited:
        return
    for activity in Store.read_activities(conn, sorted(edited)):
        new = _doc_of(conn, activity)
        new.documents = docs[new.activity_id].documents
        docs[new.activity_id] = new


def _doc_of(conn: Connection, a: Activity) -> _Doc:
    d = _Doc(a.id or "", start=a.dates.start or a.dates.announced, title=a.primary_title(),
             titles=list(texts_of(a.title)))
    d.texts += [a.iati_identifier or "", a.programme or ""]
    d.term("kind", a.kind)
    d.term("programme", a.programme)
    year = year_of(a.dates.start, a.dates.announced, a.dates.end)
    d.term("year", str(year) if year else None)
    for lang in a.languages:
        d.term("language", lang, language_name(lang))
    for item in (a.title, a.description, *a.objectives, *a.results, *a.activities, *a.beneficiaries,
                 *(g.text for g in a.target_groups)):
        d.texts += texts_of(item)
    orgs = _organisations_named(conn, [p.name for p in a.participants])
    for p in a.participants:
        d.texts.append(p.name)
        found = orgs.get(p.name)
        if found is None:
            continue
        org_id, org_name, aliases = found
        d.texts += [org_name, *aliases, *known_names(org_name)]
        d.orgs.add((org_id, p.role))
        if p.role == "funder":
            d.term("funder", org_id, org_name)
        elif p.role in IMPLEMENTER_ROLES:
            d.term("implementer", org_id, org_name)
    for place in a.locations:
        d.texts += [place.name, place.admin1 or ""]
        d.places.append(place.name)
        d.term("municipality", place.name)
    for country in a.countries:
        d.texts.append(country_name(country))
        d.places.append(country_name(country))
        d.term("country", country, country_name(country))
    if a.budget:
        d.budget = (a.budget.value, a.budget.currency, a.budget.value_date)
    for sector in a.sectors:
        d.texts.append(sector_name(sector.code))
        d.term("sector", sector.code, f"{sector.code} {sector_name(sector.code)}".strip())
    return d


def _organisations_named(conn: Connection, names: list[str]) -> dict[str, tuple[str, str, list[str]]]:
    """Spelling → (organisation id after merges, its name, its aliases) for the spellings the registry knows."""
    org, alias = table_of(t.OrganisationRow), table_of(t.OrganisationAliasRow)
    owner: dict[str, str] = {}
    for r in conn.execute(select(alias.c.alias, alias.c.organisation_id).where(among(conn, alias.c.alias, names))
                          .order_by(alias.c.organisation_id)):
        owner.setdefault(r.alias, r.organisation_id)
    rows = {r.id: r for r in conn.execute(select(org.c.id, org.c.name, org.c.merged_into)
                                          .where(among(conn, org.c.id, list(owner.values()))))}
    merged = [r.merged_into for r in rows.values() if r.merged_into]
    rows.update({r.id: r for r in conn.execute(select(org.c.id, org.c.name, org.c.merged_into)
                                               .where(among(conn, org.c.id, merged)))})
    spellings: dict[str, list[str]] = defaultdict(list)
    for r in conn.execute(select(alias.c.organisation_id, alias.c.alias)
                          .where(among(conn, alias.c.organisation_id, list(rows)))):
        spellings[r.organisation_id].append(r.alias)
    out: dict[str, tuple[str, str, list[str]]] = {}
    for name, oid in owner.items():
        row = rows[oid]
        final = rows.get(row.merged_into, row) if row.merged_into else row
        out[name] = (final.id, final.name, spellings[final.id])
    return out
