"""The statistics section's pages: the index (in the navigation) and one report page per scope
and year (reached from the index). Figures come from generator/statistics.py, charts from
generator/charts.py; this module only chooses what each page shows and hands it to the templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from jinja2 import StrictUndefined
from markupsafe import Markup

from generator.charts import Chart, Series, ValueText, bar_chart, column_chart, table_rows
from generator.formatting import yuan_short
from generator.models import vocabulary
from generator.page_keys import key_text
from generator.statistics import MONTHS, OUTCOME_COLUMNS, Report, Scope, ScopeKind, reports, scopes
from generator.statistics_exports import FIGURES, Figure, statistics_tables
from generator.statistics_keys import report_text
from generator.statistics_paths import (
    GRANTED_CSV,
    INDEX_SOURCE,
    REPORT_CSV,
    STATISTICS_FOLDER,
    UNITS_CSV,
    folder_for,
    kind_folder,
    report_folder,
    report_source,
    scope_folder,
)

if TYPE_CHECKING:  # render imports this module while it renders
    from generator.render import Page, Renderer

SCOPE_LABELS = {"portal": "全部试点单位", "policy": "按政策", "institution": "试点单位"}
# A report of several units (a policy's, the portal's) lists at most this many rows of each list:
# at 50,000 records the portal's yearly report held 15,000 rows (6.7 MB), a page no phone opens
# and no one prints. Each unit's own report lists all of its rows, and the granted list's CSV
# all of the scope's. Two hundred rows a list still made the portal's 2024 report 180,000 pixels
# tall on a 390-pixel phone (five lists of cards): fifty is what a supervisor scans.
REPORT_LIST_ROWS = 50


@dataclass(frozen=True)
class ChartFigure:
    """A chart as a page shows it: the drawing, and the same numbers as a table beside it."""

    chart: Chart
    svg: Markup
    rows: list[tuple[str, list[str], str]]  # category, one value per series, total
    category_heading: str

    @property
    def empty(self) -> bool:
        return self.chart.is_empty()


def chart_figure(
    chart: Chart, draw: Callable[..., str], category_heading: str, value_text: ValueText = str
) -> ChartFigure:
    # Markup: the drawing functions escape every text they put into the SVG.
    svg = Markup(draw(chart, value_text))
    return ChartFigure(chart, svg, table_rows(chart, value_text), category_heading)


def notices_by_month_chart(report: Report) -> ChartFigure:
    by_month = report.figures.notices_by_month()
    chart = Chart(
        id="chart-notices-by-month",
        title=f"{report.year}年各月公示数量（按公示类型）",
        description=_notices_description(report),
        categories=tuple(f"{month}月" for month in MONTHS),
        series=tuple(Series(label, by_month[kind]) for kind, label in vocabulary.NOTICE_KINDS.items()),
    )
    return chart_figure(chart, column_chart, "月份")


def granted_by_type_chart(report: Report) -> ChartFigure:
    table = report.figures.granted_by_type_and_mode()
    types = list(vocabulary.ACHIEVEMENT_TYPES)
    chart = Chart(
        id="chart-granted-by-type",
        title=f"{report.year}年赋权成果（按成果类型和赋权方式）",
        description=_granted_description(report),
        categories=tuple(vocabulary.ACHIEVEMENT_TYPES[kind] for kind in types),
        series=tuple(
            Series(label, tuple(table[kind][mode] for kind in types))
            for mode, label in vocabulary.GRANT_MODES.items()
        ),
    )
    return chart_figure(chart, bar_chart, "成果类型")


def deal_value_chart(report: Report) -> ChartFigure:
    years = [year for year, _ in report.deals_by_year]
    values = tuple(tally.yuan for _, tally in report.deals_by_year)
    listed = "；".join(
        f"{year}年 {yuan_short(tally.yuan)}（{tally.count} 项）" for year, tally in report.deals_by_year
    )
    chart = Chart(
        id="chart-deal-value-by-year",
        title=f"{report.scope.name}各年度协议定价金额",
        description=f"各年度协议定价公示的拟交易价格合计（不含撤回和异议成立的公示）：{listed}。",
        categories=tuple(f"{year}年" for year in years),
        series=(Series("拟交易价格合计", values),),
    )
    return chart_figure(chart, column_chart, "年度", yuan_short)


def _notices_description(report: Report) -> str:
    figures = report.figures
    kinds = "、".join(
        f"{vocabulary.NOTICE_KINDS[kind]} {count} 项"
        for kind, count in figures.notices_by_kind().items()
        if count
    )
    if not figures.notices:
        return f"{report.year}年没有开始的公示。"
    totals = [sum(values) for values in zip(*figures.notices_by_month().values(), strict=True)]
    most = max(totals)
    busiest = [month for month in MONTHS if totals[month - 1] == most]
    # Months that tie are named together (up to three), not the first of them alone.
    if len(busiest) <= 3:
        months = "、".join(f"{month} 月" for month in busiest)
        peak = f"最多的是 {months}（{'各 ' if len(busiest) > 1 else ''}{most} 项）。"
    else:
        peak = f"有 {len(busiest)} 个月各 {most} 项，为全年最多。"
    return f"{report.year}年共开始公示 {len(figures.notices)} 项：{kinds}。{peak}逐月数字见图旁的表格。"


def _granted_description(report: Report) -> str:
    figures = report.figures
    if not figures.granted:
        return f"{report.year}年没有生效的赋权。"
    parts = []
    for kind, modes in figures.granted_by_type_and_mode().items():
        if sum(modes.values()):
            split = "，".join(
                f"{vocabulary.GRANT_MODES[mode]} {count}" for mode, count in modes.items() if count
            )
            parts.append(f"{vocabulary.ACHIEVEMENT_TYPES[kind]} {sum(modes.values())} 项（{split}）")
    return f"{report.year}年赋权生效的成果共 {len(figures.granted)} 项：" + "；".join(parts) + "。"


@dataclass(frozen=True)
class ComparisonRow:
    figure: Figure
    values: list[int]  # one per unit
    total: int


def comparison(report: Report) -> list[ComparisonRow]:
    """The headline figures, one row each, the units side by side and the scope's total last."""
    return [
        ComparisonRow(
            figure,
            [figure.value(unit.figures, unit.use_rights_ending) for unit in report.units],
            figure.value(report.figures, report.use_rights_ending),
        )
        for figure in FIGURES
        if figure.headline
    ]


