"""RSS 2.0 and Atom feeds of the notices and granted achievements, written after the build.

Every date in a feed comes from the records: entries are published at the start of their period
(00:00 China Standard Time), the day a notice joins the feeds, and updated on their last change;
a feed's build date is the newest change among its entries. The same records and `today` give byte-identical files.
"""

from __future__ import annotations

import html
import pickle
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass
from datetime import date, timedelta
from pathlib import Path, PurePosixPath

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from generator.build_cache import BuildCache, fragments_of
from generator.clock import china_datetime
from generator.derive import granted_on, last_change
from generator.feed_splice import ATOM, RSS, EntryBytes, Format
from generator.formatting import chinese_date, objection_channel, yuan_short
from generator.fragments import Fragments
from generator.portal import AchievementView, NoticeView, Portal
from generator.render import LABELS, page_url
from generator.sitemap import url_set

FEED_FOLDER = "feeds"
SITE_NAME = "职务科技成果赋权公示平台"
LANGUAGE = "zh-CN"
RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
# A feed carries the newest entries only: a reader polls it every few hours and keeps what it
# has seen, so older entries would be fetched again on every poll for nothing (a 50,000-record
# portal's full feeds came to 178 MB, its notices feed alone to 15 MB). 200 entries cover weeks
# of a national portal's notices; the whole history is in the pages and in data/ (JSON, CSV).
# A feed that is a list of what holds today (the open notices) keeps all of it (Feed.limited).
FEED_ENTRY_LIMIT = 200
GROUPS = {
    "site": "全站",
    "kinds": "按公示类型",
    "policies": "按政策",
    "institutions": "按试点单位",
}


@dataclass(frozen=True)
class Entry:
    """One item of a feed, whatever it describes."""

    guid: str  # the permanent absolute link: stable across builds
    link: str
    title: str
    summary: str
    category: str
    published: date
    updated: date


@dataclass(frozen=True)
class Feed:
    """A feed's identity: `stem` is its path in the site without the extension."""

    stem: str
    title: str
    description: str
    group: str
    page: str  # the page the feed follows, relative to the site root
    limited: bool = True  # carries the newest FEED_ENTRY_LIMIT entries only

    @property
    def rss(self) -> str:
        return f"{self.stem}.xml"

    @property
    def atom(self) -> str:
        return f"{self.stem}.atom"

    def links(self) -> list[dict[str, str]]:
        """The `<link rel="alternate">` entries of a page head (hrefs relative to the site root)."""
        return [
            {"type": RSS_TYPE, "title": f"{self.title}（RSS）", "href": self.rss},
            {"type": ATOM_TYPE, "title": f"{self.title}（Atom）", "href": self.atom},
        ]


def permalink(site_url: str, src_uri: str) -> str:
    """The absolute address of a generated page: 'notices/x.md' -> 'https://…/notices/x/'."""
    return site_url.rstrip("/") + "/" + page_url(src_uri)


def site_url_of(site_url: str, target: str) -> str:
    return site_url.rstrip("/") + "/" + target


ALL_NOTICES = Feed(
    f"{FEED_FOLDER}/notices", "全部公示", "本站发布的公示，按公示开始日期从新到旧。", "site", "notices/"
)
# Every notice open today: the list is what the feed is for.
OPEN_NOTICES = Feed(
    f"{FEED_FOLDER}/open", "公示中", "构建当日正在公示期内的公示。", "site", "", limited=False
)
GRANTED_ACHIEVEMENTS = Feed(
    f"{FEED_FOLDER}/achievements",
    "新赋权成果",
    "已完成赋权（签署赋权协议或办理权属变更）的成果。",
    "site",
    "achievements/",
)


def site_feeds() -> list[Feed]:
    return [ALL_NOTICES, OPEN_NOTICES, GRANTED_ACHIEVEMENTS]


def kind_feed(kind: str) -> Feed:
    label = LABELS["notice_kinds"][kind]
    return Feed(f"{FEED_FOLDER}/kinds/{kind}", label, f"本站发布的{label}。", "kinds", "notices/")


