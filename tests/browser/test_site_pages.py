"""The public site in a real browser: what a reader on a phone sees, and that it stays true."""

from __future__ import annotations

import base64
import urllib.request
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from generator.clock import CHINA
from generator.derive import notice_status
from generator.site import BuildResult
from tests.browser import favicon_ico
from tests.browser.conftest import EXAMPLE_DATE, serious_violations

pytestmark = pytest.mark.browser

# 10:00 on the reference date in China: the moment the pages are looked at.
REFERENCE_MOMENT = datetime(EXAMPLE_DATE.year, EXAMPLE_DATE.month, EXAMPLE_DATE.day, 10, 0, tzinfo=CHINA)


def _page(browser: Any, width: int = 1280, moment: datetime = REFERENCE_MOMENT) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.clock.set_fixed_time(moment)
    outside: list[str] = []
    page.on(
        "request", lambda request: outside.append(request.url) if "127.0.0.1" not in request.url else None
    )
    page.outside_requests = outside
    failed: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda response: failed.append((response.status, response.url)) if response.status >= 400 else None,
    )
    page.failed_responses = failed
    return page


def _open_ids_from_records(build: BuildResult) -> set[str]:
    # Computed from the records, independently of the pages.
    return {
        notice_id
        for notice_id, view in build.portal.notices.items()
        if notice_status(view.record, EXAMPLE_DATE) == "open"
    }


def test_home_lists_exactly_the_open_notices(browser: Any, site_url: str, example_build: BuildResult) -> None:
    page = _page(browser)
    page.goto(site_url)
    hrefs = page.eval_on_selector_all(
        '[data-portal-list="open"] a.portal-card__title', "els => els.map(e => e.href)"
    )
    listed = {href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs}
    expected = _open_ids_from_records(example_build)
    assert expected, "the example must have open notices on its reference date"
    assert listed == expected
    badges = page.eval_on_selector_all(
        '[data-portal-list="open"] [data-portal-status]', "els => els.map(e => e.textContent)"
    )
    assert set(badges) == {"公示中"}
    assert page.outside_requests == []


