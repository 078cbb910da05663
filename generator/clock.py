"""The only place that reads the clock. Everything else receives `today` as a parameter.

Notice periods run by the date in China Standard Time, whatever zone the build machine is in:
a build at 16:30 UTC is already the next day in China.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from generator.errors import InvalidArgument

CHINA = ZoneInfo("Asia/Shanghai")
TODAY_ENVIRONMENT_VARIABLE = "PORTAL_TODAY"


def china_now(now: datetime | None = None) -> datetime:
    """The current moment in China; `now` (zone-aware) lets tests stand anywhere in time."""
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("china_now needs a zone-aware datetime")
    return moment.astimezone(CHINA)


def china_today(now: datetime | None = None) -> date:
    return china_now(now).date()


def parse_day(text: str, given_as: str = "--today") -> date:
    """Parse `YYYY-MM-DD` as given on the command line or in PORTAL_TODAY."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidArgument(
            f"{given_as} 的日期“{text}”无效：请写成 YYYY-MM-DD 格式的真实日期，例如 {given_as}=2025-09-22。"
            f" ({given_as}: {text!r} is not a date; write YYYY-MM-DD, e.g. 2025-09-22)"
        ) from None


def resolve_today(explicit: str | None = None, *, now: datetime | None = None) -> date:
    """--today wins, then PORTAL_TODAY, then the real date in China (at `now`, zone-aware, when
    a test stands at a given moment)."""
    if explicit:
        return parse_day(explicit)
    from_environment = os.environ.get(TODAY_ENVIRONMENT_VARIABLE, "").strip()
    if from_environment:
        return parse_day(from_environment, TODAY_ENVIRONMENT_VARIABLE)
    return china_today(now)


def china_datetime(day: date, at: time | None = None) -> datetime:
    """A zone-aware moment on `day` in China; by default its start (00:00)."""
    return datetime.combine(day, at or time(0, 0), tzinfo=CHINA)


def end_of_day(day: date) -> datetime:
    return china_datetime(day + timedelta(days=1))