def report_title(report: Report) -> str:
    return f"{report.scope.name} {report.year} 年度统计"


def statistics_pages(renderer: Renderer) -> Iterator[Page]:
    from generator.render import RECORD_PAGE_HIDES, Page

    portal = renderer.portal
    all_reports = reports(portal)
    by_key = {(item.scope.kind, item.scope.key, item.year): item for item in all_reports}
    all_scopes = scopes(portal)
    years = sorted({item.year for item in all_reports}, reverse=True)
    yield Page(
        INDEX_SOURCE,
        "统计",
        renderer.render(
            "pages/statistics_index.html.j2",
            INDEX_SOURCE,
            years=years,
            scopes=all_scopes,
            reports=by_key,
            folder=report_folder,
            units_csv=UNITS_CSV,
            csv_tables=statistics_tables(renderer.site_url, portal.today.isoformat()),
            scope_labels=SCOPE_LABELS,
            deal_chart=deal_value_chart(by_key["portal", "all", years[0]]) if years else None,
        ),
        in_nav=True,
        hide=("toc",),
    )
    yield from _scope_pages(renderer, all_scopes, by_key, years)
    # A report page's body is kept by the text of all it shows (statistics_keys.py): the report,
    # the reports it may link to, the policies it names. At 50,000 records the 155 report pages
    # took 1.3-2.5 s a build.
    reported = frozenset(by_key)
    shared = key_text(
        (renderer.site_url, sorted(reported), tuple(portal.policies.items())), portal.record_digests
    )
    for report in all_reports:
        source = report_source(report.scope, report.year)
        text = report_text(portal, report) if renderer.report_bodies.keeps else ""
        make = partial(_report_body, renderer, report, source, reported)
        html = renderer.report_bodies.get(f"{source}\0{shared}\0{text}", make).decode("utf-8")
        yield Page(source, report_title(report), html, hide=RECORD_PAGE_HIDES, poured=True)


def _scope_pages(
    renderer: Renderer,
    all_scopes: list[Scope],
    by_key: dict[tuple[ScopeKind, str, int], Report],
    years: list[int],
) -> Iterator[Page]:
    """The pages above the policies' and the units' reports: statistics/policies/ lists every
    policy with its years, statistics/policies/<id>/ one policy's years with their headline
    figures; the same for the units."""
    from generator.render import RECORD_PAGE_HIDES, Page

    context = {"reports": by_key, "folder": report_folder, "scope_folder": scope_folder}
    kinds: tuple[tuple[ScopeKind, str], ...] = (
        ("policy", "各政策（地区）的年度统计"),
        ("institution", "各试点单位的年度统计"),
    )
    for kind, title in kinds:
        listed = [scope for scope in all_scopes if scope.kind == kind]
        # Each one's years that have a report, newest first (a unit's begin with its pilot).
        years_of = {
            scope.key: [year for year in years if (kind, scope.key, year) in by_key] for scope in listed
        }
        source = f"{kind_folder(kind)}/index.md"
        html = renderer.render(
            "pages/statistics_scopes.html.j2",
            source,
            title=title,
            scopes=listed,
            years_of=years_of,
            **context,
        )
        yield Page(source, title, html, hide=RECORD_PAGE_HIDES, poured=True)
        for scope in listed:
            source = f"{scope_folder(kind, scope.key)}/index.md"
            scope_title = f"{scope.name} 年度统计"
            html = renderer.render(
                "pages/statistics_scopes.html.j2",
                source,
                title=scope_title,
                scopes=[scope],
                years_of=years_of,
                parent=(kind_folder(kind) + "/", title),
                **context,
            )
            yield Page(source, scope_title, html, hide=RECORD_PAGE_HIDES, poured=True)


def _report_body(
    renderer: Renderer, report: Report, source: str, reported: frozenset[tuple[str, str, int]]
) -> bytes:
    return renderer.render(
        "pages/statistics_report.html.j2",
        source,
        report=report,
        title=report_title(report),
        folder=report_folder(report.scope, report.year),
        other_years=tuple(year for year, _ in report.deals_by_year),  # the scope's years
        folder_of=report_folder,
        folder_for=folder_for,
        scope_folder=scope_folder,
        outcome_columns=OUTCOME_COLUMNS,
        report_csv=REPORT_CSV,
        granted_csv=GRANTED_CSV,
        statistics_folder=STATISTICS_FOLDER,
        comparison=comparison(report),
        notices_chart=notices_by_month_chart(report),
        granted_chart=granted_by_type_chart(report),
        deal_chart=deal_value_chart(report),
        list_rows=REPORT_LIST_ROWS,
        # A unit has no report for a year before its pilot without activity: not linked.
        reported=reported,
        # Not in the key, and not shown: the page is poured into a shell, which shows them.
        counts=StrictUndefined(name="counts"),
    ).encode("utf-8")
