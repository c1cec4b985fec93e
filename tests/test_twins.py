"""Two organisations written the same way with compatible IATI refs are always at least proposed for review."""

from __future__ import annotations

from sqlalchemy import select

from aidatlas.db.store import Store
from aidatlas.records import Activity, Participant, Source
from aidatlas.resolve import decisions as dec
from aidatlas.resolve.twins import compatible_refs, propose_twins
from aidatlas.settings import Settings


def funded_by(i: int, name: str, ref: str | None) -> Activity:
    return Activity(kind="project", title={"en": f"Zeta {i}"}, iati_identifier=f"XX-ZETA-{i}",
                    participants=[Participant(name=name, role="funder", org_id=ref)], source=Source(document="z.xml"))


def candidates(store: Store) -> list[tuple[str, str, str]]:
    with store.engine.connect() as conn:
        return [(r.a, r.b, r.status) for r in conn.execute(select(dec.CANDIDATES))]


def test_compatible_refs():
    assert compatible_refs(None, "XI-IATI-EC") and compatible_refs("xi-iati-ec ", "XI-IATI-EC")
    assert not compatible_refs("XI-IATI-EC_NEAR", "XI-IATI-EC_DEVCO")


def test_same_name_compatible_refs_proposed_once_incompatible_not(sqlite_settings: Settings):
    store = Store.open(sqlite_settings)  # persistence only: no matcher ran, as when it passed the pair by
    store.import_activities([funded_by(1, "European Union", "XI-IATI-EC"), funded_by(2, "European Union", None),
                             funded_by(3, "Zeta Fund", "GB-CHC-1"), funded_by(4, "Zeta Fund", "GB-CHC-2")],
                            source_name="z.xml")
    with store.engine.begin() as conn:
        orgs = list(conn.execute(select(dec.ORGS.c.id)).scalars())
        assert propose_twins(conn, orgs) == 1
        assert propose_twins(conn, orgs) == 0  # proposed once, not again
    (a, b, status), = candidates(store)
    with store.engine.connect() as conn:
        names = dict(conn.execute(select(dec.ORGS.c.id, dec.ORGS.c.iati_ref).where(dec.ORGS.c.id.in_([a, b]))).all())
    assert status == "open" and sorted(names.values(), key=str) == sorted([None, "XI-IATI-EC"], key=str)
    store.close()


def test_a_decided_pair_is_not_proposed_again(sqlite_settings: Settings):
    store = Store.open(sqlite_settings)
    store.import_activities([funded_by(1, "Zeta Ministry", None), funded_by(2, "Zeta Ministry", "KR-GOV-050")],
                            source_name="z.xml")
    with store.engine.begin() as conn:
        a, b = sorted(conn.execute(select(dec.ORGS.c.id)).scalars())
        dec.reject(conn, a, b, actor="ana", reason="two ministries of different countries")
        assert propose_twins(conn, [a, b]) == 0
    store.close()
