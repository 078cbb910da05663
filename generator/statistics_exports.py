"""The statistics as CSV, written after the build beside each report page, and the named figures
that both the CSV columns and the pages' comparison of units read, so the two never disagree.

Files (permanent addresses, listed on the statistics index page):
- `statistics/units.csv`: one row per unit and year, every figure as a column;
- `<report folder>/report.csv`: the rows of the units in that report's scope, for its year;
- `<report folder>/granted.csv`: that report's list of granted achievements (赋权成果名单).

Written like the open-data CSVs (generator/exports.py): UTF-8 with a byte-order mark so Excel
keeps the Chinese, and a cell that starts like a formula (= + - @) neutralised with a quote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from generator.build_cache import BuildCache, fragments_of
from generator.exports import Column, Table, table_bytes
from generator.feeds import permalink
from generator.fragments import Fragments
from generator.models import vocabulary
from generator.portal import Portal
from generator.statistics import (
    OUTCOME_COLUMNS,
    GrantedAchievement,
    Report,
    UnitFigures,
    UseRightEnding,
    YearFigures,
    reports,
)
from generator.statistics_keys import report_text
from generator.statistics_paths import GRANTED_CSV, REPORT_CSV, UNITS_CSV, report_folder

FigureValue = Callable[[YearFigures, tuple[UseRightEnding, ...]], int]


@dataclass(frozen=True)
class Figure:
    """One number a unit reports for a year: a CSV column, and a row where units are compared."""

    name: str  # the CSV column; names ending in _yuan are money (integer yuan)
    label: str  # short Chinese label for the comparison table
    description: str  # what it counts, for the documentation of the CSV
    value: FigureValue
    headline: bool = False  # shown in the comparison of units on the report pages

    @property
    def is_money(self) -> bool:
        return self.name.endswith("_yuan")


def _figures() -> list[Figure]:
    types = vocabulary.ACHIEVEMENT_TYPES
    licenses = vocabulary.LICENSES
    kinds = vocabulary.NOTICE_KINDS
    items = [
        Figure(
            "granted",
            "赋权成果（项）",
            "当年生效的赋权成果数（以首次签署赋权协议或办理权属变更的日期为准）",
            lambda f, _: len(f.granted),
            headline=True,
        ),
        Figure(
            "granted_ownership",
            "其中赋予所有权",
            "其中赋予所有权的",
            lambda f, _: f.granted_by_mode()["ownership"],
            headline=True,
        ),
        Figure(
            "granted_long_term_use",
            "其中赋予长期使用权",
            "其中赋予长期使用权的",
            lambda f, _: f.granted_by_mode()["long_term_use"],
            headline=True,
        ),
    ]
    items += [
        Figure(f"granted_{key}", f"赋权成果：{label}", f"赋权成果中{label}的数量", _granted_of_type(key))
        for key, label in types.items()
    ]
    items += [
        Figure(
            f"long_term_use_{key}",
            f"长期使用权：{label}",
            f"赋予长期使用权中{label}的数量",
            _use_of_license(key),
        )
        for key, label in licenses.items()
    ]
    items.append(
        Figure(
            "notices",
            "公示（项）",
            "当年开始的公示数（含尚未开始的已发布公示）",
            lambda f, _: len(f.notices),
            headline=True,
        )
    )
    items += [
        Figure(f"notices_{key}", f"公示：{label}", f"当年开始的{label}数量", _notices_of_kind(key))
        for key, label in kinds.items()
    ]
    items += [
        Figure(
            f"notices_{key}",
            f"公示结果：{label}",
            f"当年开始、结果或状态为“{label}”的公示数",
            _notices_with(key),
        )
        for key, label in OUTCOME_COLUMNS.items()
    ]
    items += [
        Figure(
            "objections",
            "收到异议的公示（项）",
            "当年开始、收到异议的公示数（结果为异议已处理或异议成立）",
            lambda f, _: len(f.objections()),
            headline=True,
        ),
        Figure(
            "objections_resolved",
            "异议已处理",
            "其中异议已处理、不影响公示事项的",
            lambda f, _: f.objections_by_result()["objections_resolved"],
        ),
        Figure(
            "objections_upheld",
            "异议成立",
            "其中异议成立、公示事项不予实施的",
            lambda f, _: f.objections_by_result()["objection_upheld"],
        ),
        Figure(
            "deals",
            "协议定价（项）",
            "当年开始的协议定价公示数（不含撤回和异议成立的）",
            lambda f, _: f.deal_total().count,
            headline=True,
        ),
        Figure(
            "deal_value_yuan",
            "协议定价金额",
            "上述协议定价公示的拟交易价格合计（元）",
            lambda f, _: f.deal_total().yuan,
            headline=True,
        ),
        Figure(
            "transfers",
            "转化（项）",
            "成果历史中当年的转化事件数（转让、许可、作价投资）",
            lambda f, _: f.transfer_total().count,
            headline=True,
        ),
        Figure(
            "transfer_amount_yuan",
            "转化金额",
            "上述转化事件载明的合同金额合计（元）",
            lambda f, _: f.transfer_total().yuan,
            headline=True,
        ),
        Figure(
            "rewards",
            "奖励公示（项）",
            "当年办结且奖励得以实施的奖励公示数（按结果日期，不含撤回和异议成立的）",
            lambda f, _: f.reward_total().count,
            headline=True,
        ),
        Figure(
            "reward_team_yuan",
            "团队奖励金额",
            "上述奖励公示的团队奖励总额合计（元）",
            lambda f, _: f.reward_total().yuan,
            headline=True,
        ),
        Figure(
            "reward_cash_yuan", "其中现金", "其中以现金发放的（元）", lambda f, _: f.reward_by_form()["cash"]
        ),
        Figure(
            "reward_equity_yuan",
            "其中股权",
            "其中以股权形式给予的（折算金额，元）",
            lambda f, _: f.reward_by_form()["equity"],
        ),
        Figure(
            "reward_net_income_yuan",
            "转化净收入",
            "上述奖励公示载明的转化净收入合计（元）",
            lambda f, _: f.reward_net_income(),
        ),
        Figure(
            "use_rights_ending",
            "12个月内到期的长期使用权（项）",
            "自数据生成之日起 12 个月内到期的长期使用权数（不分年度，按数据生成当日计算）",
            lambda _, ending: len(ending),
            headline=True,
        ),
    ]
    return items


def _granted_of_type(key: str) -> FigureValue:
    return lambda f, _: f.granted_by_type()[key]


def _use_of_license(key: str) -> FigureValue:
    return lambda f, _: f.long_term_use_by_license()[key]


def _notices_of_kind(key: str) -> FigureValue:
    return lambda f, _: f.notices_by_kind()[key]


def _notices_with(key: str) -> FigureValue:
    return lambda f, _: sum(row[key] for row in f.notices_by_kind_and_outcome().values())


FIGURES = _figures()


def unit_columns(today: str) -> list[Column[UnitFigures]]:
    """The columns of units.csv and of each report.csv."""
    identity: list[Column[UnitFigures]] = [
        Column("year", "年度", lambda u: u.figures.year),
        Column("institution", "单位编号", lambda u: u.institution.id),
        Column("institution_name", "单位名称", lambda u: u.institution.record.name),
        Column("policy", "适用政策编号", lambda u: u.institution.policy.id),
        Column(
            "pilot_approved_on", "试点获批日期", lambda u: u.institution.record.pilot_approved_on.isoformat()
        ),
        Column("pilot_end", "试点期结束日期（推算）", lambda u: u.institution.pilot_end.isoformat()),
    ]
    numbers = [Column(figure.name, figure.description, _unit_value(figure)) for figure in FIGURES]
    as_of: Column[UnitFigures] = Column(
        "as_of", "数据截至日期（北京时间）；当年数字为截至该日的累计", lambda _: today
    )
    return [*identity, *numbers, as_of]


def _unit_value(figure: Figure) -> Callable[[UnitFigures], int]:
    return lambda unit: figure.value(unit.figures, unit.use_rights_ending)


def granted_columns(site_url: str) -> list[Column[GrantedAchievement]]:
    """The columns of granted.csv: the list of granted achievements (赋权成果名单)."""

    def grant_value(item: GrantedAchievement, key: str) -> Any:
        grant = item.achievement.record.grant
        value = getattr(grant, key, None)
        return value.isoformat() if isinstance(value, date) else value

    return [
        Column(
            "granted_on", "赋权生效日期（首次签署赋权协议或办理权属变更）", lambda i: i.granted_on.isoformat()
        ),
        Column("achievement", "成果编号", lambda i: i.achievement.id),
        Column("title", "成果名称", lambda i: i.achievement.record.title),
        Column("institution", "单位编号", lambda i: i.achievement.record.institution),
        Column("institution_name", "单位名称", lambda i: i.achievement.institution.name),
        Column("type", "成果类型代码", lambda i: i.achievement.record.type),
        Column(
            "type_label",
            "成果类型（中文）",
            lambda i: vocabulary.ACHIEVEMENT_TYPES[i.achievement.record.type],
        ),
        Column("grant_mode", "赋权方式代码（ownership、long_term_use）", lambda i: grant_value(i, "mode")),
        Column(
            "grant_mode_label",
            "赋权方式（中文）",
            lambda i: vocabulary.GRANT_MODES[grant_value(i, "mode")],
        ),
        Column("team_share", "团队所有权比例（%，仅所有权）", lambda i: grant_value(i, "team_share")),
        Column("years", "长期使用权年限（仅长期使用权）", lambda i: grant_value(i, "years")),
        Column("license", "许可类型代码（ordinary、exclusive、sole）", lambda i: grant_value(i, "license")),
        Column("starts_on", "长期使用权起始日期", lambda i: grant_value(i, "starts_on")),
        Column(
            "use_right_end",
            "长期使用权终止日期（含续期，推算）",
            lambda i: i.achievement.use_right_end.isoformat() if i.achievement.use_right_end else None,
        ),
        Column("notice", "赋权公示编号", lambda i: i.notice.id if i.notice else None),
        Column("url", "成果页面网址", lambda i: permalink(site_url, f"achievements/{i.achievement.id}.md")),
    ]


def statistics_tables(site_url: str, today: str) -> list[Table[Any]]:
    """The statistics CSV files whose columns the statistics index page documents. Each
    report.csv has the columns of units.csv, for the units and year of its page."""
    return [
        Table(
            UNITS_CSV,
            "各单位年度统计",
            f"每个试点单位每个年度一行，各项统计数字各占一列。每个统计页面文件夹中的 {REPORT_CSV} 列相同，只含该页范围内各单位该年度的行。",
            unit_columns(today),
        ),
        Table(
            GRANTED_CSV,
            "赋权成果名单",
            "在每个统计页面的文件夹中：该页范围内该年度赋权生效的成果，每项一行。",
            granted_columns(site_url),
        ),
    ]


def units_rows(all_reports: list[Report]) -> list[UnitFigures]:
    """Every unit's row of every year: the rows of the single-unit reports, by unit then year."""
    rows = [unit for report in all_reports if report.scope.kind == "institution" for unit in report.units]
    return sorted(rows, key=lambda unit: (unit.institution.id, unit.figures.year))


