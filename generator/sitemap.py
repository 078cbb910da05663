"""The sitemap for search engines: every page once, with the day it last changed, in files of at
most 50,000 URLs, the sitemap protocol's limit (a national portal has more pages than that).

The engine lists the pages in its sitemap.xml, where the pages poured into a shell (page_shell.py)
take the shell's place. It dates every page with the day of the build by the wall clock,
which would make the site depend on when it was built, and tell search engines that each of
50,000 pages changed every night. Here a record page is dated by its record instead (the last
day, up to `today`, on which what it shows changed; none for a notice still to come, whose day of
publication the records do not hold), and every other page, a view of the whole portal on
`today`, by `today`. A record's day is one its records hold, or the day a commit changed its
file (the git history, revision_history.py): a correction need not record an amendment or event.
"""

from __future__ import annotations

import gzip
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from generator.portal import AchievementView, NoticeView, Portal

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"  # names the sitemap, where crawlers (Baidu's among them) look for it
PART_FOLDER = "sitemaps"  # sitemaps/1.xml, … when there are more URLs than one file may hold
MAX_URLS = 50_000
_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
_LOC = re.compile(r"<loc>([^<]*)</loc>")


def notice_day(view: NoticeView, today: date) -> date | None:
    """The last day, up to `today`, on which the notice's page changed: it opened, was amended,
    closed (unless its outcome came first: a withdrawal ends it then), or got its outcome. The
    days counted down while it is open are not counted. None for a notice still to come."""
    record = view.record
    closed = record.period.end + timedelta(days=1)
    days = [record.period.start, *(amendment.date for amendment in record.amendments)]
    if record.outcome is None or closed < record.outcome.date:
        days.append(closed)
    if record.outcome is not None:
        days.append(record.outcome.date)
    return _last(days, today)


def achievement_day(view: AchievementView, notice_days: dict[str, date | None], today: date) -> date | None:
    """The last day, up to `today`, of an event in the achievement's history or of a change of one
    of its notices (its page shows their titles and periods)."""
    days = [event.date for event in view.record.history]
    days += [day for notice in view.notices if (day := notice_days.get(notice.id)) is not None]
    return _last(days, today)


def _last(days: Iterable[date | None], today: date) -> date | None:
    return max((day for day in days if day is not None and day <= today), default=None)


def record_page_days(portal: Portal) -> dict[str, date | None]:
    """Each record page's URL, relative to the site (notices/x/), and the day it last changed."""
    today = portal.today
    notice_days = {notice_id: notice_day(view, today) for notice_id, view in portal.notices.items()}
    revisions = portal.revisions
    if revisions is not None:  # a commit can change what a page shows without a dated amendment
        for notice_id, day in notice_days.items():
            history = revisions.of(notice_id)
            # A first version on a shallow clone's boundary was committed before it, on a day unknown.
            known = (history.revisions if history.from_publication else history.later) if history else ()
            committed = [revision.committed.date() for revision in known]
            notice_days[notice_id] = _last([day, *committed], today)
    days = {f"notices/{notice_id}/": day for notice_id, day in notice_days.items()}
    files_committed = revisions.achievements_committed if revisions is not None else {}
    for achievement_id, view in portal.achievements.items():
        day = achievement_day(view, notice_days, today)
        days[f"achievements/{achievement_id}/"] = _last(
            [day, *files_committed.get(achievement_id, ())], today
        )
    return days


def write_sitemap(
    site_dir: Path,
    site_url: str,
    portal: Portal,
    poured: Mapping[str, Sequence[str]] | None = None,
    page_days: Mapping[str, date | None] | None = None,
) -> None:
    """Write the engine's sitemap again: each shell's URL (relative, a key of `poured`) replaced
    by those of the pages poured into it, each page dated (see above); split when it has more
    than MAX_URLS, sitemap.xml then listing the parts (a sitemap index). Without the site's
    address the engine lists no page (a sitemap holds full addresses), and neither does this.
    `page_days`: record_page_days(portal), when made already (page_facts.py)."""
    sitemap = site_dir / SITEMAP
    if not site_url or not sitemap.is_file():
        return
    base = site_url.rstrip("/") + "/"
    days = record_page_days(portal) if page_days is None else page_days
    poured = poured or {}
    urls: list[tuple[str, date | None]] = []
    for written in _LOC.findall(sitemap.read_text(encoding="utf-8")):
        loc = html.unescape(written)
        if not loc.startswith(base):  # not a page of this site's: kept as it is
            urls.append((loc, portal.today))
            continue
        page = loc.removeprefix(base)
        # A page that is not a record's shows the whole portal on `today`.
        urls += [(base + url, days.get(url, portal.today)) for url in poured.get(page, (page,))]
    parts = [urls[start : start + MAX_URLS] for start in range(0, len(urls), MAX_URLS)]
    if len(parts) <= 1:
        text = url_set(urls)
    else:
        (site_dir / PART_FOLDER).mkdir(exist_ok=True)
        listed = []
        for number, part in enumerate(parts, start=1):
            name = f"{PART_FOLDER}/{number}.xml"
            (site_dir / name).write_text(url_set(part), encoding="utf-8")
            listed.append((base + name, max((day for _, day in part if day is not None), default=None)))
        text = _index(listed)
    sitemap.write_text(text, encoding="utf-8")
    # Crawlers read robots.txt at the root of a host only: a site in a sub-folder names its
    # sitemap in the host's own.
    address = urlsplit(base)
    if address.scheme in ("http", "https") and address.path == "/":
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP}\n"
        (site_dir / ROBOTS).write_text(robots, encoding="utf-8")
    # mtime 0: the same sitemap gives the same bytes, build after build.
    (site_dir / f"{SITEMAP}.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def _lastmod(day: date | None) -> str:
    return "" if day is None else f"<lastmod>{day.isoformat()}</lastmod>"


def url_set(urls: Sequence[tuple[str, date | None]]) -> str:
    """A sitemap of these pages (an empty one for none)."""
    entries = "".join(f"<url><loc>{escape(loc)}</loc>{_lastmod(day)}</url>\n" for loc, day in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NAMESPACE}">\n{entries}</urlset>\n'


def _index(parts: Sequence[tuple[str, date | None]]) -> str:
    entries = "".join(f"<sitemap><loc>{escape(loc)}</loc>{_lastmod(day)}</sitemap>\n" for loc, day in parts)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{_NAMESPACE}">\n{entries}</sitemapindex>\n'
