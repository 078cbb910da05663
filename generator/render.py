"""Render the portal's pages from the frozen Portal with the Jinja2 templates in site_templates/.

Each page is Markdown source for MkDocs: a front-matter title and one block of HTML that our
templates produce (autoescaped). MkDocs and Material only wrap it in the theme, so a move to
another engine keeps every page as it is.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generator.archive import achievements_folder, institution_folder, notices_folder, paginate
from generator.build_cache import BuildCache, fragments_of
from generator.derive import STAGE_LABELS
from generator.field_reference import field_reference
from generator.forked import forked_beside, worker_count
from generator.formatting import chinese_date, percent, yuan_exact, yuan_short
from generator.fragments import Fragments
from generator.markup import markdown_html
from generator.messages import CATALOGUE, GROUPS
from generator.models import vocabulary
from generator.page_keys import key_text
from generator.portal import AchievementView, InstitutionView, NoticeView, Portal
from generator.registration_numbers import search_forms

TEMPLATE_FOLDER = Path(__file__).resolve().parent.parent / "site_templates"
RECENT_CONCLUDED = 10
# Where record_pages() puts its pages: the folders that grow with the records.
RECORD_PAGE_FOLDERS = ("notices", "achievements")
LIST_PAGE_HIDES = ("toc",)  # a list page shows the site's navigation
RECORD_PAGE_HIDES = ("navigation", "toc")  # a record's page, a statistics report: the article alone
HOME_LIST_LIMIT = 50  # open and scheduled notices on the home page; the rest are in the archive
INDEX_LIST_LIMIT = 50  # the newest entries on a list page of the navigation

LABELS = {
    "status": vocabulary.STATUSES,
    "notice_kinds": vocabulary.NOTICE_KINDS,
    "achievement_types": vocabulary.ACHIEVEMENT_TYPES,
    "right_kinds": vocabulary.RIGHT_KINDS,
    "funding": vocabulary.FUNDING,
    "grant_modes": vocabulary.GRANT_MODES,
    "licenses": vocabulary.LICENSES,
    "incentives": vocabulary.INCENTIVES,
    "history_events": vocabulary.HISTORY_EVENTS,
    "deal_modes": vocabulary.DEAL_MODES,
    "counterparty_types": vocabulary.COUNTERPARTY_TYPES,
    "pricing": vocabulary.PRICING,
    "asset_evaluation": vocabulary.ASSET_EVALUATION,
    "reward_forms": vocabulary.REWARD_FORMS,
    "outcomes": vocabulary.OUTCOME_RESULTS,
    "day_counting": vocabulary.DAY_COUNTING,
    "stages": STAGE_LABELS,
}


@dataclass(frozen=True, slots=True)
class Page:
    """One generated page: where MkDocs should see it, and its Markdown source."""

    src_uri: str  # e.g. notices/gnas-2024-n01.md
    title: str
    body_html: str
    in_nav: bool = False
    hide: tuple[str, ...] = ()
    meta: Mapping[str, Any] | None = None  # more front matter, e.g. the page's own `feeds`
    # One of the many pages (notices, achievements, the list pages out of the navigation, the
    # statistics reports): poured into a page the engine rendered once (generator/page_shell.py)
    # instead of each going through the engine.
    poured: bool = False

    @property
    def url(self) -> str:
        return page_url(self.src_uri)

    def markdown(self, body: str | None = None) -> str:
        """Front matter and the body (`body` stands in for it when given).

        The theme prints front matter unescaped (MkDocs' Jinja2 has no autoescape: <title>, the
        header, <link title>): it goes in as HTML-escaped text, so a record's title stays text."""
        front: dict[str, Any] = {"title": self.title, **(self.meta or {})}
        lines = [
            "---",
            *(
                f"{key}: {json.dumps(front_matter_escaped(value), ensure_ascii=False)}"
                for key, value in front.items()
            ),
        ]
        if self.hide:
            lines.append("hide: [" + ", ".join(self.hide) + "]")
        lines += ["---", "", (self.body_html if body is None else body).strip(), ""]
        return "\n".join(lines)


