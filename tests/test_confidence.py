"""Confidence follows how a value was read: sheets above lists above prose; weak records go to review."""

from __future__ import annotations

from aidatlas.normalize.confidence import assess
from aidatlas.records import Activity, Draft, Money, Participant, Snippet, Source


def _activity(**fields: object) -> Activity:
    values: dict[str, object] = {"kind": "project", "title": {"en": "Rural roads for Kolašin"},
                                 "source": Source(document="x.txt"), **fields}
    return Activity(**values)  # type: ignore[arg-type]


def _draft(origin: str) -> Draft:
    return Draft(kind="project", title=[Snippet(text="Rural roads for Kolašin", start=0, end=23)],
                 origin=origin)  # type: ignore[arg-type]


def test_a_labelled_sheet_is_surer_than_a_list_and_a_list_than_prose():
    activity = _activity(budget=Money(value=1000, currency="EUR"),
                         participants=[Participant(name="UNDP", role="implementer")])
    scores = [assess(_draft(origin), activity, set()).record for origin in ("labels", "listing", "prose")]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]


def test_weaknesses_lower_their_field_and_a_bare_sentence_goes_to_review():
    activity = _activity(budget=Money(value=1000, currency="EUR"), countries=["ME"])
    sure = assess(_draft("prose"), activity, set())
    unsure = assess(_draft("prose"), activity, {"budget:approximate", "countries:context"})
    assert unsure.fields["budget"] < sure.fields["budget"] and unsure.fields["countries"] < sure.fields["countries"]
    bare = _activity(title={"en": "Today the mayor and the ambassador visited the villages where work began. " * 3})
    assert assess(_draft("prose"), bare, set()).needs_review
    assert not assess(_draft("labels"), activity, set()).needs_review
