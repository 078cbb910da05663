"""A job-related scientific achievement (职务科技成果) and the rights granted over it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from generator.models.common import (
    Flag,
    IsoDate,
    Markdown,
    Percent,
    Record,
    Slug,
    Text,
    WholeNumber,
    Yuan,
    described,
)

AchievementType = Literal[
    "patent",
    "software_copyright",
    "plant_variety",
    "ic_layout",
    "biomedical_variety",
    "technical_secret",
    "other",
]
RightKind = Literal[
    "invention_patent",
    "utility_model",
    "design_patent",
    "software_copyright",
    "plant_variety",
    "ic_layout",
    "other",
]
HistoryEvent = Literal[
    "applied", "noticed", "agreement_signed", "rights_transferred", "transformed", "use_right_extended"
]
DealMode = Literal["transfer", "license", "equity"]


class Right(Record):
    """一项知识产权登记。"""

    kind: RightKind = described(
        "登记类型：invention_patent（发明专利）、utility_model（实用新型）、design_patent（外观设计）、"
        "software_copyright（软件著作权）、plant_variety（植物新品种权）、ic_layout（集成电路布图设计）、other（其他）。"
    )
    number: Text = described("登记号或申请号，例如 ZL202110123456.7（专利号的校验位会被核对）。")
    granted_on: IsoDate | None = described("授权或登记日期（可选）。", default=None)


class Member(Record):
    """成果完成团队的一名成员。"""

    name: Text = described("姓名。")
    role: Literal["lead"] | None = described("团队代表写 lead；团队须有且只有一名代表。", default=None)
    share: Percent = described("团队内部收益分配比例（%），全体成员合计 100。")


class Grant(Record):
    """单位批准的赋权：所有权（写 team_share）或长期使用权（写 years、license、starts_on）。"""

    mode: Literal["ownership", "long_term_use"] = described(
        "赋权方式：ownership（赋予所有权）或 long_term_use（赋予长期使用权）。"
    )
    team_share: Percent | None = described("仅所有权：团队所占所有权比例（%）。", default=None)
    years: WholeNumber | None = described("仅长期使用权：年限，不少于政策规定（通常 10 年）。", default=None)
    license: Literal["ordinary", "exclusive", "sole"] | None = described(
        "仅长期使用权：许可方式 ordinary（普通许可）、exclusive（排他许可）、sole（独占许可）。", default=None
    )
    starts_on: IsoDate | None = described("仅长期使用权：起始日期。", default=None)


class Event(Record):
    """成果历史中的一个事件。"""

    date: IsoDate = described("事件日期。")
    event: HistoryEvent = described(
        "事件：applied（申请）、noticed（公示）、agreement_signed（签署协议）、rights_transferred（权属变更）、"
        "transformed（转化）、use_right_extended（使用权续期）。"
    )
    notice: Slug | None = described("noticed 事件：公示编号。", default=None)
    mode: DealMode | None = described(
        "transformed 事件：transfer（转让）、license（许可）或 equity（作价投资）。", default=None
    )
    amount_yuan: Yuan | None = described("transformed 事件：合同金额（元，整数）。", default=None)
    years: WholeNumber | None = described("use_right_extended 事件：延长的年数。", default=None)
    note: Text | None = described("补充说明（可选）。", default=None)


class Achievement(Record):
    """职务科技成果。"""

    id: Slug = described("成果编号，与文件名一致，例如 gnas-2024-001。")
    institution: Slug = described("所属单位编号，须与所在文件夹一致。")
    title: Text = described("成果名称。")
    type: AchievementType = described(
        "成果类型：patent（专利权）、software_copyright（计算机软件著作权）、plant_variety（植物新品种权）、"
        "ic_layout（集成电路布图设计专有权）、biomedical_variety（生物医药新品种）、technical_secret（技术秘密）、other（其他）。"
    )
    rights: list[Right] = described("知识产权登记（技术秘密可为空）。", default_factory=list)
    funding: Literal["fiscal", "commissioned", "mixed"] = described(
        "经费来源：fiscal（财政资金）、commissioned（委托项目）、mixed（混合）。"
    )
    team: list[Member] = Field(
        description="成果完成人（团队），内部分配比例合计 100，有且只有一名代表。", min_length=1
    )
    grant: Grant | None = described("赋权内容，批准前不写。", default=None)
    incentive: Literal["grant_first", "transform_first"] = described(
        "激励方式：grant_first（先赋权后转化）或 transform_first（先转化后奖励），同一成果只能选一种。"
    )
    negative_list: Flag = described(
        "是否列入负面清单（涉及国家安全等，不得赋权）。默认 false。", default=False
    )
    classified: Flag = described("是否涉密（涉密成果不得在公开平台发布）。默认 false。", default=False)
    summary: Markdown | None = described("成果简介（Markdown，不允许 HTML）。", default=None)
    history: list[Event] = described("历史事件，按日期从早到晚。", default_factory=list)