def front_matter_escaped(value: Any) -> Any:
    """Every text inside a front-matter value, HTML-escaped (quotes too: some land in attributes)."""
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, Mapping):
        return {key: front_matter_escaped(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [front_matter_escaped(item) for item in value]
    return value


@dataclass(frozen=True, slots=True)
class Asset:
    """A file copied into the site as it is (a notice's attachment)."""

    src_uri: str
    source: Path
    size: int
    sha256: str


def page_url(src_uri: str) -> str:
    """'notices/x.md' -> 'notices/x/', 'notices/index.md' -> 'notices/', 'index.md' -> ''."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def make_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_FOLDER),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        {
            "cn_date": chinese_date,
            "yuan_short": yuan_short,
            "yuan_exact": yuan_exact,
            "pct": percent,
            "markdown": lambda text: Markup(markdown_html(text)),
            "tel": lambda phone: re.sub(r"[^0-9+]", "", phone),
            "search_forms": search_forms,
            "price_band": price_band,
            "pagefind_value": lambda value: str(value).replace(",", "，").replace(":", "："),
        }
    )
    environment.globals["labels"] = LABELS
    return environment


class Renderer:
    def __init__(self, portal: Portal, site_url: str, root: Path, cache: BuildCache | None = None) -> None:
        self.portal = portal
        self.site_url = site_url.rstrip("/") + "/"
        self.root = root
        self.environment = make_environment()
        if cache is not None:
            self.environment.bytecode_cache = cache.compiled_templates()
        self.notice_titles = {key: view.record.title for key, view in portal.notices.items()}
        self.counts = portal.status_counts()  # once: every page shows them, and they count every notice
        # The archive pages' bodies, kept by what they show: a rebuild renders only those that changed.
        self.archive_bodies = fragments_of(cache, "archive-pages")
        self.unit_bodies = fragments_of(cache, "unit-pages")  # the units' pages and their lists
        self.report_bodies = fragments_of(cache, "statistics-reports")  # likewise the reports'

    def render(self, template: str, src_uri: str, **context: Any) -> str:
        depth = page_url(src_uri).count("/")
        base = "../" * depth

        def url(target: str) -> str:
            return (base + target) or "./"

        def absolute(target: str) -> str:
            return self.site_url + target

        # The context may stand for what every page is given (a page kept by a key without it).
        given = {"portal": self.portal, "url": url, "absolute": absolute, "counts": self.counts}
        return self.environment.get_template(template).render(given | context)

    def pages(self) -> Iterator[Page]:
        yield from self.engine_pages()
        yield from self.record_pages()

    def engine_pages(self) -> list[Page]:
        """The pages the site engine renders, one by one or (the list pages out of the navigation,
        the statistics reports) poured into a shell (page_shell.py): their number grows with the
        records, two hundred entries a page. The lists and the statistics take about as long as
        each other: with records enough, they are rendered side by side (forked.py)."""
        from generator.statistics import reports  # it imports this module

        reports(self.portal)  # computed once, before the lists' fork (the build computed them already)
        if worker_count(self.portal.record_count) == 1:
            return [*self._lists(), *self._units(), *self._statistics()]
        # The lists in a forked process, the reports and the units' pages here: a second process
        # would have copied the pages of memory this one touches, and sent twelve megabytes of
        # reports back. With the units' pages in the lists' process, this one waited for it for
        # a second of a rebuild at 50,000 records on a slow hour.
        with forked_beside(self._lists) as (lists,):
            statistics = self._statistics()
            units = self._units()
            return [*lists(), *units, *statistics]

    def _statistics(self) -> list[Page]:
        from generator.statistics_pages import statistics_pages  # it imports this module

        pages = list(statistics_pages(self))
        self.report_bodies.save()  # in the process that rendered them
        return pages

    def _lists(self) -> list[Page]:
        pages = list(self.listing_pages())
        self.archive_bodies.save()  # in the process that rendered them
        return pages

    def _units(self) -> list[Page]:
        pages = list(self.unit_pages())
        self.unit_bodies.save()  # in the process that rendered them: a store of their own
        return pages

    def _archive_body(self, src_uri: str, context: dict[str, Any]) -> bytes:
        return self.render("pages/archive.html.j2", src_uri, **context).encode("utf-8")

    def archive(
        self,
        folder: str,
        items: Sequence[Any],
        table: str,
        title: str,
        intro: str,
        back: tuple[str, str] | None,
        *,
        in_nav: bool = False,
        bodies: Fragments | None = None,
    ) -> Iterator[Page]:
        """A long list as numbered pages (archive.py); only a first page can be in the navigation.
        A page's body is kept by the text of what it shows: its place, its entries as a page
        shows them (as_shown), its headings. Its template reads nothing else."""
        for page in paginate(folder, items):
            context = {"page": page, "table": table, "title": title, "intro": intro, "back": back}
            inputs = key_text(
                (page.src_uri, self.site_url, replace(page, items=()), table, title, intro, back),
                self.portal.record_digests,
            ) + "".join("\0" + self.portal.digest_without_days(view) for view in page.items)
            store = self.archive_bodies if bodies is None else bodies
            html = store.get(inputs, partial(self._archive_body, page.src_uri, context)).decode("utf-8")
            first_in_nav = in_nav and page.number == 1
            yield Page(page.src_uri, title, html, first_in_nav, LIST_PAGE_HIDES, poured=not first_in_nav)

    def listing_pages(self) -> Iterator[Page]:
        portal = self.portal
        concluded = [view for view in portal.sorted_notices() if view.status in ("concluded", "withdrawn")]
        concluded.sort(key=lambda view: (view.last_change, view.id), reverse=True)
        open_notices, scheduled_notices = portal.open_notices(), portal.scheduled_notices()
        # Closed, the outcome not yet recorded: the unit is weighing objections. Newest end first.
        awaiting = sorted(
            portal.notices_with_status("closed"),
            key=lambda view: (view.record.period.end, view.id),
            reverse=True,
        )
        yield Page(
            "index.md",
            "首页",
            self.render(
                "pages/home.html.j2",
                "index.md",
                open_notices=open_notices[:HOME_LIST_LIMIT],
                open_total=len(open_notices),
                scheduled_notices=scheduled_notices[:HOME_LIST_LIMIT],
                scheduled_total=len(scheduled_notices),
                recent_notices=concluded[:RECENT_CONCLUDED],
                awaiting_notices=awaiting[:HOME_LIST_LIMIT],
                awaiting_total=len(awaiting),
                open_archive=notices_folder("open") + "/",
                scheduled_archive=notices_folder("scheduled") + "/",
            ),
            in_nav=True,
            hide=("navigation", "toc"),
        )
        newest = portal.sorted_notices()
        by_year: dict[int, list[NoticeView]] = defaultdict(list)
        by_kind: dict[str, list[NoticeView]] = defaultdict(list)
        for view in newest:
            by_year[view.record.period.start.year].append(view)
            by_kind[view.record.kind].append(view)
        years = sorted(by_year.items(), reverse=True)
        kinds = [(kind, by_kind[kind]) for kind in vocabulary.NOTICE_KINDS if kind in by_kind]
        yield Page(
            "notices/index.md",
            "全部公示",
            self.render(
                "pages/notices_index.html.j2",
                "notices/index.md",
                by_year=[(year, views, notices_folder(year) + "/") for year, views in years],
                by_kind=[(kind, views, notices_folder(kind) + "/") for kind, views in kinds],
                newest=newest[:INDEX_LIST_LIMIT],
                open_archive=notices_folder("open") + "/",
                scheduled_archive=notices_folder("scheduled") + "/",
            ),
            in_nav=True,
            hide=("toc",),
        )
        back = ("notices/", "全部公示")
        for year, views in years:
            yield from self.archive(
                notices_folder(year), views, "notices", f"{year} 年的公示", "按开始日期从新到旧排列。", back
            )
        for kind, views in kinds:
            yield from self.archive(
                notices_folder(kind),
                views,
                "notices",
                LABELS["notice_kinds"][kind],
                "按开始日期从新到旧排列。",
                back,
            )
        yield from self.archive(
            notices_folder("open"),
            open_notices,
            "notices",
            "正在公示",
            "按截止时间排序，最先截止的在前。",
            ("", "首页"),
        )
        yield from self.archive(
            notices_folder("scheduled"),
            scheduled_notices,
            "notices",
            "即将开始的公示",
            "按开始日期排序。",
            ("", "首页"),
        )
        deals = [view for view in newest if view.record.deal is not None]
        yield from self.archive(
            "deals",
            deals,
            "deals",
            "协议定价公示",
            f"试点单位以协议定价方式转让、许可或作价投资科技成果的，应公示成果名称和拟交易价格，公示期不少于 15 日。共 {len(deals)} 项协议定价公示，按开始日期从新到旧排列。",
            None,
            in_nav=True,
        )
        # The list of granted achievements holds those whose grant took effect, as the statistics
        # count them; a grant proposed, applied for or under notice is listed with the others.
        granted = [view for view in portal.achievements.values() if view.grant_in_effect]
        others = [view for view in portal.achievements.values() if not view.grant_in_effect]
        proposed = sum(1 for view in others if view.record.grant is not None)
        yield Page(
            "achievements/index.md",
            "成果",
            self.render(
                "pages/achievements_index.html.j2",
                "achievements/index.md",
                granted=granted[:INDEX_LIST_LIMIT],
                granted_total=len(granted),
                others=others[:INDEX_LIST_LIMIT],
                others_total=len(others),
                proposed_total=proposed,
                granted_archive=achievements_folder("granted") + "/",
                others_archive=achievements_folder("others") + "/",
                granted_ownership=sum(
                    1 for view in granted if view.record.grant and view.record.grant.mode == "ownership"
                ),
                granted_use=sum(
                    1 for view in granted if view.record.grant and view.record.grant.mode == "long_term_use"
                ),
            ),
            in_nav=True,
            hide=("toc",),
        )
        back = ("achievements/", "成果")
        yield from self.archive(
            achievements_folder("granted"),
            granted,
            "achievements",
            "赋权成果名单",
            "赋权已生效（已签订赋权协议或已完成权属变更）的职务科技成果。",
            back,
        )
        yield from self.archive(
            achievements_folder("others"),
            others,
            "achievements",
            "其他登记成果",
            "已登记、赋权尚未生效的职务科技成果，包括已申请赋权和正在公示的。",
            back,
        )
        yield Page(
            "institutions/index.md",
            "试点单位",
            self.render("pages/institutions_index.html.j2", "institutions/index.md"),
            True,
            ("toc",),
        )
        yield Page(
            "policies/index.md",
            "政策",
            self.render("pages/policies_index.html.j2", "policies/index.md"),
            True,
            ("toc",),
        )
        yield Page(
            "search.md", "搜索", self.render("pages/search.html.j2", "search.md"), True, ("navigation", "toc")
        )
        yield Page("about.md", "关于本站", self.render("pages/about.html.j2", "about.md"), True)
        # Out of the navigation: reached from a notice's revision history.
        yield Page(
            "versions.md", "公示的历史版本", self.render("pages/version.html.j2", "versions.md"), False
        )
        yield Page(
            "publish/index.md",
            "发布指南",
            self.render("pages/publish.html.j2", "publish/index.md", field_reference=field_reference()),
            True,
        )
        groups = []
        for key, title in GROUPS.items():
            messages = [message for message in CATALOGUE.values() if message.group == key]
            if messages:
                groups.append(({"key": key, "title": title}, messages))
        yield Page(
            "publish/codes.md",
            "错误代码",
            self.render("pages/codes.html.j2", "publish/codes.md", code_groups=groups),
            True,
        )
        from generator.calendars import calendar_catalogue, subscription_link
        from generator.exports import LICENCE_URL, PORTAL_JSON, SCHEMA_FOLDER, tables
        from generator.feeds import FEED_ENTRY_LIMIT, feed_catalogue

        yield Page(
            "subscribe.md",
            "订阅",
            self.render(
                "pages/subscribe.html.j2",
                "subscribe.md",
                feeds=feed_catalogue(portal),
                feed_entry_limit=FEED_ENTRY_LIMIT,
                calendars=calendar_catalogue(portal),
                subscription_link=subscription_link,
            ),
            True,
            ("toc",),
        )
        yield Page(
            "data.md",
            "开放数据",
            self.render(
                "pages/data.html.j2",
                "data.md",
                tables=tables(self.site_url),
                portal_json=PORTAL_JSON,
                schema_folder=SCHEMA_FOLDER,
                licence_url=LICENCE_URL,
            ),
            True,
        )

    def record_pages(self, part: tuple[int, int] = (0, 1)) -> Iterator[Page]:
        """A page per notice and per achievement: the many pages, poured into a shell (page_shell.py).
        `part` (i, n) renders only every n-th record from the i-th, for n processes side by side."""
        for src_uri in self.record_page_uris(part):
            yield self.record_page(src_uri)

    def record_page_uris(self, part: tuple[int, int] = (0, 1)) -> Iterator[str]:
        index, count = part
        for notice_id in islice(self.portal.notices, index, None, count):
            yield f"notices/{notice_id}.md"
        for achievement_id in islice(self.portal.achievements, index, None, count):
            yield f"achievements/{achievement_id}.md"

    def record_page(self, src_uri: str) -> Page:
        folder, record_id = _record_of(src_uri)
        if folder == "notices":
            notice_view = self.portal.notices[record_id]
            html = self.render(
                "pages/notice.html.j2", src_uri, view=notice_view, attachments=self._attachments(notice_view)
            )
            return Page(src_uri, notice_view.record.title, html, hide=RECORD_PAGE_HIDES, poured=True)
        achievement_view = self.portal.achievements[record_id]
        html = self.render(
            "pages/achievement.html.j2", src_uri, view=achievement_view, notice_titles=self.notice_titles
        )
        return Page(src_uri, achievement_view.record.title, html, hide=RECORD_PAGE_HIDES, poured=True)

    def record_page_inputs(self, src_uri: str) -> str:
        """Everything a record page shows, as text: the same text renders the same page (the key
        of the build cache, build_cache.py). It names what the templates read: the record's view
        (its record, institution, policy and status: Portal.digest_without_days), its revision history, its
        attachments' sizes, the titles of the notices it links to, the site's address."""
        folder, record_id = _record_of(src_uri)
        common = (src_uri, self.site_url)
        own: tuple[Any, ...]
        if folder == "notices":
            notice = self.portal.notices[record_id]
            revisions = self.portal.revisions
            history = (revisions.of(record_id), revisions.forge_url) if revisions else None
            view: NoticeView | AchievementView = notice
            own = (common, history, self._attachments(notice))
        else:
            view = achievement = self.portal.achievements[record_id]
            linked = [
                self.notice_titles.get(event.notice) for event in achievement.record.history if event.notice
            ]
            own = (common, linked)
        return f"{self.portal.digest_without_days(view)}\0{key_text(own, self.portal.record_digests)}"

    def _attachments(self, view: NoticeView) -> list[dict[str, str]]:
        institution = view.record.institution
        return [
            {
                "title": attachment.title,
                "url": attachment_url(institution, attachment.file),
                "size": _size(self.root / "notices" / institution / attachment.file),
                "sha256": attachment.sha256,
            }
            for attachment in view.record.attachments
        ]

    def unit_pages(self) -> Iterator[Page]:
        """A page per institution and per policy."""
        from generator.statistics import reports as statistics_reports  # it imports this module
        from generator.statistics_paths import report_folder

        portal = self.portal
        # Each unit's and each policy's yearly reports, linked from its page.
        reports: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        for report in statistics_reports(portal):
            reports[report.scope.kind, report.scope.key].append(
                (report.year, report_folder(report.scope, report.year) + "/")
            )
        from generator.calendars import institution_calendar, policy_calendar
        from generator.feeds import institution_feed, policy_feed  # feeds imports this module

        for institution_id, institution_view in portal.institutions.items():
            src = f"institutions/{institution_id}.md"
            feed = institution_feed(portal, institution_id)
            html = self._unit_page(
                src,
                view=institution_view,
                reports=reports.get(("institution", institution_id), []),
                notices=institution_view.notices[:INDEX_LIST_LIMIT],
                achievements=institution_view.achievements[:INDEX_LIST_LIMIT],
                notices_archive=institution_folder(institution_id, "notices") + "/",
                achievements_archive=institution_folder(institution_id, "achievements") + "/",
                feed=feed,
                calendar=institution_calendar(institution_id),
            )
            feeds = feed.links()
            yield Page(
                src, institution_view.record.name, html, hide=("navigation", "toc"), meta={"feeds": feeds}
            )
            back = (f"institutions/{institution_id}/", institution_view.record.name)
            name = institution_view.record.name
            yield from self.archive(
                institution_folder(institution_id, "notices"),
                institution_view.notices,
                "notices",
                f"{name}的公示",
                "按开始日期从新到旧排列。",
                back,
                bodies=self.unit_bodies,
            )
            yield from self.archive(
                institution_folder(institution_id, "achievements"),
                institution_view.achievements,
                "achievements",
                f"{name}的成果",
                "本单位登记的职务科技成果。",
                back,
                bodies=self.unit_bodies,
            )
        for policy_id, policy in portal.policies.items():
            src = f"policies/{policy_id}.md"
            institutions = portal.institutions_by_policy.get(policy_id, ())
            feed = policy_feed(portal, policy_id)
            html = self.render(
                "pages/policy.html.j2",
                src,
                view=policy,
                institutions=institutions,
                reports=reports.get(("policy", policy_id), []),
                feed=feed,
                calendar=policy_calendar(policy_id),
            )
            feeds = feed.links()
            yield Page(src, policy.title, html, hide=("navigation", "toc"), meta={"feeds": feeds})

    def _unit_page(
        self,
        src_uri: str,
        *,
        view: InstitutionView,
        notices: tuple[NoticeView, ...],
        achievements: tuple[AchievementView, ...],
        **context: Any,
    ) -> str:
        """An institution's page, kept like an archive page's body by the text of what it shows:
        the unit, its rule and policy, the numbers of its notices and achievements, and the first
        of each as the lists show them. Rendered afresh, the 65 units' pages were a quarter of
        the lists' time in a rebuild at 50,000 records, where one of them changes."""
        counts = (len(view.notices), len(view.achievements), len(notices), len(achievements))
        inputs = key_text(
            (src_uri, self.site_url, view.record, view.policy, view.rule, view.pilot_end, context, counts),
            self.portal.record_digests,
        )
        shown: list[NoticeView | AchievementView] = [*notices, *achievements]
        inputs += "".join("\0" + self.portal.digest_without_days(item) for item in shown)
        context |= {"view": view, "notices": notices, "achievements": achievements}
        make = partial(self.render, "pages/institution.html.j2", src_uri, **context)
        return self.unit_bodies.get(inputs, lambda: make().encode("utf-8")).decode("utf-8")

    def assets(self) -> Iterator[Asset]:
        for notice_view in self.portal.notices.values():
            institution = notice_view.record.institution
            for attachment in notice_view.record.attachments:
                source = self.root / "notices" / institution / attachment.file
                yield Asset(
                    attachment_url(institution, attachment.file),
                    source,
                    source.stat().st_size,
                    attachment.sha256,
                )


PRICE_BANDS = ((500_000, "50万元以下"), (1_000_000, "50万—100万元"), (5_000_000, "100万—500万元"))


def price_band(price_yuan: int) -> str:
    """The search facet of a deal's price."""
    for limit, label in PRICE_BANDS:
        if price_yuan < limit:
            return label
    return "500万元及以上"


def _record_of(src_uri: str) -> tuple[str, str]:
    """'notices/x.md' -> ('notices', 'x')."""
    folder, name = src_uri.split("/", 1)
    return folder, name.removesuffix(".md")


def attachment_url(institution: str, file: str) -> str:
    return f"attachments/{institution}/{file.removeprefix('attachments/')}"


def _size(path: Path) -> str:
    size = path.stat().st_size
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    if size >= 1 << 10:
        return f"{size / (1 << 10):.0f} KB"
    return f"{size} 字节"
