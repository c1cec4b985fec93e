"""The edit form's rows ↔ a field's value: every field of real and synthetic records comes back unchanged from
its rows (so saving an untouched form changes nothing), and bad cells are named."""

from __future__ import annotations

import pytest
from web_fixtures import DOC

from aidatlas.curation.fields import COLUMNS, rows_from_form, rows_of, value_from_rows
from aidatlas.db.edits import EDITABLE, field_value
from aidatlas.errors import InputError
from aidatlas.ingest.documents import load_bytes
from aidatlas.ingest.pipeline import Extractor
from aidatlas.records import Activity
from aidatlas.reference.gazetteer import Gazetteer
from aidatlas.synthetic import synthetic_activities


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def records() -> list[Activity]:
    return [*Extractor().extract(load_bytes("sheet.txt", DOC)), *synthetic_activities(40)]


def test_every_field_of_real_and_synthetic_records_round_trips(gazetteer: Gazetteer):
    assert set(COLUMNS) == set(EDITABLE)
    for record in records():
        for field in EDITABLE:
            value = field_value(record, field)
            rows = rows_of(field, value)
            again = value_from_rows(field, rows, gazetteer, value)
            normal = {k: v for k, v in value.items() if v is not None} if field == "dates" else value
            if field == "dates":
                again = {k: v for k, v in again.items() if v is not None}
            assert again == normal or (value in (None, [], {}) and again in (None, [], {})), (field, value, again)


def test_form_cells_become_rows_blank_rows_dropped():
    cells = {"name": ["Zeta", "", "Nikšić"], "country": ["", "", "me"]}
    assert rows_from_form("locations", cells) == [{"name": "Zeta", "country": ""}, {"name": "Nikšić", "country": "me"}]


def test_places_are_completed_from_the_gazetteer(gazetteer: Gazetteer):
    place, = value_from_rows("locations", [{"name": "Niksic", "country": "me"}], gazetteer)
    assert place["name"] == "Nikšić" and place["country"] == "ME" and place["geonames_id"] and place["lat"]
    unknown, = value_from_rows("locations", [{"name": "Zeta hamlet", "country": ""}], gazetteer)
    assert unknown == {"name": "Zeta hamlet", "country": None, "admin1": None, "lat": None, "lon": None,
                       "geonames_id": None}


def test_text_items_group_by_item_number_with_languages():
    rows = [{"item": "1", "lang": "en", "text": "Clean water"}, {"item": "1", "lang": "bs", "text": "Čista voda"},
            {"item": "", "lang": "", "text": "Plain item"}]
    assert value_from_rows("objectives", rows) == [{"en": "Clean water", "bs": "Čista voda"}, "Plain item"]


@pytest.mark.parametrize(("field", "row", "message"), [
    ("budget", {"value": "1.200.000", "currency": "EUR", "value_date": ""}, "Budget: row 1: value '1.200.000'"),
    ("budget", {"value": "1200", "currency": "EURO", "value_date": ""}, "not an ISO 4217"),
    ("sectors", {"code": "123456", "percentage": ""}, "Sectors: row 1"),
    ("countries", {"country": "YU"}, "Countries: row 1: 'YU'"),
    ("participants", {"name": "Zeta", "role": "donor", "country": "", "org_id": ""}, "role 'donor'"),
    ("participants", {"name": "", "role": "funder", "country": "", "org_id": ""}, "name is empty"),
    ("kind", {"kind": "campaign"}, "Kind"),
    ("target_groups", {"item": "1", "lang": "en", "text": "pupils", "count": "many"}, "whole number"),
])
def test_bad_cells_are_named(field: str, row: dict[str, str], message: str):
    with pytest.raises(InputError, match=message):
        value_from_rows(field, [row])


def test_a_title_needs_a_language():
    with pytest.raises(InputError, match="at least one language"):
        value_from_rows("title", [])
