"""Fields and values: each wrong value becomes one Problem on its own line, with the fix in its
params (the key to write, the value to write instead)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field

from generator.check import check_portal
from generator.messages import render
from generator.models.common import suggest_yuan
from generator.schema_problems import validate_record
from generator.yaml_source import parse_record_bytes
from tests.conftest import (
    ACHIEVEMENT,
    DEAL,
    INSTITUTION,
    NOTICE,
    POLICY,
    REWARD,
    TODAY,
    append,
    check_problems,
    only,
    problem_keys,
    replace,
)

# (id, file, old, new, the exact problems)
CASES = [
    # --- out of range
    (
        "no days at all",
        POLICY,
        "notice_min_days: 15",
        "notice_min_days: 0",
        {("number-out-of-range", POLICY, 6, "notice_min_days")},
    ),
    (
        "a pilot of a million years",
        POLICY,
        "pilot_years: 3",
        "pilot_years: 1000000",
        {("number-out-of-range", POLICY, 12, "pilot_years")},
    ),
    (
        "negative years",
        ACHIEVEMENT,
        "  team_share: 70",
        "  team_share: 70\n  years: -10",
        {("number-out-of-range", ACHIEVEMENT, 16, "grant.years")},
    ),
    ("year 9999", NOTICE, "end: 2024-03-18", "end: 9999-12-31", {("date-invalid", NOTICE, 5, "period.end")}),
    (
        "year 0202",
        NOTICE,
        "start: 2024-03-04",
        "start: 0202-03-04",
        {("date-invalid", NOTICE, 5, "period.start")},
    ),
    (
        "share of infinity",
        ACHIEVEMENT,
        "share: 40",
        "share: 'inf'",
        {("not-number", ACHIEVEMENT, 12, "team[1].share")},
    ),
    # --- missing and unknown fields
    (
        "missing title",
        NOTICE,
        "title: 关于赣南科学院职务科技成果赋权的公示\n",
        "",
        {("field-missing", NOTICE, 1, "title")},
    ),
    (
        "missing period end",
        NOTICE,
        "period: {start: 2024-03-04, end: 2024-03-18}",
        "period:\n  start: 2024-03-04",
        {("field-missing", NOTICE, 5, "period.end")},
    ),
    (
        "missing share in a list item",
        ACHIEVEMENT,
        "{name: 李四, share: 40}",
        "{name: 李四}",
        {("field-missing", ACHIEVEMENT, 12, "team[1].share")},
    ),
    (
        "missing contact department",
        INSTITUTION,
        "contact: {department: 成果转化处, ",
        "contact: {",
        {("field-missing", INSTITUTION, 5, "contact.department")},
    ),
    ("misspelt key", NOTICE, "title:", "titel:", {("unknown-key", NOTICE, 4, "titel")}),
    (
        "misspelt nested key",
        NOTICE,
        "{start: 2024-03-04",
        "{strat: 2024-03-04",
        {("unknown-key", NOTICE, 5, "period.strat")},
    ),
    (
        "unknown key with no near name",
        ACHIEVEMENT,
        "funding: fiscal",
        "funding: fiscal\non: true",
        {("unknown-key", ACHIEVEMENT, 10, "on")},
    ),
    # --- kinds of values
    (
        "yaml 1.1 boolean is a wrong choice, not true",
        ACHIEVEMENT,
        "funding: fiscal",
        "funding: no",
        {("value-not-allowed", ACHIEVEMENT, 9, "funding")},
    ),
    (
        "number where text belongs",
        INSTITUTION,
        "phone: 0797-8888888",
        "phone: 07978888888",
        {("not-text", INSTITUTION, 5, "contact.phone")},
    ),
    (
        "empty title",
        NOTICE,
        "title: 关于赣南科学院职务科技成果赋权的公示",
        "title:",
        {("text-empty", NOTICE, 4, "title")},
    ),
    (
        "blank title",
        NOTICE,
        "title: 关于赣南科学院职务科技成果赋权的公示",
        "title: '  '",
        {("text-empty", NOTICE, 4, "title")},
    ),
    (
        "days with a unit",
        POLICY,
        "notice_min_days: 15",
        "notice_min_days: 15天",
        {("not-integer", POLICY, 6, "notice_min_days")},
    ),
    (
        "days as a fraction",
        POLICY,
        "notice_min_days: 15",
        "notice_min_days: 15.5",
        {("not-integer", POLICY, 6, "notice_min_days")},
    ),
    (
        "share in words",
        ACHIEVEMENT,
        "share: 40",
        "share: 四十",
        {("not-number", ACHIEVEMENT, 12, "team[1].share")},
    ),
    (
        "share as a list",
        ACHIEVEMENT,
        "share: 40",
        "share: [40]",
        {("not-number", ACHIEVEMENT, 12, "team[1].share")},
    ),
    (
        "a word for a flag",  # yes and no are read as meant (test_yes_or_no…)
        ACHIEVEMENT,
        "incentive: grant_first",
        "incentive: grant_first\nclassified: maybe",
        {("not-boolean", ACHIEVEMENT, 17, "classified")},
    ),
    (
        "one id not in a list",
        NOTICE,
        "achievements: [gnas-2024-001]",
        "achievements: gnas-2024-001",
        {("not-a-list", NOTICE, 6, "achievements")},
    ),
    (
        "period as one line of text",
        NOTICE,
        "period: {start: 2024-03-04, end: 2024-03-18}",
        "period: 2024-03-04 至 2024-03-18",
        {("not-a-mapping", NOTICE, 5, "period")},
    ),
    (
        "no achievements",
        NOTICE,
        "achievements: [gnas-2024-001]",
        "achievements: []",
        {("list-too-short", NOTICE, 6, "achievements")},
    ),
    # --- dates, times, ids
    (
        "30 february",
        NOTICE,
        "start: 2024-03-04",
        "start: 2025-02-30",
        {("date-invalid", NOTICE, 5, "period.start")},
    ),
    (
        "date with slashes",
        NOTICE,
        "start: 2024-03-04",
        "start: 2024/03/04",
        {("date-invalid", NOTICE, 5, "period.start")},
    ),
    (
        "date without dashes",
        NOTICE,
        "start: 2024-03-04",
        "start: 20240304",
        {("date-invalid", NOTICE, 5, "period.start")},
    ),
    (
        "date without zeros",
        NOTICE,
        "start: 2024-03-04",
        "start: 2024-3-4",
        {("date-invalid", NOTICE, 5, "period.start")},
    ),
    (
        "25 o'clock",
        NOTICE,
        "end: 2024-03-18}",
        "end: 2024-03-18, end_time: '25:00'}",
        {("time-invalid", NOTICE, 5, "period.end_time")},
    ),
    (
        "time without colon",
        NOTICE,
        "end: 2024-03-18}",
        "end: 2024-03-18, end_time: 1700}",
        {("time-invalid", NOTICE, 5, "period.end_time")},
    ),
    # --- money and percentages
    (
        "40%",
        ACHIEVEMENT,
        "share: 40",
        "share: 40%",
        {("percent-not-number", ACHIEVEMENT, 12, "team[1].share")},
    ),
    (
        "140 per cent",
        ACHIEVEMENT,
        "share: 40",
        "share: 140",
        {("percent-out-of-range", ACHIEVEMENT, 12, "team[1].share")},
    ),
    (
        "negative team share",
        ACHIEVEMENT,
        "team_share: 70",
        "team_share: -1",
        {("percent-out-of-range", ACHIEVEMENT, 15, "grant.team_share")},
    ),
    # --- addresses and checksums
    (
        "website without scheme",
        INSTITUTION,
        "website: https://www.gnas.example.cn",
        "website: www.gnas.example.cn",
        {("url-invalid", INSTITUTION, 7, "website")},
    ),
    (
        "email without @",
        INSTITUTION,
        "email: tto@gnas.example.cn",
        "email: tto_at_gnas",
        {("email-invalid", INSTITUTION, 5, "contact.email")},
    ),
    (
        "no way to object",
        NOTICE,
        "phone: 0797-8888888, email: kjc@gnas.example.cn",
        "address: 赣州",
        {("contact-channel-missing", NOTICE, 7, "objections")},
    ),
    (
        "no way to reach the unit",
        INSTITUTION,
        ", phone: 0797-8888888, email: tto@gnas.example.cn",
        "",
        {("contact-channel-missing", INSTITUTION, 5, "contact")},
    ),
    # --- policy ranges
    (
        "reward range reversed",
        POLICY,
        "[60, 95]",
        "[95, 60]",
        {("range-invalid", POLICY, 10, "reward_share_range")},
    ),
    (
        "reward range of one",
        POLICY,
        "[60, 95]",
        "[60]",
        {("range-invalid", POLICY, 10, "reward_share_range")},
    ),
    (
        "reward range of three",
        POLICY,
        "[60, 95]",
        "[60, 80, 95]",
        {("range-invalid", POLICY, 10, "reward_share_range")},
    ),
    (
        "reward range as text",
        POLICY,
        "[60, 95]",
        "60-95",
        {("range-invalid", POLICY, 10, "reward_share_range")},
    ),
]


@pytest.mark.parametrize(
    ("name", "relative", "old", "new", "expected"), CASES, ids=[case[0] for case in CASES]
)
def test_a_wrong_value_gives_exactly_its_problem(
    portal: Path, name: str, relative: str, old: str, new: str, expected: set[tuple[str, str, int, str]]
) -> None:
    replace(portal, relative, old, new)
    assert problem_keys(portal, TODAY) == expected


def test_an_invalid_id_suggests_a_valid_one(portal: Path) -> None:
    replace(portal, INSTITUTION, "id: gnas", "id: GNAS_Academy")
    (problem,) = only(portal, TODAY, "id-invalid")
    assert problem.key() == ("id-invalid", INSTITUTION, 1, "id")
    assert "gnas-academy" in problem.params["suggestion"]


def test_ids_run_together_with_a_chinese_comma_are_shown_apart(portal: Path) -> None:
    replace(portal, NOTICE, "achievements: [gnas-2024-001]", "achievements: [gnas-2024-001，gnas-2024-002]")
    (problem,) = only(portal, TODAY, "id-invalid")
    assert problem.key() == ("id-invalid", NOTICE, 6, "achievements[0]")
    assert "[gnas-2024-001, gnas-2024-002]" in problem.params["suggestion"]
    assert "[gnas-2024-001, gnas-2024-002]" in problem.params["suggestion_en"]


def test_an_id_written_as_a_number_is_to_be_quoted(portal: Path) -> None:
    replace(portal, INSTITUTION, "id: gnas", "id: 2025")
    (problem,) = only(portal, TODAY, "id-invalid")
    assert '"2025"' in problem.params["suggestion"] and "例如 2025。" not in problem.params["suggestion"]


@pytest.mark.parametrize(
    ("old", "new", "code", "fixed"),
    [
        (
            "email: tto@gnas.example.cn",
            "email: mailto:tto@gnas.example.cn",
            "email-invalid",
            "tto@gnas.example.cn",
        ),
        ("email: tto@gnas.example.cn", "email: tto＠gnas.example.cn", "email-invalid", "tto@gnas.example.cn"),
        (
            "website: https://www.gnas.example.cn",
            "website: https://www.gnas.example.cn，",
            "url-invalid",
            "https://www.gnas.example.cn",
        ),
        (
            "website: https://www.gnas.example.cn",
            "website: https://www.gnas.example.cn.",
            "url-invalid",
            "https://www.gnas.example.cn",
        ),
    ],
)
def test_an_address_copied_with_a_prefix_or_punctuation_names_the_address(
    portal: Path, old: str, new: str, code: str, fixed: str
) -> None:
    replace(portal, INSTITUTION, old, new)
    (problem,) = only(portal, TODAY, code)
    assert fixed in problem.params["suggestion"] and fixed in problem.params["suggestion_en"]


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("2024/3/4", "应写成 2024-03-04"),
        ("2024.03.04", "应写成 2024-03-04"),
        ("2024年3月4日", "应写成 2024-03-04"),
        ("2024-3-4", "应写成 2024-03-04"),
        ("20240304", "应写成 2024-03-04"),
        ("2024-02-30", "2024 年 2 月只有 29 天"),
        ("2025-09-31", "2025 年 9 月只有 30 天"),
    ],
)
def test_a_date_written_another_way_is_given_back_as_the_date_meant(
    portal: Path, written: str, hint: str
) -> None:
    replace(portal, NOTICE, "start: 2024-03-04", f"start: {written}")
    (problem,) = only(portal, TODAY, "date-invalid")
    assert hint in problem.params["suggestion"]


def test_a_misspelt_key_is_not_taken_for_a_key_written_already(portal: Path) -> None:
    # `price` beside `pricing:` means price_yuan, not a second pricing.
    replace(
        portal,
        NOTICE,
        "outcome:",
        "deal:\n  mode: transfer\n  counterparty: 某公司\n  counterparty_type: private\n  price: 100\n  pricing: negotiated\n  asset_evaluation: waived\noutcome:",
    )
    problems = {
        problem.field: problem for problem in check_problems(portal, TODAY) if problem.code == "unknown-key"
    }
    assert problems["deal.price"].params["suggests"] == "price_yuan"


def test_a_misspelt_key_suggests_the_right_key_and_is_one_problem(portal: Path) -> None:
    replace(portal, NOTICE, "{start: 2024-03-04", "{strat: 2024-03-04")
    (problem,) = check_problems(portal, TODAY)  # no second "period.start is missing"
    assert problem.params["suggests"] == "start"
    assert "start" in problem.params["suggestion"] and "start" in problem.params["suggestion_en"]


def test_a_key_without_a_space_after_its_colon_is_told_to_have_one(portal: Path) -> None:
    # `{start:2024-03-04}` is one key, `start:2024-03-04`, with no value: not two unknown keys
    # to delete and two fields missing, but one space to add in each.
    replace(portal, NOTICE, "{start: 2024-03-04, end: 2024-03-18}", "{start:2024-03-04, end:2024-03-18}")
    problems = check_problems(portal, TODAY)
    assert [problem.key()[0] for problem in problems] == ["unknown-key", "unknown-key"]
    assert [problem.params["suggests"] for problem in problems] == ["start", "end"]
    assert "请写成“start: 2024-03-04”" in problems[0].params["suggestion"]
    assert "write 'end: 2024-03-18'" in problems[1].params["suggestion_en"]


def test_the_lines_of_a_block_that_lost_their_indentation_are_told_to_indent(portal: Path) -> None:
    # `objections:` left empty, its fields at the line's start: each line is to be indented, not
    # deleted, and the empty block is not reported as well.
    replace(
        portal,
        NOTICE,
        "objections: {department: 科技处, person: 王老师, phone: 0797-8888888, email: kjc@gnas.example.cn}",
        "objections:\ndepartment: 科技处\nperson: 王老师\nphone: 0797-8888888\nemail: kjc@gnas.example.cn",
    )
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [
        ("unknown-key", NOTICE, line, key)
        for line, key in enumerate(["department", "person", "phone", "email"], 8)
    ]
    assert all("属于上面的 objections" in problem.params["suggestion"] for problem in problems)
    assert "indent it by two spaces, under 'objections:'" in problems[-1].params["suggestion_en"]


@pytest.mark.parametrize(("chinese", "key"), [("标题", "title"), ("公示期", "period"), ("正文", "body")])
def test_a_key_written_in_chinese_is_told_its_english_name(portal: Path, chinese: str, key: str) -> None:
    # One problem that names the key to write, not a missing field beside a line "of body text".
    replace(portal, NOTICE, f"{key}:", f"{chinese}:")
    (problem,) = check_problems(portal, TODAY)
    assert (problem.code, problem.params["suggests"]) == ("unknown-key", key)
    assert f"“{chinese}”应写成 {key}" in problem.params["suggestion"]


def test_a_short_unknown_key_is_not_taken_for_a_different_short_one(portal: Path) -> None:
    # difflib's 0.6 read `email` as deal; a key that begins a field (`price`) still names it.
    append(portal, NOTICE, "email: kjc@gnas.example.cn\n")
    (problem,) = check_problems(portal, TODAY)
    assert (problem.code, problem.params["suggests"]) == ("unknown-key", "")


def test_an_unknown_key_lists_the_keys_allowed_there(portal: Path) -> None:
    replace(portal, NOTICE, "outcome: {result", "outcome: {verdict")
    replace(portal, NOTICE, "date: 2024-03-19", "when: 2024-03-19")  # two unknown, two missing
    problems = {problem.key(): problem for problem in check_problems(portal, TODAY)}
    unknown = problems[("unknown-key", NOTICE, 10, "outcome.verdict")]
    assert "result" in unknown.params["suggestion"] and "date" in unknown.params["suggestion"]
    assert ("field-missing", NOTICE, 10, "outcome.result") in problems


def test_the_one_unknown_key_beside_the_one_missing_field_is_taken_for_it(portal: Path) -> None:
    # `{verdict: …}` where `result` is missing: one mistake, the key misnamed.
    replace(portal, NOTICE, "outcome: {result", "outcome: {verdict")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("unknown-key", NOTICE, 10, "outcome.verdict")
    assert problem.params["suggestion"] == "这里缺少 result：verdict 是不是就是 result？请改为 result。"


def test_a_wrong_choice_lists_the_choices_and_suggests_the_nearest(portal: Path) -> None:
    replace(portal, NOTICE, "kind: ownership_grant", "kind: ownership")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("value-not-allowed", NOTICE, 3, "kind")
    assert problem.params["allowed"] == "ownership_grant、long_term_use_grant、negotiated_price、reward"
    assert "ownership_grant" in problem.params["suggestion"]


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("kind: ownership_grant", "kind: 赋予所有权公示", "kind: ownership_grant（赋予所有权公示）"),
        ("funding: fiscal", "funding: 财政", "funding: fiscal（财政资金）"),
        ("role: lead", "role: 负责人", "role: lead（团队代表）"),
    ],
)
def test_a_choice_written_in_chinese_names_the_code_to_write(
    portal: Path, old: str, new: str, line: str
) -> None:
    path = NOTICE if old.startswith("kind") else ACHIEVEMENT
    replace(portal, path, old, new)
    (problem,) = check_problems(portal, TODAY)
    assert problem.code == "value-not-allowed"
    assert problem.params["suggestion"] == f"请改为 {line}。"


def test_a_chinese_value_that_negates_a_label_is_not_read_as_it(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "funding: fiscal", "funding: 非财政资金")
    (problem,) = check_problems(portal, TODAY)
    assert "fiscal" not in problem.params["suggestion"]


def test_a_chinese_value_that_names_no_code_gets_the_list_alone(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "funding: fiscal", "funding: 自筹")
    (problem,) = check_problems(portal, TODAY)
    assert problem.params["suggestion"] == ""


def test_a_value_plainly_meant_still_lets_the_rules_speak_in_the_same_round(portal: Path) -> None:
    # A clerk fixing 2023年5月12日 should not learn of the check digit and the shares only next time.
    replace(portal, ACHIEVEMENT, "granted_on: 2023-05-12", "granted_on: 2023年5月12日")
    replace(portal, ACHIEVEMENT, "ZL202110123456.7", "ZL202110123456.3")
    replace(portal, ACHIEVEMENT, "share: 40}", "share: 30}")
    result = check_portal(portal, TODAY)
    assert {problem.code for problem in result.problems} == {
        "date-invalid",
        "patent-check-digit",
        "shares-not-100",
    }
    assert result.record_count == 3  # policy, institution, notice: the achievement read as meant is not valid


def test_a_value_not_plainly_meant_leaves_the_record_unread(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "granted_on: 2023-05-12", "granted_on: 去年")
    replace(portal, ACHIEVEMENT, "share: 40}", "share: 30}")
    assert {problem.code for problem in check_problems(portal, TODAY)} == {"date-invalid"}


@pytest.mark.parametrize("amount", ['"1e400"', '"Infinity"', '"NaN"', "1" + "0" * 400])
def test_an_amount_no_deal_could_have_is_unreadable_not_a_crash(deal_portal: Path, amount: str) -> None:
    replace(deal_portal, DEAL, "price_yuan: 1200000", f"price_yuan: {amount}")
    assert {problem.code for problem in check_problems(deal_portal, TODAY)} == {"money-unreadable"}


def test_a_number_asked_for_in_quotes_keeps_its_leading_zero(portal: Path) -> None:
    replace(portal, INSTITUTION, "phone: 0797-8888888", "phone: 07978888888")
    (problem,) = check_problems(portal, TODAY)
    assert problem.params["value"] == "07978888888"


def test_a_missing_field_hint_is_its_description(portal: Path) -> None:
    replace(portal, NOTICE, "title: 关于赣南科学院职务科技成果赋权的公示\n", "")
    (problem,) = check_problems(portal, TODAY)
    assert problem.params["hint"] == "公示标题"
    assert problem.params["key"] == "title"
    assert render(problem)[1].endswith("Add a line 'title: ...' (text).")


@pytest.mark.parametrize(
    ("old", "new", "field", "gloss"),
    [
        ("period: {start: 2024-03-04, end: 2024-03-18}", "period: {start: 2024-03-04}", "period.end",
         "(a date, such as 2025-09-12)"),
        ("kind: ownership_grant\n", "", "kind",
         "(one of: ownership_grant, long_term_use_grant, negotiated_price, reward)"),
        ("achievements: [gnas-2024-001]\n", "", "achievements",
         "(a list, one line starting with '- ' for each item)"),
        # Percent | None: the type's own gloss, through the Optional.
        ("lead_reward_share_min: 50\n", "", "lead_reward_share_min", "(a percentage, such as 70)"),
    ],
)  # fmt: skip
def test_a_missing_field_gloss_says_what_its_value_looks_like(
    portal: Path, old: str, new: str, field: str, gloss: str
) -> None:
    replace(portal, POLICY if field.startswith("lead_") else NOTICE, old, new)
    (problem,) = check_problems(portal, TODAY)
    assert (problem.code, problem.field) == ("field-missing", field)
    assert render(problem)[1].endswith(f"{gloss}.")


def test_an_upper_case_reference(portal: Path) -> None:
    replace(portal, NOTICE, "achievements: [gnas-2024-001]", "achievements: [GNAS-2024-001]")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("id-invalid", NOTICE, 6, "achievements[0]")
    assert "gnas-2024-001" in problem.params["suggestion"]


def test_a_sha256_that_is_not_one(portal: Path) -> None:
    replace(
        portal,
        NOTICE,
        "outcome:",
        "attachments:\n  - {title: 协议, file: attachments/a.pdf, sha256: 3f5a…}\noutcome:",
    )
    assert problem_keys(portal, TODAY) == {("sha256-invalid", NOTICE, 11, "attachments[0].sha256")}


def test_several_wrong_values_are_all_reported(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "share: 40", "share: 40%")
    replace(portal, ACHIEVEMENT, "funding: fiscal", "funding: state")
    replace(portal, NOTICE, "start: 2024-03-04", "start: 2024-02-30")
    replace(portal, POLICY, "pilot_years: 3", "pilot_years: three")
    assert problem_keys(portal, TODAY) == {
        ("percent-not-number", ACHIEVEMENT, 12, "team[1].share"),
        ("value-not-allowed", ACHIEVEMENT, 9, "funding"),
        ("date-invalid", NOTICE, 5, "period.start"),
        ("not-integer", POLICY, 12, "pilot_years"),
    }


def test_references_to_a_broken_record_are_not_reported_again(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "funding: fiscal", "funding: state")
    replace(portal, INSTITUTION, "pilot_approved_on: 2024-02-23", "pilot_approved_on: soon")
    assert problem_keys(portal, TODAY) == {
        ("value-not-allowed", ACHIEVEMENT, 9, "funding"),
        ("date-invalid", INSTITUTION, 4, "pilot_approved_on"),
    }


def test_a_count_written_with_its_unit_gives_the_number_and_is_read_as_meant(portal: Path) -> None:
    # `years: 8年` means 8: told to write 8, and checked as 8 in the same round (too short).
    replace(
        portal,
        ACHIEVEMENT,
        "  mode: ownership\n  team_share: 70\n",
        "  mode: long_term_use\n  years: 8年\n  license: sole\n  starts_on: 2024-05-08\n",
    )
    problems = {problem.code: problem for problem in check_problems(portal, TODAY)}
    # (The notice of this achievement grants ownership: that the modes differ is reported too.)
    assert set(problems) == {"not-integer", "long-term-use-too-short", "notice-grant-mode-mismatch"}
    assert problems["not-integer"].params["fix"] == "请改为 8。"


@pytest.mark.parametrize(
    ("written", "flag"),
    [("否", "false"), ("是", "true"), ("没有", "false"), ("yes", "true"), ("Off", "false")],
)
def test_yes_or_no_in_chinese_for_a_flag_gives_the_word_to_write(
    portal: Path, written: str, flag: str
) -> None:
    append(portal, ACHIEVEMENT, f"classified: {written}\n")
    problems = {problem.code: problem for problem in check_problems(portal, TODAY)}
    assert problems["not-boolean"].params["fix"] == f"请改为 {flag}。"
    # Read as meant, `是` makes the achievement classified, which the rules then report.
    assert ("achievement-classified" in problems) == (flag == "true")


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("纪检监察室", None),  # a department, not a number
        ("“0797-8888888”", "中文引号"),
        ("０７９７－８８８８８８８", "全角"),
    ],
)
def test_a_telephone_must_be_a_number(portal: Path, written: str, hint: str | None) -> None:
    replace(portal, NOTICE, "phone: 0797-8888888", f"phone: {written}")
    (problem,) = check_problems(portal, TODAY)
    if hint is None:
        assert problem.key() == ("phone-invalid", NOTICE, 7, "objections.phone")
        assert problem.params["suggestion"] == ""
    else:  # a number, only written otherwise: not told it is none, but what to write
        assert problem.key() == ("phone-written", NOTICE, 7, "objections.phone")
        assert hint in problem.params["suggestion"] and '"0797-8888888"' in problem.params["suggestion"]


@pytest.mark.parametrize(
    ("code", "field", "old", "written", "meant"),
    [
        ("date-invalid", "period.end", "end: 2024-03-18", "end: “2024-03-18”", "2024-03-18"),
        (
            "email-invalid",
            "objections.email",
            "email: kjc@gnas.example.cn",
            "email: “kjc@gnas.example.cn”",
            "kjc@gnas.example.cn",
        ),
    ],
)
def test_a_value_in_chinese_quotes_is_told_to_lose_them(
    portal: Path, code: str, field: str, old: str, written: str, meant: str
) -> None:
    # YAML does not read “ ” as quotes: they stay in the value, and it is no date or address.
    replace(portal, NOTICE, old, written)
    (problem,) = check_problems(portal, TODAY)
    assert (problem.code, problem.field) == (code, field)
    assert problem.params["suggestion"] == f"这里用了中文引号，YAML 不把它当作引号：请去掉，写成 {meant}。"


@pytest.mark.parametrize("written", ["【gnas-2024-001】", "［gnas-2024-001］"])
def test_a_list_in_chinese_brackets_is_told_to_use_square_ones(portal: Path, written: str) -> None:
    # It was told to write [【gnas-2024-001】]: the brackets were meant, only not these.
    replace(portal, NOTICE, "achievements: [gnas-2024-001]", f"achievements: {written}")
    problems = {problem.code: problem for problem in check_problems(portal, TODAY)}
    assert render(problems["not-a-list"])[0].startswith(
        "achievements 应为列表，用英文方括号：即使只有一项，也请写成 [gnas-2024-001]，"
    )


# --- money -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code", "suggestion"),
    [
        ('"120万元"', "money-not-integer", "1200000"),
        ("120万元", "money-not-integer", "1200000"),
        ('"1,200,000"', "money-not-integer", "1200000"),
        ("1,200,000元", "money-not-integer", "1200000"),
        ("12.5万", "money-not-integer", "125000"),
        ("1.2亿元", "money-not-integer", "120000000"),
        ("人民币 1200000 元", "money-not-integer", "1200000"),
        ("1200000.0", "money-not-integer", "1200000"),
        ("1.2e6", "money-not-integer", "1200000"),
        ("一百二十万", "money-unreadable", None),
        ("120.5", "money-unreadable", None),  # 120.5 yuan or 120.5万元? never guessed
        ("true", "money-unreadable", None),
        ("-5", "money-negative", None),
    ],
)
def test_money_is_whole_yuan_and_the_message_shows_the_integer(
    deal_portal: Path, written: str, code: str, suggestion: str | None
) -> None:
    replace(deal_portal, DEAL, "price_yuan: 1200000", f"price_yuan: {written}")
    (problem,) = check_problems(deal_portal, TODAY)
    assert problem.key() == (code, DEAL, 11, "deal.price_yuan")
    assert problem.params.get("suggestion") == suggestion


def test_money_as_text_message_contains_the_integer_to_write(deal_portal: Path) -> None:
    from generator.messages import render

    replace(deal_portal, DEAL, "price_yuan: 1200000", 'price_yuan: "120万元"')
    (problem,) = check_problems(deal_portal, TODAY)
    zh, en = render(problem)
    assert "price_yuan: 1200000" in zh and "price_yuan: 1200000" in en


def test_money_in_a_list_item(reward_portal: Path) -> None:
    replace(reward_portal, REWARD, "yuan: 320000", "yuan: 32万")
    assert problem_keys(reward_portal, TODAY) == {
        ("money-not-integer", REWARD, 12, "reward.recipients[1].yuan")
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120万元", 1_200_000),
        ("120 万元", 1_200_000),
        ("１２０万元", 1_200_000),
        ("1,200,000", 1_200_000),
        ("1，200，000元", 1_200_000),
        ("0.5亿", 50_000_000),
        (1200000.0, 1_200_000),
        ("12.345678万", None),
        ("about 100", None),
        (-3.0, None),
        (None, None),
    ],
)
def test_suggest_yuan(value: object, expected: int | None) -> None:
    assert suggest_yuan(value) == expected


# --- the fallback for errors the catalogue does not name ---------------------------------------------


class _Constrained(BaseModel):
    count: int = Field(gt=0)


def test_an_unnamed_validation_error_becomes_value_invalid() -> None:
    """Not reachable from the record models (every constraint there raises a catalogue code), but
    a model added later must still give a located problem, never a traceback."""
    source = parse_record_bytes(b"count: 0\n", "policies/x.yml")
    record, problems = validate_record(_Constrained, source)
    assert record is None
    assert [problem.key() for problem in problems] == [("value-invalid", "policies/x.yml", 1, "count")]
    assert problems[0].params["value"] == "0"
    assert problems[0].params["detail"]


def test_a_record_using_every_optional_field_loads(tmp_path: Path) -> None:
    from generator.check import check_portal
    from tests.conftest import FULL_TODAY, write_full_portal

    write_full_portal(tmp_path)
    result = check_portal(tmp_path, FULL_TODAY)
    assert result.problems == []
    catalog = result.catalog
    notice = catalog.notices["gnas-2024-n01"].record
    assert notice.period.end_time == "17:00"
    assert notice.attachments[0].file == "attachments/gnas-2024-n01.pdf"
    assert notice.amendments[0].restart is False
    deal = catalog.notices["gnas-2024-n02"].record.deal
    assert deal is not None and deal.appraised_yuan == 1_150_000 and deal.price_yuan == 1_200_000
    reward = catalog.notices["gnas-2024-n03"].record.reward
    assert reward is not None and reward.recipients[1].approval
    institution = catalog.institutions["gnas"].record
    assert (institution.notice_min_days, institution.day_counting) == (20, "working")
    assert institution.contact.address
    grant = catalog.achievements["gnas-2024-001"].record.grant
    assert grant is not None and (grant.years, grant.license, str(grant.starts_on)) == (
        10,
        "exclusive",
        "2024-04-01",
    )
    policy = catalog.policies["ganzhou-2023"].record
    assert policy.jurisdiction == "赣州市" and policy.source_url
    assert catalog.achievements["gnas-2024-002"].record.rights == []


def test_the_optional_fields_can_be_null(portal: Path) -> None:
    append(portal, INSTITUTION, "notice_min_days: null\nday_counting: null\n")
    replace(portal, NOTICE, "end: 2024-03-18}", "end: 2024-03-18, end_time: null}")
    replace(portal, ACHIEVEMENT, "summary: |", "classified: false\nnegative_list: false\nsummary: |")
    assert problem_keys(portal, TODAY) == set()


# --- full-width characters from a Chinese input method -------------------------------------------


@pytest.mark.parametrize(
    ("relative", "old", "new", "key", "meant"),
    [
        (
            NOTICE,
            "start: 2024-03-04",
            "start: ２０２４－０３－０４",
            ("date-invalid", NOTICE, 5, "period.start"),
            "2024-03-04",
        ),
        (
            NOTICE,
            "end: 2024-03-18}",
            "end: 2024-03-18, end_time: '１７：００'}",
            ("time-invalid", NOTICE, 5, "period.end_time"),
            '"17:00"',
        ),
    ],
)
def test_a_full_width_value_is_shown_in_half_width(
    portal: Path, relative: str, old: str, new: str, key: tuple[str, str, int, str], meant: str
) -> None:
    replace(portal, relative, old, new)
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == key
    assert meant in problem.params["suggestion"] and meant in problem.params["suggestion_en"]


def test_a_full_width_id_is_suggested_in_half_width(portal: Path) -> None:
    replace(portal, NOTICE, "achievements: [gnas-2024-001]", "achievements: [ｇｎａｓ-2024-001]")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("id-invalid", NOTICE, 6, "achievements[0]")
    assert "gnas-2024-001" in problem.params["suggestion"]


def test_an_id_with_a_line_break_is_refused_and_quoted_on_one_line(portal: Path) -> None:
    replace(portal, INSTITUTION, "id: gnas", "id: |\n  gnas")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("id-invalid", INSTITUTION, 1, "id")
    assert problem.params["value"] == "gnas↵"


# --- any value in any field: located problems, never a traceback -----------------------------------


def _paths(node: object, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "",
            "on",
            "2025-02-30",
            "２０２４－０３－０４",
            "17:00",
            "120万元",
            "<b>x</b>",
            "../x",
            "ZL202110123456.3",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data())
def test_any_value_in_any_field_gives_located_problems(data: st.DataObject) -> None:
    import tempfile

    import yaml

    from generator.check import check_portal
    from generator.yaml_source import parse_record_bytes
    from tests.conftest import FULL_RECORDS, FULL_TODAY, assert_renders, write_full_portal

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_full_portal(root)
        relative = data.draw(st.sampled_from(sorted(FULL_RECORDS)))
        record = parse_record_bytes((root / relative).read_bytes(), relative).data
        path = data.draw(st.sampled_from(_paths(record)))
        target = record
        for part in path[:-1]:
            target = target[part]  # type: ignore[index]
        target[path[-1]] = data.draw(_VALUES)  # type: ignore[index]
        (root / relative).write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
        problems = check_portal(root, FULL_TODAY).problems
        for problem in problems:
            assert_renders(problem)
            assert problem.line >= 1 and problem.column >= 1


@pytest.mark.parametrize("written", ["{草案}", "[草案]"])
def test_brackets_read_as_a_list_or_mapping_are_quoted_as_written(portal: Path, written: str) -> None:
    replace(portal, NOTICE, "title: 关于赣南科学院职务科技成果赋权的公示", f"title: {written}  # 待定")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("not-text", NOTICE, 4, "title")
    assert problem.params["value"] == written


def test_a_chinese_key_is_taken_for_text_left_unindented(portal: Path) -> None:
    # `body: |` with its first paragraph at the margin: YAML reads 联系人 as a key, body as empty.
    replace(portal, NOTICE, "body: |\n  经单位审批，", "body: |\n联系人: 张老师。经单位审批，")
    unknown = [problem for problem in check_problems(portal, TODAY) if problem.code == "unknown-key"]
    assert [problem.key() for problem in unknown] == [("unknown-key", NOTICE, 9, "联系人")]
    assert "行首加两个空格" in unknown[0].params["suggestion"]
