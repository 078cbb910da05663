"""A public notice (公示): what is disclosed, for how long, and how to object."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from generator.models.achievement import DealMode
from generator.models.common import (
    ClockTime,
    Email,
    Flag,
    IsoDate,
    Markdown,
    Phone,
    Record,
    Sha256,
    Slug,
    Text,
    Yuan,
    described,
    require_channel,
)

NoticeKind = Literal["ownership_grant", "long_term_use_grant", "negotiated_price", "reward"]
OutcomeResult = Literal["no_objection", "objections_resolved", "objection_upheld", "withdrawn"]


class Period(Record):
    """公示期：起止日期（含首尾两天），按中国标准时间。"""

    start: IsoDate = described("公示开始日期。")
    end: IsoDate = described("公示结束日期（含当天）。")
    end_time: ClockTime | None = described(
        '结束当天的截止时间（可选，中国标准时间），例如 "17:00"；不写则到当天 24:00。', default=None
    )


class Deal(Record):
    """协议定价的交易信息。"""

    mode: DealMode = described("交易方式：transfer（转让）、license（许可）、equity（作价投资）。")
    counterparty: Text = described("受让方、被许可方或被投资企业名称。")
    counterparty_type: Literal["state_wholly_owned", "state_owned", "private", "foreign", "individual"] = (
        described(
            "对方类型：state_wholly_owned（国有独资）、state_owned（国有）、private（民营）、foreign（境外）、individual（个人）。"
        )
    )
    price_yuan: Yuan = described("拟交易价格（元，整数），例如 1200000 表示 120 万元。")
    appraised_yuan: Yuan | None = described("评估价（元，整数，可选）。", default=None)
    pricing: Literal["negotiated", "listed", "auction"] = described(
        "定价方式：negotiated（协议定价）、listed（挂牌交易）、auction（拍卖）。"
    )
    asset_evaluation: Literal["done", "not_required", "waived"] = described(
        "资产评估：done（已评估）、not_required（无需评估，如受让方为国有独资企业）、waived（单位决定不评估）。"
    )


class Recipient(Record):
    """一名获奖人。"""

    name: Text = described("姓名。")
    yuan: Yuan = described("奖励金额（元，整数）；股权奖励写折算金额。")
    form: Literal["cash", "equity"] = described("奖励形式：cash（现金）或 equity（股权）。")
    leader: Flag = described(
        "是否为单位正职领导（股权奖励须经上级主管部门批准）。默认 false。", default=False
    )
    approval: Text | None = described("正职领导股权奖励的批准部门及文号。", default=None)


class Reward(Record):
    """先转化后奖励的奖励分配。"""

    net_income_yuan: Yuan = described("转化净收入（元，整数）。")
    team_total_yuan: Yuan = described("奖励团队总额（元，整数）。")
    recipients: list[Recipient] = Field(description="获奖人及金额，合计等于 team_total_yuan。", min_length=1)


class Objections(Record):
    """异议受理渠道：部门必填，电话和邮箱至少一项。"""

    department: Text = described("受理部门。")
    person: Text | None = described("联系人（可选）。", default=None)
    phone: Phone | None = described("电话（请加引号）。", default=None)
    email: Email | None = described("电子邮箱。", default=None)
    address: Text | None = described("书面异议的邮寄或送达地址（可选）。", default=None)

    @model_validator(mode="after")
    def _reachable(self) -> Objections:
        require_channel(self.phone, self.email)
        return self


class Attachment(Record):
    """附件：文件放在 notices/<单位>/ 下，并写明 SHA-256。"""

    title: Text = described("附件名称。")
    file: Text = described("相对于 notices/<单位>/ 的路径，例如 attachments/gnas-2024-n01.pdf。")
    sha256: Sha256 = described("文件的 SHA-256（64 位十六进制），用于证明附件未被替换。")


class Amendment(Record):
    """一次更正。"""

    date: IsoDate = described("更正日期。")
    summary: Text = described("更正内容。")
    restart: Flag = described(
        "更正改变了公示内容时写 true：公示期从更正日起重新计算。默认 false。", default=False
    )


class Outcome(Record):
    """公示结果，公示期满后记录；撤回可随时记录。"""

    result: OutcomeResult = described(
        "结果：no_objection（无异议）、objections_resolved（异议已处理）、objection_upheld（异议成立）、withdrawn（撤回）。"
    )
    date: IsoDate = described("结果日期（撤回以外须在公示期结束之后）。")
    note: Text | None = described("说明（可选）。", default=None)


class Notice(Record):
    """公示。"""

    id: Slug = described("公示编号，与文件名一致，例如 gnas-2024-n01。")
    institution: Slug = described("发布单位编号，须与所在文件夹一致。")
    kind: NoticeKind = described(
        "公示类型：ownership_grant（赋予所有权）、long_term_use_grant（赋予长期使用权）、"
        "negotiated_price（协议定价）、reward（奖励）。"
    )
    title: Text = described("公示标题。")
    period: Period = described("公示期。")
    achievements: list[Slug] = Field(description="公示涉及的成果编号（本单位），至少一项。", min_length=1)
    deal: Deal | None = described("协议定价公示必填：交易信息。", default=None)
    reward: Reward | None = described("奖励公示必填：奖励分配。", default=None)
    objections: Objections = described("异议受理渠道。")
    body: Markdown | None = described("公示正文（Markdown，不允许 HTML）。", default=None)
    attachments: list[Attachment] = described("附件。", default_factory=list)
    amendments: list[Amendment] = described("更正记录，按日期从早到晚。", default_factory=list)
    outcome: Outcome | None = described("公示结果。", default=None)
