"""The supervisors' figures, checked against the example portal counted a second way: straight
from the YAML files with PyYAML and a few lines of arithmetic, sharing no code with
generator/statistics.py. Then the edge cases, on tiny record trees."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.check import check_portal
from generator.portal import Portal, build_portal
from generator.statistics import FigureCache, Report, figures_by_year, report, reports, scope_years, scopes
from tests.conftest import append, write

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_DATE = date(2025, 9, 22)


# --- the records, read a second way ------------------------------------------------------------


def load(folder: str) -> list[dict[str, Any]]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted((REPO / folder).rglob("*.yml"))
    ]


@pytest.fixture(scope="module")
def records() -> dict[str, list[dict[str, Any]]]:
    return {folder: load(folder) for folder in ("policies", "institutions", "achievements", "notices")}


@pytest.fixture(scope="module")
def example() -> Portal:
    result = check_portal(REPO, EXAMPLE_DATE)
    assert result.passes()
    return build_portal(result.catalog, EXAMPLE_DATE)


@pytest.fixture(scope="module")
def example_reports(example: Portal) -> dict[tuple[str, str, int], Report]:
    return {(item.scope.kind, item.scope.key, item.year): item for item in reports(example)}


def grant_year(achievement: dict[str, Any], today: date) -> int | None:
    """The year a grant took effect: the first agreement or change of rights, not after today."""
    if not achievement.get("grant"):
        return None
    days = [
        event["date"]
        for event in achievement.get("history", [])
        if event["event"] in ("agreement_signed", "rights_transferred")
    ]
    return min(days).year if days and min(days) <= today else None


def where_it_stands(notice: dict[str, Any], today: date) -> str:
    if notice.get("outcome"):
        return str(notice["outcome"]["result"])
    if today < notice["period"]["start"]:
        return "scheduled"
    return "open" if today <= notice["period"]["end"] else "closed"


def expected_figures(
    records: dict[str, list[dict[str, Any]]], units: set[str], year: int, today: date
) -> dict[str, Any]:
    achievements = [a for a in records["achievements"] if a["institution"] in units]
    notices = [n for n in records["notices"] if n["institution"] in units]
    granted = [a for a in achievements if grant_year(a, today) == year]
    started = [n for n in notices if n["period"]["start"].year == year]
    deals = [
        n
        for n in started
        if n["kind"] == "negotiated_price"
        and where_it_stands(n, today) not in ("withdrawn", "objection_upheld")
    ]
    transfers = [
        event
        for a in achievements
        for event in a.get("history", [])
        if event["event"] == "transformed" and event["date"].year == year and event["date"] <= today
    ]
    rewards = [
        n
        for n in notices
        if n["kind"] == "reward"
        and n.get("outcome")
        and n["outcome"]["result"] not in ("withdrawn", "objection_upheld")
        and n["outcome"]["date"].year == year
    ]
    return {
        "granted": sorted(a["id"] for a in granted),
        "granted_by_type": Counter(a["type"] for a in granted),
        "granted_by_mode": Counter(a["grant"]["mode"] for a in granted),
        "team_shares": Counter(
            a["grant"]["team_share"] for a in granted if a["grant"]["mode"] == "ownership"
        ),
        "licenses": Counter(
            a["grant"].get("license") for a in granted if a["grant"]["mode"] == "long_term_use"
        ),
        "notices": sorted(n["id"] for n in started),
        "notices_by_kind_and_outcome": Counter((n["kind"], where_it_stands(n, today)) for n in started),
        "notices_by_month": Counter((n["kind"], n["period"]["start"].month) for n in started),
        "objections": sorted(
            n["id"]
            for n in started
            if n.get("outcome") and n["outcome"]["result"] in ("objections_resolved", "objection_upheld")
        ),
        "deals": (len(deals), sum(n["deal"]["price_yuan"] for n in deals)),
        "transfers": (len(transfers), sum(event.get("amount_yuan") or 0 for event in transfers)),
        "rewards": (len(rewards), sum(n["reward"]["team_total_yuan"] for n in rewards)),
        "reward_cash": sum(
            r["yuan"] for n in rewards for r in n["reward"]["recipients"] if r["form"] == "cash"
        ),
        "reward_equity": sum(
            r["yuan"] for n in rewards for r in n["reward"]["recipients"] if r["form"] == "equity"
        ),
    }


def reported_figures(report: Report) -> dict[str, Any]:
    figures = report.figures
    return {
        "granted": sorted(item.achievement.id for item in figures.granted),
        "granted_by_type": Counter({k: v for k, v in figures.granted_by_type().items() if v}),
        "granted_by_mode": Counter({k: v for k, v in figures.granted_by_mode().items() if v}),
        "team_shares": Counter(dict(figures.ownership_by_team_share())),
        "licenses": Counter(
            {
                (None if k == "unspecified" else k): v
                for k, v in figures.long_term_use_by_license().items()
                if v
            }
        ),
        "notices": sorted(view.id for view in figures.notices),
        "notices_by_kind_and_outcome": Counter(
            {
                (kind, outcome): count
                for kind, row in figures.notices_by_kind_and_outcome().items()
                for outcome, count in row.items()
                if count
            }
        ),
        "notices_by_month": Counter(
            {
                (kind, month): count
                for kind, months in figures.notices_by_month().items()
                for month, count in enumerate(months, start=1)
                if count
            }
        ),
        "objections": sorted(view.id for view in figures.objections()),
        "deals": (figures.deal_total().count, figures.deal_total().yuan),
        "transfers": (figures.transfer_total().count, figures.transfer_total().yuan),
        "rewards": (figures.reward_total().count, figures.reward_total().yuan),
        "reward_cash": figures.reward_by_form()["cash"],
        "reward_equity": figures.reward_by_form()["equity"],
    }


def scope_units(records: dict[str, list[dict[str, Any]]], kind: str, key: str) -> set[str]:
    institutions = records["institutions"]
    if kind == "portal":
        return {i["id"] for i in institutions}
    if kind == "policy":
        return {i["id"] for i in institutions if i["policy"] == key}
    return {key}


# --- the example portal ----------------------------------------------------------------------------


def test_every_report_matches_the_records_counted_independently(
    records: dict[str, list[dict[str, Any]]], example_reports: dict[tuple[str, str, int], Report]
) -> None:
    assert len(example_reports) >= 10
    for (kind, key, year), each in example_reports.items():
        expected = expected_figures(records, scope_units(records, kind, key), year, EXAMPLE_DATE)
        assert reported_figures(each) == expected, (kind, key, year)


def test_the_units_of_a_report_add_up_to_its_totals(
    example_reports: dict[tuple[str, str, int], Report],
) -> None:
    for each in example_reports.values():
        units = [unit.figures for unit in each.units]
        assert sum(len(figures.granted) for figures in units) == len(each.figures.granted)
        assert sum(len(figures.notices) for figures in units) == len(each.figures.notices)
        assert sum(figures.deal_total().yuan for figures in units) == each.figures.deal_total().yuan
        assert sum(figures.transfer_total().yuan for figures in units) == each.figures.transfer_total().yuan
        assert sum(figures.reward_total().yuan for figures in units) == each.figures.reward_total().yuan


def test_the_example_figures(example_reports: dict[tuple[str, str, int], Report]) -> None:
    """The example as the README shows it on 2025-09-22: written out, so a change is seen."""
    everyone_2024 = example_reports["portal", "all", 2024].figures
    everyone_2025 = example_reports["portal", "all", 2025].figures
    assert len(everyone_2024.granted) == 12
    assert everyone_2024.granted_by_mode() == {"ownership": 7, "long_term_use": 5}
    assert len(everyone_2025.granted) == 0  # 2025's grant notices are open or await their outcome
    assert len(everyone_2024.notices) == 10 and len(everyone_2025.notices) == 24
    assert len(everyone_2024.objections()) == 3
    assert (everyone_2025.deal_total().count, everyone_2025.deal_total().yuan) == (9, 10_820_000)
    # Of which concluded by 2025-09-22; the rest are open (2), closed awaiting a result (1), or to come (1).
    concluded = everyone_2025.deal_concluded_total()
    assert (concluded.count, concluded.yuan) == (5, 6_330_000)
    assert (everyone_2025.transfer_total().count, everyone_2025.transfer_total().yuan) == (11, 11_790_000)
    assert (everyone_2025.reward_total().count, everyone_2025.reward_total().yuan) == (3, 2_438_000)
    assert [
        len(example_reports["institution", unit, 2024].figures.granted)
        for unit in ("gnas", "gnit", "hbaat", "jhust")
    ] == [
        3,
        4,
        2,
        3,
    ]


def test_grant_notices_are_linked_in_the_list(example_reports: dict[tuple[str, str, int], Report]) -> None:
    listed = {
        item.achievement.id: item.notice for item in example_reports["portal", "all", 2024].figures.granted
    }
    assert all(notice is not None for notice in listed.values())
    assert listed["gnas-2024-003"] is not None and listed["gnas-2024-003"].id == "gnas-2024-n02"


def test_pilot_ends_match_approval_plus_pilot_years(
    records: dict[str, list[dict[str, Any]]], example_reports: dict[tuple[str, str, int], Report]
) -> None:
    years = {p["id"]: p["pilot_years"] for p in records["policies"]}
    for institution in records["institutions"]:
        approved: date = institution["pilot_approved_on"]
        expected = approved.replace(year=approved.year + years[institution["policy"]]) - timedelta(days=1)
        (unit,) = example_reports["institution", institution["id"], 2024].units
        assert unit.institution.pilot_end == expected


def test_years_run_from_each_pilot_to_today(example: Portal) -> None:
    by_key = {(scope.kind, scope.key): scope_years(example, scope) for scope in scopes(example)}
    assert by_key["institution", "jhust"] == (2023, 2024, 2025)  # approved 2023-12-20
    assert by_key["institution", "gnas"] == (2024, 2025)
    assert by_key["portal", "all"] == (2023, 2024, 2025)


# --- edge cases on tiny trees ---------------------------------------------------------------------

LONG_TERM_USE = """
    id: gnas-2014-00{n}
    institution: gnas
    title: 长期使用权成果{n}
    type: software_copyright
    rights: [{{kind: software_copyright, number: 2014SR00{n}0000}}]
    funding: fiscal
    team:
      - {{name: 张三, role: lead, share: 100}}
    grant: {{mode: long_term_use, years: 10, license: {license}, starts_on: {starts}}}
    incentive: grant_first
    history:
      - {{date: {signed}, event: agreement_signed}}
