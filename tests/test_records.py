import pytest
from pydantic import ValidationError

from aidatlas.records import Activity, Money, Participant, Source, TargetGroup, stable_id
from aidatlas.synthetic import synthetic_activities


def test_synthetic_records_validate_against_the_contract(validate_record):
    for activity in synthetic_activities(50):
        validate_record(activity.to_json())


def test_empty_fields_are_left_out():
    record = Activity(kind="event", title={"en": "T"}, source=Source(document="a.txt")).to_json()
    assert set(record) == {"kind", "title", "source"}


@pytest.mark.parametrize("build", [
    lambda: Money(value=-1, currency="EUR"),
    lambda: Money(value=1, currency="euro"),
    lambda: Participant(name="X", role="donor"),
    lambda: Participant(name="X", role="funder", country="BIH"),
    lambda: TargetGroup(text="", count=3),
    lambda: Activity(kind="grant", title={"en": "T"}, source=Source(document="a")),
    lambda: Activity(kind="project", title={}, source=Source(document="a")),
    lambda: Activity(kind="project", title={"en": "T"}, dates={"start": "2021-13-99x"}, source=Source(document="a")),
])
def test_invalid_values_are_refused(build):
    with pytest.raises(ValidationError):
        build()


def test_stable_ids():
    assert stable_id("act", "abc", 1) == stable_id("act", "abc", 1) != stable_id("act", "abc", 2)
