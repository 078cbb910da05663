"""What is derived from the records and a date, never written by hand: a notice's status and
days left, an achievement's stage, an institution's pilot end. Pure functions of (record, today)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from generator.models import Achievement, Notice

Status = Literal["scheduled", "open", "closed", "concluded", "withdrawn"]
STATUS_ORDER: tuple[Status, ...] = ("open", "scheduled", "closed", "concluded", "withdrawn")


def notice_status(notice: Notice, today: date) -> Status:
    """On `today` (China Standard Time): an outcome decides; otherwise the period does.

    A notice with an end_time is still shown open on its last day: the page's script closes it at
    that hour in the reader's browser.
    """
    if notice.outcome is not None:
        if notice.outcome.result == "withdrawn":
            return "withdrawn"
        return "concluded"
    if today < notice.period.start:
        return "scheduled"
    if today <= notice.period.end:
        return "open"
    return "closed"


def days_left(notice: Notice, today: date) -> int:
    """Calendar days still to run while open, counting today: 1 on the last day."""
    return (notice.period.end - today).days + 1


def days_until_start(notice: Notice, today: date) -> int:
    return (notice.period.start - today).days


def last_change(notice: Notice) -> date:
    """When the notice last changed: its start, its newest amendment, or its outcome."""
    dates = [notice.period.start, *(amendment.date for amendment in notice.amendments)]
    if notice.outcome is not None:
        dates.append(notice.outcome.date)
    return max(dates)


def pilot_end(approved_on: date, years: int) -> date:
    """Approval + pilot_years − 1 day (a pilot approved 2024-02-23 for 3 years ends 2027-02-22)."""
    try:
        return approved_on.replace(year=approved_on.year + years) - timedelta(days=1)
    except ValueError:  # approved on 29 February: the anniversary falls on 1 March
        return approved_on.replace(year=approved_on.year + years, month=3, day=1) - timedelta(days=1)


Stage = Literal["registered", "applied", "noticed", "granted", "transformed"]
STAGE_LABELS = {
    "registered": "已登记",
    "applied": "已申请赋权",
    "noticed": "公示阶段",  # the page says which: NOTICED_LABELS
    "granted": "已赋权",
    "transformed": "已转化",
}

# An achievement at the "noticed" stage, by the status of the notice it was noticed by
# (noticed_by): whether it can still be objected to is what a reader of its page wants to know.
NOTICED_LABELS = {
    "scheduled": "即将公示",
    "open": "公示中",
    "closed": "公示期满，待公布结果",
    "concluded": "已公示",
    "withdrawn": "公示已撤回",
}

# The notices that put a grant to the public: the ones an achievement is under notice by.
GRANT_NOTICE_KINDS = frozenset({"ownership_grant", "long_term_use_grant"})

# The events by which a grant takes effect: the agreement, or the transfer of the rights.
GRANT_EVENTS = frozenset({"agreement_signed", "rights_transferred"})

# A notice's outcomes after which what it proposed was not carried out: withdrawn, or stopped by
# an objection upheld.
NOT_CARRIED_OUT = ("withdrawn", "objection_upheld")
# Outcomes that say objections were received (no_objection says none were; the others do not say).
OBJECTION_RESULTS = ("objections_resolved", "objection_upheld")


def granted_on(achievement: Achievement) -> date | None:
    """The day the grant took effect: the first agreement or transfer of rights."""
    if achievement.grant is None:
        return None
    days = [event.date for event in achievement.history if event.event in GRANT_EVENTS]
    return min(days) if days else None


def achievement_stage(achievement: Achievement, naming: Sequence[Notice] = ()) -> Stage:
    """Its stage by its history; under notice also when a grant notice names it (`naming`, the
    notices naming it) though its history does not say so yet (rules/references.py warns)."""
    events = {event.event for event in achievement.history}
    if "transformed" in events:
        return "transformed"
    if achievement.grant is not None and events & GRANT_EVENTS:
        return "granted"
    if "noticed" in events or any(notice.kind in GRANT_NOTICE_KINDS for notice in naming):
        return "noticed"
    if "applied" in events:
        return "applied"
    return "registered"


def noticed_by(achievement: Achievement, naming: Sequence[Notice], stage: Stage) -> str | None:
    """At the "noticed" `stage` (achievement_stage, worked out by the caller), the id of the
    notice whose status labels it, among the notices naming it (`naming`, by start; their records
    are in its view, and so in its pages' keys): the one its latest noticed event names, else the
    latest grant notice, else the latest; None otherwise."""
    if stage != "noticed" or not naming:
        return None
    ids = {notice.id for notice in naming}
    named = [event for event in achievement.history if event.event == "noticed" and event.notice in ids]
    if named:
        return max(named, key=lambda event: event.date).notice
    grants = [notice for notice in naming if notice.kind in GRANT_NOTICE_KINDS]
    return (grants or naming)[-1].id


def use_right_end(achievement: Achievement) -> date | None:
    """The last day of a long-term use right, with every recorded extension added."""
    grant = achievement.grant
    if grant is None or grant.mode != "long_term_use" or grant.years is None or grant.starts_on is None:
        return None
    years = grant.years + sum(
        event.years or 0 for event in achievement.history if event.event == "use_right_extended"
    )
    return pilot_end(grant.starts_on, years)