"""


def _portal(root: Path, today: date) -> Portal:
    result = check_portal(root, today)
    assert result.passes(), [problem.key() for problem in result.problems if problem.severity == "error"]
    return build_portal(result.catalog, today)


def test_use_rights_ending_within_twelve_months(portal: Path) -> None:
    today = date(2034, 9, 22)
    cases = {
        1: ("2024-09-22", "sole"),  # ends 2034-09-21: yesterday, already over
        2: ("2024-09-23", "exclusive"),  # ends 2034-09-22: today, the first day of the window
        3: ("2025-09-22", "ordinary"),  # ends 2035-09-21: the last day of the window
        4: ("2025-09-23", "sole"),  # ends 2035-09-22: one day too late
    }
    for n, (starts, license) in cases.items():
        write(
            portal,
            f"achievements/gnas/gnas-2014-00{n}.yml",
            LONG_TERM_USE.format(n=n, starts=starts, license=license, signed=starts),
        )
    example = _portal(portal, today)
    everyone = scopes(example)[0]
    ending = report(example, everyone, 2034).use_rights_ending
    assert [(item.achievement.id, item.ends_on) for item in ending] == [
        ("gnas-2014-002", date(2034, 9, 22)),
        ("gnas-2014-003", date(2035, 9, 21)),
    ]


def test_an_extension_moves_the_end_out_of_the_window(portal: Path) -> None:
    text = LONG_TERM_USE.format(n=2, starts="2024-09-23", license="sole", signed="2024-09-23")
    text += "      - {date: 2034-06-01, event: use_right_extended, years: 5}\n"
    write(portal, "achievements/gnas/gnas-2014-002.yml", text)
    example = _portal(portal, date(2034, 9, 22))
    assert report(example, scopes(example)[0], 2034).use_rights_ending == ()


def test_a_grant_counts_from_its_agreement_not_from_its_notice(portal: Path) -> None:
    """The minimal portal's achievement was noticed and has its grant written, but no agreement
    yet: not granted. Its agreement, signed in the next year, makes it that year's grant."""
    before = _portal(portal, date(2024, 3, 31))
    assert report(before, scopes(before)[0], 2024).figures.granted == ()
    append(portal, "achievements/gnas/gnas-2024-001.yml", "  - {date: 2025-01-06, event: agreement_signed}\n")
    after = _portal(portal, date(2025, 2, 1))
    assert report(after, scopes(after)[0], 2024).figures.granted == ()
    (item,) = report(after, scopes(after)[0], 2025).figures.granted
    assert (item.achievement.id, item.granted_on) == ("gnas-2024-001", date(2025, 1, 6))
    assert item.notice is not None and item.notice.id == "gnas-2024-n01"


