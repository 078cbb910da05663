"""The build-time SVG charts: valid XML, an accessible image (role, title, description), readable
without colour (a pattern per series, totals written out), and nothing loaded from elsewhere —
on their own, and as the statistics pages carry them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from generator.charts import FILLS, Chart, Series, bar_chart, column_chart, nice_step, table_rows
from generator.check import check_portal
from generator.formatting import yuan_short
from generator.portal import build_portal
from generator.render import Renderer

SVG = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parents[1]
EXAMPLE_DATE = date(2025, 9, 22)

MONTHLY = Chart(
    id="chart-test",
    title="2024年各月公示数量",
    description="共 6 项。",
    categories=tuple(f"{month}月" for month in range(1, 13)),
    series=(
        Series("赋予所有权公示", (1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        Series("赋予长期使用权公示", (0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
        Series("协议定价公示", (0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0)),
        Series("奖励公示", (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
    ),
)
BY_TYPE = Chart(
    id="chart-types",
    title="赋权成果（按成果类型）",
    description="共 5 项。",
    categories=("专利权", "集成电路布图设计专有权"),
    series=(Series("赋予所有权", (3, 0)), Series("赋予长期使用权", (1, 1))),
)
MONEY = Chart(
    id="chart-money",
    title="各年度协议定价金额",
    description="2024年 0元；2025年 1082万元。",
    categories=("2024年", "2025年"),
    series=(Series("拟交易价格合计", (0, 10_820_000)),),
)


def drawings() -> list[tuple[Chart, str]]:
    return [
        (MONTHLY, column_chart(MONTHLY)),
        (BY_TYPE, bar_chart(BY_TYPE)),
        (MONEY, column_chart(MONEY, yuan_short)),
    ]


def assert_accessible_svg(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # valid XML, or this raises
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and (title.text or "").strip()
    assert desc is not None and (desc.text or "").strip()
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox")
    # Nothing from outside: no links, no images, no fonts; fills point only at patterns defined here.
    assert not any(key.endswith("href") for element in root.iter() for key in element.attrib), (
        "an SVG chart must not link to anything"
    )
    assert root.find(f".//{SVG}image") is None and root.find(f".//{SVG}style") is None
    defined = {element.get("id") for element in root.iter(f"{SVG}pattern")}
    used = {
        match for element in root.iter() for match in re.findall(r"url\(#([^)]+)\)", element.get("fill", ""))
    }
    assert used <= defined
    return root


@pytest.mark.parametrize("index", range(3))
def test_charts_are_valid_accessible_svg(index: int) -> None:
    chart, svg = drawings()[index]
    root = assert_accessible_svg(svg)
    assert root.find(f"{SVG}title").text == chart.title  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == chart.description  # type: ignore[union-attr]


def test_each_series_has_its_own_pattern_and_a_legend() -> None:
    root = ET.fromstring(column_chart(MONTHLY))
    texts = [element.text for element in root.iter(f"{SVG}text")]
    for series in MONTHLY.series:
        assert series.name in texts  # the legend names every series
    fills = {rect.get("fill") for rect in root.iter(f"{SVG}rect") if rect.get("width") != "6"}
    # Four series: a solid fill and three patterns, so they stay apart in black and white.
    assert len({fill for fill in fills if fill and (fill.startswith("url(") or fill == FILLS[0].colour)}) == 4
    assert len(list(root.iter(f"{SVG}pattern"))) == 3


def test_totals_are_written_beside_the_bars() -> None:
    root = ET.fromstring(column_chart(MONEY, yuan_short))
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "1082万元" in texts and "0元" in texts
    bars = ET.fromstring(bar_chart(BY_TYPE))
    labels = [element.text for element in bars.iter(f"{SVG}text")]
    assert {"专利权", "集成电路布图设计专有权", "4", "1"} <= set(labels)


def test_a_single_series_needs_no_legend() -> None:
    root = ET.fromstring(column_chart(MONEY, yuan_short))
    assert "拟交易价格合计" not in [element.text for element in root.iter(f"{SVG}text")]


def test_table_rows_carry_the_same_numbers() -> None:
    rows = table_rows(BY_TYPE)
    assert rows == [("专利权", ["3", "1"], "4"), ("集成电路布图设计专有权", ["0", "1"], "1")]
    assert BY_TYPE.totals() == (4, 1)
    assert not BY_TYPE.is_empty()
    assert Chart("x", "t", "d", ("a",), (Series("s", (0,)),)).is_empty()


def test_text_is_escaped() -> None:
    chart = Chart("x", "<script>&", "a < b", ("<b>",), (Series("s", (1,)),))
    root = assert_accessible_svg(column_chart(chart))
    assert root.find(f"{SVG}title").text == "<script>&"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("largest", "step"), [(0, 1), (1, 1), (3, 1), (7, 2), (12, 5), (10_820_000, 5_000_000)]
)
def test_axis_steps_are_round(largest: int, step: int) -> None:
    assert nice_step(largest) == step


def test_the_report_pages_carry_valid_charts() -> None:
    result = check_portal(REPO, EXAMPLE_DATE)
    portal = build_portal(result.catalog, EXAMPLE_DATE)
    pages = {page.src_uri: page for page in Renderer(portal, "https://example.cn/", REPO).engine_pages()}
    body = pages["statistics/policies/hubei-2023/2024/index.md"].body_html
    svgs = re.findall(r"<svg\b.*?</svg>", body, flags=re.DOTALL)
    assert len(svgs) == 3
    titles = [assert_accessible_svg(svg).find(f"{SVG}title").text for svg in svgs]  # type: ignore[union-attr]
    assert titles == [
        "2024年赋权成果（按成果类型和赋权方式）",
        "2024年各月公示数量（按公示类型）",
        "湖北省各年度协议定价金额",
    ]
    ids = re.findall(r'\bid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), "ids must be unique on the page"
