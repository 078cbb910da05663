"""Clock and zone: notice periods run by the date in China, whatever the build machine's clock and
zone. A fixed instant is injected (`now`), never slept for."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import generator.clock
from generator.cli import main
from generator.clock import TODAY_ENVIRONMENT_VARIABLE, china_now, resolve_today
from tests.conftest import NOTICE, replace


@pytest.fixture(autouse=True)
def no_date_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TODAY_ENVIRONMENT_VARIABLE, raising=False)


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2024, 3, 18, 15, 59, 59, tzinfo=UTC), date(2024, 3, 18)),  # 23:59:59 in China
        (datetime(2024, 3, 18, 16, 0, 0, tzinfo=UTC), date(2024, 3, 19)),  # midnight in China
        (datetime(2024, 3, 18, 16, 30, 0, tzinfo=UTC), date(2024, 3, 19)),
        (datetime(2024, 12, 31, 16, 30, 0, tzinfo=UTC), date(2025, 1, 1)),  # a new year, first in China
        # A machine in New York at 20:30 on the 18th: already the 19th in China.
        (datetime(2024, 3, 18, 20, 30, tzinfo=timezone(timedelta(hours=-4))), date(2024, 3, 19)),
        # A machine in Tokyo just after midnight: still the previous day in China.
        (datetime(2024, 3, 19, 0, 30, tzinfo=timezone(timedelta(hours=9))), date(2024, 3, 18)),
    ],
)
def test_today_is_the_date_in_china_at_the_instant(instant: datetime, expected: date) -> None:
    assert resolve_today(None, now=instant) == expected


def test_the_command_line_date_and_the_environment_win_over_the_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instant = datetime(2024, 3, 18, 16, 30, tzinfo=UTC)
    assert resolve_today("2024-01-02", now=instant) == date(2024, 1, 2)
    monkeypatch.setenv(TODAY_ENVIRONMENT_VARIABLE, "2024-02-03")
    assert resolve_today(None, now=instant) == date(2024, 2, 3)
    assert resolve_today("2024-01-02", now=instant) == date(2024, 1, 2)


def test_a_naive_instant_is_refused() -> None:
    """A naive datetime has no zone: which day it is in China cannot be known."""
    with pytest.raises(ValueError):
        china_now(datetime(2024, 3, 18, 16, 30))  # noqa: DTZ001 - the point of the test


@pytest.fixture
def machine_in_los_angeles() -> Iterator[None]:
    """The build machine's own zone, which must not matter."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/Los_Angeles"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


class _FixedClock(datetime):
    """`datetime` whose now() is a chosen instant: the machine's clock, injected."""

    instant = datetime(2024, 3, 18, 16, 30, tzinfo=UTC)

    @classmethod
    def now(cls, tz: object = None) -> _FixedClock:
        moment = cls.instant.astimezone(tz) if tz is not None else cls.instant  # type: ignore[arg-type]
        return cls.fromtimestamp(moment.timestamp(), tz=moment.tzinfo)


def _check_at(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], root: Path, instant: datetime
) -> set[str]:
    monkeypatch.setattr(_FixedClock, "instant", instant)
    monkeypatch.setattr(generator.clock, "datetime", _FixedClock)
    main(["check", str(root), "--format", "json"])
    return {problem["code"] for problem in json.loads(capsys.readouterr().out)}


def test_portal_check_at_16_30_utc_judges_by_the_next_day_in_china(
    portal: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    machine_in_los_angeles: None,
) -> None:
    """The notice runs to 2024-03-18 and has no outcome yet: it is closed (a warning) from 00:00 on
    the 19th in China, which is 16:00 UTC on the 18th — and 09:00 on the 18th in Los Angeles."""
    replace(
        portal, NOTICE, "outcome: {result: no_objection, date: 2024-03-19, note: 公示期内未收到异议。}\n", ""
    )
    late = _check_at(monkeypatch, capsys, portal, datetime(2024, 3, 18, 16, 30, tzinfo=UTC))
    assert "notice-closed-without-outcome" in late
    early = _check_at(monkeypatch, capsys, portal, datetime(2024, 3, 18, 15, 30, tzinfo=UTC))
    assert "notice-closed-without-outcome" not in early


@pytest.mark.parametrize(
    ("where", "value"), [("--today", "2025-13-01"), (TODAY_ENVIRONMENT_VARIABLE, "2025/9/22")]
)
def test_a_date_that_is_not_one_is_said_so_in_chinese(
    where: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], portal: Path
) -> None:
    arguments = ["check", str(portal)]
    if where == "--today":
        arguments += ["--today", value]
    else:
        monkeypatch.setenv(where, value)
    assert main(arguments) == 2
    error = capsys.readouterr().err
    assert f"{where} 的日期“{value}”无效" in error and "YYYY-MM-DD" in error
    assert "Traceback" not in error and "内部错误" not in error
