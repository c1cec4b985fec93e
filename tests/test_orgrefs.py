"""An organisation's country from its IATI organisation identifier's registration agency (org-id.guide)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from aidatlas.db.store import ORGANISATIONS
from aidatlas.records import Activity, Participant, Source
from aidatlas.reference.orgrefs import country_of_ref, registration_agencies
from aidatlas.registry import open_store


@pytest.mark.parametrize(("ref", "country"), [
    ("KR-GOV-050", "KR"), ("GB-COH-01234567", "GB"), ("gb-chc-1234 ", "GB"), ("SE-0-2021004", "SE"),
    ("XM-DAC-41114", None), ("XI-IATI-EC_NEAR", None), ("NL-KVK-41198677", "NL"), ("BA-JIB-4200", "BA"),
    ("DE-ZZZ-77", "DE"), ("QQ-ABC-1", None), ("41114", None), ("", None), (None, None),
])
def test_country_of_ref(ref: str | None, country: str | None):
    assert country_of_ref(ref) == country


def test_table_prefixes_are_well_formed():
    table = registration_agencies()
    assert {"GB-COH", "KR-GOV", "XM-DAC"} <= set(table)
    assert all(c is None or (len(c) == 2 and c.isupper()) for c in table.values())
    assert all(c is None for p, c in table.items() if p.startswith("X"))


def test_stored_organisation_gets_the_country_of_its_ref(sqlite_settings):
    store = open_store(sqlite_settings)
    store.import_activities([Activity(kind="project", title={"en": "Zeta roads"}, iati_identifier="KR-GOV-050-Z1",
                                      participants=[Participant(name="Ministry of Foreign Affairs", role="funder",
                                                                org_id="KR-GOV-050")],
                                      source=Source(document="kr.xml"))], source_name="kr.xml")
    with store.engine.connect() as conn:
        assert conn.execute(select(ORGANISATIONS.c.country).where(ORGANISATIONS.c.iati_ref == "KR-GOV-050")
                            ).scalar_one() == "KR"
    store.close()
