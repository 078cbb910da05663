"""Rules of money: reward shares inside the policy's range, the main contributors' minimum, a unit
leader's equity approved, and a price far below its valuation explained."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

from generator.catalog import Catalog, Loaded
from generator.models import Notice
from generator.problems import Problem

APPRAISAL_WARNING_RATIO = 0.5  # a price under half the valuation deserves a stated reason


def check(catalog: Catalog, today: date) -> Iterator[Problem]:
    for notice in catalog.notices.values():
        yield from _reward(catalog, notice)
        yield from _deal(notice)


def _reward(catalog: Catalog, loaded: Loaded[Notice]) -> Iterator[Problem]:
    reward = loaded.record.reward
    if reward is None:
        return
    total = sum(recipient.yuan for recipient in reward.recipients)
    if total != reward.team_total_yuan:
        difference = reward.team_total_yuan - total
        yield loaded.problem(
            "reward-sum-mismatch",
            ("reward", "recipients"),
            sum=total,
            team_total=reward.team_total_yuan,
            difference=f"{abs(difference):,}",
            direction="少" if difference > 0 else "多",
            direction_en="short of" if difference > 0 else "over",
        )
    for index, recipient in enumerate(reward.recipients):
        if recipient.leader and recipient.form == "equity" and not recipient.approval:
            yield loaded.problem(
                "reward-leader-approval-missing", ("reward", "recipients", index), name=recipient.name
            )
    institution = catalog.institutions.get(loaded.record.institution)
    policy = catalog.policies.get(institution.record.policy) if institution else None
    if policy is None:
        return
    low, high = policy.record.reward_share_range
    if reward.net_income_yuan > 0:
        share = reward.team_total_yuan * 100 / reward.net_income_yuan
        if not low <= share <= high:
            yield loaded.problem(
                "reward-share-out-of-range",
                ("reward", "team_total_yuan"),
                team_total=reward.team_total_yuan,
                net_income=reward.net_income_yuan,
                share=f"{share:.1f}",
                low=f"{low:g}",
                high=f"{high:g}",
                policy=policy.record.id,
                min_total=math.ceil(reward.net_income_yuan * low / 100),
                max_total=math.floor(reward.net_income_yuan * high / 100),
            )
    minimum = policy.record.lead_reward_share_min
    if minimum is None or reward.team_total_yuan == 0:
        return
    leads = {
        member.name
        for achievement_id in loaded.record.achievements
        if (achievement := catalog.achievements.get(achievement_id))
        for member in achievement.record.team
        if member.role == "lead"
    }
    if not leads:
        return
    lead_total = sum(recipient.yuan for recipient in reward.recipients if recipient.name in leads)
    share = lead_total * 100 / reward.team_total_yuan
    if share < minimum:
        yield loaded.problem(
            "reward-lead-share-too-low",
            ("reward", "recipients"),
            leads="、".join(sorted(leads)),
            lead_total=lead_total,
            share=f"{share:.1f}",
            minimum=f"{minimum:g}",
            policy=policy.record.id,
            minimum_total=math.ceil(reward.team_total_yuan * minimum / 100),
        )


def _deal(loaded: Loaded[Notice]) -> Iterator[Problem]:
    deal = loaded.record.deal
    if deal is None or not deal.appraised_yuan:
        return
    ratio = deal.price_yuan / deal.appraised_yuan
    if ratio < APPRAISAL_WARNING_RATIO:
        yield loaded.problem(
            "deal-appraised-far",
            ("deal", "price_yuan"),
            price=deal.price_yuan,
            appraised=deal.appraised_yuan,
            ratio=f"{ratio * 100:.0f}",
        )
