"""Rules of notices: the period (calendar and working days), restarts, outcomes, what each kind must
disclose and which achievements it may list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.messages import render
from tests.conftest import (
    ACHIEVEMENT,
    DEAL,
    FIXTURE,
    INSTITUTION,
    NOTICE,
    POLICY,
    REWARD,
    TODAY,
    append,
    check_problems,
    problem_keys,
    replace,
    write,
)

NO_OUTCOME = "outcome: {result: no_objection, date: 2024-03-19, note: 公示期内未收到异议。}\n"


def set_period(root: Path, start: str, end: str, *, outcome: str | None = None) -> None:
    replace(
        root,
        NOTICE,
        "period: {start: 2024-03-04, end: 2024-03-18}",
        f"period: {{start: {start}, end: {end}}}",
    )
    replace(
        root, NOTICE, NO_OUTCOME, f"outcome: {{result: no_objection, date: {outcome}}}\n" if outcome else ""
    )


# --- the period ------------------------------------------------------------------------------------


def test_a_short_period_names_the_earliest_end(portal: Path) -> None:
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-13")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("notice-period-too-short", NOTICE, 5, "period.end")
    assert problem.params["days"] == "10"
    assert problem.params["minimum"] == "15"
    assert problem.params["earliest_end"] == "2024-03-18"
    assert problem.params["rule_source"] == "ganzhou-2023"


def test_fifteen_days_counting_both_ends_is_enough(portal: Path) -> None:
    assert problem_keys(portal, TODAY) == set()  # 2024-03-04 to 2024-03-18 is 15 days


def test_a_period_that_ends_before_it_starts(portal: Path) -> None:
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-01")
    (problem,) = check_problems(portal, TODAY)  # not also "closed without an outcome"
    assert problem.key() == ("notice-period-reversed", NOTICE, 5, "period.end")
    assert problem.params["earliest_end"] == "2024-03-18"
    assert problem.params["fix"] == ""  # swapped, 2024-03-01 to 03-04 would be too short


def test_a_reversed_period_ending_before_the_holiday_schedules_is_still_reversed(portal: Path) -> None:
    # In working days, 2003 cannot be counted: the period is reported reversed, with no swap guessed.
    append(portal, INSTITUTION, "day_counting: working\n")
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2003-03-18")
    problems = {problem.code: problem for problem in check_problems(portal, TODAY)}
    assert problems["notice-period-reversed"].params["fix"] == ""


def test_a_start_and_end_written_the_wrong_way_round_are_told_to_be_swapped(portal: Path) -> None:
    replace(portal, NOTICE, "{start: 2024-03-04, end: 2024-03-18}", "{start: 2024-03-18, end: 2024-03-04}")
    (problem,) = check_problems(portal, TODAY)
    assert problem.code == "notice-period-reversed"
    assert "period: {start: 2024-03-04, end: 2024-03-18}" in problem.params["fix"]


def test_a_period_of_decades_is_a_warning_to_check_the_year(portal: Path) -> None:
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2042-03-18")
    problems = {problem.code: problem for problem in check_problems(portal, date(2024, 3, 10))}
    assert problems["notice-period-long"].key() == ("notice-period-long", NOTICE, 5, "period.end")
    assert not problems["notice-period-long"].is_error


def test_a_period_into_a_year_without_a_holiday_schedule_says_it_is_no_mistake(portal: Path) -> None:
    from generator.day_counting import LAST_KNOWN_YEAR

    replace(
        portal,
        INSTITUTION,
        "pilot_approved_on: 2024-02-23",
        "pilot_approved_on: 2024-02-23\nday_counting: working",
    )
    start = f"{LAST_KNOWN_YEAR}-12-20"
    replace(
        portal,
        NOTICE,
        "period: {start: 2024-03-04, end: 2024-03-18}",
        f"period: {{start: {start}, end: {LAST_KNOWN_YEAR + 1}-01-20}}",
    )
    replace(
        portal, NOTICE, "outcome: {result: no_objection, date: 2024-03-19, note: 公示期内未收到异议。}\n", ""
    )
    problems = [
        problem for problem in check_problems(portal, TODAY) if problem.code == "working-days-unknown-year"
    ]
    assert [problem.key() for problem in problems] == [("working-days-unknown-year", NOTICE, 5, "period")]
    zh, en = render(problems[0])
    assert "不是填写错误" in zh and "pip install -U chinesecalendar" in zh and "not a mistake" in en


def test_a_unit_may_be_stricter_than_its_policy(portal: Path) -> None:
    append(portal, INSTITUTION, "notice_min_days: 20\n")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("notice-period-too-short", NOTICE, 5, "period.end")
    assert problem.params["rule_source"] == "gnas"
    assert problem.params["earliest_end"] == "2024-03-23"


def test_a_working_day_unit_names_the_earliest_working_end(portal: Path) -> None:
    # 4–18 March 2024 is 15 calendar days but 11 working days; the 15th working day is 22 March.
    append(portal, INSTITUTION, "day_counting: working\n")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("notice-period-too-short", NOTICE, 5, "period.end")
    assert (problem.params["days"], problem.params["unit"], problem.params["earliest_end"]) == (
        "11",
        "工作日",
        "2024-03-22",
    )


def test_working_days_over_national_day_2024(portal: Path) -> None:
    # From Wednesday 25 September 2024, 15 working days end on Friday 18 October: 1–7 October are
    # off, Sunday 29 September and Saturday 12 October are make-up working days.
    append(portal, INSTITUTION, "day_counting: working\n")
    set_period(portal, "2024-09-25", "2024-10-17", outcome="2024-10-18")
    replace(portal, ACHIEVEMENT, "{date: 2024-03-04, event: noticed", "{date: 2024-09-25, event: noticed")
    (problem,) = check_problems(portal, date(2024, 10, 20))
    assert problem.key() == ("notice-period-too-short", NOTICE, 5, "period.end")
    assert (problem.params["days"], problem.params["earliest_end"]) == ("14", "2024-10-18")
    replace(portal, NOTICE, "end: 2024-10-17", "end: 2024-10-18")
    replace(portal, NOTICE, "date: 2024-10-18", "date: 2024-10-19")
    assert problem_keys(portal, date(2024, 10, 20)) == set()


def test_a_working_day_policy(portal: Path) -> None:
    replace(portal, POLICY, "day_counting: calendar", "day_counting: working")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("notice-period-too-short", NOTICE, 5, "period.end")
    assert problem.params["rule_source"] == "ganzhou-2023"


def move_notice_to(root: Path, start: str, end: str) -> str:
    """The minimal notice, without outcome, running from start to end, in its year's folder."""
    text = (root / NOTICE).read_text(encoding="utf-8")
    text = text.replace("2024-03-04, end: 2024-03-18", f"{start}, end: {end}").replace(NO_OUTCOME, "")
    (root / NOTICE).unlink()
    relative = f"notices/gnas/{start[:4]}/gnas-2024-n01.yml"
    write(root, relative, text)
    return relative


