"""Organisation merges in the registry (SQLite file and PostgreSQL): automatic, proposed, reviewed, undone."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aidatlas.db.store import Store
from aidatlas.errors import ConflictError
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.registry import open_store
from aidatlas.resolve import decisions as dec
from aidatlas.resolve.organisations import OrgResolver, proposals
from aidatlas.resolve.undo import undo
from aidatlas.settings import Settings


def sheet(title: str, implementer: str, place: str = "Tuzla", donor: str = "European Union",
          name: str | None = None) -> tuple:
    text = (f"Project title: {title}\n\nDonor: {donor}\n\nImplementing organisation: {implementer}\n\n"
            f"Location: {place}\n\nBudget: EUR 50,000\n")
    document = load_bytes(name or f"{title[:20]}.txt", text.encode("utf-8"))
    return document, Extractor().extract(document)


def ingest(store: Store, *sheets: tuple) -> None:
    for document, activities in sheets:
        store.save_document(document, activities)


def org_of(store: Store, activity_id: str, role: str = "implementer") -> str:
    activity = store.get_activity(activity_id)
    index = next(i for i, p in enumerate(activity.participants) if p.role == role)
    return store.organisation_ids(activity_id)[index]


def facet_orgs(store: Store, facet: str = "implementer") -> set[str]:
    from aidatlas.db.search import Searcher, SearchQuery

    result = Searcher(store.engine).search(SearchQuery(), facet_limit=100)
    return {v.value for v in result.facets[facet]}


def test_near_identical_spellings_merge_on_write_and_the_merge_can_be_undone(store: Store):
    a = sheet("Water for Tuzla", 'Udruženje "Sunce" Tuzla')
    b = sheet("Roads for Tuzla", "Udruženje građana Sunce Tuzla")
    ingest(store, a, b)
    first, second = a[1][0].id, b[1][0].id
    assert org_of(store, first) == org_of(store, second)
    with store.engine.connect() as conn:
        log = dec.history(conn)
    merge = next(d for d in log if d.action == "merge")
    assert merge.actor == dec.AUTOMATIC and merge.score and merge.score >= 0.95 and "automatic" in merge.reason

    with store.engine.begin() as conn:
        undo(conn, merge.id, actor="ana", reason="two branches, not one")
    assert org_of(store, first) != org_of(store, second)
    with store.engine.begin() as conn:   # an undone merge is never made again, even by a full re-check
        report = OrgResolver(conn).check_all()
        assert not report.merged
        assert dec.history(conn)[0].action == "undo" and dec.history(conn)[0].actor == "ana"
        assert dec.get(conn, merge.id).undone_by is not None
    assert org_of(store, first) != org_of(store, second)


def test_translations_are_proposed_for_review_and_accepting_merges_them(store: Store):
    a = sheet("Clean rivers", "Kariza Foundation for Civic Initiatives", place="Banja Luka")
    b = sheet("Čiste rijeke", "Fondacija Kariza", place="Banja Luka")
    ingest(store, a, b)
    en, bs = org_of(store, a[1][0].id), org_of(store, b[1][0].id)
    assert en != bs
    with store.engine.connect() as conn:
        found = proposals(conn)
    pair = next(p for p in found if {p.a, p.b} == {en, bs})
    assert 0.8 <= pair.score < 0.95 and pair.evidence
    with store.engine.begin() as conn:
        d = dec.merge(conn, pair.a, pair.b, actor="marko", reason="same NGO, English name on its site")
    assert org_of(store, a[1][0].id) == org_of(store, b[1][0].id) == d.a
    assert len(facet_orgs(store) & {en, bs}) == 1          # one implementer in the facets
    with store.engine.connect() as conn:
        assert not [p for p in proposals(conn) if {p.a, p.b} == {en, bs}]
        with pytest.raises(ConflictError):
            dec.merge(conn, en, bs, actor="marko", reason="again")


def test_a_rejected_pair_is_not_proposed_again(store: Store):
    a = sheet("Clean rivers", "Kariza Foundation for Civic Initiatives", place="Banja Luka")
    b = sheet("Čiste rijeke", "Fondacija Kariza", place="Banja Luka")
    ingest(store, a, b)
    en, bs = org_of(store, a[1][0].id), org_of(store, b[1][0].id)
    with store.engine.begin() as conn:
        dec.reject(conn, en, bs, actor="ana", reason="different: one is the municipal centre")
    ingest(store, sheet("Clean lakes", "Fondacija „Kariza“", place="Banja Luka"))
    with store.engine.begin() as conn:
        OrgResolver(conn).check_all()
        assert not [p for p in proposals(conn) if {p.a, p.b} == {en, bs}]
        with pytest.raises(ConflictError):
            dec.merge(conn, en, bs, actor="x", reason="y")


def test_places_keep_look_alike_organisations_apart(store: Store):
    ingest(store, sheet("Youth in Mostar", "Local Democracy Agency Mostar", place="Mostar"),
           sheet("Youth in Prijedor", "Local Democracy Agency Prijedor", place="Prijedor"),
           sheet("Youth in Subotica", "LDA Subotica", place="Subotica"))
    with store.engine.connect() as conn:
        assert not dec.history(conn)
        assert not proposals(conn)
    assert len(facet_orgs(store)) == 3


def test_split_moves_a_spelling_out_and_survives_reingest(store: Store):
    a = sheet("Water for Tuzla", 'Udruženje "Sunce" Tuzla')
    b = sheet("Roads for Tuzla", "Udruženje građana Sunce Tuzla")
    ingest(store, a, b)
    org = org_of(store, a[1][0].id)
    with store.engine.begin() as conn:
        d = dec.split(conn, org, ["Udruženje građana Sunce Tuzla"], actor="ana", reason="a different association")
    assert org_of(store, b[1][0].id) == d.b != org_of(store, a[1][0].id)
    document = b[0]
    changed = load_bytes(document.name, document.content + b"\nObjective: more roads.\n")
    store.save_document(changed, Extractor().extract(changed))     # re-ingest: the spelling stays split
    assert org_of(store, Extractor().extract(changed)[0].id) == d.b
    with store.engine.begin() as conn:
        undo(conn, d.id, actor="ana", reason="was right after all")
    assert org_of(store, a[1][0].id) == org_of(store, Extractor().extract(changed)[0].id)


def test_embassy_is_its_own_organisation_linked_to_its_ministry(store: Store):
    from aidatlas.db.browse import organisation

    at_embassy = sheet("Grants in Sarajevo", "Fondacija Kariza", place="Sarajevo",
                       donor="Royal Norwegian Embassy in Sarajevo")
    ingest(store, at_embassy, sheet("Grants in Oslo", "Fondacija Kariza", place="Sarajevo", donor="Norway MFA"))
    embassy = org_of(store, at_embassy[1][0].id, "funder")
    profile = organisation(store.engine, embassy)
    assert profile.name == "Royal Norwegian Embassy in Sarajevo"
    assert profile.parent and profile.parent[1] == "Norwegian Ministry of Foreign Affairs"
    ministry = organisation(store.engine, profile.parent[0])
    assert (embassy, profile.name) in ministry.children
    assert "Norway MFA" in ministry.aliases


def test_the_user_table_configures_what_an_embassy_is(tmp_path: Path):
    table = tmp_path / "orgs.tsv"
    table.write_text("canonical\tcountry\torg_type\tiati_ref\tparent\taliases\n"
                     "Norwegian Ministry of Foreign Affairs\tNO\t10\t\t\tNorway MFA|Royal Norwegian Embassy in "
                     "Sarajevo\n", encoding="utf-8")
    settings = Settings(database_url=Settings.sqlite_url(tmp_path / "r.db"), org_table=str(table))
    store = open_store(settings)
    document, activities = sheet("Grants", "Fondacija Kariza", donor="Royal Norwegian Embassy in Sarajevo")
    store.save_document(document, activities)
    from aidatlas.db.browse import organisation

    assert organisation(store.engine, org_of(store, activities[0].id, "funder")).name == \
        "Norwegian Ministry of Foreign Affairs"


def test_orgs_cli_review_merge_undo(tmp_path: Path):
    from aidatlas.cli.main import app

    db = str(tmp_path / "cli.db")
    store = open_store(Settings(database_url=Settings.sqlite_url(db)))
    a = sheet("Clean rivers", "Kariza Foundation for Civic Initiatives", place="Banja Luka")
    b = sheet("Čiste rijeke", "Fondacija Kariza", place="Banja Luka")
    ingest(store, a, b)
    en, bs = org_of(store, a[1][0].id), org_of(store, b[1][0].id)
    store.close()
    runner = CliRunner()
    listed = runner.invoke(app, ["orgs", "review", "--db", db])
    assert listed.exit_code == 0 and "Kariza Foundation" in listed.output and "score" in listed.output
    merged = runner.invoke(app, ["orgs", "merge", en, bs, "--reason", "same NGO", "--by", "ana", "--db", db])
    assert merged.exit_code == 0, merged.output
    log = runner.invoke(app, ["orgs", "decisions", "--db", db])
    assert "ana" in log.output and "same NGO" in log.output
    decision = log.output.split()[0]
    undone = runner.invoke(app, ["orgs", "undo", decision, "--reason", "no", "--db", db])
    assert undone.exit_code == 0, undone.output
    again = runner.invoke(app, ["orgs", "undo", decision, "--reason", "no", "--db", db])
    assert again.exit_code == 1 and "undone already" in again.output
