"""The closed lists of values the record format allows, with the Chinese label shown for each.

Each list is written once here: the models take their allowed values from it, the site and
the exports take their labels from it.
"""

from __future__ import annotations

ACHIEVEMENT_TYPES = {
    "patent": "专利权",
    "software_copyright": "计算机软件著作权",
    "plant_variety": "植物新品种权",
    "ic_layout": "集成电路布图设计专有权",
    "biomedical_variety": "生物医药新品种",
    "technical_secret": "技术秘密",
    "other": "其他职务科技成果",
}
RIGHT_KINDS = {
    "invention_patent": "发明专利",
    "utility_model": "实用新型专利",
    "design_patent": "外观设计专利",
    "software_copyright": "软件著作权",
    "plant_variety": "植物新品种权",
    "ic_layout": "集成电路布图设计",
    "other": "其他",
}
FUNDING = {"fiscal": "财政资金", "commissioned": "委托项目", "mixed": "混合来源"}
GRANT_MODES = {"ownership": "赋予所有权", "long_term_use": "赋予长期使用权"}
LICENSES = {"ordinary": "普通许可", "exclusive": "排他许可", "sole": "独占许可"}
INCENTIVES = {"grant_first": "先赋权后转化", "transform_first": "先转化后奖励"}
HISTORY_EVENTS = {
    "applied": "提出赋权申请",
    "noticed": "公示",
    "agreement_signed": "签署赋权协议",
    "rights_transferred": "办理权属变更",
    "transformed": "实施转化",
    "use_right_extended": "长期使用权续期",
}
NOTICE_KINDS = {
    "ownership_grant": "赋予所有权公示",
    "long_term_use_grant": "赋予长期使用权公示",
    "negotiated_price": "协议定价公示",
    "reward": "奖励公示",
}
DEAL_MODES = {"transfer": "转让", "license": "许可", "equity": "作价投资"}
COUNTERPARTY_TYPES = {
    "state_wholly_owned": "国有独资企业",
    "state_owned": "国有企业",
    "private": "民营企业",
    "foreign": "境外主体",
    "individual": "个人",
}
PRICING = {"negotiated": "协议定价", "listed": "挂牌交易", "auction": "拍卖"}
ASSET_EVALUATION = {"done": "已评估", "not_required": "无需评估", "waived": "单位决定不评估"}
REWARD_FORMS = {"cash": "现金", "equity": "股权"}
OUTCOME_RESULTS = {
    "no_objection": "公示期内无异议",
    "objections_resolved": "异议已处理",
    "objection_upheld": "异议成立",
    "withdrawn": "已撤回",
}
DAY_COUNTING = {"calendar": "自然日", "working": "工作日"}
STATUSES = {
    "scheduled": "即将开始",
    "open": "公示中",
    "closed": "已截止",
    "concluded": "已办结",
    "withdrawn": "已撤回",
}

# Every list above that records are written in (not STATUSES, which is derived), for reading a
# value a clerk wrote in Chinese (schema_problems.py).
VOCABULARIES = (
    ACHIEVEMENT_TYPES,
    RIGHT_KINDS,
    FUNDING,
    GRANT_MODES,
    LICENSES,
    INCENTIVES,
    HISTORY_EVENTS,
    NOTICE_KINDS,
    DEAL_MODES,
    COUNTERPARTY_TYPES,
    PRICING,
    ASSET_EVALUATION,
    REWARD_FORMS,
    OUTCOME_RESULTS,
    DAY_COUNTING,
)


def described_values(labels: dict[str, str]) -> str:
    """'patent（专利权）、software_copyright（…）' for field descriptions and messages."""
    return "、".join(f"{value}（{label}）" for value, label in labels.items())
