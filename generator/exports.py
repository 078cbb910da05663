"""Open data: every record with what is derived from it, as JSON and as CSV tables, with the
records' JSON Schemas beside them. Licensed CC BY 4.0.

The CSV files are UTF-8 with a byte-order mark, so Excel opens them with the Chinese intact, and
a cell that starts like a formula (= + - @, tab, carriage return) is prefixed with a single quote
so it stays text (as is one that starts with a quote: dropping one leading quote restores the text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import orjson

from generator.build_cache import BuildCache, fragments_of
from generator.derive import granted_on
from generator.feeds import permalink
from generator.fragments import Fragments
from generator.json_documents import json_document, list_item_bytes
from generator.portal import AchievementView, InstitutionView, NoticeView, Portal
from generator.render import LABELS
from generator.schema_export import schema_documents

DATA_FOLDER = "data"
SCHEMA_FOLDER = f"{DATA_FOLDER}/schemas"
PORTAL_JSON = f"{DATA_FOLDER}/portal.json"
LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UTF8_MARK = "\ufeff".encode()

T = TypeVar("T")
Cell = str | int | float | None


@dataclass(frozen=True)
class Column(Generic[T]):
    name: str
    description: str  # Chinese, shown on the data page
    value: Callable[[T], Cell]


@dataclass(frozen=True)
class Table(Generic[T]):
    file: str  # inside data/
    title: str
    description: str
    columns: Sequence[Column[T]]


def safe_cell(value: Cell) -> str:
    """A cell as text; one that a spreadsheet would read as a formula gets a leading quote, and so
    does one that starts with a quote of its own: dropping one leading quote gives the text back."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith((*FORMULA_STARTS, "'")):
        return "'" + text
    return text