def test_open_notices_are_ordered_by_days_left(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    page = _page(browser)
    page.goto(site_url)
    hrefs = page.eval_on_selector_all(
        '[data-portal-list="open"] a.portal-card__title', "els => els.map(e => e.href)"
    )
    ends = [
        example_build.portal.notices[href.rstrip("/").rsplit("/", 1)[-1]].record.period.end for href in hrefs
    ]
    assert ends == sorted(ends)


def _an_open_notice(build: BuildResult) -> Any:
    return sorted(build.portal.open_notices(), key=lambda view: view.id)[0]


def test_notice_page_shows_period_status_and_objection_channel(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    view = _an_open_notice(example_build)
    page = _page(browser)
    page.goto(f"{site_url}notices/{view.id}/")
    assert page.locator("h1").first.inner_text() == view.record.title
    assert page.locator(".portal-notice__status [data-portal-status]").inner_text() == "公示中"
    text = page.locator(".portal-record").inner_text()
    start, end = view.record.period.start, view.record.period.end
    assert f"{start.year}年{start.month}月{start.day}日" in text
    assert f"{end.year}年{end.month}月{end.day}日" in text
    objections = page.locator("#objections + .portal-objections")
    assert view.record.objections.department in objections.inner_text()
    if view.record.objections.phone:
        assert objections.locator('a[href^="tel:"]').count() == 1
    if view.record.objections.email:
        assert objections.locator(f'a[href="mailto:{view.record.objections.email}"]').count() == 1


def test_badge_closes_in_the_browser_after_the_end_without_a_rebuild(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    view = _an_open_notice(example_build)
    after_end = datetime.combine(view.record.period.end + timedelta(days=1), time(0, 2), tzinfo=CHINA)
    page = _page(browser, moment=REFERENCE_MOMENT)
    page.goto(f"{site_url}notices/{view.id}/")
    badge = page.locator(".portal-notice__status [data-portal-status]")
    box = page.locator(".portal-objections")
    over = box.locator("[data-portal-over]")  # the objection box's "it is over"
    invite = box.locator("[data-portal-invite]")  # "object before …"
    assert badge.inner_text() == "公示中" and over.is_hidden() and invite.is_visible()
    page.clock.set_fixed_time(after_end)  # two minutes past midnight after the last day
    page.reload()
    assert badge.inner_text() == "已截止"
    assert "portal-status--closed" in (badge.get_attribute("class") or "")
    # No longer asked to object before a day gone by: told that objections are no longer received.
    assert over.is_visible() and over.inner_text() == "公示期已结束，不再受理异议。"
    assert invite.is_hidden() and "portal-objections--over" in (box.get_attribute("class") or "")


def test_a_table_in_a_notices_text_scrolls_on_a_phone_and_says_so(browser: Any, site_url: str) -> None:
    """gnas-2025-n03's table of achievements wrapped its names every four characters at 390 px,
    its last columns out of sight."""
    page = _page(browser, width=390)
    page.goto(f"{site_url}notices/gnas-2025-n03/")
    box = page.locator(".portal-body .portal-table-wrap").first
    assert "portal-table-wrap--scrolls" in (box.get_attribute("class") or "")
    assert box.get_attribute("aria-label") == "表格（可左右滑动）"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the box scrolls, not the page


def test_a_withdrawn_notice_says_objections_are_no_longer_received(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    """Its box said "object before 28 July" above "withdrawn": a reader took it as still open."""
    view = next(view for view in example_build.portal.sorted_notices() if view.status == "withdrawn")
    page = _page(browser, moment=REFERENCE_MOMENT)
    page.goto(f"{site_url}notices/{view.id}/")
    box = page.locator(".portal-objections")
    assert box.locator("[data-portal-over]").inner_text() == "本公示已撤回，不再受理异议。"
    assert box.locator("[data-portal-invite]").is_hidden()
    assert "portal-objections--over" in (box.get_attribute("class") or "")


def test_an_achievements_stage_follows_its_notice_in_the_browser_without_a_rebuild(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    """Built while its notice is open (公示中), its page says 公示期满 once the notice has closed,
    as the notice's own badge does, here and in its institution's list of achievements."""
    achievement = next(
        view for view in example_build.portal.achievements.values() if view.notice_status == "open"
    )
    assert achievement.noticed_by is not None
    notice = example_build.portal.notices[achievement.noticed_by]
    after_end = datetime.combine(notice.record.period.end + timedelta(days=1), time(0, 2), tzinfo=CHINA)
    page = _page(browser, moment=REFERENCE_MOMENT)
    paths = [f"achievements/{achievement.id}/", f"institutions/{achievement.record.institution}/"]
    page.goto(site_url + paths[0])
    stage = page.locator("dd [data-portal-stage]")
    assert stage.inner_text() == "公示中"
    page.clock.set_fixed_time(after_end)
    page.reload()
    assert stage.inner_text() == "公示期满，待公布结果"
    page.goto(site_url + paths[1])
    row = page.locator("tr", has=page.locator(f'a[href$="achievements/{achievement.id}/"]'))
    assert row.locator("[data-portal-stage]").inner_text() == "公示期满，待公布结果"


@pytest.mark.parametrize("path", ["", "notices/", "deals/", "institutions/", "achievements/"])
def test_no_horizontal_scroll_at_360_px(browser: Any, site_url: str, path: str) -> None:
    page = _page(browser, width=360)
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


LISTS = "table:is(.portal-table--records, .portal-report__list)"
# Each list row at phone size: where its title and facts lie, and the marks put before and after
# them (portal.css: a fact after another is " · " first, one with data-label says it, the 序号 a
# "." after it).
ROWS_AS_CARDS = """rows => rows.map(row => {
    const box = element => element.getBoundingClientRect();
    const before = cell => getComputedStyle(cell, "::before").content;
    const title = row.querySelector("td.portal-report__name") || row.cells[0];
    const facts = [...row.cells].filter(cell => cell !== title && !cell.matches(".portal-number:first-child"));
    return {
        rowTop: box(row).top, rowRight: box(row).right, titleTop: box(title).top, titleBottom: box(title).bottom,
        factsTop: Math.min(...facts.map(cell => box(cell).top)),
        right: Math.max(...[...row.cells].map(cell => box(cell).right)),
        firstBefore: before(facts[0]), firstLabel: facts[0].getAttribute("data-label"),
        laterBefores: facts.slice(1).map(cell => before(cell)),
        labels: facts.slice(1).map(cell => cell.getAttribute("data-label")),
        dots: [...row.cells].filter(cell => !cell.matches(".portal-number:first-child"))
            .map(cell => getComputedStyle(cell, "::after").content).filter(content => content.includes(".")),
    };
})"""


@pytest.mark.parametrize("path", ["deals/", "archive/notices/2025/", "achievements/", "", "statistics/2024/"])
def test_on_a_phone_a_list_is_a_list_of_cards(browser: Any, site_url: str, path: str) -> None:
    """Each row: its title (after its 序号) on a line of its own, its facts on the lines after,
    parted by dots, an amount or key day labelled (portal.css); not columns squeezed to a few
    characters, 140 to 240 px a row. The headings stay for screen readers, and printed or on a
    wide screen the table is a table."""
    page = _page(browser, width=360)
    page.goto(site_url + path)
    rows = page.eval_on_selector_all(f"{LISTS} tbody tr", ROWS_AS_CARDS)
    assert rows, path
    for row in rows:
        assert row["titleTop"] - row["rowTop"] < 20, path  # the title first
        assert -2 <= row["factsTop"] - row["titleBottom"] < 16, path  # the facts on the next line
        assert row["right"] <= row["rowRight"] + 1, path
        assert not row["firstBefore"].startswith('" · '), path
        assert (
            row["firstBefore"] == "none"
            if row["firstLabel"] is None
            else row["firstBefore"].startswith(f'"{row["firstLabel"]}\xa0"')
        ), path
        for content, label in zip(row["laterBefores"], row["labels"], strict=True):
            assert content.startswith('" · "' if label is None else f'" · {label}\xa0"'), path
        assert row["dots"] == [], path
    if path == "deals/":
        assert any(label == "评估价" for row in rows for label in row["labels"])
    if path == "statistics/2024/":
        assert {"金额", "转化净收入", "团队奖励"} <= {label for row in rows for label in row["labels"]}
    assert page.get_by_role("columnheader").first.text_content()  # not hidden from screen readers
    assert page.locator(f"{LISTS} thead").first.evaluate("head => head.getBoundingClientRect().height") <= 1
    page.emulate_media(media="print")
    assert page.locator(f"{LISTS} thead").first.evaluate("head => head.getBoundingClientRect().height") > 10
    wide = _page(browser, width=1280)
    wide.goto(site_url + path)
    assert wide.locator(f"{LISTS} thead").first.evaluate("head => head.getBoundingClientRect().height") > 10


def test_record_pages_fit_360_px(browser: Any, site_url: str, example_build: BuildResult) -> None:
    portal = example_build.portal
    paths = [f"notices/{_an_open_notice(example_build).id}/"]
    paths += [
        f"achievements/{next(iter(portal.achievements))}/",
        f"institutions/{next(iter(portal.institutions))}/",
    ]
    page = _page(browser, width=360)
    for path in paths:
        page.goto(site_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_pages_load_nothing_from_outside(browser: Any, site_url: str, example_build: BuildResult) -> None:
    page = _page(browser)
    institution = next(iter(example_build.portal.institutions))
    paths = ["", "notices/", f"notices/{_an_open_notice(example_build).id}/", "publish/codes/"]
    for path in [*paths, f"institutions/{institution}/"]:
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    assert page.outside_requests == []
    # Nothing the pages ask for is missing: the theme asks for a sitemap beside each feed they
    # link to (generator/feeds.py, EMPTY_SITEMAP).
    assert page.failed_responses == []


def test_screenshots_and_printed_notice(
    browser: Any, site_url: str, example_build: BuildResult, artifacts: Path
) -> None:
    view = _an_open_notice(example_build)
    desktop = _page(browser)
    desktop.goto(site_url)
    desktop.screenshot(path=str(artifacts / "home.png"), full_page=True)
    desktop.goto(f"{site_url}notices/{view.id}/")
    desktop.screenshot(path=str(artifacts / "notice-desktop.png"), full_page=True)
    status_date = desktop.locator("[data-portal-status-date]")
    assert status_date.is_hidden()  # on screen the status is live: no date beside it
    desktop.emulate_media(media="print")
    desktop.pdf(path=str(artifacts / "notice-print.pdf"), format="A4", print_background=True)
    assert desktop.locator(".md-header").is_hidden()
    # Printed, the status says when it held: the page is looked at at 10:00 in China.
    assert status_date.is_visible() and status_date.inner_text() == "（状态截至2025年9月22日 10:00 北京时间）"
    phone = _page(browser, width=360)
    phone.goto(f"{site_url}notices/{view.id}/")
    phone.screenshot(path=str(artifacts / "notice-phone.png"), full_page=True)
    pdf = (artifacts / "notice-print.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.parametrize("kind", ["home", "notice", "institution"])
def test_accessibility_has_no_serious_violations(
    browser: Any, site_url: str, example_build: BuildResult, kind: str
) -> None:
    path = {
        "home": "",
        "notice": f"notices/{_an_open_notice(example_build).id}/",
        "institution": f"institutions/{next(iter(example_build.portal.institutions))}/",
    }[kind]
    page = _page(browser)
    page.goto(site_url + path)
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", ["", "notices/gnas-2025-n03/", "statistics/"])
def test_the_first_tab_goes_to_a_link_past_the_header(browser: Any, site_url: str, path: str) -> None:
    """A keyboard reader skips the header and navigation: Material offers it only on pages with a
    table of contents, which the portal's pages hide."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "portal-content"
    page.close()


@pytest.mark.parametrize("path", ["feeds/notices.xml", "feeds/open.atom", "data/portal.json"])
def test_a_feed_or_data_file_opened_in_the_browser_asks_for_nothing_missing(
    browser: Any, site_url: str, path: str
) -> None:
    """A feed or a data file has no page head to name the site's icon: the browser asks for
    /favicon.ico, a 404 in the reader's console when the site has none."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(site_url + path)
    page.wait_for_timeout(500)
    assert errors == []


def test_the_favicon_ico_is_the_favicon_svg(browser: Any, site_url: str) -> None:
    """favicon.ico is favicon.svg drawn at 16, 32 and 48 pixels (tests/browser/favicon_ico.py
    makes it again): each image, compared pixel by pixel in the browser with the SVG drawn now."""
    served = urllib.request.urlopen(site_url + "favicon.ico").read()
    assert served == favicon_ico.ICO.read_bytes()
    images = favicon_ico.images_of(served)
    assert [size for size, _ in images] == list(favicon_ico.SIZES)
    page = browser.new_page()
    for size, png in images:
        fresh = favicon_ico.rasterised(browser, favicon_ico.SVG.read_bytes(), size)
        difference = page.evaluate(
            """async ([first, second, size]) => {
                const pixels = async (png) => {
                    const image = new Image();
                    image.src = "data:image/png;base64," + png;
                    await image.decode();
                    const canvas = new OffscreenCanvas(size, size);
                    const context = canvas.getContext("2d");
                    context.drawImage(image, 0, 0);
                    return context.getImageData(0, 0, size, size).data;
                };
                const [a, b] = [await pixels(first), await pixels(second)];
                let total = 0;
                for (let index = 0; index < a.length; index++) total += Math.abs(a[index] - b[index]);
                return total / a.length;
            }""",
            [base64.b64encode(png).decode(), base64.b64encode(fresh).decode(), size],
        )
        assert difference < 4, f"{size} px differs from favicon.svg: run python -m tests.browser.favicon_ico"
