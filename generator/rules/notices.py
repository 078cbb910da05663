"""Rules of notices: the period and its restarts, outcomes, what each kind must disclose, and
which achievements a notice may list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from generator.catalog import Catalog, Loaded
from generator.day_counting import FIRST_KNOWN_YEAR, LAST_KNOWN_YEAR, UNIT_LABELS, UnknownWorkingDays
from generator.derive import NOT_CARRIED_OUT, OBJECTION_RESULTS, granted_on, pilot_end
from generator.messages import hint, no_hint
from generator.models import Institution, Notice
from generator.models.vocabulary import GRANT_MODES, NOTICE_KINDS, OUTCOME_RESULTS
from generator.notice_rule import NoticeRule
from generator.problems import Problem

_KIND_FOR_MODE = {"ownership_grant": "ownership", "long_term_use_grant": "long_term_use"}
# What a grant notice's achievement is to say it is granted, as the message suggests it.
_GRANT_EXAMPLES = {
    "ownership": "{mode: ownership, team_share: 70}",
    "long_term_use": "{mode: long_term_use, years: 10, license: ordinary, starts_on: 2025-10-01}",
}


def check(catalog: Catalog, today: date) -> Iterator[Problem]:
    for institution in catalog.institutions.values():
        yield from _institution_not_weaker(catalog, institution)
    for notice in catalog.notices.values():
        rule = catalog.rule_for(notice.record)
        if rule is not None:
            try:
                yield from _period(notice, rule)
            except UnknownWorkingDays as unknown:
                yield notice.problem(
                    "working-days-unknown-year",
                    ("period",),
                    day=unknown.day,
                    first_year=FIRST_KNOWN_YEAR,
                    last_year=LAST_KNOWN_YEAR,
                )
        yield from _amendments(notice)
        yield from _outcome(notice, today)
        yield from _disclosure(notice)
        yield from _achievements(catalog, notice)
        yield from _pilot(catalog, notice)


def _institution_not_weaker(catalog: Catalog, loaded: Loaded[Institution]) -> Iterator[Problem]:
    policy = catalog.policies.get(loaded.record.policy)
    if policy is None:
        return
    own = loaded.record
    if own.notice_min_days is not None and own.notice_min_days < policy.record.notice_min_days:
        yield loaded.problem(
            "institution-rule-weaker",
            ("notice_min_days",),
            value=own.notice_min_days,
            required=policy.record.notice_min_days,
            policy=policy.record.id,
        )
    if own.day_counting == "calendar" and policy.record.day_counting == "working":
        yield loaded.problem(
            "institution-rule-weaker",
            ("day_counting",),
            value="calendar",
            required="working",
            policy=policy.record.id,
        )


# A period longer than this is most likely a mistyped end (a warning: nothing forbids it).
LONG_PERIOD_DAYS = 90


def _period(loaded: Loaded[Notice], rule: NoticeRule) -> Iterator[Problem]:
    period = loaded.record.period
    unit, unit_en = UNIT_LABELS[rule.counting]
    if period.end < period.start:
        # Swapped, the two days make a period long enough: the clerk wrote them the wrong way round.
        # (An end in a year without a holiday schedule cannot be counted: no guess then.)
        try:
            swapped = rule.days(period.end, period.start) >= rule.minimum_days
        except UnknownWorkingDays:
            swapped = False
        yield loaded.problem(
            "notice-period-reversed",
            ("period", "end"),
            start=period.start,
            end=period.end,
            earliest_end=rule.earliest_end(period.start),
            minimum=rule.minimum_days,
            unit=unit,
            unit_en=unit_en,
            **(hint("period-swapped", start=period.end, end=period.start) if swapped else no_hint("fix")),
        )
        return
    calendar_days = (period.end - period.start).days + 1
    if calendar_days > LONG_PERIOD_DAYS:  # 2052 for 2025: a year mistyped, not a notice of decades
        yield loaded.problem(
            "notice-period-long", ("period", "end"), start=period.start, end=period.end, days=calendar_days
        )
    days = rule.days(period.start, period.end)
    if days < rule.minimum_days:
        yield loaded.problem(
            "notice-period-too-short",
            ("period", "end"),
            days=days,
            minimum=rule.minimum_days,
            unit=unit,
            unit_en=unit_en,
            rule_source=rule.source,
            earliest_end=rule.earliest_end(period.start),
        )
    # A correction that changes what is disclosed restarts the period from its own date.
    for index, amendment in enumerate(loaded.record.amendments):
        if not amendment.restart or not period.start <= amendment.date <= period.end:
            continue
        remaining = rule.days(amendment.date, period.end)
        if remaining < rule.minimum_days:
            yield loaded.problem(
                "notice-restart-too-short",
                ("amendments", index, "restart"),
                amended_on=amendment.date,
                days=remaining,
                minimum=rule.minimum_days,
                unit=unit,
                unit_en=unit_en,
                earliest_end=rule.earliest_end(amendment.date),
            )


def _amendments(loaded: Loaded[Notice]) -> Iterator[Problem]:
    period = loaded.record.period
    previous: date | None = None
    for index, amendment in enumerate(loaded.record.amendments):
        if not period.start <= amendment.date <= period.end:
            yield loaded.problem(
                "amendment-outside-period",
                ("amendments", index, "date"),
                date=amendment.date,
                start=period.start,
                end=period.end,
            )
        if previous is not None and amendment.date < previous:
            yield loaded.problem(
                "amendments-not-in-order",
                ("amendments", index, "date"),
                date=amendment.date,
                previous=previous,
            )
        previous = amendment.date


def _outcome(loaded: Loaded[Notice], today: date) -> Iterator[Problem]:
    """An outcome is a fact already decided: withdrawn at any time, any other result once the
    period is over, never dated after the day of the build. A notice with an outcome shows as
    concluded, so one recorded ahead would end a running notice early."""
    record = loaded.record
    period = record.period
    outcome = record.outcome
    if outcome is None:
        if today > period.end >= period.start:  # a reversed period is reported as such
            yield loaded.problem("notice-closed-without-outcome", ("period", "end"), end=period.end)
        return
    if outcome.result == "withdrawn":
        # "Withdrawn at any time" (records.md): a notice still to come may be, too.
        if outcome.date > today:
            yield loaded.problem(
                "outcome-in-future",
                ("outcome", "date"),
                date=outcome.date,
                today=today,
                earliest=min(period.start, today),
            )
        return
    if outcome.result in OBJECTION_RESULTS and not outcome.note:
        yield loaded.problem(
            "outcome-note-missing",
            ("outcome",),
            result=outcome.result,
            result_label=OUTCOME_RESULTS[outcome.result],
        )
    # Any other result comes after the period; a notice that closes at a time of its last day
    # (end_time) may have it that evening.
    earliest = period.end + timedelta(days=0 if period.end_time else 1)
    if outcome.date < period.start:
        yield loaded.problem(
            "outcome-before-start",
            ("outcome", "date"),
            date=outcome.date,
            start=period.start,
            earliest=earliest,
        )
    elif today < earliest:
        yield loaded.problem(
            "outcome-while-open",
            ("outcome",),
            end=period.end,
            today=today,
            result=outcome.result,
            earliest=earliest,
        )
    elif outcome.date > today:
        yield loaded.problem(
            "outcome-in-future", ("outcome", "date"), date=outcome.date, today=today, earliest=earliest
        )
    elif outcome.date < earliest:
        yield loaded.problem(
            "outcome-before-end",
            ("outcome", "date"),
            date=outcome.date,
            end=period.end,
            result=outcome.result,
            earliest=earliest,
            today=today,
        )


def _disclosure(loaded: Loaded[Notice]) -> Iterator[Problem]:
    record = loaded.record
    if record.kind == "negotiated_price":
        if record.deal is None:
            yield loaded.problem("notice-deal-missing", ("kind",))
        else:
            if record.deal.pricing != "negotiated":
                yield loaded.problem(
                    "deal-pricing-not-negotiated", ("deal", "pricing"), value=record.deal.pricing
                )
            if record.deal.counterparty_type == "foreign":
                yield loaded.problem(
                    "deal-foreign-counterparty",
                    ("deal", "counterparty_type"),
                    counterparty=record.deal.counterparty,
                )
    elif record.deal is not None:
        yield loaded.problem("notice-deal-not-allowed", ("deal",))
    if record.kind == "reward":
        if record.reward is None:
            yield loaded.problem("notice-reward-missing", ("kind",))
    elif record.reward is not None:
        yield loaded.problem("notice-reward-not-allowed", ("reward",))


def _achievements(catalog: Catalog, loaded: Loaded[Notice]) -> Iterator[Problem]:
    record = loaded.record
    for index, achievement_id in enumerate(record.achievements):
        found = catalog.achievements.get(achievement_id)
        if found is None:
            continue
        achievement = found.record
        where = ("achievements", index)
        if achievement.classified:
            yield loaded.problem("notice-classified", where, achievement=achievement_id)
        if achievement.negative_list:
            yield loaded.problem("notice-negative-list", where, achievement=achievement_id)
        mode = _KIND_FOR_MODE.get(record.kind)
        if mode and achievement.grant is None and not _stopped(record):
            yield loaded.problem(
                "notice-grant-missing",
                where,
                achievement=achievement_id,
                kind_label=NOTICE_KINDS[record.kind],
                path=found.source.path,
                example=_GRANT_EXAMPLES[mode],
            )
        elif mode and achievement.grant is not None and achievement.grant.mode != mode:
            yield loaded.problem(
                "notice-grant-mode-mismatch",
                where,
                achievement=achievement_id,
                kind=record.kind,
                kind_label=NOTICE_KINDS[record.kind],
                mode=achievement.grant.mode,
                mode_label=GRANT_MODES[achievement.grant.mode],
            )
        granted = granted_on(achievement)
        if mode and granted is not None and granted < record.period.start:
            yield loaded.problem(
                "notice-achievement-already-granted", where, achievement=achievement_id, granted=granted
            )
        if record.kind == "reward" and achievement.incentive == "grant_first":
            yield loaded.problem("notice-reward-grant-first", where, achievement=achievement_id)


def _stopped(notice: Notice) -> bool:
    """Withdrawn, or an objection upheld: what it would have granted was never granted, and an
    achievement it named may have no grant to show."""
    return notice.outcome is not None and notice.outcome.result in NOT_CARRIED_OUT


def _pilot(catalog: Catalog, loaded: Loaded[Notice]) -> Iterator[Problem]:
    if loaded.record.kind not in _KIND_FOR_MODE:
        return  # transfers and rewards may follow a grant made during the pilot
    institution = catalog.institutions.get(loaded.record.institution)
    if institution is None:
        return
    policy = catalog.policies.get(institution.record.policy)
    if policy is None:
        return
    approved_on = institution.record.pilot_approved_on
    if loaded.record.period.start < approved_on:
        # Before its approval a unit is not a pilot unit: it has nothing to grant under the pilot.
        yield loaded.problem(
            "notice-before-pilot",
            ("period", "start"),
            start=loaded.record.period.start,
            approved_on=approved_on,
            institution=institution.record.id,
        )
        return
    end = pilot_end(approved_on, policy.record.pilot_years)
    if loaded.record.period.start > end:
        yield loaded.problem(
            "notice-after-pilot", ("period", "start"), start=loaded.record.period.start, pilot_end=end
        )
