"""Organisation totals kept by the PostgreSQL index (`db/search_pg_orgs.py`, migration 0016): an organisation's
page reads them, and they stay what summing its documents gives through links, merges, replaced documents and
deleted activities; the same page on SQLite sums the rows and agrees."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import text

from aidatlas.db import browse
from aidatlas.db.search import Searcher
from aidatlas.db.search_pg_orgs import compact
from aidatlas.db.store import Store
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.records import Activity, Dates, Money, Participant, Source, Transaction, stable_id
from aidatlas.registry import open_store
from aidatlas.resolve import activities as links
from aidatlas.resolve import decisions as dec
from aidatlas.settings import Settings

SHEETS = [
    ("Water for Tuzla", "European Union", "Udruzenje Izvor Tuzla", "Tuzla", "EUR 50,000", "2019-03-01"),
    ("Roads in Prijedor", "European Union", "Opcina Prijedor", "Prijedor", "USD 120,000", "2020-05-01"),
    ("Youth in Niš", "Norwegian Ministry of Foreign Affairs", "Centar Mladi Nis", "Niš", "EUR 80,000", "2020-01-15"),
    ("Schools in Shkodër", "European Union", "Shoqata Arsimi Shkoder", "Shkodër", "EUR 30,000", "2021-09-01"),
    ("Clean rivers in Bitola", "Norwegian Ministry of Foreign Affairs", "Zdruzenie Reka Bitola", "Bitola",
     "EUR 45,000", ""),
]


def _sheet(title: str, donor: str, implementer: str, place: str, budget: str, start: str, name: str = "") -> Any:
    when = f"Start date: {start}\n\n" if start else ""
    body = (f"Project title: {title}\n\nDonor: {donor}\n\nImplementing organisation: {implementer}\n\n"
            f"Location: {place}\n\nBudget: {budget}\n\n{when}")
    document = load_bytes(name or f"{title[:16]}.txt", body.encode())
    return document, Extractor().extract(document)


def _fill(store: Store) -> None:
    for sheet in SHEETS:
        store.save_document(*_sheet(*sheet))
    # the same project told by its implementer: linked to the first as one activity (counted once)
    twin = _sheet("Water for Tuzla", "European Union", "Udruzenje Izvor Tuzla", "Tuzla", "EUR 50,000",
                  "2019-03-01", name="izvor-report.txt")
    store.save_document(*twin)
    first = _sheet(*SHEETS[0])[1][0].id
    with store.engine.begin() as conn:
        if links.primary_of(conn, twin[1][0].id) != links.primary_of(conn, first):
            links.link(conn, first, twin[1][0].id, actor="ana", reason="one project")
    with store.engine.begin() as conn:  # two spellings of one organisation made one by an editor
        ids = {p.name: i for a in store.get_activities(store.activity_ids())
               for p, i in zip(a.participants, store.organisation_ids(a.id or ""), strict=True)}
        dec.merge(conn, ids["Centar Mladi Nis"], ids["Zdruzenie Reka Bitola"], actor="ana", reason="test")
    # a document replaced by a new version: its old activity goes (a cascade), the new one comes
    store.save_document(*_sheet("Schools in Shkodër", "European Union", "Shoqata Arsimi Shkoder", "Shkodër",
                                "EUR 35,000", "2022-02-01", name="Schools in Shkod.txt"))
    Searcher(store.engine).ensure_indexed()


def _profiles(store: Store) -> dict[str, Any]:
    with store.engine.connect() as conn:
        orgs = conn.execute(text("SELECT id FROM organisations WHERE merged_into IS NULL")).scalars().all()
    out = {}
    for org in orgs:
        profile = asdict(browse.organisation(store.engine, org, limit=1000))
        profile["activity_ids"] = sorted(profile["activity_ids"])  # ties and NULL dates order apart
        out[org] = profile
    return out


def test_organisation_pages_agree_on_both_databases(tmp_path: Any, pg_settings: Settings):
    lite = open_store(Settings(database_url=Settings.sqlite_url(tmp_path / "r.db")))
    pg = open_store(pg_settings)
    try:
        _fill(lite)
        _fill(pg)
        expected, got = _profiles(lite), _profiles(pg)
        assert got == expected
        eu = next(p for p in got.values() if p["name"] == "European Union")
        assert eu["activities"] == 3 and eu["roles"] == {"funder": 3}  # the linked report counted once
        assert eu["by_currency"] == {"EUR": 85_000.0, "USD": 120_000.0}  # Shkodër's new budget only
        merged = next(p for p in got.values() if len(p["merged"]) == 1)
        assert merged["activities"] == 2 and {c[0] for c in merged["countries"]} == {"RS", "MK"}
    finally:
        lite.close()
        pg.close()


def test_kept_totals_are_the_sums_of_the_documents_and_compact_keeps_them(pg_settings: Settings):
    store = open_store(pg_settings)
    try:
        _fill(store)
        summed = ("SELECT org, kind, key, currency, sum(activities), round(sum(value)::numeric, 6), "
                  "round(sum(eur)::numeric, 6), sum(converted) FROM ({}) x GROUP BY 1, 2, 3, 4 "
                  "HAVING sum(activities) <> 0 ORDER BY 1, 2, 3, 4")
        from_docs = summed.format(
            "SELECT org, 0 AS kind, coalesce(substr(start_date, 1, 4), '') AS key, currency, 1 AS activities, "
            "coalesce(value, 0) AS value, coalesce(eur, 0) AS eur, (eur IS NOT NULL)::int AS converted "
            "FROM search_org_docs UNION ALL SELECT org, 1, c, '', 1, 0, 0, 0 FROM search_org_docs, unnest(countries) c "
            "UNION ALL SELECT org, 2, r, '', 1, 0, 0, 0 FROM search_org_docs, unnest(roles) r")
        kept = summed.format("SELECT * FROM search_org_totals")
        with store.engine.begin() as conn:
            before = conn.execute(text("SELECT count(*) FROM search_org_totals")).scalar_one()
            docs = conn.execute(text(from_docs)).all()
            assert docs and conn.execute(text(kept)).all() == docs
            assert conn.execute(text("SELECT count(*) FROM search_org_totals WHERE activities < 0")).scalar_one()
            compact(conn, slack=1, spare=0)
            assert conn.execute(text(kept)).all() == docs
            assert conn.execute(text("SELECT count(*) FROM search_org_totals")).scalar_one() < before
            assert not conn.execute(text("SELECT count(*) FROM search_org_totals WHERE activities < 0")).scalar_one()
    finally:
        store.close()


def test_migrations_0016_and_0017_fill_from_the_index_what_indexing_writes(pg_settings: Settings):
    """A registry upgraded to 0016/0017 gets the organisation totals and the facet table's page columns that
    indexing the same documents writes (downgraded to 0015 and upgraded again here)."""
    from alembic import command

    from aidatlas.db.engine import alembic_config, upgrade

    store = open_store(pg_settings)
    try:
        _fill(store)
        funded = Activity(id=stable_id("t", 1), iati_identifier="XM-TEST-1", kind="project", title={"en": "Flows"},
                          countries=["BA"],
                          participants=[Participant(name="European Union", role="funder")],
                          budget=Money(value=1000, currency="EUR"), dates=Dates(start="2021-01-01"),
                          source=Source(document="t.xml"),
                          transactions=[Transaction(type="2", date="2021-02-01", value=900, currency="EUR"),
                                        Transaction(type="3", date="2021-03-01", value=400, currency="USD"),
                                        Transaction(type="3", date="2021-04-01", value=100, currency="USD")])
        store.import_activities([funded], source_name="t.xml")
        kept = {
            "org_docs": "SELECT d.activity_id, o.org, o.roles, o.countries, o.start_date, o.currency, o.value, o.eur "
                        "FROM search_org_docs o JOIN search_docs d USING (doc) ORDER BY 1, 2",
            "org_totals": "SELECT org, kind, key, currency, sum(activities), round(sum(value)::numeric, 6), "
                          "round(sum(eur)::numeric, 6), sum(converted) FROM search_org_totals GROUP BY 1, 2, 3, 4 "
                          "HAVING sum(activities) <> 0 ORDER BY 1, 2, 3, 4",
            "facets": "SELECT d.activity_id, f.start_date, f.title_key, f.budget_value, f.budget_currency, "
                      "f.budget_eur, f.flow_measures, f.flow_currencies, f.flow_counts, f.flow_values, f.flow_eurs, "
                      "f.flow_converted FROM search_facets f JOIN search_docs d USING (doc) ORDER BY 1",
        }

        def read() -> dict[str, list[Any]]:
            with store.engine.connect() as conn:
                return {name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in kept.items()}

        indexed = read()
        assert indexed["org_docs"] and [r[6:9] for r in indexed["facets"] if r[6]] == [([0, 1], ["EUR", "USD"], [1, 2])]
        command.downgrade(alembic_config(store.engine), "0015")
        upgrade(store.engine)
        assert read() == indexed
    finally:
        store.close()
