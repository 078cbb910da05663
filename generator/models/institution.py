"""A pilot unit (试点单位): who publishes, under which policy, and how to reach it."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from generator.models.common import (
    Email,
    IsoDate,
    Phone,
    Record,
    Slug,
    Text,
    Url,
    WholeNumber,
    described,
    require_channel,
)


class Contact(Record):
    """单位联系方式：部门必填，电话和邮箱至少填一项。"""

    department: Text = described("负责部门，例如 成果转化处。")
    phone: Phone | None = described("联系电话，例如 0797-8888888（请加引号以免被当作数字）。", default=None)
    email: Email | None = described("电子邮箱。", default=None)
    address: Text | None = described("通讯地址。", default=None)

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        require_channel(self.phone, self.email)
        return self


class Institution(Record):
    """试点单位：高校、科研院所或国有企业。"""

    id: Slug = described("单位编号：小写字母、数字和连字符，2–40 个字符，与文件名一致，例如 gnas。")
    name: Text = described("单位全称。")
    policy: Slug = described("适用政策的编号，例如 ganzhou-2023 或 hubei-2023。")
    pilot_approved_on: IsoDate = described("获批开展试点的日期，YYYY-MM-DD。")
    contact: Contact = described("单位联系方式（技术转移机构）。")
    maintainers: list[Text] = described(
        '有权审批本单位记录变更的 GitHub 用户或团队，例如 ["@gnas-tto"]。', default_factory=list
    )
    website: Url | None = described("单位网站。", default=None)
    notice_min_days: WholeNumber | None = described(
        "本单位规定的公示最少天数（可选），只能比政策更严。", default=None
    )
    day_counting: Literal["calendar", "working"] | None = described(
        "本单位的公示天数计算方式（可选）：working 表示按工作日计算，只能比政策更严。", default=None
    )