DEAL = """
    id: gnas-2024-n{n}
    institution: gnas
    kind: negotiated_price
    title: 协议定价公示{n}
    period: {{start: 2024-05-06, end: 2024-05-31}}
    achievements: [gnas-2024-001]
    deal: {{mode: license, counterparty: 某公司, counterparty_type: private, price_yuan: {price}, pricing: negotiated, asset_evaluation: waived}}
    objections: {{department: 科技处, phone: "0797-8888888"}}
    {outcome}
"""


def test_withdrawn_and_upheld_deals_are_not_counted(portal: Path) -> None:
    outcomes = {
        2: (100_000, "outcome: {result: no_objection, date: 2024-06-01}"),
        3: (200_000, "outcome: {result: withdrawn, date: 2024-05-10}"),
        4: (400_000, "outcome: {result: objection_upheld, date: 2024-06-03}"),
        5: (800_000, ""),  # still awaiting its outcome: counted, the price is what was noticed
    }
    for n, (price, outcome) in outcomes.items():
        write(
            portal,
            f"notices/gnas/2024/gnas-2024-n0{n}.yml",
            DEAL.format(n=f"0{n}", price=price, outcome=outcome),
        )
    example = _portal(portal, date(2024, 7, 1))
    figures = report(example, scopes(example)[0], 2024).figures
    assert (figures.deal_total().count, figures.deal_total().yuan) == (2, 900_000)
    assert [view.id for view in figures.objections()] == ["gnas-2024-n04"]
    assert figures.notices_by_kind_and_outcome()["negotiated_price"] == {
        "no_objection": 1,
        "objections_resolved": 0,
        "objection_upheld": 1,
        "withdrawn": 1,
        "open": 0,
        "closed": 1,
        "scheduled": 0,
    }