def test_working_days_in_a_year_without_an_official_calendar(portal: Path) -> None:
    append(portal, INSTITUTION, "day_counting: working\n")
    relative = move_notice_to(portal, "2027-01-04", "2027-01-29")
    problems = check_problems(portal, date(2027, 1, 10))
    assert [problem.key() for problem in problems] == [("working-days-unknown-year", relative, 5, "period")]
    assert problems[0].params["day"] == "2027-01-04"


def test_working_days_that_run_out_of_the_known_calendar(portal: Path) -> None:
    append(portal, INSTITUTION, "day_counting: working\n")
    relative = move_notice_to(portal, "2026-12-21", "2026-12-31")  # 15 working days end in 2027
    problems = check_problems(portal, date(2026, 12, 22))
    assert [problem.key() for problem in problems] == [("working-days-unknown-year", relative, 5, "period")]
    assert problems[0].params["day"] == "2027-01-01"


def test_a_calendar_day_notice_in_any_year_is_counted(portal: Path) -> None:
    relative = move_notice_to(portal, "2027-01-04", "2027-01-13")
    assert problem_keys(portal, date(2027, 1, 4)) == {("notice-period-too-short", relative, 5, "period.end")}


# --- a unit's own rule is never weaker ------------------------------------------------------------------


def test_a_unit_rule_weaker_than_its_policy(portal: Path) -> None:
    append(portal, INSTITUTION, "notice_min_days: 10\n")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("institution-rule-weaker", INSTITUTION, 8, "notice_min_days")
    assert problem.params["required"] == "15"


