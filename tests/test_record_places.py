"""Where a record happens: the municipality as a body, and the places its texts name."""

from __future__ import annotations

import pytest

from aidatlas.normalize.record_places import PLACE_BODY, body_places, local_body
from aidatlas.records import Draft, DraftParticipant, Snippet
from aidatlas.reference.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def test_a_local_government_is_a_city_or_a_municipality_in_the_place_s_script(gazetteer):
    assert local_body("Jagodina", gazetteer) == "Grad Jagodina"
    assert local_body("Књажевац", gazetteer) == "Општина Књажевац"
    assert local_body("Korçë", gazetteer) == "Bashkia Korçë"


def test_an_implementing_municipality_is_where_the_activity_happens(gazetteer):
    name = "Bashkia Korçë"
    draft = Draft(kind="project", title=[Snippet(text="x", start=0, end=1)],
                  participants=[DraftParticipant(name=Snippet(text=name, start=10, end=10 + len(name)),
                                                 role="implementer")])
    spans: dict[str, list[tuple[int, int]]] = {}
    assert [p.name for p in body_places(draft, gazetteer, [], spans)] == ["Korçë"]
    assert spans == {"locations.0": [(18, 23)]}
    assert PLACE_BODY.search("Opština Bijelo Polje") and not PLACE_BODY.search("Udruženje Korak")