REWARD = """
    id: gnas-2024-n09
    institution: gnas
    kind: reward
    title: 奖励公示
    period: {start: 2024-12-16, end: 2024-12-31}
    achievements: [gnas-2024-002]
    reward:
      net_income_yuan: 1000000
      team_total_yuan: 800000
      recipients:
        - {name: 王五, yuan: 500000, form: cash}
        - {name: 赵六, yuan: 300000, form: equity}
    objections: {department: 科技处, phone: "0797-8888888"}
    outcome: {result: no_objection, date: 2025-01-02}
"""
TRANSFORM_FIRST = """
    id: gnas-2024-002
    institution: gnas
    title: 稀土尾矿生态修复技术
    type: technical_secret
    funding: fiscal
    team:
      - {name: 王五, role: lead, share: 70}
      - {name: 赵六, share: 30}
    incentive: transform_first
    history:
      - {date: 2024-11-20, event: transformed, mode: transfer, amount_yuan: 1200000}
"""


def test_a_reward_belongs_to_the_year_it_concluded(portal: Path) -> None:
    write(portal, "achievements/gnas/gnas-2024-002.yml", TRANSFORM_FIRST)
    write(portal, "notices/gnas/2024/gnas-2024-n09.yml", REWARD)
    example = _portal(portal, date(2025, 2, 1))
    everyone = scopes(example)[0]
    in_2024, in_2025 = report(example, everyone, 2024).figures, report(example, everyone, 2025).figures
    assert in_2024.rewards == () and [view.id for view in in_2024.notices][-1] == "gnas-2024-n09"
    assert (in_2025.reward_total().count, in_2025.reward_total().yuan) == (1, 800_000)
    assert in_2025.reward_by_form() == {"cash": 500_000, "equity": 300_000}
    assert in_2025.reward_net_income() == 1_000_000
    assert (in_2024.transfer_total().count, in_2024.transfer_total().yuan) == (1, 1_200_000)
    assert in_2024.transfers_by_mode()["transfer"] == in_2024.transfer_total()


# --- long lists in reports of several units ------------------------------------------------------

# The report's row lists: the section each is in, and how many rows its figures give.
LISTS = {
    "granted-list": lambda item: item.figures.granted,
    "objections": lambda item: item.figures.objections(),
    "deals": lambda item: item.figures.deals(),
    "transfers": lambda item: item.figures.transfers,
    "rewards": lambda item: item.figures.rewards,
    "use-rights": lambda item: item.use_rights_ending,
}


