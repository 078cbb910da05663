"""The catalogue of problem codes: well formed, every code raised by the generator and triggered by a
test of this suite, and every message renders in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.messages import CATALOGUE, GROUPS, render
from generator.problems import Problem, Severity, field_path, sorted_unique

TESTS = Path(__file__).parent
GENERATOR = TESTS.parent / "generator"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Codes of pull-request review against the published record: tested with that feature.
NOT_YET = {"changes"}
# The suite of the record foundation; each of these files triggers codes and asserts their keys.
SUITE = [
    "conftest.py",
    "test_yaml_source.py",
    "test_schema_problems.py",
    "test_day_counting.py",
    "test_registration_numbers.py",
    "test_check_cli.py",
    "test_schemas.py",
    "test_hostile_input.py",
    *sorted(path.name for path in TESTS.glob("test_rules*.py")),
]


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_a_catalogue_entry_is_well_formed(code: str) -> None:
    message = CATALOGUE[code]
    assert message.code == code
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", code)
    assert message.group in GROUPS
    assert isinstance(message.severity, Severity)
    assert CHINESE.search(message.zh), "the Chinese message is the one clerks read"
    assert not CHINESE.search(message.en), "the English gloss is English"
    assert message.zh.rstrip().endswith(("。", "）", "}")) and message.en.strip()


def test_codes_in_the_suite() -> None:
    """Every code (but those of features still to come) is triggered by a test of this suite,
    which asserts its (code, file, line, field): a code no test reaches is a rule nobody checked."""
    text = "\n".join((TESTS / name).read_text(encoding="utf-8") for name in SUITE)
    missing = [
        code
        for code, message in CATALOGUE.items()
        if message.group not in NOT_YET and f'"{code}"' not in text
    ]
    assert missing == []


def test_every_code_is_raised_by_the_generator() -> None:
    """No dead entries: each code is written somewhere in the generator besides the catalogue."""
    sources = "\n".join(
        path.read_text(encoding="utf-8") for path in GENERATOR.rglob("*.py") if path.name != "messages.py"
    )
    assert [code for code in CATALOGUE if f'"{code}"' not in sources] == []


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_message_renders_even_without_its_values(code: str) -> None:
    """A missing value leaves a gap, never a traceback in a clerk's report (tests of the rules check
    that every value is there: tests/conftest.py, assert_renders)."""
    zh, en = render(Problem(code, "notices/gnas/2024/gnas-2024-n01.yml", 5, 3, "period.end"))
    message = CATALOGUE[code]
    assert zh.count("{") == message.zh.count("{{") and en.count("{") == message.en.count("{{")
    assert zh.strip() and en.strip()


def test_a_message_fills_its_values() -> None:
    problem = Problem("shares-not-100", "achievements/gnas/gnas-2024-001.yml", 10, 1, "team", {"total": "90"})
    zh, en = render(problem)
    assert zh == "团队成员的分配比例合计为 90%，应为 100%。请调整 team 中各成员的 share。"
    assert en == "The team's shares add up to 90%, not 100%. Adjust the members' share values."


def test_the_field_placeholder_names_the_field_or_the_file() -> None:
    assert "period.end" in render(Problem("text-empty", "x.yml", field="period.end"))[0]
    assert "（文件）" in render(Problem("text-empty", "x.yml"))[0]


def test_a_clerk_reads_items_counted_from_one_and_tools_from_zero() -> None:
    # team[1] is the second member: the Chinese says so; the English gloss keeps the path.
    zh, en = render(Problem("text-empty", "x.yml", field="team[1].name"))
    assert zh.startswith("team 第 2 项的 name") and "team[1].name" in en
    assert render(Problem("text-empty", "x.yml", field="achievements[0]"))[0].startswith(
        "achievements 第 1 项"
    )


def test_an_unknown_code_is_a_bug_not_a_record_problem() -> None:
    with pytest.raises(KeyError):
        Problem("no-such-code", "x.yml")


def test_warnings_are_the_soft_rules() -> None:
    warnings = {code for code, message in CATALOGUE.items() if message.severity is Severity.WARNING}
    assert {
        "notice-closed-without-outcome",
        "ownership-share-below-floor",
        "deal-foreign-counterparty",
        "deal-appraised-far",
        "history-in-future",
        "notice-after-pilot",
        "notice-not-listing-achievement",
    } <= warnings
    assert "notice-period-too-short" not in warnings


def test_problems_sort_by_place_and_drop_repeats() -> None:
    b = Problem("text-empty", "b.yml", 2, 1, "title")
    a2 = Problem("text-empty", "a.yml", 10, 1, "title")
    a1 = Problem("not-text", "a.yml", 9, 5, "id", {"value": "1"})
    assert sorted_unique([b, a2, a1, b]) == [a1, a2, b]


def test_field_paths() -> None:
    assert field_path(("team", 1, "share")) == "team[1].share"
    assert field_path(("reward", "recipients", 0)) == "reward.recipients[0]"
    assert field_path(()) == ""
