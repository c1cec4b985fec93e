"""Confidence of an extracted record and of each of its fields, from how each value was read.

A value read from a labelled field of a project sheet is more certain than one read from a list, and that
more than one read from a prose cue or taken as a fallback. The figures are fixed, explainable priors (not a
learned model): each field starts from its record's origin and is lowered by what made it a guess (an
approximate amount, a country known only from the text around the record, a title that is a whole sentence).
A record below `REVIEW_BELOW` is marked for an editor's review.
"""

from __future__ import annotations

from statistics import fmean

from aidatlas.records import Activity, Confidence, Draft

#: a record's base confidence by how it was found
ORIGIN_BASE = {"labels": 0.9, "listing": 0.8, "event": 0.7, "programme": 0.7, "prose": 0.65, "iati": 1.0,
               "edit": 1.0}
#: how much a known weakness lowers a field
PENALTIES = {
    "budget:fallback": 0.25,      # no sentence said 'total/budget/worth': the first amount on the page
    "budget:approximate": 0.1,    # "oko 4,2 miliona", "skoro pola miliona KM"
    "countries:places": 0.1,      # no country named: the places' countries
    "countries:context": 0.25,    # nor places: the text around the record (a list's lead)
    "title:sentence": 0.3,        # the title is a whole sentence, not a name or heading
    "participants:none": 0.0,
}
REVIEW_BELOW = 0.5


def assess(draft: Draft, activity: Activity, notes: set[str], review_below: float = REVIEW_BELOW) -> Confidence:
    """Field and record confidence for one normalized draft; `notes` name the weaknesses met on the way."""
    base = ORIGIN_BASE.get(draft.origin, 0.65)
    title = next(iter(activity.title.values()), "")
    if len(title) > 150 or title.endswith("."):
        notes.add("title:sentence")
    filled = {
        "title": True, "kind": True, "budget": activity.budget is not None, "dates": not activity.dates.is_empty(),
        "countries": bool(activity.countries), "locations": bool(activity.locations),
        "participants": bool(activity.participants), "objectives": bool(activity.objectives),
        "activities": bool(activity.activities), "results": bool(activity.results),
        "target_groups": bool(activity.target_groups), "funding_shares": bool(activity.funding_shares),
    }
    fields = {}
    for field, present in filled.items():
        if not present:
            continue
        value = base - sum(p for note, p in PENALTIES.items() if note.startswith(field + ":") and note in notes)
        if field == "kind" and draft.origin in ("prose", "programme"):
            value -= 0.1  # a kind read from words is a guess more often than one a sheet states
        fields[field] = round(max(0.05, min(1.0, value)), 2)
    core = [fields.get(f, 0.0) for f in ("title", "kind")]
    record = round(0.5 * min(core) + 0.5 * fmean(fields.values()), 2)
    if not activity.participants and not activity.budget:
        record = round(record * 0.8, 2)  # neither who nor how much: little to go on
    return Confidence(record=record, fields=fields, needs_review=record < review_below)
