"""The calendars' text (generator/ical.py) is what the icalendar package writes for the same
properties: its escapes, its folds, its order. icalendar is the reference here, and reads the
calendars back in tests/test_calendars.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import hypothesis
import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar, Event, Parameters, vDuration, vText
from icalendar.parser import Contentline

from generator import ical
from generator.calendars import calendar_of_events, event_bytes, event_description, event_summary, site_host
from generator.clock import china_datetime
from generator.feeds import permalink
from generator.portal import NoticeView, Portal
from generator.render import LABELS
from generator.site import prepare
from tests.hostile_site import write_hostile_portal
from tests.test_build_integrity import RECORD_FOLDERS, REPO

SITE_URL = "https://notice-portal.example.cn/"
TODAY = date(2025, 9, 22)


def reference_event(view: NoticeView, site_url: str) -> bytes:
    """The event as icalendar writes it, from the texts calendars.py gives it."""
    record = view.record
    url = permalink(site_url, f"notices/{view.id}.md")
    event = Event()
    event.add("uid", f"{view.id}@{site_host(site_url)}")
    event.add("dtstamp", china_datetime(view.last_change).astimezone(UTC))
    event.add("dtstart", record.period.start)
    event.add("dtend", record.period.end + timedelta(days=1))
    event.add("summary", event_summary(view))
    event.add("description", event_description(view, url))
    event.add("url", url)
    event.add("categories", [LABELS["notice_kinds"][record.kind]])
    event.add("transp", "TRANSPARENT")
    event.add("status", "CANCELLED" if view.status == "withdrawn" else "CONFIRMED")
    content: bytes = event.to_ical()
    return content


def reference_calendar(events: list[bytes], name: str, site_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{site_host(site_url)}//notice-portal//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(" ".join(name.split())))
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(timedelta(hours=12)))
    envelope: bytes = calendar.to_ical()
    end = envelope.rindex(b"END:VCALENDAR")
    return envelope[:end] + b"".join(events) + envelope[end:]


def _portal(root: Path) -> Portal:
    return prepare(root, TODAY, strict=False, frozen=False)[0]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    root = tmp_path_factory.mktemp("example")
    for folder in RECORD_FOLDERS:
        (root / folder).symlink_to(REPO / folder)
    return _portal(root)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    root = tmp_path_factory.mktemp("hostile")
    write_hostile_portal(root)
    return _portal(root)


@pytest.mark.parametrize("site_url", [SITE_URL, "http://localhost:8000/门户/"])
def test_every_example_event_is_what_icalendar_writes(example: Portal, site_url: str) -> None:
    views = list(example.notices.values())
    assert len(views) == 34
    assert {view.status for view in views} >= {"open", "concluded", "withdrawn"}
    for view in views:
        assert event_bytes(view, site_url) == reference_event(view, site_url), view.id


def test_a_withdrawn_notices_event_says_so_and_takes_no_objections(example: Portal) -> None:
    view = example.notices["gnas-2025-n02"]
    assert view.status == "withdrawn"
    event = event_bytes(view, SITE_URL).decode("utf-8").replace("\r\n ", "")
    assert "SUMMARY:已撤回：" in event
    assert "不再受理异议" in event and "异议受理：" not in event


def test_hostile_events_are_what_icalendar_writes(hostile: Portal) -> None:
    assert hostile.notices
    for view in hostile.notices.values():
        assert event_bytes(view, SITE_URL) == reference_event(view, SITE_URL), view.id


@pytest.mark.parametrize(
    "name", ["公示期 - 职务科技成果赋权公示平台", "a,b;c\\d\r\nEND:VCALENDAR\n" + "长" * 40]
)
def test_the_envelope_is_what_icalendar_writes(example: Portal, name: str) -> None:
    events = [event_bytes(view, SITE_URL) for view in example.notices.values()][:3]
    assert calendar_of_events(events, name, SITE_URL) == reference_calendar(events, name, SITE_URL)


# Text with what escapes and folds must get right: the characters escaped, the first halves of
# escapes, line ends, and characters of one to four UTF-8 octets. No lone surrogates: records are
# decoded from UTF-8, which cannot hold them, and icalendar cannot encode them.
TRICKY = st.text(
    st.sampled_from([*"a ,;:\\^\r\n\tN", "é", "公", "示", "𠀋", "😀"])
    | st.characters(blacklist_categories=("Cs",)),
    max_size=300,
)


@given(TRICKY)
@hypothesis.example("\ufeff")  # a leading byte-order mark: icalendar drops it
@hypothesis.example("\ufeff\ufeff公示")  # the first only
@hypothesis.example("公\ufeff示")  # inside a value it stays
def test_a_text_line_is_what_icalendar_writes(value: str) -> None:
    expected = Contentline.from_parts("DESCRIPTION", Parameters(), vText(value)).to_ical() + b"\r\n"
    assert ical.folded(f"DESCRIPTION:{ical.text(value)}") == expected


@pytest.mark.parametrize("last", ["", "\\", "^", ";", "公", "😀"])
def test_folds_at_every_length(last: str) -> None:
    for length in range(160):  # over two folds, with `last` at every place against a fold
        value = "x" * length + last + "y" * 3
        expected = Contentline.from_parts("X-TEST", Parameters(), vText(value)).to_ical() + b"\r\n"
        written = ical.folded(f"X-TEST:{ical.text(value)}")
        assert written == expected, length
        assert all(len(line) <= 75 for line in written.split(b"\r\n"))


def test_dates_and_times() -> None:
    assert ical.day(date(2024, 3, 1)) == "20240301"
    assert ical.utc_time(china_datetime(date(2024, 3, 19))) == "20240318T160000Z"
    with pytest.raises(ValueError, match="without a zone"):
        ical.utc_time(datetime(2024, 3, 19))  # noqa: DTZ001 - the naive time it must refuse
