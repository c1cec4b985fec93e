"""Organisation resolution deferred by a bulk load (`settle_later`) and done in one pass afterwards (`settle`)
reaches the registry the batch-by-batch resolution reaches; an interrupted or failing pass loses nothing and
is finished by the next one (an import, `aidatlas orgs check`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import copy_database
from sqlalchemy import func, select
from typer.testing import CliRunner

from aidatlas.cli.main import app
from aidatlas.db.search_index import PENDING as SEARCH_PENDING
from aidatlas.db.store import ACTIVITIES, Store
from aidatlas.errors import StoreError
from aidatlas.records import Activity, Participant, Source
from aidatlas.registry import open_store
from aidatlas.resolve import decisions as dec
from aidatlas.resolve import stages
from aidatlas.settings import Settings

runner = CliRunner()
FUNDERS = [("European Union", "XI-IATI-EC"), ("European Union", None), ("Norway", "XM-DAC-7")]
IMPLEMENTERS = ['Udruženje "Sunce" Tuzla', "Udruženje građana Sunce Tuzla", "Kariza Foundation for Civic Initiatives",
                "Fondacija Kariza", "Local Democracy Agency Mostar", "Local Democracy Agency Prijedor",
                "Centar za razvoj Sunce Tuzla", "Sunce Tuzla"]


def activities() -> list[Activity]:
    """Sixteen activities whose organisations hold an automatic merge, twins to propose and look-alikes."""
    out = []
    for i in range(16):
        funder, ref = FUNDERS[i % len(FUNDERS)]
        out.append(Activity(kind="project", title={"en": f"Zeta {i}"}, iati_identifier=f"XX-ZETA-{i}",
                            participants=[Participant(name=funder, role="funder", org_id=ref),
                                          Participant(name=IMPLEMENTERS[i % len(IMPLEMENTERS)], role="implementer",
                                                      country="BA")],
                            source=Source(document="z.xml")))
    return out


def outcome(store: Store) -> tuple[Any, ...]:
    """What resolution decided: merges, proposals, and the organisation behind every participation."""
    with store.engine.connect() as conn:
        merges = sorted((r.action, r.a, r.b, r.actor) for r in conn.execute(select(dec.DECISIONS)))
        proposed = sorted((r.a, r.b, r.status) for r in conn.execute(select(dec.CANDIDATES)))
        merged_into = dict(conn.execute(select(dec.ORGS.c.id, dec.ORGS.c.merged_into)).all())
        ids = dict(conn.execute(select(ACTIVITIES.c.iati_identifier, ACTIVITIES.c.id)).all())
    by_activity = {identifier: store.organisation_ids(aid) for identifier, aid in ids.items()}
    return merges, proposed, merged_into, by_activity


def pending(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(stages.PENDING)).scalar_one()


def immediate_outcome(tmp_path: Path, sqlite_template: Path) -> tuple[Any, ...]:
    settings = Settings(database_url=Settings.sqlite_url(copy_database(sqlite_template, tmp_path / "now.db")))
    store = open_store(settings)
    try:
        store.import_activities(activities(), source_name="z.xml", commit_every=4)
        return outcome(store)
    finally:
        store.close()


def test_a_settled_bulk_load_resolves_organisations_as_batch_by_batch_resolution_does(
        store: Store, tmp_path: Path, sqlite_template: Path):
    store.import_activities(activities(), source_name="z.xml", commit_every=4, settle_later=True)
    merges, proposed, _, _ = outcome(store)
    assert not merges and not proposed and pending(store) > 0          # noted in the batches, nothing decided yet
    assert store.settle() >= 1
    assert pending(store) == 0
    with store.engine.connect() as conn:        # the merges' re-indexing was settled too: the index is current
        assert conn.execute(select(func.count()).select_from(SEARCH_PENDING)).scalar_one() == 0
    settled = outcome(store)
    assert settled == immediate_outcome(tmp_path, sqlite_template)
    merges, proposed, _, _ = settled
    assert any(action == "merge" and actor == dec.AUTOMATIC for action, _, _, actor in merges)
    assert proposed                                                      # the European Union twins at least
    assert store.settle() == 0                                           # nothing left: a no-op


def test_a_failing_pass_keeps_its_notes_and_the_next_one_finishes(store: Store, monkeypatch: pytest.MonkeyPatch):
    store.import_activities(activities(), source_name="z.xml", commit_every=4, settle_later=True)
    before = pending(store)
    monkeypatch.setattr(stages, "propose_twins", _boom)             # fails after the merges were made
    with pytest.raises(StoreError, match="boom"):
        store.settle()
    assert pending(store) == before and outcome(store)[0] == []      # the round rolled back whole
    monkeypatch.undo()
    store.settle()
    assert pending(store) == 0 and outcome(store)[0]


def _boom(*args: object) -> int:
    raise StoreError("boom")


def _iati_file(path: Path) -> Path:
    rows = "".join(
        f'<iati-activity last-updated-datetime="2026-01-01T00:00:00"><iati-identifier>XX-ZETA-{i}</iati-identifier>'
        f"<title><narrative>Zeta {i}</narrative></title>"
        f'<participating-org role="4"><narrative>{name}</narrative></participating-org></iati-activity>\n'
        for i, name in enumerate(IMPLEMENTERS))
    path.write_text(f'<iati-activities version="2.03">\n{rows}</iati-activities>\n', encoding="utf-8")
    return path


def test_import_iati_resolves_after_the_files_and_says_so_when_that_fails(
        tmp_path: Path, sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch):
    source = _iati_file(tmp_path / "zeta.xml")
    args = ["--db", sqlite_settings.database_url]
    monkeypatch.setattr(stages, "propose_twins", _boom)
    failed = runner.invoke(app, ["import-iati", str(source), "--no-progress", *args])
    assert failed.exit_code == 1
    assert "organisation resolution after the import: boom" in failed.output and "zeta.xml: 8 new" in failed.output
    store = open_store(sqlite_settings)
    try:
        assert store.counts()["activities"] == len(IMPLEMENTERS) and pending(store) > 0
        monkeypatch.undo()
        checked = runner.invoke(app, ["orgs", "check", *args])      # finishes the interrupted pass first
        assert checked.exit_code == 0, checked.output
        assert pending(store) == 0 and outcome(store)[0]
    finally:
        store.close()
