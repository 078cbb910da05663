"""The statistics section in a real browser: reached from the navigation, accessible, readable on
a phone, printable on A4, and its CSV files served beside the pages."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest

from generator.site import BuildResult
from tests.browser.conftest import serious_violations
from tests.browser.test_site_pages import _page

pytestmark = pytest.mark.browser

REPORT = "statistics/institutions/gnas/2024/"
POLICY_REPORT = "statistics/policies/hubei-2023/2024/"


def test_the_navigation_leads_to_the_statistics_and_on_to_a_report(browser: Any, site_url: str) -> None:
    page = _page(browser)
    page.goto(site_url)
    page.locator(".md-tabs").get_by_role("link", name="统计").click()
    page.wait_for_url(f"{site_url}statistics/")
    assert page.locator("h1").first.inner_text() == "统计"
    page.locator("#year-2024 + .portal-table-wrap").get_by_role("link", name="赣南科学院（示例）").click()
    page.wait_for_url(site_url + REPORT)
    assert page.locator("h1").first.inner_text() == "赣南科学院（示例） 2024 年度统计"
    # The report pages stay out of the navigation: only the index is listed.
    page.goto(f"{site_url}statistics/")
    nav_links = page.eval_on_selector_all(".md-nav a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert nav_links and not [href for href in nav_links if re.search(r"/\d{4}/$", href)]
    assert page.outside_requests == []


def test_a_report_shows_its_list_and_accessible_charts(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    page = _page(browser)
    page.goto(site_url + REPORT)
    listed = page.eval_on_selector_all(
        "#granted-list + .portal-table-wrap a[href*='/achievements/']", "els => els.map(e => e.textContent)"
    )
    portal = example_build.portal
    assert listed == [
        portal.achievements[key].record.title for key in ("gnas-2024-001", "gnas-2024-002", "gnas-2024-003")
    ]
    charts = page.locator("svg[role='img']")
    assert charts.count() == 3
    for index in range(3):
        chart = charts.nth(index)
        assert chart.locator("title").text_content()
        assert chart.locator("desc").text_content()
    assert page.outside_requests == []


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["statistics/", REPORT, POLICY_REPORT])
def test_statistics_pages_have_no_serious_accessibility_violations(
    browser: Any, site_url: str, path: str, width: int
) -> None:
    # On a phone the wide tables and the charts scroll in their boxes: those must be reachable.
    page = _page(browser, width=width)
    page.goto(site_url + path)
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", ["statistics/", REPORT, POLICY_REPORT])
def test_statistics_pages_fit_360_px(browser: Any, site_url: str, path: str) -> None:
    page = _page(browser, width=360)
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_screenshots_and_printed_report(browser: Any, site_url: str, artifacts: Path) -> None:
    desktop = _page(browser)
    desktop.goto(site_url + POLICY_REPORT)
    desktop.screenshot(path=str(artifacts / "statistics-policy-desktop.png"), full_page=True)
    desktop.goto(site_url + REPORT)
    desktop.screenshot(path=str(artifacts / "statistics-report-desktop.png"), full_page=True)
    desktop.emulate_media(media="print")
    desktop.pdf(path=str(artifacts / "statistics-report-print.pdf"), format="A4", print_background=True)
    assert desktop.locator(".md-header").is_hidden()
    assert desktop.locator(".portal-report__contents").is_hidden()
    assert desktop.locator(".portal-report .portal-print-only").is_visible()
    phone = _page(browser, width=360)
    phone.goto(site_url + REPORT)
    phone.screenshot(path=str(artifacts / "statistics-report-phone.png"), full_page=True)
    pdf = (artifacts / "statistics-report-print.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_the_csv_files_are_served_beside_the_page(browser: Any, site_url: str) -> None:
    page = _page(browser)
    response = page.request.get(site_url + REPORT + "report.csv")
    assert response.ok
    raw = response.body()
    assert raw.startswith(b"\xef\xbb\xbf")
    (row,) = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    assert row["institution_name"] == "赣南科学院（示例）"
    assert row["granted"] == "3"


def test_a_table_wider_than_a_phone_says_it_scrolls_sideways(browser: Any, site_url: str) -> None:
    phone = _page(browser, width=390)
    phone.goto(f"{site_url}statistics/")
    wide = phone.locator("#year-2025 + .portal-table-wrap")
    assert "portal-table-wrap--scrolls" in (wide.get_attribute("class") or "")
    hint = wide.evaluate("box => getComputedStyle(box, '::before').content")
    assert "左右滑动" in hint
    desktop = _page(browser, width=1600)
    desktop.goto(f"{site_url}statistics/")
    fits = desktop.locator(".portal-report__pair .portal-table-wrap, #year-2025 + .portal-table-wrap")
    assert "portal-table-wrap--scrolls" not in (fits.last.get_attribute("class") or "")
    # A chart keeps text a phone can read, in a box that scrolls and says so.
    phone.goto(site_url + REPORT)
    drawing = phone.locator(".portal-chart__drawing").first
    assert "portal-table-wrap--scrolls" in (drawing.get_attribute("class") or "")
    assert drawing.locator("svg").evaluate("svg => svg.getBoundingClientRect().width") >= 540
    # A chart of months or years opens on its newest end (September's deals were out of sight).
    months = phone.locator(".portal-chart__drawing:has(svg[data-axis='time'])").first
    assert months.evaluate(
        "box => box.scrollLeft + box.clientWidth >= box.scrollWidth - 1 && box.scrollLeft > 0"
    )
    assert "更早的数据在左侧" in months.evaluate("box => getComputedStyle(box, '::before').content")
    assert phone.outside_requests == [] and desktop.outside_requests == []


@pytest.mark.parametrize(
    ("path", "table", "name"),
    [
        ("statistics/", "#year-2025 + .portal-table-wrap", "全部试点单位"),
        ("statistics/2025/", "#units + .portal-table-wrap", "协议定价金额"),
    ],
)
def test_on_a_phone_a_rows_name_stays_beside_its_figures(
    browser: Any, site_url: str, path: str, table: str, name: str
) -> None:
    """Scrolled to its last column, a table still shows each row's name at its left edge: the
    figures of 江汉科技大学 or of the 合计 column are read against the unit or measure they are of."""
    phone = _page(browser, width=390)
    phone.goto(site_url + path)
    wrap = phone.locator(table)
    assert wrap.evaluate("box => box.scrollWidth > box.clientWidth")  # it does scroll on a phone
    wrap.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    row_name = wrap.locator("tbody th[scope='row']", has_text=name).first
    row_name.evaluate("th => window.scrollBy(0, th.getBoundingClientRect().top - 300)")  # the page only
    box, cell = wrap.bounding_box(), row_name.bounding_box()
    assert box is not None and cell is not None
    assert box["x"] - 1 <= cell["x"] <= box["x"] + 1
    # What is at the name's place is the name, not a figure scrolled under it.
    at_name = phone.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('th')?.textContent",
        [cell["x"] + 10, cell["y"] + cell["height"] / 2],
    )
    assert at_name is not None and name in at_name
    if path == "statistics/":  # 范围 is left out on a phone: the names say it
        assert not wrap.locator("thead th", has_text="范围").is_visible()
    else:  # the page's contents and its years are links a finger can hit
        heights = phone.eval_on_selector_all(
            ".portal-report__contents a, .portal-report__years a", "els => els.map(e => e.offsetHeight)"
        )
        assert len(heights) > 10 and min(heights) >= 32
    assert phone.outside_requests == []
