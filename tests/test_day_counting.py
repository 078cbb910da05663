"""Working days by China's official calendar, on real holiday periods, and calendar days."""

from __future__ import annotations

import random
from datetime import date, timedelta

import chinese_calendar
import pytest

from generator.day_counting import (
    FIRST_KNOWN_YEAR,
    LAST_KNOWN_YEAR,
    UnknownWorkingDays,
    count_days,
    earliest_end,
    is_working_day,
)


def test_2024_national_day_week_with_its_make_up_days() -> None:
    # 1–7 October 2024 off; Sunday 29 September and Saturday 12 October were working days.
    assert is_working_day(date(2024, 9, 29))
    assert is_working_day(date(2024, 10, 12))
    assert not any(is_working_day(date(2024, 10, day)) for day in range(1, 8))
    assert count_days(date(2024, 9, 29), date(2024, 9, 29), "working") == 1
    assert count_days(date(2024, 10, 1), date(2024, 10, 7), "working") == 0
    assert count_days(date(2024, 10, 12), date(2024, 10, 12), "working") == 1
    # 23–30 Sep: 6 weekdays and Sunday the 29th; 8–11 Oct: 4; Saturday the 12th; Monday the 14th.
    assert count_days(date(2024, 9, 23), date(2024, 10, 14), "working") == 7 + 4 + 1 + 1
    assert count_days(date(2024, 9, 23), date(2024, 10, 14), "calendar") == 22


def test_fifteen_working_days_from_25_september_2024() -> None:
    # 25–27 Sep (3), 29–30 Sep (2), 8–12 Oct (5), 14–18 Oct (5): Friday 18 October.
    assert earliest_end(date(2024, 9, 25), 15, "working") == date(2024, 10, 18)
    assert count_days(date(2024, 9, 25), date(2024, 10, 18), "working") == 15
    assert count_days(date(2024, 9, 25), date(2024, 10, 17), "working") == 14


def test_spring_festival_2025() -> None:
    # 28 January – 4 February 2025 off; Sunday 26 January and Saturday 8 February worked.
    assert is_working_day(date(2025, 1, 26))
    assert is_working_day(date(2025, 2, 8))
    assert not any(is_working_day(date(2025, 1, 28) + timedelta(days=n)) for n in range(8))
    # 20–24 January (5), Sunday 26 and Monday 27 (2), 5–7 February (3), Saturday 8 (1), Monday 10 (1)
    assert count_days(date(2025, 1, 20), date(2025, 2, 10), "working") == 5 + 2 + 3 + 1 + 1
    # ... and three more, 11–13 February: the 15th working day is Thursday 13 February.
    assert earliest_end(date(2025, 1, 20), 15, "working") == date(2025, 2, 13)


def test_labour_day_2024_make_up_saturday() -> None:
    # 1–5 May 2024 off; Sunday 28 April and Saturday 11 May worked.
    # Sunday 28 April, 29–30 April, 6–10 May, Saturday 11 May
    assert count_days(date(2024, 4, 28), date(2024, 5, 11), "working") == 1 + 2 + 5 + 1
    assert earliest_end(date(2024, 5, 6), 6, "working") == date(2024, 5, 11)


def test_a_start_on_a_holiday_counts_from_the_next_working_day() -> None:
    assert earliest_end(date(2024, 10, 1), 1, "working") == date(2024, 10, 8)
    assert count_days(date(2024, 10, 1), date(2024, 10, 8), "working") == 1


def test_calendar_days_count_both_ends() -> None:
    assert count_days(date(2024, 3, 4), date(2024, 3, 18), "calendar") == 15
    assert earliest_end(date(2024, 3, 4), 15, "calendar") == date(2024, 3, 18)
    assert count_days(date(2024, 2, 20), date(2024, 3, 5), "calendar") == 15  # a leap year's 29 February
    assert earliest_end(date(2024, 12, 25), 15, "calendar") == date(2025, 1, 8)


def test_a_reversed_period_has_no_days() -> None:
    assert count_days(date(2024, 3, 18), date(2024, 3, 4), "calendar") == 0
    assert count_days(date(2024, 3, 18), date(2024, 3, 4), "working") == 0


def test_calendar_days_need_no_holiday_calendar() -> None:
    assert count_days(date(2030, 1, 1), date(2030, 1, 15), "calendar") == 15
    assert earliest_end(date(2003, 1, 1), 15, "calendar") == date(2003, 1, 15)


@pytest.mark.parametrize("day", [date(2027, 1, 4), date(2003, 6, 2), date(2030, 1, 2)])
def test_a_year_the_calendar_does_not_know_is_an_error_not_a_guess(day: date) -> None:
    with pytest.raises(UnknownWorkingDays) as raised:
        count_days(day, day + timedelta(days=14), "working")
    assert raised.value.day == day
    with pytest.raises(UnknownWorkingDays):
        earliest_end(day, 15, "working")


def test_counting_into_an_unknown_year_is_an_error_too() -> None:
    with pytest.raises(UnknownWorkingDays) as raised:
        earliest_end(date(LAST_KNOWN_YEAR, 12, 21), 15, "working")
    assert raised.value.day == date(LAST_KNOWN_YEAR + 1, 1, 1)
    with pytest.raises(UnknownWorkingDays) as raised:
        count_days(date(LAST_KNOWN_YEAR, 12, 21), date(LAST_KNOWN_YEAR + 1, 1, 4), "working")
    assert raised.value.day == date(LAST_KNOWN_YEAR + 1, 1, 1)
    with pytest.raises(UnknownWorkingDays) as raised:
        count_days(date(FIRST_KNOWN_YEAR - 1, 12, 21), date(FIRST_KNOWN_YEAR, 1, 4), "working")
    assert raised.value.day == date(FIRST_KNOWN_YEAR - 1, 12, 21)


def test_working_days_counted_at_once_are_those_counted_one_by_one() -> None:
    """count_days looks periods up in a table of the known years: the same number as counting
    each day by chinese_calendar itself, from the first day of the known years to the last,
    whatever the period."""
    first, last = date(FIRST_KNOWN_YEAR, 1, 1), date(LAST_KNOWN_YEAR, 12, 31)
    rng = random.Random(8)
    periods = [(first, first), (last, last), (first, last), (first, first + timedelta(days=40))]
    for _ in range(400):
        start = first + timedelta(days=rng.randrange((last - first).days + 1))
        periods.append((start, min(last, start + timedelta(days=rng.randrange(60)))))
    for start, end in periods:
        one_by_one = sum(
            chinese_calendar.is_workday(start + timedelta(days=offset))
            for offset in range((end - start).days + 1)
        )
        assert count_days(start, end, "working") == one_by_one, (start, end)


def test_each_known_day_is_a_working_day_as_chinese_calendar_says() -> None:
    """The table is read from chinese_calendar's schedule, not from its is_workday (slow): the
    two agree on every day of the known years."""
    day = date(FIRST_KNOWN_YEAR, 1, 1)
    while day.year <= LAST_KNOWN_YEAR:
        assert is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_the_known_years() -> None:
    assert FIRST_KNOWN_YEAR <= 2004
    assert LAST_KNOWN_YEAR >= 2025