def listed_rows(html: str, section: str) -> int:
    """The rows of the list table in the section that starts at the heading with this id."""
    start = html.index(f'id="{section}"')
    end = html.find("<h2", start + 1)
    part = html[start : end if end >= 0 else len(html)]
    lists = part.split('class="portal-table portal-report__list"')[1:]
    return sum(table.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") for table in lists)


def report_pages(example: Portal, rows: int) -> dict[str, str]:
    from generator import statistics_pages
    from generator.render import Renderer

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(statistics_pages, "REPORT_LIST_ROWS", rows)
        renderer = Renderer(example, "https://example.cn/", REPO)
        return {page.src_uri: page.body_html for page in statistics_pages.statistics_pages(renderer)}


def test_a_report_of_several_units_lists_the_first_rows_and_says_where_the_rest_are(
    example: Portal, example_reports: dict[tuple[str, str, int], Report]
) -> None:
    from generator.statistics_paths import report_source

    pages = report_pages(example, rows=2)
    cut = 0
    for item in example_reports.values():
        html = pages[report_source(item.scope, item.year)]
        several = len(item.units) > 1
        for section, rows_of in LISTS.items():
            total = len(rows_of(item))
            shown = min(total, 2) if several else total
            assert listed_rows(html, section) == shown, (item.scope.key, item.year, section)
            if shown < total:
                cut += 1
                assert f"共 {total} 项，这里列出前 2 项。各单位的完整名单见各单位的年度统计" in html
        sentences = re.findall(r'<p class="portal-report__more">(.*?)</p>', html)
        cut_here = [section for section, rows_of in LISTS.items() if several and len(rows_of(item)) > 2]
        assert len(sentences) == len(cut_here), (item.scope.key, item.year)
        # Only the granted list has a CSV of its own to point to.
        assert sum("granted.csv" in sentence for sentence in sentences) == ("granted-list" in cut_here)
    assert cut >= 5  # the example's own lists run past two rows in reports of several units


def test_the_example_reports_list_every_row(
    example: Portal, example_reports: dict[tuple[str, str, int], Report]
) -> None:
    """No list of the example reaches the limit: its reports are as they were before it."""
    from generator.statistics_pages import REPORT_LIST_ROWS
    from generator.statistics_paths import report_source

    pages = report_pages(example, rows=REPORT_LIST_ROWS)
    for item in example_reports.values():
        html = pages[report_source(item.scope, item.year)]
        assert "portal-report__more" not in html
        for section, rows_of in LISTS.items():
            assert listed_rows(html, section) == len(rows_of(item)), (item.scope.key, item.year, section)


def test_a_group_of_units_has_the_figures_of_its_records_in_the_same_order(example: Portal) -> None:
    """The portal's and each policy's figures are put together from their units' (FigureCache):
    the same items, in the order figures_by_year gives them from the records."""
    figures = FigureCache(example)
    groups = [scope for scope in scopes(example) if len(scope.institutions) > 1]
    assert len(groups) == 3  # the portal and its two policies
    for scope in groups:
        merged, counted = figures.of(scope.institutions), figures_by_year(example, scope.institutions)
        assert list(merged.items()) == list(counted.items())  # the years in order too


def test_a_reports_sentences_say_what_a_supervisor_reads_them_for(example: Portal) -> None:
    """The overview separates deals concluded from deals proposed, a past year's report says how
    many units were in the pilot that year and shows no figure of today, and months that tie for
    the busiest are counted, not listed."""
    pages = report_pages(example, 100)
    text = {uri: re.sub(r"<[^>]+>", "", html) for uri, html in pages.items()}
    (now,) = (page for uri, page in text.items() if uri == "statistics/2025/index.md")
    (past,) = (page for uri, page in text.items() if uri == "statistics/2023/index.md")
    (quiet,) = (page for uri, page in text.items() if uri == "statistics/2024/index.md")
    assert "拟交易价格 1082万元，其中已办结 5 项 633万元" in now
    assert "项长期使用权将到期" in now and "至 2026年9月21日" in now
    assert "2023 年已获批试点的 1 个试点单位（本平台共 4 个）" in past
    assert "项长期使用权将到期" not in past
    assert "最多的是 9 月（10 项）" in now
    assert "有 10 个月各 1 项，为全年最多" in quiet