def policy_feed(portal: Portal, policy_id: str) -> Feed:
    policy = portal.policies[policy_id]
    name = policy.place
    return Feed(
        f"{FEED_FOLDER}/policies/{policy_id}",
        f"{name}试点公示",
        f"适用《{policy.title}》的试点单位发布的公示。",
        "policies",
        f"policies/{policy_id}/",
    )


def institution_feed(portal: Portal, institution_id: str) -> Feed:
    name = portal.institutions[institution_id].record.name
    return Feed(
        f"{FEED_FOLDER}/institutions/{institution_id}",
        f"{name}公示",
        f"{name}发布的公示。",
        "institutions",
        f"institutions/{institution_id}/",
    )


def feed_catalogue(portal: Portal) -> list[Feed]:
    """Every feed the site offers, in the order of the subscribe page."""
    return [
        *site_feeds(),
        *(kind_feed(kind) for kind in LABELS["notice_kinds"]),
        *(policy_feed(portal, policy_id) for policy_id in portal.policies),
        *(institution_feed(portal, institution_id) for institution_id in portal.institutions),
    ]


def notice_summary(view: NoticeView) -> str:
    """What a subscriber needs without opening the page: what and whose, for a deal with whom
    and for how much, and until when and where to object (a feed is read to object in time)."""
    record = view.record
    period = f"公示期 {chinese_date(record.period.start)}至{chinese_date(record.period.end)}"
    if record.period.end_time:
        period += f" {record.period.end_time}"
    parts = [LABELS["notice_kinds"][record.kind], period, f"发布单位：{view.institution.name}"]
    if record.deal is not None:
        deal = record.deal
        parts.append(f"交易方式：{LABELS['deal_modes'][deal.mode]}")
        parts.append(
            f"交易对方：{deal.counterparty}（{LABELS['counterparty_types'][deal.counterparty_type]}）"
        )
        parts.append(f"拟交易价格：{yuan_short(deal.price_yuan)}")
    parts.append(f"状态：{LABELS['status'][view.status]}")
    if view.status != "withdrawn":  # a withdrawn notice takes no more objections
        closing = f"{chinese_date(record.period.end)} {record.period.end_time or '24:00'}（北京时间）"
        objections = record.objections
        parts.append(f"异议截止：{closing}")
        parts.append(
            f"异议受理：{objection_channel(objections.department, objections.phone, objections.email)}"
        )
    for amendment in record.amendments:
        parts.append(f"{chinese_date(amendment.date)}更正：{_clause(amendment.summary)}")
    if record.outcome is not None:
        parts.append(
            f"结果：{LABELS['outcomes'][record.outcome.result]}（{chinese_date(record.outcome.date)}）"
        )
    return "；".join(parts) + "。"


def _clause(text: str) -> str:
    """A clerk's sentence as one clause of a summary: without its own closing mark, which the
    summary's 。 or ； doubled (更正第 1 项…笔误。；)."""
    return text.strip().rstrip("。；;，,.！!").rstrip()


def notice_entry(view: NoticeView, site_url: str) -> Entry:
    link = permalink(site_url, f"notices/{view.id}.md")
    return Entry(
        guid=link,
        link=link,
        title=entry_title(view.record.title, view.institution.name),
        summary=notice_summary(view),
        category=LABELS["notice_kinds"][view.record.kind],
        published=view.record.period.start,
        updated=notice_updated(view),
    )


def entry_title(title: str, institution: str) -> str:
    """A notice's title as a reader's list shows it, among other units' notices: with its unit
    first, unless the title names it (关于“一种……”的公示 says nothing of who publishes it)."""
    return title if institution in title else f"【{institution}】{title}"


def notice_updated(view: NoticeView) -> date:
    """When the entry last changed: the notice's last change, or the day it closed, when its
    summary says so (状态：已截止), so that a feed reader shows the new status."""
    changed = last_change(view.record)
    if view.status == "closed":
        return max(changed, view.record.period.end + timedelta(days=1))
    return changed