def statistics_files(portal: Portal, site_url: str, fragments: Fragments | None = None) -> dict[str, bytes]:
    """Every statistics CSV. With `fragments`, the two files beside a report page are kept by
    what the page is kept by (statistics_keys.py): most reports are the same from build to build."""
    fragments = fragments or Fragments(None)
    all_reports = reports(portal)
    today = portal.today.isoformat()
    files = {UNITS_CSV: _csv(unit_columns(today), units_rows(all_reports))}
    for report in all_reports:
        folder = report_folder(report.scope, report.year)
        text = report_text(portal, report) if fragments.keeps else ""
        # The day is in the report (and in its key), the site's address only in the granted list.
        files[f"{folder}/{REPORT_CSV}"] = fragments.get(
            f"{REPORT_CSV}\0{text}", partial(_csv, unit_columns(today), report.units)
        )
        files[f"{folder}/{GRANTED_CSV}"] = fragments.get(
            f"{GRANTED_CSV}\0{site_url}\0{text}",
            partial(_csv, granted_columns(site_url), report.figures.granted),
        )
    fragments.save()
    return files


def write_statistics(portal: Portal, site_dir: Path, site_url: str, cache: BuildCache | None = None) -> None:
    """The stage: every statistics CSV, in the folders of the statistics pages."""
    for relative, content in sorted(
        statistics_files(portal, site_url, fragments_of(cache, "statistics-files")).items()
    ):
        path = site_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _csv(columns: list[Column[Any]], rows: Any) -> bytes:
    return table_bytes(Table("", "", "", columns), list(rows))
