"""The statistics CSV files as a spreadsheet user gets them (UTF-8 with BOM, Chinese intact,
formulas neutralised), their numbers against the records counted independently, and the pages
and navigation of the statistics section."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.check import check_portal
from generator.portal import Portal, build_portal
from generator.render import Renderer
from generator.statistics import reports
from generator.statistics_exports import FIGURES, statistics_files, write_statistics
from generator.statistics_pages import statistics_pages
from tests.conftest import write

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_DATE = date(2025, 9, 22)
SITE_URL = "https://notice-portal.example.cn/"


@pytest.fixture(scope="module")
def example() -> Portal:
    return build_portal(check_portal(REPO, EXAMPLE_DATE).catalog, EXAMPLE_DATE)


@pytest.fixture(scope="module")
def files(example: Portal) -> dict[str, bytes]:
    return statistics_files(example, SITE_URL)


def read_csv(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def yaml_records(folder: str) -> list[dict[str, Any]]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((REPO / folder).rglob("*.yml"))
    ]


def test_every_file_is_excel_ready_csv(files: dict[str, bytes]) -> None:
    assert "statistics/units.csv" in files
    assert "statistics/institutions/gnas/2024/report.csv" in files
    assert "statistics/policies/hubei-2023/2024/granted.csv" in files
    assert "statistics/2025/report.csv" in files
    for name, raw in files.items():
        rows = read_csv(raw)
        assert b"\r\n" in raw, name
        if name.endswith("report.csv") or name.endswith("units.csv"):
            assert rows, name


def test_units_csv_has_a_row_per_unit_and_year_with_chinese_intact(files: dict[str, bytes]) -> None:
    rows = read_csv(files["statistics/units.csv"])
    keys = [(row["institution"], row["year"]) for row in rows]
    assert keys == [
        ("gnas", "2024"),
        ("gnas", "2025"),
        ("gnit", "2024"),
        ("gnit", "2025"),
        ("hbaat", "2024"),
        ("hbaat", "2025"),
        ("jhust", "2023"),
        ("jhust", "2024"),
        ("jhust", "2025"),
    ]
    names = {row["institution"]: row["institution_name"] for row in rows}
    assert names["gnas"] == "赣南科学院（示例）" and names["hbaat"] == "湖北省农业技术研究院（示例）"
    assert {row["as_of"] for row in rows} == {"2025-09-22"}
    assert list(rows[0])[-1] == "as_of"
    assert [figure.name for figure in FIGURES] == [
        name for name in rows[0] if name in {f.name for f in FIGURES}
    ]


def test_units_csv_numbers_match_the_records(files: dict[str, bytes]) -> None:
    """Granted, notices, deals and transfers per unit and year, counted from the YAML files."""
    achievements, notices = yaml_records("achievements"), yaml_records("notices")
    rows = {(row["institution"], int(row["year"])): row for row in read_csv(files["statistics/units.csv"])}
    for (unit, year), row in rows.items():
        granted = [
            a
            for a in achievements
            if a["institution"] == unit
            and a.get("grant")
            and min(
                (e["date"] for e in a["history"] if e["event"] in ("agreement_signed", "rights_transferred")),
                default=date.max,
            ).year
            == year
        ]
        started = [n for n in notices if n["institution"] == unit and n["period"]["start"].year == year]
        deals = [
            n
            for n in started
            if n["kind"] == "negotiated_price"
            and (n.get("outcome") or {}).get("result") not in ("withdrawn", "objection_upheld")
        ]
        transfers = [
            e
            for a in achievements
            if a["institution"] == unit
            for e in a.get("history", [])
            if e["event"] == "transformed" and e["date"].year == year
        ]
        assert int(row["granted"]) == len(granted), (unit, year)
        assert int(row["granted_ownership"]) == sum(a["grant"]["mode"] == "ownership" for a in granted)
        assert int(row["notices"]) == len(started)
        assert int(row["notices_negotiated_price"]) == sum(n["kind"] == "negotiated_price" for n in started)
        assert int(row["deals"]) == len(deals)
        assert int(row["deal_value_yuan"]) == sum(n["deal"]["price_yuan"] for n in deals)
        assert int(row["transfers"]) == len(transfers)
        assert int(row["transfer_amount_yuan"]) == sum(e["amount_yuan"] for e in transfers)


def test_a_policy_report_csv_has_its_units_side_by_side(files: dict[str, bytes]) -> None:
    rows = read_csv(files["statistics/policies/ganzhou-2023/2024/report.csv"])
    assert [(row["institution"], row["policy"], row["year"]) for row in rows] == [
        ("gnas", "ganzhou-2023", "2024"),
        ("gnit", "ganzhou-2023", "2024"),
    ]
    assert sum(int(row["granted"]) for row in rows) == 7


def test_granted_csv_is_the_list_of_granted_achievements(files: dict[str, bytes]) -> None:
    rows = read_csv(files["statistics/2024/granted.csv"])
    assert len(rows) == 12
    first = rows[0]
    assert first["achievement"] == "hbaat-2024-001" and first["granted_on"] == "2024-03-27"
    assert first["title"] == "优质晚稻新品种“鄂晚 28”"
    assert first["type_label"] == "植物新品种权" and first["grant_mode_label"] == "赋予所有权"
    assert first["notice"] == "hbaat-2024-n01"
    assert first["url"] == f"{SITE_URL}achievements/hbaat-2024-001/"
    assert [row["granted_on"] for row in rows] == sorted(row["granted_on"] for row in rows)
    assert read_csv(files["statistics/2025/granted.csv"]) == []


def test_cells_that_look_like_formulas_are_neutralised(portal: Path) -> None:
    write(
        portal,
        "achievements/gnas/gnas-2024-001.yml",
        (portal / "achievements/gnas/gnas-2024-001.yml")
        .read_text(encoding="utf-8")
        .replace("title: 一种离子型稀土矿绿色高效提取方法", 'title: "=HYPERLINK(\\"http://x\\")稀土"')
        + "  - {date: 2024-03-25, event: agreement_signed}\n",
    )
    today = date(2024, 4, 1)
    result = check_portal(portal, today)
    assert result.passes()
    files = statistics_files(build_portal(result.catalog, today), SITE_URL)
    (row,) = read_csv(files["statistics/institutions/gnas/2024/granted.csv"])
    assert row["title"] == '\'=HYPERLINK("http://x")稀土'


def test_the_same_records_give_the_same_bytes(example: Portal, files: dict[str, bytes]) -> None:
    assert statistics_files(example, SITE_URL) == files


def test_the_stage_writes_every_file(example: Portal, files: dict[str, bytes], tmp_path: Path) -> None:
    write_statistics(example, tmp_path, SITE_URL)
    written = {path.relative_to(tmp_path).as_posix(): path.read_bytes() for path in tmp_path.rglob("*.csv")}
    assert written == files


# --- the pages and the navigation ------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(example: Portal) -> dict[str, Any]:
    return {page.src_uri: page for page in Renderer(example, SITE_URL, REPO).engine_pages()}


def test_only_the_index_is_in_the_navigation(pages: dict[str, Any]) -> None:
    statistics = {uri: page for uri, page in pages.items() if uri.startswith("statistics/")}
    assert statistics["statistics/index.md"].in_nav
    assert [uri for uri, page in statistics.items() if page.in_nav] == ["statistics/index.md"]
    assert set(statistics) == {
        "statistics/index.md",
        *(f"statistics/{year}/index.md" for year in (2023, 2024, 2025)),
        "statistics/policies/ganzhou-2023/2024/index.md",
        "statistics/policies/ganzhou-2023/2025/index.md",
        *(f"statistics/policies/hubei-2023/{year}/index.md" for year in (2023, 2024, 2025)),
        *(
            f"statistics/institutions/{unit}/{year}/index.md"
            for unit in ("gnas", "gnit", "hbaat")
            for year in (2024, 2025)
        ),
        *(f"statistics/institutions/jhust/{year}/index.md" for year in (2023, 2024, 2025)),
        # Above the reports: each policy's and each unit's years, and the lists of them.
        "statistics/policies/index.md",
        "statistics/institutions/index.md",
        *(f"statistics/policies/{policy}/index.md" for policy in ("ganzhou-2023", "hubei-2023")),
        *(f"statistics/institutions/{unit}/index.md" for unit in ("gnas", "gnit", "hbaat", "jhust")),
    }
    nav = yaml.safe_load(
        (REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1].join(["nav:\n", ""])
    )
    assert {"统计": "statistics/index.md"} in nav["nav"]


def test_the_index_links_every_report(pages: dict[str, Any]) -> None:
    index = pages["statistics/index.md"].body_html
    for uri in pages:
        if re.fullmatch(r"statistics/.+/[0-9]{4}/index\.md", uri):
            assert f'href="../{uri.removesuffix("index.md")}"' in index, uri
    assert 'href="../statistics/units.csv"' in index
    assert 'href="../statistics/policies/"' in index and 'href="../statistics/institutions/"' in index


def test_every_address_above_a_report_is_a_page_listing_its_years(pages: dict[str, Any]) -> None:
    """statistics/institutions/gnas/ lists the unit's years with their headline figures; the
    list above it each unit; a report links back to its unit's years (a reader who cuts an
    address short lands on a page, not a 404)."""
    units = pages["statistics/institutions/index.md"].body_html
    here = "../../statistics/institutions/"  # links are relative to the page's folder
    for unit in ("gnas", "gnit", "hbaat", "jhust"):
        assert f'href="{here}{unit}/"' in units
    assert f'href="{here}gnas/2024/"' in units and f'href="{here}gnas/2023/"' not in units
    gnas = pages["statistics/institutions/gnas/index.md"]
    assert gnas.title == "赣南科学院（示例） 年度统计"
    years = re.findall(r'href="\.\./\.\./\.\./statistics/institutions/gnas/([0-9]{4})/"', gnas.body_html)
    assert years == ["2025", "2024"]
    assert 'href="../../../institutions/gnas/"' in gnas.body_html  # the unit's own page
    assert 'href="../../../statistics/institutions/"' in gnas.body_html  # the list of units
    granted = re.search(r'gnas/2024/">2024 年度</a></th><td class="portal-number">([0-9]+)<', gnas.body_html)
    assert granted is not None and int(granted.group(1)) == 3  # gnas-2024-001 to -003
    policies = pages["statistics/policies/index.md"].body_html
    assert 'href="../../statistics/policies/hubei-2023/2023/"' in policies
    assert 'href="../../statistics/policies/ganzhou-2023/"' in policies
    hubei = pages["statistics/policies/hubei-2023/index.md"].body_html
    assert re.findall(r'policies/hubei-2023/([0-9]{4})/"', hubei) == ["2025", "2024", "2023"]
    report = pages["statistics/institutions/gnas/2024/index.md"].body_html
    assert 'href="../../../../statistics/institutions/gnas/">赣南科学院（示例）</a>' in report


def test_a_report_lists_its_granted_achievements_with_links(pages: dict[str, Any]) -> None:
    body = pages["statistics/institutions/gnas/2024/index.md"].body_html
    for achievement in ("gnas-2024-001", "gnas-2024-002", "gnas-2024-003"):
        assert f'href="../../../../achievements/{achievement}/"' in body
    assert 'href="report.csv"' not in body  # links are relative to the page's folder
    assert 'href="../../../../statistics/institutions/gnas/2024/report.csv"' in body


class Unread:
    """Stands for what a report must not read: any use of it fails."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attribute: str) -> Any:
        raise AssertionError(f"a report read its units' {self.name}")

    def __iter__(self) -> Any:
        raise AssertionError(f"a report read its units' {self.name}")

    def __len__(self) -> int:
        raise AssertionError(f"a report read its units' {self.name}")

    def __bool__(self) -> bool:
        raise AssertionError(f"a report read its units' {self.name}")


def test_a_report_shows_its_units_notices_and_achievements_only_through_its_figures() -> None:
    """A report's key (generator/statistics_keys.py) stands for each unit by its own records,
    not its notices and achievements: its page and files must read those only through the
    report's figures. They are read here with the units' notices and achievements taken away."""

    def reports_made(portal: Portal) -> tuple[list[tuple[str, str]], dict[str, bytes]]:
        pages = [
            (page.src_uri, page.body_html) for page in statistics_pages(Renderer(portal, SITE_URL, REPO))
        ]
        return pages, statistics_files(portal, SITE_URL)

    expected = reports_made(build_portal(check_portal(REPO, EXAMPLE_DATE).catalog, EXAMPLE_DATE))
    portal = build_portal(check_portal(REPO, EXAMPLE_DATE).catalog, EXAMPLE_DATE)
    reports(portal)  # the figures, from the units' notices and achievements
    for unit in portal.institutions.values():
        object.__setattr__(unit, "notices", Unread("notices"))
        object.__setattr__(unit, "achievements", Unread("achievements"))
    assert reports_made(portal) == expected