def test_calendar_days_where_the_policy_counts_working_days(portal: Path) -> None:
    replace(portal, POLICY, "day_counting: calendar", "day_counting: working")
    append(portal, INSTITUTION, "day_counting: calendar\n")
    assert ("institution-rule-weaker", INSTITUTION, 8, "day_counting") in problem_keys(portal, TODAY)


# --- corrections -----------------------------------------------------------------------------------------


def test_a_correction_that_restarts_the_period(portal: Path) -> None:
    replace(
        portal,
        NOTICE,
        "outcome:",
        "amendments:\n  - {date: 2024-03-08, summary: 更正专利号, restart: true}\noutcome:",
    )
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("notice-restart-too-short", NOTICE, 11, "amendments[0].restart")
    assert (problem.params["days"], problem.params["earliest_end"]) == ("11", "2024-03-22")


def test_a_correction_that_does_not_restart(portal: Path) -> None:
    replace(portal, NOTICE, "outcome:", "amendments:\n  - {date: 2024-03-08, summary: 更正错别字}\noutcome:")
    assert problem_keys(portal, TODAY) == set()


def test_corrections_inside_the_period_and_in_order(portal: Path) -> None:
    replace(
        portal,
        NOTICE,
        "outcome:",
        "amendments:\n  - {date: 2024-03-20, summary: 迟到的更正}\n  - {date: 2024-03-08, summary: 更正}\noutcome:",
    )
    assert problem_keys(portal, TODAY) == {
        ("amendment-outside-period", NOTICE, 11, "amendments[0].date"),
        ("amendments-not-in-order", NOTICE, 12, "amendments[1].date"),
    }


# --- outcomes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2024-03-12", "2024-03-18"])
def test_an_outcome_dated_inside_the_period(portal: Path, day: str) -> None:
    replace(portal, NOTICE, "date: 2024-03-19", f"date: {day}")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("outcome-before-end", NOTICE, 10, "outcome.date")
    assert problem.params["earliest"] == "2024-03-19"


def test_a_withdrawal_may_come_at_any_time(portal: Path) -> None:
    replace(portal, NOTICE, "result: no_objection, date: 2024-03-19", "result: withdrawn, date: 2024-03-06")
    assert problem_keys(portal, TODAY) == set()


def test_an_outcome_before_the_notice_starts(portal: Path) -> None:
    replace(
        portal, NOTICE, "result: no_objection, date: 2024-03-19", "result: no_objection, date: 2024-03-01"
    )
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("outcome-before-start", NOTICE, 10, "outcome.date")
    assert problem.params["earliest"] == "2024-03-19"


def test_a_notice_still_to_come_may_be_withdrawn(portal: Path) -> None:
    replace(portal, NOTICE, "result: no_objection, date: 2024-03-19", "result: withdrawn, date: 2024-03-01")
    # (The achievement's history, dated after that day, is only a warning.)
    assert {key for key in problem_keys(portal, date(2024, 3, 2)) if key[0] != "history-in-future"} == set()


def test_no_result_but_a_withdrawal_is_recorded_while_the_notice_runs(portal: Path) -> None:
    # Recorded ahead, the outcome would show a running notice as concluded.
    (problem,) = check_problems(portal, date(2024, 3, 15))
    assert problem.key() == ("outcome-while-open", NOTICE, 10, "outcome")
    assert problem.params["end"] == "2024-03-18" and problem.params["earliest"] == "2024-03-19"
    replace(portal, NOTICE, "result: no_objection, date: 2024-03-19", "result: withdrawn, date: 2024-03-15")
    assert problem_keys(portal, date(2024, 3, 15)) == set()


@pytest.mark.parametrize(
    ("outcome", "earliest"),
    [
        ("result: no_objection, date: 2024-03-25", "2024-03-19"),
        ("result: withdrawn, date: 2024-03-25", "2024-03-04"),
    ],
)
def test_an_outcome_dated_after_today(portal: Path, outcome: str, earliest: str) -> None:
    replace(portal, NOTICE, "result: no_objection, date: 2024-03-19", outcome)
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("outcome-in-future", NOTICE, 10, "outcome.date")
    assert problem.params == {"date": "2024-03-25", "today": TODAY.isoformat(), "earliest": earliest}
    assert problem_keys(portal, date(2024, 3, 25)) == set()


