"""`portal new notice|achievement`: a record skeleton with the next free id, for a clerk to fill.

What the generator knows is written in: the id, the institution, today's start and the earliest
end its rules allow (working days and holidays included), the objection channel from the
institution's contact. What only the clerk knows is left as an empty placeholder (`""`, `[]`)
that `portal check` refuses with a clear code, so the check names exactly the fields left to fill.
A notice for ownership or long-term use with its achievements named passes the check unchanged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.catalog import Catalog, load_catalog
from generator.day_counting import UNIT_LABELS, UnknownWorkingDays
from generator.errors import InvalidRecords
from generator.models import Institution
from generator.models.vocabulary import NOTICE_KINDS
from generator.notice_rule import notice_rule
from generator.paths import find_record_files, record_path

KINDS = ("ownership_grant", "long_term_use_grant", "negotiated_price", "reward")
_TITLES = {
    "ownership_grant": "关于{name}职务科技成果赋予所有权的公示",
    "long_term_use_grant": "关于{name}职务科技成果赋予长期使用权的公示",
    "negotiated_price": "关于{name}职务科技成果协议定价的公示",
    "reward": "关于{name}职务科技成果转化奖励的公示",
}
_BODIES = {
    "ownership_grant": "经成果完成团队申请、单位审批，拟将下列职务科技成果的部分所有权赋予成果完成团队，"
    "单位与团队成为共同所有权人。",
    "long_term_use_grant": "经成果完成团队申请、单位审批，拟赋予成果完成团队下列职务科技成果的长期使用权。",
    "negotiated_price": "经单位研究，拟以协议定价方式转化下列职务科技成果，现将成果名称和拟交易价格公示如下。",
    "reward": "下列职务科技成果已完成转化，根据单位科技成果转化收益分配办法，拟对成果完成团队给予奖励。",
}
# The body's own "现予公示", but where its first sentence says so already.
_NOTICED = dict.fromkeys(_BODIES, "现予公示。") | {"negotiated_price": ""}


@dataclass(frozen=True)
class Skeleton:
    path: Path  # where it was written
    record_id: str
    text: str


def _scalar(value: object) -> str:
    """A YAML scalar that reads back as the same string (JSON strings are YAML double-quoted)."""
    return json.dumps(str(value), ensure_ascii=False)


def _refuse(zh: str, en: str) -> InvalidRecords:
    return InvalidRecords(f"portal new: {zh}\n    {en}\n")


def _institution(catalog: Catalog, institution_id: str) -> Institution:
    loaded = catalog.institutions.get(institution_id)
    if loaded is None:
        known = "、".join(sorted(catalog.institutions)) or "（无）"
        raise _refuse(
            f"找不到单位 {institution_id}（institutions/{institution_id}.yml 不存在或未通过检查）。已有单位：{known}。",
            f"Unknown or invalid institution {institution_id}. Known: {', '.join(sorted(catalog.institutions))}.",
        )
    return loaded.record


def _stems(root: Path, kind: str, institution_id: str) -> list[str]:
    return [
        record_file.stem
        for record_file in find_record_files(root)
        if record_file.kind == kind and record_file.folders[:1] == (institution_id,)
    ]


def next_notice_id(root: Path, institution_id: str, year: int) -> str:
    pattern = re.compile(rf"^{re.escape(institution_id)}-{year}-n(\d+)$")
    numbers = [
        int(match[1]) for stem in _stems(root, "notice", institution_id) if (match := pattern.match(stem))
    ]
    return f"{institution_id}-{year}-n{max(numbers, default=0) + 1:02d}"


def next_achievement_id(root: Path, institution_id: str, year: int) -> str:
    """Achievement numbers run on across years within a unit (gnas-2024-006, then gnas-2025-007)."""
    pattern = re.compile(rf"^{re.escape(institution_id)}-\d{{4}}-(\d+)$")
    numbers = [
        int(match[1])
        for stem in _stems(root, "achievement", institution_id)
        if (match := pattern.match(stem))
    ]
    return f"{institution_id}-{year}-{max(numbers, default=0) + 1:03d}"


def new_notice(
    root: Path, institution_id: str, today: date, kind: str | None = None, achievements: tuple[str, ...] = ()
) -> Skeleton:
    catalog = load_catalog(root)
    institution = _institution(catalog, institution_id)
    for achievement_id in achievements:
        found = catalog.achievements.get(achievement_id)
        if found is None or found.record.institution != institution_id:
            raise _refuse(
                f"找不到本单位的成果 {achievement_id}（achievements/{institution_id}/{achievement_id}.yml）。",
                f"No achievement {achievement_id} of {institution_id}.",
            )
    if kind is None:
        modes = {
            grant.mode
            for achievement_id in achievements
            if (grant := catalog.achievements[achievement_id].record.grant) is not None
        }
        kind = "long_term_use_grant" if modes == {"long_term_use"} else "ownership_grant"
    policy = catalog.policies.get(institution.policy)
    if policy is None:
        raise _refuse(
            f"单位 {institution_id} 的政策 {institution.policy} 不存在或未通过检查。",
            f"The policy {institution.policy} of {institution_id} is missing or invalid.",
        )
    rule = notice_rule(policy.record, institution)
    try:
        end = rule.earliest_end(today)
    except UnknownWorkingDays as unknown:
        raise _refuse(
            f"尚不知道 {unknown.day.year} 年的法定节假日安排，无法按工作日计算结束日期。",
            f"The official holidays of {unknown.day.year} are not known yet; cannot count working days.",
        ) from unknown
    record_id = next_notice_id(root, institution_id, today.year)
    unit = UNIT_LABELS[rule.counting][0]
    contact = institution.contact
    listed = f"[{', '.join(achievements)}]" if achievements else "[]"
    lines = [
        f"# {NOTICE_KINDS[kind]}草稿，由 portal new 生成。请按各行注释填写，运行 portal check 检查后提交。",
        f"id: {record_id}  # 公示编号，与文件名一致，请勿修改",
        f"institution: {institution_id}",
        f"kind: {kind}  # 公示类型：ownership_grant | long_term_use_grant | negotiated_price | reward",
        f"title: {_scalar(_TITLES[kind].format(name=institution.name))}  # 请核对标题，可写明成果名称",
        "period:",
        f"  start: {today.isoformat()}  # 公示开始日期，默认今天",
        f"  end: {end.isoformat()}  # 最早可结束日：{rule.source} 规定不少于 {rule.minimum_days} 个{unit}；可延后，不可提前",
        f"achievements: {listed}  # 填写：公示涉及的本单位成果编号，例如 [{institution_id}-2025-001]",
    ]
    if kind == "negotiated_price":
        lines += [
            "deal:",
            '  mode: ""  # 填写：transfer（转让）| license（许可）| equity（作价投资）',
            '  counterparty: ""  # 填写：受让方、被许可方或被投资企业名称',
            '  counterparty_type: ""  # 填写：state_wholly_owned | state_owned | private | foreign | individual',
            '  price_yuan: ""  # 填写：拟交易价格（元，整数），例如 1200000',
            "  pricing: negotiated  # 协议定价",
            '  asset_evaluation: ""  # 填写：done（已评估）| not_required（无需评估）| waived（单位决定不评估）',
        ]
    if kind == "reward":
        lines += [
            "reward:",
            '  net_income_yuan: ""  # 填写：转化净收入（元，整数）',
            '  team_total_yuan: ""  # 填写：奖励团队总额（元，整数）',
            "  recipients: []  # 填写：- {name: 张三, yuan: 480000, form: cash}",
        ]
    lines += [
        "objections:  # 异议受理渠道，默认取单位联系方式，请核对",
        f"  department: {_scalar(contact.department)}",
    ]
    for key in ("phone", "email", "address"):
        value = getattr(contact, key)
        if value:
            lines.append(f"  {key}: {_scalar(value)}")
    lines += [
        "body: |  # 公示正文（Markdown），请补充成果名称、赋权比例等内容",
        f"  {_BODIES[kind]}{_NOTICED[kind]}公示期内如有异议，请以书面形式向受理部门反映。",
        "",
        f"  **公示期**：{today.year}年{today.month}月{today.day}日至{end.year}年{end.month}月{end.day}日。",
    ]
    target = root / record_path("notice", record_id, institution_id, str(today.year))
    return _write(target, record_id, lines)


def new_achievement(root: Path, institution_id: str, today: date) -> Skeleton:
    catalog = load_catalog(root)
    _institution(catalog, institution_id)
    record_id = next_achievement_id(root, institution_id, today.year)
    lines = [
        "# 成果草稿，由 portal new 生成。请按各行注释填写，运行 portal check 检查后提交。",
        f"id: {record_id}  # 成果编号，与文件名一致，请勿修改",
        f"institution: {institution_id}",
        'title: ""  # 填写：成果名称',
        'type: ""  # 填写：patent | software_copyright | plant_variety | ic_layout | biomedical_variety | technical_secret | other',
        "rights: []  # 可选：删去 []，每项另起一行、缩进两格，例如：  - {kind: invention_patent, number: ZL202110123456.7, granted_on: 2023-05-12}",
        'funding: ""  # 填写：fiscal（财政资金）| commissioned（委托项目）| mixed（混合）',
        "team: []  # 填写：删去 []，每人另起一行、缩进两格，例如：  - {name: 张三, role: lead, share: 60}；比例合计 100，有且只有一名 lead",
        'incentive: ""  # 填写：grant_first（先赋权后转化）| transform_first（先转化后奖励）',
        "negative_list: false  # 列入负面清单写 true",
        "classified: false  # 涉密成果不得在公开平台发布",
        "history:  # 成果进展，按日期从早到晚",
        f"  - {{date: {today.isoformat()}, event: applied}}",
    ]
    target = root / record_path("achievement", record_id, institution_id)
    return _write(target, record_id, lines)


def _write(target: Path, record_id: str, lines: list[str]) -> Skeleton:
    if target.exists():  # the next free id was taken between listing and writing: never overwrite
        raise _refuse(f"文件 {target} 已存在。", f"{target} already exists.")
    text = "\n".join(lines) + "\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return Skeleton(target, record_id, text)