def achievement_entry(view: AchievementView, site_url: str, granted: date) -> Entry:
    record = view.record
    assert record.grant is not None
    link = achievement_link(view, site_url)
    mode = LABELS["grant_modes"][record.grant.mode]
    parts = [mode, f"单位：{view.institution.name}", f"赋权日期：{chinese_date(granted)}"]
    if record.grant.team_share is not None:
        parts.append(f"团队所有权比例：{record.grant.team_share:g}%")
    if record.grant.years is not None:
        parts.append(f"使用年限：{record.grant.years} 年")
    parts.append(f"当前阶段：{view.stage_label}")
    return Entry(
        guid=link,
        link=link,
        title=record.title,
        summary="；".join(parts) + "。",
        category=mode,
        published=granted,
        updated=achievement_updated(view, granted),
    )


def achievement_link(view: AchievementView, site_url: str) -> str:
    return permalink(site_url, f"achievements/{view.id}.md")


def achievement_updated(view: AchievementView, granted: date) -> date:
    return max([granted, *(event.date for event in view.record.history)])


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    """The deliberate order of every feed: newest publication first, then newest change, then link."""
    return sorted(entries, key=_newest, reverse=True)


def _newest(entry: Entry) -> tuple[date, date, str]:
    return entry.published, entry.updated, entry.guid


def build_date(entries: Sequence[Entry], fallback: date) -> date:
    return max((entry.updated for entry in entries), default=fallback)


def portal_fallback_date(portal: Portal) -> date:
    """When a feed is empty: the newest change anywhere in the records (never the clock), and
    never after today (a notice still to come changes on its first day)."""
    days = [view.last_change for view in portal.started_notices()]
    days += [policy.issued_on for policy in portal.policies.values()]
    days += [view.record.pilot_approved_on for view in portal.institutions.values()]
    return min(max(days, default=date(2020, 1, 1)), portal.today)


def feed_generator(
    feed: Feed,
    entries: Sequence[Entry],
    site_url: str,
    fallback: date,
    feed_format: Format,
    left: date | None = None,
) -> FeedGenerator:
    """feedgen's generator of one feed in one format, without its entries (feed_splice.py).
    `left`: the last day an entry left the feed (a list of what holds today, see open_list_left),
    which changed it as much as one joining."""
    built = china_datetime(max(build_date(entries, fallback), left or date.min))
    self_link = (feed.rss, RSS_TYPE) if feed_format is RSS else (feed.atom, ATOM_TYPE)
    generator = FeedGenerator()
    generator.id(site_url_of(site_url, feed.atom))
    generator.title(f"{feed.title} - {SITE_NAME}")
    # RSS descriptions are HTML (readers render them): the text goes in escaped. Atom's subtitle
    # is plain text: it gets the text itself.
    description = feed.description
    if feed.limited:
        description += f"只列最新 {FEED_ENTRY_LIMIT} 条，更早的见网站页面和数据下载（data/）。"
    generator.description(html.escape(description, quote=False) if feed_format is RSS else description)
    generator.author({"name": SITE_NAME})
    generator.language(LANGUAGE)
    generator.generator("notice-portal")
    generator.docs("")  # feedgen's default <docs> names a page of another site, over plain http
    # feedgen takes the last link() as the RSS channel link: `self` first, the page last.
    generator.link(href=site_url_of(site_url, self_link[0]), rel="self", type=self_link[1])
    generator.link(href=site_url_of(site_url, feed.page), rel="alternate", type="text/html")
    generator.lastBuildDate(built)
    generator.updated(built)
    return generator


def describe_entry(item: FeedEntry, entry: Entry, summary: str) -> None:
    item.id(entry.guid)
    item.guid(entry.guid, permalink=True)
    item.title(entry.title)
    item.link(href=entry.link)
    item.summary(summary)
    item.category({"term": entry.category})
    item.published(china_datetime(entry.published))
    item.updated(china_datetime(entry.updated))


def describe_rss_entry(item: FeedEntry, entry: Entry) -> None:
    describe_entry(item, entry, html.escape(entry.summary, quote=False))


def describe_atom_entry(item: FeedEntry, entry: Entry) -> None:
    describe_entry(item, entry, entry.summary)