def test_a_closed_notice_without_outcome_is_a_warning_from_the_day_after_its_end(portal: Path) -> None:
    replace(portal, NOTICE, NO_OUTCOME, "")
    assert problem_keys(portal, date(2024, 3, 18)) == set()
    problems = check_problems(portal, date(2024, 3, 19))
    assert [problem.key() for problem in problems] == [
        ("notice-closed-without-outcome", NOTICE, 5, "period.end")
    ]
    assert not problems[0].is_error


# --- what each kind discloses ---------------------------------------------------------------------------


def test_a_negotiated_price_notice_without_its_deal(portal: Path) -> None:
    replace(portal, NOTICE, "kind: ownership_grant", "kind: negotiated_price")
    assert problem_keys(portal, TODAY) == {("notice-deal-missing", NOTICE, 3, "kind")}


def test_a_deal_on_another_kind_of_notice(deal_portal: Path) -> None:
    replace(deal_portal, DEAL, "kind: negotiated_price", "kind: ownership_grant")
    assert problem_keys(deal_portal, TODAY) == {("notice-deal-not-allowed", DEAL, 7, "deal")}


def test_a_listed_price_needs_no_negotiated_price_notice(deal_portal: Path) -> None:
    replace(deal_portal, DEAL, "pricing: negotiated", "pricing: listed")
    assert problem_keys(deal_portal, TODAY) == {("deal-pricing-not-negotiated", DEAL, 12, "deal.pricing")}


def test_a_foreign_counterparty_is_allowed_but_flagged(deal_portal: Path) -> None:
    replace(deal_portal, DEAL, "counterparty_type: private", "counterparty_type: foreign")
    (problem,) = check_problems(deal_portal, TODAY)
    assert problem.key() == ("deal-foreign-counterparty", DEAL, 10, "deal.counterparty_type")
    assert not problem.is_error


def test_a_reward_notice_without_its_reward(reward_portal: Path) -> None:
    text = (reward_portal / REWARD).read_text(encoding="utf-8")
    start, end = text.index("reward:\n"), text.index("objections:")
    write(reward_portal, REWARD, text[:start] + text[end:])
    assert problem_keys(reward_portal, TODAY) == {("notice-reward-missing", REWARD, 3, "kind")}


def test_a_reward_on_another_kind_of_notice(reward_portal: Path) -> None:
    replace(reward_portal, REWARD, "kind: reward", "kind: negotiated_price")
    assert problem_keys(reward_portal, TODAY) == {
        ("notice-deal-missing", REWARD, 3, "kind"),
        ("notice-reward-not-allowed", REWARD, 7, "reward"),
    }


# --- which achievements a notice may list ----------------------------------------------------------------


def test_a_notice_kind_unlike_the_grant(portal: Path) -> None:
    replace(portal, NOTICE, "kind: ownership_grant", "kind: long_term_use_grant")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("notice-grant-mode-mismatch", NOTICE, 6, "achievements[0]")


def test_a_reward_for_a_grant_first_achievement(reward_portal: Path) -> None:
    replace(reward_portal, REWARD, "achievements: [gnas-2024-002]", "achievements: [gnas-2024-001]")
    keys = problem_keys(reward_portal, TODAY)
    assert ("notice-reward-grant-first", REWARD, 6, "achievements[0]") in keys


def test_a_classified_achievement_in_a_notice(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "incentive: grant_first", "incentive: grant_first\nclassified: true")
    assert problem_keys(portal, TODAY) == {
        ("achievement-classified", ACHIEVEMENT, 17, "classified"),
        ("notice-classified", NOTICE, 6, "achievements[0]"),
    }


def test_a_negative_list_achievement_in_a_notice(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "incentive: grant_first", "incentive: grant_first\nnegative_list: true")
    assert problem_keys(portal, TODAY) == {
        ("negative-list-granted", ACHIEVEMENT, 13, "grant"),
        ("notice-negative-list", NOTICE, 6, "achievements[0]"),
    }


def test_a_grant_notice_after_the_pilot(portal: Path) -> None:
    replace(portal, INSTITUTION, "pilot_approved_on: 2024-02-23", "pilot_approved_on: 2021-01-04")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("notice-after-pilot", NOTICE, 5, "period.start")
    assert problem.params["pilot_end"] == "2024-01-03"
    assert not problem.is_error


