"""iCalendar files of the notice periods: one all-day event per notice, for the whole site, per
kind of notice, per policy and per institution (as the feeds are), so a reader's calendar shows
when each notice opens and closes.

DTEND of an all-day event is exclusive (the day after the last day). UIDs are `<notice id>@<host>`
and DTSTAMP is the notice's last change: the same records give byte-identical files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from generator import ical
from generator.build_cache import BuildCache, fragments_of
from generator.clock import china_datetime
from generator.feeds import SITE_NAME, permalink
from generator.formatting import objection_channel
from generator.page_keys import RecordDigests, key_text
from generator.portal import NoticeView, Portal
from generator.render import LABELS

CALENDAR_FOLDER = "calendar"
# A calendar holds the notices open or to come, and those that ended in the last year: a
# calendar app fetches the whole file on every refresh, and a national portal's full history
# (15 MB for 20,000 notices) is more than some apps take from a subscribed calendar. Older
# notices stay on their pages and in data/.
DAYS_KEPT = 365
SITE_CALENDAR = f"{CALENDAR_FOLDER}/notices.ics"
REFRESH_INTERVAL = "PT12H"  # see calendar_of_events


def institution_calendar(institution_id: str) -> str:
    return f"{CALENDAR_FOLDER}/institutions/{institution_id}.ics"


def policy_calendar(policy_id: str) -> str:
    return f"{CALENDAR_FOLDER}/policies/{policy_id}.ics"


def kind_calendar(kind: str) -> str:
    return f"{CALENDAR_FOLDER}/kinds/{kind}.ics"


@dataclass(frozen=True)
class CalendarFile:
    """One calendar the site offers: where it is, its name in a calendar app, its link's text
    and group on the subscribe page (the feeds' groups), and its notices."""

    path: str
    name: str
    title: str
    group: str
    notices: tuple[NoticeView, ...]


def subscription_link(url: str) -> str | None:
    """The webcal:// address of the calendar at `url`: on an iPhone, an iPad or a Mac, opening
    it subscribes the calendar app to it (opening the https address imports the notices of that
    day once, and nothing after). None for a site without an address of its own (no site_url):
    a calendar app needs the whole of it."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url.removeprefix(scheme)
    return None


def calendar_catalogue(portal: Portal) -> list[CalendarFile]:
    """Every calendar, in the order of the subscribe page: the site's, each kind's, each
    policy's (the notices of its units), each institution's. Empty ones too: a subscribed
    address must not vanish while a kind or a unit has no notice to show."""
    notices = tuple(portal.notices.values())
    files = [CalendarFile(SITE_CALENDAR, f"公示期 - {SITE_NAME}", "全部公示的日历", "site", notices)]
    by_kind: dict[str, list[NoticeView]] = {kind: [] for kind in LABELS["notice_kinds"]}
    for view in notices:
        by_kind[view.record.kind].append(view)
    for kind, label in LABELS["notice_kinds"].items():
        files.append(
            CalendarFile(kind_calendar(kind), f"{label}期", f"{label}日历", "kinds", tuple(by_kind[kind]))
        )
    for policy_id, policy in portal.policies.items():
        units = portal.institutions_by_policy.get(policy_id, ())
        own = tuple(view for unit in units for view in unit.notices)
        path = policy_calendar(policy_id)
        files.append(
            CalendarFile(path, f"{policy.place}试点公示期", f"{policy.place}试点公示日历", "policies", own)
        )
    for institution_id, institution in portal.institutions.items():
        name = institution.record.name
        path = institution_calendar(institution_id)
        files.append(
            CalendarFile(path, f"{name}公示期", f"{name}公示日历", "institutions", institution.notices)
        )
    return files


def site_host(site_url: str) -> str:
    return urlsplit(site_url).hostname or "notice-portal.invalid"


def event_description(view: NoticeView, url: str) -> str:
    """What a calendar app shows of the notice: its kind and institution, its period and closing
    time, where objections go, and its page."""
    record = view.record
    closing = f"{record.period.end_time}截止" if record.period.end_time else "当天24:00截止"
    objections = record.objections
    if view.status == "withdrawn" and record.outcome is not None:
        # A calendar app that ignores STATUS:CANCELLED must not show the objection channel of a
        # notice that takes no more objections.
        objecting = f"本公示已于 {record.outcome.date} 撤回，不再受理异议。"
    else:
        objecting = (
            f"异议受理：{objection_channel(objections.department, objections.phone, objections.email)}"
        )
    lines = [
        f"{LABELS['notice_kinds'][record.kind]}（{view.institution.name}）",
        f"公示期：{record.period.start} 至 {record.period.end}，{closing}（北京时间）",
        objecting,
        url,
    ]
    return "\n".join(lines)


def event_summary(view: NoticeView) -> str:
    """The event's title: a withdrawn notice says so first, for the apps that ignore its STATUS;
    a period that closes before the end of its last day says when, as the all-day event cannot."""
    period = view.record.period
    if view.status == "withdrawn":
        return f"已撤回：{view.record.title}"
    closing = f"（{period.end.month}月{period.end.day}日 {period.end_time}截止）" if period.end_time else ""
    return f"公示：{view.record.title}{closing}"


def event_bytes(view: NoticeView, site_url: str) -> bytes:
    """The notice's VEVENT. Its properties are in icalendar's order (ical.py): those it puts first,
    then the others by name."""
    record = view.record
    url = permalink(site_url, f"notices/{view.id}.md")
    kind = LABELS["notice_kinds"][record.kind]
    return ical.component(
        "VEVENT",
        [
            ("SUMMARY", ical.text(event_summary(view))),
            ("DTSTART;VALUE=DATE", ical.day(record.period.start)),
            ("DTEND;VALUE=DATE", ical.day(record.period.end + timedelta(days=1))),
            ("DTSTAMP", ical.utc_time(china_datetime(view.last_change))),
            ("UID", ical.text(f"{view.id}@{site_host(site_url)}")),
            ("CATEGORIES", ical.text(kind)),
            ("DESCRIPTION", ical.text(event_description(view, url))),
            ("STATUS", "CANCELLED" if view.status == "withdrawn" else "CONFIRMED"),
            ("TRANSP", "TRANSPARENT"),
            ("URL", url),
        ],
    )


def calendar_of_events(events: list[bytes], name: str, site_url: str) -> bytes:
    """A calendar around events serialised already: each notice is in four calendars (the
    site's, its kind's, its policy's and its institution's). X-WR-CALNAME is not a standard
    property, but calendar apps show it: one line, escaped, so a name cannot end the line and
    start properties of its own."""
    properties = [
        ("VERSION", "2.0"),
        ("PRODID", ical.text(f"-//{site_host(site_url)}//notice-portal//ZH")),
        ("CALSCALE", "GREGORIAN"),
        ("X-WR-CALNAME", ical.text(" ".join(name.split()))),
        # How often to fetch it again (RFC 7986, and Outlook's older name for it): an app left to
        # itself may wait days, and a notice runs fifteen.
        ("REFRESH-INTERVAL;VALUE=DURATION", REFRESH_INTERVAL),
        ("X-PUBLISHED-TTL", REFRESH_INTERVAL),
        ("X-WR-TIMEZONE", "Asia/Shanghai"),
    ]
    return ical.component("VCALENDAR", properties, events)


def _in_order(views: Iterable[NoticeView]) -> list[NoticeView]:
    return sorted(views, key=lambda view: (view.record.period.start, view.id))


def event_inputs(view: NoticeView, site_url: str, record_digests: RecordDigests) -> str:
    """Everything event_bytes() reads, as text: the key of the event's bytes in the build cache."""
    shown = (view.record, view.institution.name, view.status == "withdrawn", view.last_change, site_url)
    return key_text(shown, record_digests)


def in_calendar(view: NoticeView, today: date) -> bool:
    """Whether a notice is in the calendars: open, to come, or ended at most DAYS_KEPT days ago."""
    return view.record.period.end >= today - timedelta(days=DAYS_KEPT)


def write_calendars(portal: Portal, site_dir: Path, site_url: str, cache: BuildCache | None = None) -> None:
    fragments = fragments_of(cache, "calendar-events")
    events = {
        view.id: fragments.get(
            event_inputs(view, site_url, portal.record_digests), partial(event_bytes, view, site_url)
        )
        for view in _in_order(portal.notices.values())
        if in_calendar(view, portal.today)
    }
    fragments.save()
    for calendar in calendar_catalogue(portal):
        own = [events[view.id] for view in _in_order(calendar.notices) if view.id in events]
        path = site_dir / calendar.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(calendar_of_events(own, calendar.name, site_url))