def csv_bytes(rows: Sequence[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _join(values: Sequence[str]) -> str:
    return ";".join(values)


def notice_columns(site_url: str) -> list[Column[NoticeView]]:
    return [
        Column("id", "公示编号", lambda v: v.id),
        Column("institution", "发布单位编号", lambda v: v.record.institution),
        Column("institution_name", "发布单位名称", lambda v: v.institution.name),
        Column("policy", "适用政策编号", lambda v: v.policy.id),
        Column(
            "kind",
            "公示类型代码（ownership_grant、long_term_use_grant、negotiated_price、reward）",
            lambda v: v.record.kind,
        ),
        Column("kind_label", "公示类型（中文）", lambda v: LABELS["notice_kinds"][v.record.kind]),
        Column("title", "公示标题", lambda v: v.record.title),
        Column("start", "公示开始日期（YYYY-MM-DD）", lambda v: v.record.period.start.isoformat()),
        Column("end", "公示结束日期（含当天）", lambda v: v.record.period.end.isoformat()),
        Column(
            "end_time", "结束当天的截止时间（北京时间，空表示 24:00）", lambda v: v.record.period.end_time
        ),
        Column(
            "status",
            "数据生成当日的状态代码（scheduled、open、closed、concluded、withdrawn）",
            lambda v: v.status,
        ),
        Column("status_label", "状态（中文）", lambda v: LABELS["status"][v.status]),
        Column("achievements", "涉及的成果编号，多个以分号分隔", lambda v: _join(v.record.achievements)),
        Column(
            "price_yuan",
            "拟交易价格（元，仅协议定价公示）",
            lambda v: v.record.deal.price_yuan if v.record.deal else None,
        ),
        Column("amendments", "更正次数", lambda v: len(v.record.amendments)),
        Column(
            "outcome",
            "公示结果代码（空表示尚未记录）",
            lambda v: v.record.outcome.result if v.record.outcome else None,
        ),
        Column(
            "outcome_date",
            "公示结果日期",
            lambda v: v.record.outcome.date.isoformat() if v.record.outcome else None,
        ),
        Column("last_change", "最近一次变化的日期（开始、更正或结果）", lambda v: v.last_change.isoformat()),
        Column("url", "公示页面网址", lambda v: permalink(site_url, f"notices/{v.id}.md")),
    ]


def deal_columns(site_url: str) -> list[Column[NoticeView]]:
    def deal(view: NoticeView) -> Any:
        assert view.record.deal is not None
        return view.record.deal

    return [
        Column("notice_id", "公示编号", lambda v: v.id),
        Column("institution", "单位编号", lambda v: v.record.institution),
        Column("institution_name", "单位名称", lambda v: v.institution.name),
        Column("title", "公示标题", lambda v: v.record.title),
        Column("start", "公示开始日期", lambda v: v.record.period.start.isoformat()),
        Column("end", "公示结束日期", lambda v: v.record.period.end.isoformat()),
        Column("status", "状态代码", lambda v: v.status),
        Column("mode", "交易方式代码（transfer、license、equity）", lambda v: deal(v).mode),
        Column(
            "mode_label", "交易方式（转让、许可、作价投资）", lambda v: LABELS["deal_modes"][deal(v).mode]
        ),
        Column("counterparty", "受让方、被许可方或被投资企业", lambda v: deal(v).counterparty),
        Column("counterparty_type", "对方类型代码", lambda v: deal(v).counterparty_type),
        Column(
            "counterparty_type_label",
            "对方类型（中文）",
            lambda v: LABELS["counterparty_types"][deal(v).counterparty_type],
        ),
        Column("price_yuan", "拟交易价格（元，整数）", lambda v: deal(v).price_yuan),
        Column("appraised_yuan", "评估价（元，整数；空表示未载明）", lambda v: deal(v).appraised_yuan),
        Column("pricing", "定价方式代码（negotiated、listed、auction）", lambda v: deal(v).pricing),
        Column(
            "asset_evaluation",
            "资产评估代码（done、not_required、waived）",
            lambda v: deal(v).asset_evaluation,
        ),
        Column("achievements", "涉及的成果编号，多个以分号分隔", lambda v: _join(v.record.achievements)),
        Column("url", "公示页面网址", lambda v: permalink(site_url, f"notices/{v.id}.md")),
    ]


def achievement_columns(site_url: str) -> list[Column[AchievementView]]:
    def grant_value(view: AchievementView, key: str) -> Cell:
        grant = view.record.grant
        value = getattr(grant, key) if grant is not None else None
        if isinstance(value, date):
            return value.isoformat()
        return cast(Cell, value)

    return [
        Column("id", "成果编号", lambda v: v.id),
        Column("institution", "所属单位编号", lambda v: v.record.institution),
        Column("institution_name", "所属单位名称", lambda v: v.institution.name),
        Column("title", "成果名称", lambda v: v.record.title),
        Column("type", "成果类型代码", lambda v: v.record.type),
        Column("type_label", "成果类型（中文）", lambda v: LABELS["achievement_types"][v.record.type]),
        Column(
            "rights", "知识产权登记号，多个以分号分隔", lambda v: _join([r.number for r in v.record.rights])
        ),
        Column("funding", "资金来源代码（fiscal、commissioned、mixed）", lambda v: v.record.funding),
        Column("incentive", "激励方式代码（grant_first、transform_first）", lambda v: v.record.incentive),
        Column(
            "grant_mode",
            "赋权方式代码（ownership、long_term_use），拟赋权的也填写；是否已生效见 granted_on",
            lambda v: grant_value(v, "mode"),
        ),
        Column(
            "granted_on",
            "赋权生效日期（签署赋权协议或办理权属变更之日）；空表示赋权尚未生效",
            lambda v: _iso(granted_on(v.record)),
        ),
        Column("team_share", "团队所有权比例（%，仅所有权）", lambda v: grant_value(v, "team_share")),
        Column("years", "长期使用权年限（仅长期使用权）", lambda v: grant_value(v, "years")),
        Column("license", "许可类型代码（ordinary、exclusive、sole）", lambda v: grant_value(v, "license")),
        Column("starts_on", "长期使用权起始日期", lambda v: grant_value(v, "starts_on")),
        Column(
            "use_right_end",
            "长期使用权终止日期（含续期，推算）",
            lambda v: v.use_right_end.isoformat() if v.use_right_end else None,
        ),
        Column(
            "stage", "当前阶段代码（registered、applied、noticed、granted、transformed）", lambda v: v.stage
        ),
        Column("stage_label", "当前阶段（中文）", lambda v: v.stage_label),
        Column("notices", "相关公示编号，多个以分号分隔", lambda v: _join([n.id for n in v.notices])),
        Column("url", "成果页面网址", lambda v: permalink(site_url, f"achievements/{v.id}.md")),
    ]


def institution_columns(site_url: str) -> list[Column[InstitutionView]]:
    return [
        Column("id", "单位编号", lambda v: v.id),
        Column("name", "单位名称", lambda v: v.record.name),
        Column("policy", "适用政策编号", lambda v: v.policy.id),
        Column("pilot_approved_on", "试点获批日期", lambda v: v.record.pilot_approved_on.isoformat()),
        Column("pilot_end", "试点期结束日期（推算）", lambda v: v.pilot_end.isoformat()),
        Column("notice_min_days", "公示期最少天数（单位规定优先于政策）", lambda v: v.rule.minimum_days),
        Column("day_counting", "天数计算方式代码（calendar、working）", lambda v: v.rule.counting),
        Column("department", "联系部门", lambda v: v.record.contact.department),
        Column("phone", "联系电话", lambda v: v.record.contact.phone),
        Column("email", "电子邮箱", lambda v: v.record.contact.email),
        Column("website", "单位网站", lambda v: str(v.record.website) if v.record.website else None),
        Column("notices", "公示数量", lambda v: len(v.notices)),
        Column("achievements", "登记成果数量", lambda v: len(v.achievements)),
        Column("url", "单位页面网址", lambda v: permalink(site_url, f"institutions/{v.id}.md")),
    ]


def tables(site_url: str) -> list[Table[Any]]:
    """The CSV tables in the order of the data page."""
    return [
        Table("notices.csv", "公示", "每项公示一行，按开始日期从新到旧。", notice_columns(site_url)),
        Table(
            "deals.csv", "协议定价", "每项协议定价公示一行，含交易方式、对方和价格。", deal_columns(site_url)
        ),
        Table("achievements.csv", "成果", "每项成果一行。", achievement_columns(site_url)),
        Table("institutions.csv", "试点单位", "每个试点单位一行。", institution_columns(site_url)),
    ]


def table_rows(portal: Portal) -> dict[str, Sequence[Any]]:
    """Each table's rows, by its file."""
    notices = portal.sorted_notices()
    return {
        "notices.csv": notices,
        "deals.csv": [view for view in notices if view.record.deal is not None],
        "achievements.csv": list(portal.achievements.values()),
        "institutions.csv": list(portal.institutions.values()),
    }


def header_bytes(table: Table[Any]) -> bytes:
    """A table's byte-order mark and header row: the table is these, then its rows (row_bytes)."""
    return csv_bytes([[column.name for column in table.columns]])


def row_bytes(table: Table[Any], row: Any) -> bytes:
    """One row of a table as csv_bytes writes it, without the byte-order mark (the CSV writer
    keeps nothing from one row to the next)."""
    return csv_bytes([[column.value(row) for column in table.columns]]).removeprefix(UTF8_MARK)


def table_bytes(table: Table[Any], rows: Sequence[Any]) -> bytes:
    return header_bytes(table) + b"".join(row_bytes(table, row) for row in rows)


def _record(model: Any) -> Any:
    return model.model_dump(mode="json")


def notice_entry(view: NoticeView, site_url: str) -> dict[str, Any]:
    return {
        "record": _record(view.record),
        "derived": {
            "status": view.status,
            "days_left": view.days_left if view.status == "open" else None,
            "period_days": view.period_days,
            "last_change": view.last_change.isoformat(),
            "url": permalink(site_url, f"notices/{view.id}.md"),
        },
    }


def achievement_entry(view: AchievementView, site_url: str) -> dict[str, Any]:
    return {
        "record": _record(view.record),
        "derived": {
            "stage": view.stage,
            "granted_on": _iso(granted_on(view.record)),
            "use_right_end": view.use_right_end.isoformat() if view.use_right_end else None,
            "notices": [notice.id for notice in view.notices],
            "url": permalink(site_url, f"achievements/{view.id}.md"),
        },
    }


def portal_document(
    portal: Portal,
    site_url: str,
    notice: Callable[[NoticeView], Any] | None = None,
    achievement: Callable[[AchievementView], Any] | None = None,
) -> dict[str, Any]:
    """Every record as written (valid against its schema) beside what is derived from it. A
    notice's and an achievement's entry are made by `notice` and `achievement` (write_exports
    passes its kept ones), by default notice_entry and achievement_entry."""
    notice = notice or partial(notice_entry, site_url=site_url)
    achievement = achievement or partial(achievement_entry, site_url=site_url)
    return {
        "today": portal.today.isoformat(),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "policies": [{"record": _record(policy), "derived": {}} for policy in portal.policies.values()],
        "institutions": [
            {
                "record": _record(view.record),
                "derived": {
                    "pilot_end": view.pilot_end.isoformat(),
                    "notice_min_days": view.rule.minimum_days,
                    "day_counting": view.rule.counting,
                    "url": permalink(site_url, f"institutions/{view.id}.md"),
                },
            }
            for view in portal.institutions.values()
        ],
        "achievements": [achievement(view) for view in portal.achievements.values()],
        "notices": [notice(view) for view in portal.notices.values()],
    }


class _KeptParts:
    """What the exports show of each notice and achievement, kept in the build cache (fragments.py)
    by the text of what it is made from: its entry of data/portal.json and its rows of the CSV
    tables. Made afresh for every record, they were nine seconds of CPU a build at 50,000
    records, though a rebuild changes a few. A record's entry and rows share one key, what the
    pages show of it (Portal.shown_digest), so an open notice's rows are made again each day for
    the days left its entry shows, and a scheduled one's for the days until it starts."""

    def __init__(self, portal: Portal, site_url: str, fragments: Fragments) -> None:
        self.portal, self.site_url, self.fragments = portal, site_url, fragments
        self.tables = {table.file: table for table in tables(site_url)}

    def entry_of_notice(self, view: NoticeView) -> orjson.Fragment:
        return self._entry(self._text(view), partial(notice_entry, view, self.site_url))

    def entry_of_achievement(self, view: AchievementView) -> orjson.Fragment:
        return self._entry(self._text(view), partial(achievement_entry, view, self.site_url))

    def row(self, file: str, view: NoticeView | AchievementView) -> bytes:
        return self.fragments.get(f"{file}\0{self._text(view)}", partial(row_bytes, self.tables[file], view))

    def _text(self, view: NoticeView | AchievementView) -> str:
        """Everything the record's entry and rows read: its view as the pages show it (a notice's
        days left while open, Portal.shown_digest), and the site's address."""
        return f"{self.portal.shown_digest(view)}\0{self.site_url}"

    def _entry(self, text: str, make: Callable[[], dict[str, Any]]) -> orjson.Fragment:
        entry = self.fragments.get("portal.json\0" + text, lambda: list_item_bytes(make(), sort_keys=True))
        return orjson.Fragment(entry)


def write_exports(portal: Portal, site_dir: Path, site_url: str, cache: BuildCache | None = None) -> None:
    folder = site_dir / DATA_FOLDER
    (site_dir / SCHEMA_FOLDER).mkdir(parents=True, exist_ok=True)
    fragments = fragments_of(cache, "export-entries")
    parts = _KeptParts(portal, site_url, fragments)
    document = portal_document(portal, site_url, parts.entry_of_notice, parts.entry_of_achievement)
    try:
        # orjson writes the kept entries as they are: the same bytes as json_document's of the whole.
        portal_json = json_document(document, sort_keys=True)
    except TypeError:
        # A number orjson cannot hold outside the entries (none in today's schemas) sends
        # json_document to the standard library, which cannot write a kept entry: the whole afresh.
        portal_json = json_document(portal_document(portal, site_url), sort_keys=True)
    (site_dir / PORTAL_JSON).write_bytes(portal_json)
    rows = table_rows(portal)
    contents = {}
    for table in parts.tables.values():
        if table.file == "institutions.csv":  # a few hundred rows, made afresh
            contents[table.file] = table_bytes(table, rows[table.file])
        else:
            kept = (parts.row(table.file, view) for view in rows[table.file])
            contents[table.file] = header_bytes(table) + b"".join(kept)
    fragments.save()
    for file, content in contents.items():
        (folder / file).write_bytes(content)
    for name, text in schema_documents().items():
        (site_dir / SCHEMA_FOLDER / name).write_text(text, encoding="utf-8")
