"""A jurisdiction's rules (政策), one YAML file each: a third city joins by adding a file."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator
from pydantic_core import PydanticCustomError

from generator.models.common import IsoDate, Percent, Record, Slug, Text, Url, WholeNumber, described


class Policy(Record):
    """政策：一个地区的赋权试点规则（公示天数、长期使用权年限、奖励比例等）。"""

    id: Slug = described("政策编号，与文件名一致，例如 ganzhou-2023。")
    title: Text = described("政策文件标题。")
    issuer: Text = described("发文机关，例如 赣州市人民政府办公室。")
    document_number: Text | None = described("发文字号，例如 赣市府办字〔2023〕108号；原文未载明时写 null。")
    issued_on: IsoDate = described("发文日期，YYYY-MM-DD。")
    jurisdiction: Text | None = described("适用地区，例如 赣州市（可选，用于按地区筛选）。", default=None)
    source_url: Url | None = described("政策原文网址（可选）。", default=None)
    notice_min_days: WholeNumber = described("公示期最少天数，例如 15。")
    day_counting: Literal["calendar", "working"] = described(
        "公示天数的计算方式：calendar（自然日）或 working（工作日，按国家法定节假日和调休安排）。"
    )
    long_term_use_min_years: WholeNumber = described("长期使用权最短年限，例如 10。")
    team_ownership_share_min: Percent | None = described(
        "赋予团队所有权比例的参考下限（%），低于它给出警告；无此要求写 null。湖北：70。"
    )
    reward_share_range: tuple[Percent, Percent] = described(
        "先转化后奖励时团队奖励占转化净收入的比例范围（%），例如 [60, 95]。"
    )
    lead_reward_share_min: Percent | None = described(
        "主要贡献人员所得占奖励总额的最低比例（%）；无此要求写 null。赣州：50。"
    )
    pilot_years: WholeNumber = described("试点期限（年），自单位获批之日起计算。")

    @property
    def place(self) -> str:
        """What a reader knows the policy by in a list: where it applies, else who issued it."""
        return self.jurisdiction or self.issuer

    @field_validator("reward_share_range")
    @classmethod
    def _range_ordered(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if low > high:  # raised on the field, so the problem points at its line
            raise PydanticCustomError("range-invalid", "range-invalid", {"value": f"[{low:g}, {high:g}]"})
        return value
