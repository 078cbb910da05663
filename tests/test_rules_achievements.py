"""Rules of an achievement: its team, its grant, one incentive, the negative list, secrecy,
registration numbers and its history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import (
    ACHIEVEMENT,
    NOTICE,
    POLICY,
    TODAY,
    append,
    check_problems,
    problem_keys,
    replace,
)

OWNERSHIP = "  mode: ownership\n  team_share: 70\n"


def test_shares_not_summing_to_100(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "share: 40", "share: 30")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("shares-not-100", ACHIEVEMENT, 10, "team")
    assert problem.params["total"] == "90"


def test_fractional_shares_summing_to_100(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "share: 60}", "share: 33.4}")
    replace(portal, ACHIEVEMENT, "share: 40}", "share: 33.3}\n  - {name: 王五, share: 33.3}")
    assert problem_keys(portal, TODAY) == set()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "{name: 张三, role: lead, share: 60}",
            "{name: 张三, share: 60}",
            ("team-lead-not-one", ACHIEVEMENT, 10, "team"),
        ),
        (
            "{name: 李四, share: 40}",
            "{name: 李四, role: lead, share: 40}",
            ("team-lead-not-one", ACHIEVEMENT, 12, "team[1].role"),
        ),
    ],
    ids=["no lead", "two leads"],
)
def test_exactly_one_lead(portal: Path, old: str, new: str, expected: tuple[str, str, int, str]) -> None:
    replace(portal, ACHIEVEMENT, old, new)
    assert problem_keys(portal, TODAY) == {expected}


def test_a_second_lead_is_named_to_be_removed(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "{name: 李四, share: 40}", "{name: 李四, role: lead, share: 40}")
    (problem,) = check_problems(portal, TODAY)
    assert "删除 李四 那一行的 role: lead" in problem.params["fix"]


def test_a_lead_role_other_than_lead(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "role: lead", "role: leader")
    assert problem_keys(portal, TODAY) == {("value-not-allowed", ACHIEVEMENT, 11, "team[0].role")}


# --- the grant ---------------------------------------------------------------------------------------


def test_an_ownership_grant_without_the_team_share(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "  team_share: 70\n", "")
    assert problem_keys(portal, TODAY) == {("grant-team-share-missing", ACHIEVEMENT, 13, "grant")}


def test_an_ownership_share_below_a_soft_floor_is_a_warning(portal: Path) -> None:
    replace(portal, POLICY, "team_ownership_share_min: null", "team_ownership_share_min: 80")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("ownership-share-below-floor", ACHIEVEMENT, 15, "grant.team_share")
    assert not problem.is_error
    assert (problem.params["value"], problem.params["floor"]) == ("70", "80")


def test_use_right_fields_on_an_ownership_grant(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, OWNERSHIP, OWNERSHIP + "  years: 10\n  license: sole\n")
    assert problem_keys(portal, TODAY) == {
        ("grant-field-not-for-mode", ACHIEVEMENT, 16, "grant.years"),
        ("grant-field-not-for-mode", ACHIEVEMENT, 17, "grant.license"),
    }


def use_right(portal: Path, fields: str) -> None:
    replace(portal, ACHIEVEMENT, OWNERSHIP, "  mode: long_term_use\n" + fields)
    replace(portal, NOTICE, "kind: ownership_grant", "kind: long_term_use_grant")


def test_a_ten_year_use_right(portal: Path) -> None:
    use_right(portal, "  years: 10\n  license: exclusive\n  starts_on: 2024-04-01\n")
    assert problem_keys(portal, TODAY) == set()


def test_a_five_year_use_right(portal: Path) -> None:
    use_right(portal, "  years: 5\n  license: sole\n")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("long-term-use-too-short", ACHIEVEMENT, 15, "grant.years")
    assert (problem.params["value"], problem.params["minimum"]) == ("5", "10")


def test_a_use_right_without_years_or_licence_and_with_a_team_share(portal: Path) -> None:
    use_right(portal, "  team_share: 70\n")
    assert problem_keys(portal, TODAY) == {
        ("long-term-use-years-missing", ACHIEVEMENT, 13, "grant"),
        ("long-term-use-license-missing", ACHIEVEMENT, 13, "grant"),
        ("grant-field-not-for-mode", ACHIEVEMENT, 15, "grant.team_share"),
    }


def test_the_policy_sets_the_minimum_years(portal: Path) -> None:
    replace(portal, POLICY, "long_term_use_min_years: 10", "long_term_use_min_years: 12")
    use_right(portal, "  years: 10\n  license: sole\n")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("long-term-use-too-short", ACHIEVEMENT, 15, "grant.years")
    assert problem.params["minimum"] == "12"


# --- one incentive, the negative list, secrecy -------------------------------------------------------------


def test_transform_first_with_a_grant(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "incentive: grant_first", "incentive: transform_first")
    assert problem_keys(portal, TODAY) == {("incentive-conflict", ACHIEVEMENT, 16, "incentive")}


def test_a_granted_achievement_on_the_negative_list(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "incentive: grant_first", "incentive: grant_first\nnegative_list: true")
    assert ("negative-list-granted", ACHIEVEMENT, 13, "grant") in problem_keys(portal, TODAY)


def test_a_classified_achievement_may_not_be_published(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "incentive: grant_first", "incentive: grant_first\nclassified: true")
    assert ("achievement-classified", ACHIEVEMENT, 17, "classified") in problem_keys(portal, TODAY)


# --- registration numbers ---------------------------------------------------------------------------------


def set_right(portal: Path, kind: str, number: str) -> None:
    replace(
        portal,
        ACHIEVEMENT,
        "kind: invention_patent\n    number: ZL202110123456.7",
        f"kind: {kind}\n    number: {number}",
    )


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("invention_patent", "ZL202110123456.7"),
        ("invention_patent", "ZL 2021 1 0123456.7"),
        ("invention_patent", "'202110123456.7'"),
        ("invention_patent", "CN201710601862.3"),
        ("invention_patent", "ZL202110123450.X"),
        ("invention_patent", "ZL97101765.4"),
        ("utility_model", "ZL202120123456.2"),
        ("design_patent", "ZL202130123456.8"),
        ("software_copyright", "2023SR0123456"),
        ("plant_variety", "CNA20201004567"),
        ("ic_layout", "BS.225012345"),
        ("other", "赣技登字 2024-001"),
    ],
)
def test_well_formed_registration_numbers(portal: Path, kind: str, number: str) -> None:
    set_right(portal, kind, number)
    assert problem_keys(portal, TODAY) == set()


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("invention_patent", "ZL2021101234"),
        ("invention_patent", "专利 202110123456"),
        ("software_copyright", "2023SR12"),
        ("plant_variety", "CN20201004567"),
        ("ic_layout", "BS225012345"),
    ],
)
def test_malformed_registration_numbers(portal: Path, kind: str, number: str) -> None:
    set_right(portal, kind, number)
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [
        ("registration-number-invalid", ACHIEVEMENT, 7, "rights[0].number")
    ]
    assert problems[0].params["example"]


def test_a_number_read_as_a_number_is_asked_for_in_quotes_as_written(portal: Path) -> None:
    set_right(portal, "invention_patent", "202110123456.7")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("not-text", ACHIEVEMENT, 7, "rights[0].number")
    assert problem.params["value"] == "202110123456.7"


def test_a_wrong_patent_check_digit_suggests_the_right_number(portal: Path) -> None:
    set_right(portal, "invention_patent", "ZL202110123456.3")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("patent-check-digit", ACHIEVEMENT, 7, "rights[0].number")
    assert (problem.params["expected"], problem.params["actual"]) == ("7", "3")
    assert problem.params["suggestion"] == "ZL202110123456.7"


def test_a_mistyped_type_digit_is_not_also_told_to_change_the_kind(portal: Path) -> None:
    # ZL202110123456.7 with its fifth digit mistyped 2: the number is wrong, not the kind.
    set_right(portal, "invention_patent", "ZL202120123456.7")
    assert problem_keys(portal, TODAY) == {("patent-check-digit", ACHIEVEMENT, 7, "rights[0].number")}


@pytest.mark.parametrize(
    ("kind", "number", "half_width"),
    [
        ("invention_patent", "ZL２０２１１０１２３４５６.７", "ZL202110123456.7"),
        ("invention_patent", "ZL202110123456．7", "ZL202110123456.7"),
        ("software_copyright", "２０２３SR0123456", "2023SR0123456"),
    ],
)
def test_a_number_in_full_width_characters_is_given_back_in_half_width(
    portal: Path, kind: str, number: str, half_width: str
) -> None:
    # A search for the number as printed on the certificate would not find the full-width one.
    set_right(portal, kind, number)
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("registration-number-full-width", ACHIEVEMENT, 7, "rights[0].number")
    assert problem.params["suggestion"] == half_width


def test_a_utility_model_number_under_an_invention_patent(portal: Path) -> None:
    set_right(portal, "invention_patent", "ZL202120123456.2")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("patent-kind-mismatch", ACHIEVEMENT, 6, "rights[0].kind")
    assert (problem.params["digit"], problem.params["expected_kind"], problem.params["position"]) == (
        "2",
        "utility_model",
        "5",
    )


def test_an_old_design_number_under_an_invention_patent(portal: Path) -> None:
    set_right(portal, "invention_patent", "ZL98301001.3")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("patent-kind-mismatch", ACHIEVEMENT, 6, "rights[0].kind")
    assert (problem.params["expected_kind"], problem.params["position"]) == ("design_patent", "3")


# --- history -------------------------------------------------------------------------------------------------


def test_history_oldest_first(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "{date: 2024-03-01, event: applied}", "{date: 2024-03-05, event: applied}")
    assert problem_keys(portal, TODAY) == {("history-not-in-order", ACHIEVEMENT, 21, "history[1].date")}


@pytest.mark.parametrize(
    ("event", "key"),
    [
        ("{date: 2024-03-05, event: noticed}", "notice"),
        ("{date: 2024-03-05, event: transformed, amount_yuan: 500000}", "mode"),
        ("{date: 2024-03-05, event: transformed, mode: license}", "amount_yuan"),
        ("{date: 2024-03-05, event: use_right_extended}", "years"),
    ],
)
def test_an_event_without_what_it_needs(portal: Path, event: str, key: str) -> None:
    append(portal, ACHIEVEMENT, f"  - {event}\n")
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [
        ("history-event-field-missing", ACHIEVEMENT, 22, "history[2]")
    ]
    assert problems[0].params["key"] == key


def test_an_event_in_the_future_is_a_warning(portal: Path) -> None:
    append(portal, ACHIEVEMENT, "  - {date: 2024-04-01, event: agreement_signed}\n")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("history-in-future", ACHIEVEMENT, 22, "history[2].date")
    assert not problem.is_error
    assert problem_keys(portal, date(2024, 4, 1)) == set()


def test_a_use_right_extension_may_be_dated_ahead(portal: Path) -> None:
    append(portal, ACHIEVEMENT, "  - {date: 2034-03-31, event: use_right_extended, years: 5}\n")
    assert problem_keys(portal, TODAY) == set()


def test_shares_that_miss_100_by_a_rounding_name_the_share_to_write(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "share: 60}", "share: 33.33}\n  - {name: 王五, share: 33.33}")
    replace(portal, ACHIEVEMENT, "share: 40}", "share: 33.33}")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("shares-not-100", ACHIEVEMENT, 10, "team")
    assert problem.params["fix"] == "例如把 张三 的 share 改为 33.34。"


def test_shares_written_as_fractions_are_told_to_be_percentages(portal: Path) -> None:
    # 0.6 and 0.4 for 60% and 40%: "the shares add up to 1%" alone would not say what to write.
    replace(portal, ACHIEVEMENT, "share: 60}", "share: 0.6}")
    replace(portal, ACHIEVEMENT, "share: 40}", "share: 0.4}")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("shares-not-100", ACHIEVEMENT, 10, "team")
    assert (
        problem.params["fix"]
        == "看起来写成了小数：share 写百分数，请把每个值乘以 100，例如 张三 的 share 写 60。"
    )


@pytest.mark.parametrize("written", ["0.7", "0.75"])
def test_a_team_share_written_as_a_fraction_is_an_error_that_gives_the_percentage(
    portal: Path, written: str
) -> None:
    # The site would say the team owns 0.7% of the achievement.
    replace(portal, POLICY, "team_ownership_share_min: null", "team_ownership_share_min: 70")
    replace(portal, ACHIEVEMENT, "team_share: 70", f"team_share: {written}")
    (problem,) = check_problems(portal, TODAY)  # not also below the policy's floor
    assert problem.key() == ("percent-written-as-fraction", ACHIEVEMENT, 15, "grant.team_share")
    assert problem.is_error
    assert problem.params["percent"] == f"{float(written) * 100:g}"


def test_shares_written_with_three_places_get_a_fix_with_three_places(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "share: 60}", "share: 33.333}")
    replace(portal, ACHIEVEMENT, "share: 40}", "share: 66.666}")
    (problem,) = check_problems(portal, TODAY)
    assert problem.params["fix"] == "例如把 张三 的 share 改为 33.334。"