def entry_inputs(entry: Entry) -> str:
    return repr(entry)


def serialised_entries(entries: Iterable[Entry], cache: BuildCache | None) -> dict[str, tuple[bytes, bytes]]:
    """Each entry's RSS item and Atom entry, by guid, each serialised once (feed_splice.py)."""
    unique = list({entry.guid: entry for entry in entries}.values())
    made = []
    for feed_format, describe in ((RSS, describe_rss_entry), (ATOM, describe_atom_entry)):
        fragments = fragments_of(cache, f"feed-entries-{feed_format.name}")
        made.append(EntryBytes(feed_format, describe, fragments).of(unique, entry_inputs))
        fragments.save()
    return {entry.guid: (rss, atom) for entry, rss, atom in zip(unique, *made, strict=True)}


def render_feed(
    feed: Feed,
    entries: Sequence[Entry],
    site_url: str,
    fallback: date,
    serialised: Mapping[str, tuple[bytes, bytes]],
    left: date | None = None,
) -> tuple[bytes, bytes]:
    """The RSS 2.0 and Atom documents of one feed, entries in the given order."""
    documents = []
    for index, feed_format in enumerate((RSS, ATOM)):
        generator = feed_generator(feed, entries, site_url, fallback, feed_format, left)
        envelope = feed_format.serialise(generator)
        documents.append(feed_format.splice(envelope, (serialised[entry.guid][index] for entry in entries)))
    return documents[0], documents[1]


def write_feed(site_dir: Path, feed: Feed, documents: tuple[bytes, bytes]) -> None:
    for relative, content in zip((feed.rss, feed.atom), documents, strict=True):
        path = site_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def feed_entries(
    portal: Portal,
    site_url: str,
    limits: Mapping[str, int | None] | None = None,
    cache: BuildCache | None = None,
) -> dict[str, list[Entry]]:
    """Each feed's entries, keyed by the feed's stem, newest first; with `limits`, the newest
    that many of a feed whose limit is a number. Only the notices a feed shows then get an entry:
    a notice's summary is most of an entry's making, and at 50,000 records the 65 units' feeds
    of 200 showed two thirds of the 20,000 notices (1.2 s of CPU for all of them). With a build
    cache, a notice's entry is kept by what the pages show of it (kept_notice_entry)."""
    limits = limits or {}
    # A notice joins the feeds on the day it starts, the day its entry is published: one still
    # to come would be dated ahead of every reader's clock (the home page and the calendars list it).
    started = portal.started_notices()
    links = {view.id: permalink(site_url, f"notices/{view.id}.md") for view in started}
    kinds = {kind: kind_feed(kind).stem for kind in LABELS["notice_kinds"]}
    policies = {policy_id: policy_feed(portal, policy_id).stem for policy_id in portal.policies}
    units = {unit_id: institution_feed(portal, unit_id).stem for unit_id in portal.institutions}
    by_feed: dict[str, list[NoticeView]] = {stem: [] for stem in (ALL_NOTICES.stem, OPEN_NOTICES.stem)}
    by_feed |= {stem: [] for stem in (*kinds.values(), *policies.values(), *units.values())}
    # Every feed of notices is a part of the whole, in the same order (no two entries tie: each
    # has a link of its own): sorted once, not once a feed (0.4 s of each build at 50,000 records).
    newest = sorted(
        started,
        key=lambda view: (view.record.period.start, notice_updated(view), links[view.id]),
        reverse=True,
    )
    for view in newest:
        by_feed[ALL_NOTICES.stem].append(view)
        if view.status == "open":
            by_feed[OPEN_NOTICES.stem].append(view)
        by_feed[kinds[view.record.kind]].append(view)
        by_feed[policies[view.policy.id]].append(view)
        by_feed[units[view.institution.id]].append(view)
    entries: dict[str, Entry] = {}
    fragments = fragments_of(cache, "feed-notices")

    def entry(view: NoticeView) -> Entry:
        made = entries.get(view.id)
        if made is None:
            made = entries[view.id] = kept_notice_entry(portal, view, site_url, fragments)
        return made

    shown = {stem: [entry(view) for view in views[: limits.get(stem)]] for stem, views in by_feed.items()}
    fragments.save()
    shown[GRANTED_ACHIEVEMENTS.stem] = granted_entries(
        portal, site_url, limits.get(GRANTED_ACHIEVEMENTS.stem)
    )
    return shown


