"""The iCalendar files of the notice periods, read back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar, Event

from generator.render import LABELS
from tests.open_data_site import SITE_URL, build, make_records, output_files


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("calendars")
    records = make_records(base / "records")
    return build(records, base / "one"), build(records, base / "two")


def events(site: Path, relative: str) -> dict[str, Event]:
    calendar = Calendar.from_ical((site / relative).read_bytes())
    assert calendar["VERSION"] == "2.0"
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.parametrize(
    "relative",
    ["calendar/notices.ics", "calendar/institutions/gnas.ics", "calendar/policies/ganzhou-2023.ics"],
)
def test_one_all_day_event_per_notice(sites: tuple[Path, Path], relative: str) -> None:
    found = events(sites[0], relative)
    assert sorted(found) == [
        "gnas-2024-n01@notice-portal.example.cn",
        "gnas-2024-n02@notice-portal.example.cn",
    ]
    first = found["gnas-2024-n01@notice-portal.example.cn"]
    assert first.decoded("DTSTART") == date(2024, 3, 4)
    assert first.decoded("DTEND") == date(2024, 3, 19)  # exclusive: the day after 2024-03-18
    assert str(first["URL"]) == f"{SITE_URL}notices/gnas-2024-n01/"


def test_closing_time_is_in_the_title_and_the_description(sites: tuple[Path, Path]) -> None:
    # The all-day event fills the last day: the title says it closes at 17:00.
    found = events(sites[0], "calendar/notices.ics")
    deal = found["gnas-2024-n02@notice-portal.example.cn"]
    assert "17:00截止" in str(deal["DESCRIPTION"])
    assert str(deal["SUMMARY"]).endswith("（3月20日 17:00截止）")
    assert deal.decoded("DTEND") == date(2024, 3, 21)
    assert "截止" not in str(found["gnas-2024-n01@notice-portal.example.cn"]["SUMMARY"])  # closes at 24:00
    assert "异议受理：科技处，电话 0797-8888888" in str(deal["DESCRIPTION"])


def test_calendars_ask_to_be_fetched_twice_a_day(sites: tuple[Path, Path]) -> None:
    calendar = Calendar.from_ical((sites[0] / "calendar/notices.ics").read_bytes())
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=12)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT12H"


def test_dtstamp_comes_from_the_records(sites: tuple[Path, Path]) -> None:
    found = events(sites[0], "calendar/notices.ics")
    # The last change (the outcome on 2024-03-19) at 00:00 China Standard Time, in UTC.
    stamp = found["gnas-2024-n01@notice-portal.example.cn"].decoded("DTSTAMP")
    assert stamp == datetime(2024, 3, 18, 16, 0, tzinfo=UTC)


def test_two_builds_give_identical_calendars(sites: tuple[Path, Path]) -> None:
    one = {k: v for k, v in output_files(sites[0]).items() if k.startswith("calendar/")}
    two = {k: v for k, v in output_files(sites[1]).items() if k.startswith("calendar/")}
    assert sorted(one) == [
        "calendar/institutions/gnas.ics",
        *(f"calendar/kinds/{kind}.ics" for kind in sorted(LABELS["notice_kinds"])),
        "calendar/notices.ics",
        "calendar/policies/ganzhou-2023.ics",
    ]
    assert one == two


def test_each_kind_has_a_calendar_of_its_notices_and_an_empty_one_stays(sites: tuple[Path, Path]) -> None:
    """As the feeds by kind: a subscriber follows 协议定价 alone. A kind with no notice keeps its
    (empty) calendar, so a subscribed address does not vanish."""
    by_kind = {
        kind: sorted(events(sites[0], f"calendar/kinds/{kind}.ics")) for kind in LABELS["notice_kinds"]
    }
    assert by_kind == {
        "ownership_grant": ["gnas-2024-n01@notice-portal.example.cn"],
        "long_term_use_grant": [],
        "negotiated_price": ["gnas-2024-n02@notice-portal.example.cn"],
        "reward": [],
    }
    calendar = Calendar.from_ical((sites[0] / "calendar/kinds/negotiated_price.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "协议定价公示期"


def test_the_subscribe_page_and_the_policy_page_link_the_calendars(sites: tuple[Path, Path]) -> None:
    subscribe = (sites[0] / "subscribe/index.html").read_text(encoding="utf-8")
    for relative in output_files(sites[0]):
        if relative.startswith("calendar/"):
            assert f'{relative}" type="text/calendar"' in subscribe, relative
            # The one-tap subscription of Apple's calendars, at the site's own address.
            assert f'href="webcal://notice-portal.example.cn/{relative}"' in subscribe, relative
    assert ">协议定价公示日历</a>" in subscribe
    policy = (sites[0] / "policies/ganzhou-2023/index.html").read_text(encoding="utf-8")
    assert 'calendar/policies/ganzhou-2023.ics" type="text/calendar">公示期日历</a>' in policy


@pytest.mark.parametrize(
    ("today", "kept"),
    [
        (date(2025, 3, 18), ["gnas-2024-n01", "gnas-2024-n02"]),  # n01 ended 365 days before
        (date(2025, 3, 19), ["gnas-2024-n02"]),  # 366 days: n01 has left the calendars
        (date(2025, 3, 21), []),
    ],
)
def test_calendars_keep_a_year_of_ended_notices(tmp_path: Path, today: date, kept: list[str]) -> None:
    from generator.calendars import write_calendars
    from generator.site import prepare

    portal = prepare(make_records(tmp_path / "records"), today, strict=False, frozen=False)[0]
    write_calendars(portal, tmp_path / "site", SITE_URL)
    for relative in (
        "calendar/notices.ics",
        "calendar/institutions/gnas.ics",
        "calendar/policies/ganzhou-2023.ics",
    ):
        assert sorted(events(tmp_path / "site", relative)) == [
            f"{notice}@notice-portal.example.cn" for notice in kept
        ]


@pytest.mark.parametrize(
    ("url", "link"),
    [
        (
            "https://notice-portal.example.cn/calendar/notices.ics",
            "webcal://notice-portal.example.cn/calendar/notices.ics",
        ),
        (
            "http://127.0.0.1:8000/calendar/kinds/negotiated_price.ics",
            "webcal://127.0.0.1:8000/calendar/kinds/negotiated_price.ics",
        ),
        ("/calendar/notices.ics", None),  # a site without site_url: no address an app could open
    ],
)
def test_a_calendar_is_subscribed_through_webcal_at_the_site_s_address(url: str, link: str | None) -> None:
    from generator.calendars import subscription_link

    assert subscription_link(url) == link
