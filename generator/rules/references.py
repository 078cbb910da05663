"""Every id a record mentions names a record that exists, of the right institution."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import date

from generator.catalog import Catalog, Loaded
from generator.derive import GRANT_NOTICE_KINDS
from generator.models import Achievement, Notice
from generator.problems import Problem


def _suggest(value: str, known: list[str]) -> tuple[str, str]:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.7)
    if not close:
        return "", ""
    return f"是不是 {close[0]}？", f"Did you mean {close[0]}?"


def check(catalog: Catalog, today: date) -> Iterator[Problem]:
    policies = sorted(catalog.policies)
    institutions = sorted(catalog.institutions)
    for institution in catalog.institutions.values():
        policy = institution.record.policy
        if not catalog.known("policy", policy):
            yield institution.problem("unknown-policy", ("policy",), value=policy, known="、".join(policies))
    owned: list[Loaded[Achievement] | Loaded[Notice]] = [
        *catalog.achievements.values(),
        *catalog.notices.values(),
    ]
    for loaded in owned:
        owner = loaded.record.institution
        if not catalog.known("institution", owner):
            yield loaded.problem(
                "unknown-institution", ("institution",), value=owner, known="、".join(institutions)
            )
    achievement_ids = sorted(catalog.achievements)
    for notice in catalog.notices.values():
        record = notice.record
        for index, achievement_id in enumerate(record.achievements):
            found = catalog.achievements.get(achievement_id)
            if found is None:
                if not catalog.known("achievement", achievement_id):
                    zh, en = _suggest(achievement_id, achievement_ids)
                    yield notice.problem(
                        "unknown-achievement",
                        ("achievements", index),
                        value=achievement_id,
                        institution=record.institution,
                        suggestion=zh,
                        suggestion_en=en,
                    )
            elif found.record.institution != record.institution and catalog.known(
                "institution", record.institution
            ):  # a misspelt institution is reported once, as unknown-institution
                yield notice.problem(
                    "achievement-other-institution",
                    ("achievements", index),
                    value=achievement_id,
                    owner=found.record.institution,
                    institution=record.institution,
                )
            elif _history_leaves_out(catalog, record, found.record, today):
                yield found.problem(
                    "notice-missing-from-history", ("history",), notice=record.id, start=record.period.start
                )
    notice_ids = sorted(catalog.notices)
    for achievement in catalog.achievements.values():
        for index, event in enumerate(achievement.record.history):
            if event.notice is None:
                continue
            listed = catalog.notices.get(event.notice)
            if listed is None:
                if not catalog.known("notice", event.notice):
                    zh, en = _suggest(event.notice, notice_ids)
                    yield achievement.problem(
                        "unknown-notice",
                        ("history", index, "notice"),
                        value=event.notice,
                        suggestion=zh,
                        suggestion_en=en,
                    )
            elif achievement.record.id not in listed.record.achievements:
                yield achievement.problem(
                    "notice-not-listing-achievement",
                    ("history", index, "notice"),
                    notice=event.notice,
                    id=achievement.record.id,
                )


def _history_leaves_out(catalog: Catalog, notice: Notice, achievement: Achievement, today: date) -> bool:
    """Whether a grant notice that has begun, an event of each achievement it names, is missing
    from this one's history: the achievement would show as applied for while its notice runs. A
    noticed event naming no notice there is (a misspelt id) is reported as unknown-notice."""
    if notice.kind not in GRANT_NOTICE_KINDS or notice.period.start > today:
        return False
    noticed = [event.notice for event in achievement.history if event.event == "noticed" and event.notice]
    return notice.id not in noticed and all(name in catalog.notices for name in noticed)
