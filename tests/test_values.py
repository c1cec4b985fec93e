"""Values one database would take and the other refuse (NUL, over-long keys) are cleaned or refused by the
library, the same on SQLite and PostgreSQL, and a refused write leaves nothing behind."""

from __future__ import annotations

import pytest

from aidatlas.db.store import Store
from aidatlas.errors import StoreError
from aidatlas.ingest.documents import load_bytes
from aidatlas.records import Activity, Participant, Place, stable_id
from aidatlas.synthetic import synthetic_activities


def _activity(document_sha: str, **changes: object) -> Activity:
    activity = next(iter(synthetic_activities(1)))
    activity.id = stable_id("act", document_sha, 0)
    for name, value in changes.items():
        setattr(activity, name, value)
    return activity


def test_nul_characters_are_dropped_on_every_database(store: Store) -> None:
    document = load_bytes("nul.txt", b"The EU funds water pipes in Tuzla.\n" * 200 + b"a\x00b\n")
    assert "\x00" not in document.text
    activity = _activity(document.sha256, title={"en": "Water\x00 for Tuzla"},
                         participants=[Participant(name="Found\x00ation", role="funder")])
    assert store.save_document(document, [activity]) == "new"
    stored = store.get_activity(activity.id or "")
    assert stored.title == {"en": "Water for Tuzla"} and stored.participants[0].name == "Foundation"


def test_an_over_long_value_is_refused_alike_and_nothing_is_written(store: Store) -> None:
    document = load_bytes("long.txt", b"The EU funds water pipes in Tuzla.\n")
    before = store.counts()
    activity = _activity(document.sha256, locations=[Place(name="P" * 301, country="BA")])
    with pytest.raises(StoreError, match=r"locations\.name: 'P+…' is 301 characters long; the registry holds at "
                                         r"most 300"):
        store.save_document(document, [activity])
    assert store.counts() == before


def test_an_over_long_iati_identifier_is_refused_alike(store: Store) -> None:
    activity = _activity("x", iati_identifier="XI-" + "7" * 300)
    activity.id = None
    with pytest.raises(StoreError, match=r"activities\.iati_identifier: .* is 303 characters long"):
        store.import_activities([activity], source_name="long.xml")
    assert store.counts()["activities"] == 0


def test_an_import_committed_in_batches_keeps_what_it_committed(store: Store) -> None:
    activities = list(synthetic_activities(5))
    for i, a in enumerate(activities):
        a.iati_identifier, a.id = f"XI-B-{i}", None

    def then_fail():
        yield from activities[:4]
        raise StoreError("interrupted")

    with pytest.raises(StoreError):
        store.import_activities(then_fail(), source_name="b.xml", commit_every=2)
    assert store.counts()["activities"] == 4
    counts = store.import_activities(activities, source_name="b.xml", commit_every=2)
    assert (counts.new, counts.unchanged) == (1, 4)
