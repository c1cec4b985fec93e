"""Range filters of a search: the budget in EUR between two amounts, the activity's period overlapping a date range.

Kept as columns beside the search snapshot (`db.search_snapshot`): each activity's first and last day as day
numbers, its period being start (else announcement) to end, or — without an end — to the last day of the
start's own precision (a start of "2021" covers 2021). An activity without dates never matches a date range;
one whose budget has no EUR value never matches an amount range.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, select

from aidatlas.db import tables as t
from aidatlas.db.tables import table_of
from aidatlas.errors import QueryError

_ACTS = table_of(t.ActivityRow)
NO_DAY = -1


def day_number(value: str | None, *, end: bool) -> int:
    """A date of any precision (2021, 2021-03, 2021-03-05) as a day number: its first or its last day;
    NO_DAY when there is none or it is not a date."""
    try:
        parts = [int(p) for p in (value or "").split("-")]
        if len(parts) == 3:
            return date(*parts).toordinal()
        if len(parts) == 2:
            return date(parts[0], parts[1], calendar.monthrange(*parts)[1] if end else 1).toordinal()
        if len(parts) == 1:
            return date(parts[0], 12, 31).toordinal() if end else date(parts[0], 1, 1).toordinal()
    except (ValueError, calendar.IllegalMonthError):
        pass
    return NO_DAY


@dataclass
class RangeColumns:
    first_day: NDArray[np.int64]
    last_day: NDArray[np.int64]

    def mask(self, eur: NDArray[np.float64], min_eur: float | None, max_eur: float | None,
             date_from: str | None, date_to: str | None) -> NDArray[np.bool_] | None:
        """The activities within every range given (None when no range is given)."""
        mask: NDArray[np.bool_] | None = None

        def both(part: NDArray[np.bool_]) -> NDArray[np.bool_]:
            return part if mask is None else mask & part

        with np.errstate(invalid="ignore"):  # NaN (no EUR value) compares False: never in an amount range
            if min_eur is not None:
                mask = both(eur >= min_eur)
            if max_eur is not None:
                mask = both(eur <= max_eur)
        if date_from is not None or date_to is not None:
            dated = self.first_day != NO_DAY
            mask = both(dated)
            if date_from is not None:
                mask = both(self.last_day >= day_number(date_from, end=False))
            if date_to is not None:
                mask = both(self.first_day <= day_number(date_to, end=True))
        return mask


def load_ranges(conn: Connection, activity_ids: list[str], starts: list[str | None]) -> RangeColumns:
    """Day numbers of each indexed activity (`starts`: the index's start, else announcement, per activity)."""
    ends = dict(conn.execute(select(_ACTS.c.id, _ACTS.c.end_date).where(_ACTS.c.end_date.is_not(None))).all())
    first = [day_number(s, end=False) for s in starts]
    last = [max(day_number(ends.get(a) or s, end=True), f) if f != NO_DAY else NO_DAY
            for a, s, f in zip(activity_ids, starts, first, strict=True)]
    return RangeColumns(np.array(first, dtype=np.int64), np.array(last, dtype=np.int64))


def check_ranges(min_eur: float | None, max_eur: float | None, date_from: str | None, date_to: str | None) -> None:
    """A clear `QueryError` naming the parameter for a bound that is not one, or bounds the wrong way round."""
    for name, amount in (("min_eur", min_eur), ("max_eur", max_eur)):
        if amount is not None and not (amount >= 0 and amount < float("inf")):
            raise QueryError(f"{name} must be a finite amount ≥ 0, not {amount!r}")
    if min_eur is not None and max_eur is not None and min_eur > max_eur:
        raise QueryError(f"min_eur ({min_eur:g}) is above max_eur ({max_eur:g})")
    for name, value in (("from", date_from), ("to", date_to)):
        if value is not None and day_number(value, end=False) == NO_DAY:
            raise QueryError(f"{name} must be an ISO date (2021, 2021-03 or 2021-03-05), not {value!r}")
    if date_from and date_to and day_number(date_from, end=False) > day_number(date_to, end=True):
        raise QueryError(f"from ({date_from}) is after to ({date_to})")
