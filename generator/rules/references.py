"""Every id a record mentions names a record that exists, of the right institution."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from generator.catalog import Catalog, Loaded
from generator.derive import GRANT_EVENTS, GRANT_NOTICE_KINDS, NOT_CARRIED_OUT
from generator.messages import hint, no_hint
from generator.models import Achievement, Notice
from generator.models.vocabulary import HISTORY_EVENTS, OUTCOME_RESULTS
from generator.problems import Problem


def _suggest(value: str, known: list[str], table: Mapping[str, Loaded[Any]]) -> tuple[str, str]:
    """The record meant, with its title: ids are numbered in order, so the closest id may well be
    another record (gnas-2025-010 for a deleted gnas-2025-008), and its title tells."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.7)
    if not close:
        return "", ""
    title = table[close[0]].record.title
    return (
        f"是不是 {close[0]}（{title}）？请核对名称，不要只看编号。",
        f"Did you mean {close[0]} ({title})? Check the title, not only the number.",
    )


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
        folder = loaded.folders[0]
        if owner != folder and catalog.known("institution", folder):
            continue  # a misspelling of the folder's unit: institution-not-folder names it (layout.py)
        if not catalog.known("institution", owner):
            close = difflib.get_close_matches(owner, institutions, n=1, cutoff=0.6)
            yield loaded.problem(
                "unknown-institution",
                ("institution",),
                value=owner,
                known="、".join(institutions),
                known_en=", ".join(institutions),
                **(hint("did-you-mean", value=close[0]) if close else no_hint("fix")),
            )
    achievement_ids = sorted(catalog.achievements)
    for notice in catalog.notices.values():
        record = notice.record
        for index, achievement_id in enumerate(record.achievements):
            found = catalog.achievements.get(achievement_id)
            if found is None:
                if not catalog.known("achievement", achievement_id):
                    zh, en = _suggest(achievement_id, achievement_ids, catalog.achievements)
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
                    "notice-missing-from-history",
                    ("history",),
                    notice=record.id,
                    start=record.period.start,
                    date=_noticed_on(record, found.record),
                )
    yield from _grants_without_their_notice(catalog)
    notice_ids = sorted(catalog.notices)
    for achievement in catalog.achievements.values():
        for index, event in enumerate(achievement.record.history):
            if event.notice is None:
                continue
            listed = catalog.notices.get(event.notice)
            if listed is None:
                if not catalog.known("notice", event.notice):
                    zh, en = _suggest(event.notice, notice_ids, catalog.notices)
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


def _noticed_on(notice: Notice, achievement: Achievement) -> date:
    """The day the achievement came under the notice, for the line to add: its start, or, for an
    achievement applied for after that (added by a correction), the first restarting correction
    on or after its application; the line then also falls in the history's date order."""
    applied = max((event.date for event in achievement.history if event.event == "applied"), default=None)
    days = [notice.period.start, *(amendment.date for amendment in notice.amendments if amendment.restart)]
    if applied is None:
        return days[0]
    return next((day for day in sorted(days) if day >= applied), max(days))


def _history_leaves_out(catalog: Catalog, notice: Notice, achievement: Achievement, today: date) -> bool:
    """Whether a grant notice that has begun, an event of each achievement it names, is missing
    from this one's history: the achievement would show as applied for while its notice runs. A
    noticed event naming no notice there is (a misspelt id) is reported as unknown-notice."""
    if notice.kind not in GRANT_NOTICE_KINDS or notice.period.start > today:
        return False
    noticed = [event.notice for event in achievement.history if event.event == "noticed" and event.notice]
    return notice.id not in noticed and all(name in catalog.notices for name in noticed)


def _grants_without_their_notice(catalog: Catalog) -> Iterator[Problem]:
    """A grant takes effect (an agreement signed, the rights transferred) only once its notice has
    run its full period, and not after the notice was withdrawn or an objection to it upheld:
    else the list of granted achievements would name a grant the public could not object to, or
    one that was stopped. The notice is the latest grant notice naming the achievement that had
    begun by the event's day."""
    naming: dict[str, list[Notice]] = {}
    for loaded in catalog.notices.values():
        if loaded.record.kind in GRANT_NOTICE_KINDS:
            for achievement_id in loaded.record.achievements:
                naming.setdefault(achievement_id, []).append(loaded.record)
    for achievement_id, notices in naming.items():
        found = catalog.achievements.get(achievement_id)
        if found is None:
            continue
        notices.sort(key=lambda notice: (notice.period.start, notice.id))
        for index, event in enumerate(found.record.history):
            if event.event not in GRANT_EVENTS:
                continue
            begun = [notice for notice in notices if notice.period.start <= event.date]
            if not begun:
                continue
            notice = begun[-1]
            labels = {"event": event.event, "event_label": HISTORY_EVENTS[event.event], "notice": notice.id}
            # A notice closing at a time of its last day leaves the rest of that day to act in.
            earliest = notice.period.end + timedelta(days=0 if notice.period.end_time else 1)
            if event.date < earliest:
                yield found.problem(
                    "grant-during-notice",
                    ("history", index, "date"),
                    date=event.date,
                    end=notice.period.end,
                    earliest=earliest,
                    **labels,
                )
            elif (
                notice.outcome is not None
                and notice.outcome.result in NOT_CARRIED_OUT
                and notice.outcome.date <= event.date
            ):
                yield found.problem(
                    "grant-after-notice-stopped",
                    ("history", index, "event"),
                    result=notice.outcome.result,
                    result_label=OUTCOME_RESULTS[notice.outcome.result],
                    outcome_date=notice.outcome.date,
                    **labels,
                )
            break  # the first grant event is when the grant took effect; later ones follow it