def test_a_grant_notice_before_the_unit_was_approved_for_the_pilot(portal: Path) -> None:
    replace(portal, INSTITUTION, "pilot_approved_on: 2024-02-23", "pilot_approved_on: 2024-03-05")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("notice-before-pilot", NOTICE, 5, "period.start")
    assert problem.params == {"start": "2024-03-04", "approved_on": "2024-03-05", "institution": "gnas"}
    assert problem.is_error
    replace(portal, INSTITUTION, "pilot_approved_on: 2024-03-05", "pilot_approved_on: 2024-03-04")
    assert problem_keys(portal, TODAY) == set()  # approved on the day it starts


def test_a_deal_after_the_pilot_is_fine(deal_portal: Path) -> None:
    replace(deal_portal, INSTITUTION, "pilot_approved_on: 2024-02-23", "pilot_approved_on: 2021-01-04")
    keys = problem_keys(deal_portal, TODAY)
    assert keys == {("notice-after-pilot", NOTICE, 5, "period.start")}


def test_the_unchanged_fixture_is_clean() -> None:
    assert problem_keys(FIXTURE, TODAY) == set()


def test_a_grant_notice_for_an_achievement_without_a_grant_names_the_line_to_add(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "grant:\n  mode: ownership\n  team_share: 70\n", "")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("notice-grant-missing", NOTICE, 6, "achievements[0]")
    assert problem.params["example"] == "{mode: ownership, team_share: 70}"
    assert problem.params["path"] == ACHIEVEMENT


def test_a_withdrawn_grant_notice_may_name_an_achievement_never_granted(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "grant:\n  mode: ownership\n  team_share: 70\n", "")
    replace(portal, NOTICE, NO_OUTCOME, "outcome: {result: withdrawn, date: 2024-03-10}\n")
    assert problem_keys(portal, TODAY) == set()


def test_a_grant_notice_for_an_achievement_granted_before_it_is_a_warning(portal: Path) -> None:
    replace(
        portal,
        ACHIEVEMENT,
        "event: applied}\n",
        "event: applied}\n  - {date: 2024-03-02, event: agreement_signed}\n",
    )
    assert problem_keys(portal, TODAY) == {
        ("notice-achievement-already-granted", NOTICE, 6, "achievements[0]")
    }


def test_a_grant_cannot_take_effect_while_its_notice_runs(portal: Path) -> None:
    append(portal, ACHIEVEMENT, "  - {date: 2024-03-10, event: agreement_signed}\n")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("grant-during-notice", ACHIEVEMENT, 22, "history[2].date")
    assert problem.params["earliest"] == "2024-03-19"


def test_a_grant_cannot_take_effect_after_an_objection_to_it_was_upheld(portal: Path) -> None:
    replace(
        portal,
        NOTICE,
        NO_OUTCOME,
        "outcome: {result: objection_upheld, date: 2024-03-19, note: 异议成立。}\n",
    )
    append(portal, ACHIEVEMENT, "  - {date: 2024-03-20, event: rights_transferred}\n")
    assert problem_keys(portal, TODAY) == {
        ("grant-after-notice-stopped", ACHIEVEMENT, 22, "history[2].event")
    }


def test_a_grant_after_its_notice_ended_without_objection_passes(portal: Path) -> None:
    append(portal, ACHIEVEMENT, "  - {date: 2024-03-19, event: agreement_signed}\n")
    assert problem_keys(portal, TODAY) == set()


def test_an_upheld_objection_says_how_it_was_handled(portal: Path) -> None:
    replace(portal, NOTICE, NO_OUTCOME, "outcome: {result: objection_upheld, date: 2024-03-19}\n")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("outcome-note-missing", NOTICE, 10, "outcome")
    assert not problem.is_error


def test_a_notice_closing_at_a_time_may_have_its_outcome_that_evening(portal: Path) -> None:
    replace(portal, NOTICE, "end: 2024-03-18}", 'end: 2024-03-18, end_time: "17:00"}')
    replace(portal, NOTICE, "date: 2024-03-19, note:", "date: 2024-03-18, note:")
    assert problem_keys(portal, date(2024, 3, 18)) == set()
    replace(portal, NOTICE, 'end_time: "17:00"}', "}")
    assert ("outcome-before-end", NOTICE, 10, "outcome.date") in problem_keys(portal, TODAY)
