"""Working days by China's official calendar, on real holiday periods."""

from __future__ import annotations

from datetime import date

import pytest

from generator.day_counting import UnknownWorkingDays, count_days, earliest_end


def test_2024_national_day_week_with_its_make_up_days() -> None:
    # 1–7 October 2024 off; Sunday 29 September and Saturday 12 October were working days.
    assert count_days(date(2024, 9, 29), date(2024, 9, 29), "working") == 1
    assert count_days(date(2024, 10, 1), date(2024, 10, 7), "working") == 0
    assert count_days(date(2024, 10, 12), date(2024, 10, 12), "working") == 1
    # 23 Sep – 14 Oct: 6 weekdays to 30 Sep + Sunday 29 Sep + 8–11 Oct + Saturday 12 Oct + 14 Oct
    assert count_days(date(2024, 9, 23), date(2024, 10, 14), "working") == 7 + 4 + 1 + 1
    # 25–27 Sep, 29–30 Sep, 8–12 Oct, 14–18 Oct: the 15th working day is Friday 18 October
    assert earliest_end(date(2024, 9, 25), 15, "working") == date(2024, 10, 18)


def test_calendar_days_count_both_ends() -> None:
    assert count_days(date(2024, 3, 4), date(2024, 3, 18), "calendar") == 15
    assert earliest_end(date(2024, 3, 4), 15, "calendar") == date(2024, 3, 18)


def test_a_year_the_calendar_does_not_know_is_an_error_not_a_guess() -> None:
    with pytest.raises(UnknownWorkingDays):
        count_days(date(2030, 1, 2), date(2030, 1, 20), "working")
