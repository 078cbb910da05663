"""Counting notice days: calendar days, or working days by China's official calendar.

Working days follow the State Council's yearly holiday schedule, public holidays and make-up
working days (调休) included, as kept by the `chinese-calendar` package. A date outside the years
that schedule covers is an error that says so — never a silent guess that weekends are the only
days off.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from typing import Literal

import chinese_calendar

DayCounting = Literal["calendar", "working"]

FIRST_KNOWN_YEAR = min(chinese_calendar.holidays).year
LAST_KNOWN_YEAR = max(chinese_calendar.holidays).year
_FIRST_DAY = date(FIRST_KNOWN_YEAR, 1, 1)
UNIT_LABELS = {"calendar": ("自然日", "calendar days"), "working": ("工作日", "working days")}


class UnknownWorkingDays(Exception):
    """The official holiday schedule for this day's year is not known."""

    def __init__(self, day: date) -> None:
        super().__init__(day.isoformat())
        self.day = day


def is_working_day(day: date) -> bool:
    """A day of the official schedule's working days; UnknownWorkingDays outside its years."""
    return count_days(day, day, "working") == 1


def _is_workday(day: date) -> bool:
    """chinese_calendar.is_workday's rule, read from its schedule: a make-up working day, or a
    weekday that is no holiday. Asked for each day of the known years, the function itself took
    0.4-0.8 s of every check and build: it looks for the earliest and latest holidays at each
    call, to tell whether the day is covered."""
    return day in chinese_calendar.workdays or (day.weekday() < 5 and day not in chinese_calendar.holidays)


def count_days(start: date, end: date, counting: DayCounting) -> int:
    """Days from start to end, both included. A period reaching outside the known years raises
    UnknownWorkingDays for its first day there, as counting it day by day would."""
    if end < start:
        return 0
    if counting == "calendar":
        return (end - start).days + 1
    if start.year < FIRST_KNOWN_YEAR:
        raise UnknownWorkingDays(start)
    if end.year > LAST_KNOWN_YEAR:
        raise UnknownWorkingDays(max(start, date(LAST_KNOWN_YEAR + 1, 1, 1)))
    before = _working_days_before()
    return before[(end - _FIRST_DAY).days + 1] - before[(start - _FIRST_DAY).days]


@cache
def _working_days_before() -> list[int]:
    """For each day of the known years, counted from their first, how many working days come
    before it (one more entry, for the day after the last): a period's working days are two
    look-ups. Counted day by day, the 5,000 working-day notices of a national portal took 0.25 s
    of its statuses at every build, and as long again in the rules."""
    counts = [0]
    day = _FIRST_DAY
    while day.year <= LAST_KNOWN_YEAR:
        counts.append(counts[-1] + _is_workday(day))
        day += timedelta(days=1)
    return counts


def earliest_end(start: date, minimum: int, counting: DayCounting) -> date:
    """The first end date that gives `minimum` days counted from `start`."""
    if counting == "calendar":
        return start + timedelta(days=minimum - 1)
    day, counted = start, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted >= minimum:
                return day
        day += timedelta(days=1)