def kept_notice_entry(portal: Portal, view: NoticeView, site_url: str, fragments: Fragments) -> Entry:
    """notice_entry, kept in the build cache (fragments.py) by what the pages show of the notice
    (Portal.shown_digest) and the site's address, all an entry is made of: at 50,000 records the
    14,000 entries the feeds show were 0.8 s of CPU of every build, most of them unchanged."""
    if not fragments.keeps:
        return notice_entry(view, site_url)
    kept = fragments.get(
        f"{portal.shown_digest(view)}\0{site_url}",
        lambda: pickle.dumps(astuple(notice_entry(view, site_url)), protocol=pickle.HIGHEST_PROTOCOL),
    )
    return Entry(*pickle.loads(kept))


def granted_entries(portal: Portal, site_url: str, limit: int | None) -> list[Entry]:
    """The granted achievements' entries, newest first (newest_first's order): the newest
    `limit` of them only are made (7,800 were made for 200 shown at 50,000 records)."""
    granted = []
    for achievement in portal.achievements.values():
        day = granted_on(achievement.record)
        if day is not None and day <= portal.today:
            granted.append((achievement, day))
    granted.sort(
        key=lambda pair: (pair[1], achievement_updated(*pair), achievement_link(pair[0], site_url)),
        reverse=True,
    )
    return [achievement_entry(achievement, site_url, day) for achievement, day in granted[:limit]]


def open_list_left(portal: Portal) -> date | None:
    """The last day, up to today, a notice left the open notices: the day after its period, or
    the day it was withdrawn before then. A subscriber's reader learns the list changed."""
    days = []
    for view in portal.started_notices():
        record = view.record
        left = record.period.end + timedelta(days=1)
        if view.status == "withdrawn" and record.outcome is not None:
            left = min(left, record.outcome.date)
        if left <= portal.today and view.status != "open":
            days.append(left)
    return max(days, default=None)


def write_feeds(
    portal: Portal,
    site_dir: Path,
    site_url: str,
    cache: BuildCache | None = None,
    limit: int = FEED_ENTRY_LIMIT,
) -> None:
    """Each feed of the catalogue, in RSS and Atom: the newest `limit` entries of a limited feed."""
    fallback = portal_fallback_date(portal)
    catalogue = feed_catalogue(portal)
    limits = {feed.stem: limit if feed.limited else None for feed in catalogue}
    every = feed_entries(portal, site_url, limits, cache)
    entries = {feed.stem: every[feed.stem] for feed in catalogue}
    serialised = serialised_entries((entry for stem in entries.values() for entry in stem), cache)
    left = {OPEN_NOTICES.stem: open_list_left(portal)}
    for feed in catalogue:
        documents = render_feed(feed, entries[feed.stem], site_url, fallback, serialised, left.get(feed.stem))
        write_feed(site_dir, feed, documents)
    write_theme_sitemaps(site_dir, catalogue)


# Material takes every <link rel="alternate"> for another language's version of the site and, on
# every page, asks for the sitemap beside it: beside our feeds, feeds/sitemap.xml, a 404 in every
# reader's console and a wasted request on every page (mkdocs-material#8576; Material has reached
# its end of life, so the fix made in its successor will not come). An empty sitemap answers it.
EMPTY_SITEMAP = url_set([]).encode("utf-8")


def write_theme_sitemaps(site_dir: Path, catalogue: list[Feed]) -> None:
    """An empty sitemap in each folder that holds a feed the pages link to (see EMPTY_SITEMAP)."""
    for folder in sorted({PurePosixPath(feed.rss).parent for feed in catalogue}):
        if folder != PurePosixPath("."):  # the site's own is the engine's, dated by sitemap.py
            (site_dir / folder / "sitemap.xml").write_bytes(EMPTY_SITEMAP)
