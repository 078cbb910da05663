"""`portal new`: skeletons with the next free id and the earliest allowed end; a notice naming its
achievements passes `portal check` unchanged, and without them the check names exactly the fields
left to fill."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.check import check_portal
from generator.cli import main
from generator.skeletons import new_achievement, new_notice, next_achievement_id, next_notice_id

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
TODAY = date(2025, 9, 22)


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    shutil.copytree(FIXTURE, root)
    return root


def _errors(root: Path, relative: str) -> set[tuple[str, str, int, str]]:
    return {
        problem.key()
        for problem in check_portal(root, TODAY).problems
        if problem.file == relative and problem.is_error
    }


def test_next_free_ids(portal: Path) -> None:
    assert next_notice_id(portal, "gnas", 2024) == "gnas-2024-n02"
    assert next_notice_id(portal, "gnas", 2025) == "gnas-2025-n01"
    assert next_achievement_id(portal, "gnas", 2025) == "gnas-2025-002"  # numbers run on across years


def test_notice_with_its_achievements_passes_the_check_unchanged(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["new", "notice", "--institution", "gnas", "--achievement", "gnas-2024-001"]
    assert main([*arguments, "--today", TODAY.isoformat(), str(portal)]) == 0
    relative = "notices/gnas/2025/gnas-2025-n01.yml"
    assert capsys.readouterr().out.strip() == relative
    text = (portal / relative).read_text(encoding="utf-8")
    assert "start: 2025-09-22" in text
    assert "end: 2025-10-06" in text  # 15 calendar days under ganzhou-2023
    commented = {line.split(":")[0].strip() for line in text.splitlines() if "  # " in line}
    assert {"id", "kind", "title", "start", "end", "achievements", "objections", "body"} <= commented
    assert _errors(portal, relative) == set()
    assert not [problem for problem in check_portal(portal, TODAY).problems if problem.file == relative]


def test_working_days_give_the_earliest_end(portal: Path) -> None:
    institution = portal / "institutions" / "gnas.yml"
    institution.write_text(institution.read_text("utf-8") + "day_counting: working\n", "utf-8")
    skeleton = new_notice(portal, "gnas", TODAY, achievements=("gnas-2024-001",))
    # 15 working days from 2025-09-22 over the National Day holiday (10-01 to 10-08, 09-28 and 10-11 worked)
    assert "end: 2025-10-16" in skeleton.text
    assert _errors(portal, "notices/gnas/2025/gnas-2025-n01.yml") == set()


def test_notice_without_achievements_names_the_field_to_fill(portal: Path) -> None:
    skeleton = new_notice(portal, "gnas", TODAY)
    relative = skeleton.path.relative_to(portal).as_posix()
    assert _errors(portal, relative) == {("list-too-short", relative, 9, "achievements")}


def test_negotiated_price_names_the_deal_fields_to_fill(portal: Path) -> None:
    skeleton = new_notice(portal, "gnas", TODAY, kind="negotiated_price", achievements=("gnas-2024-001",))
    relative = skeleton.path.relative_to(portal).as_posix()
    assert {(code, field) for code, _, _, field in _errors(portal, relative)} == {
        ("value-not-allowed", "deal.mode"),
        ("text-empty", "deal.counterparty"),
        ("value-not-allowed", "deal.counterparty_type"),
        ("money-unreadable", "deal.price_yuan"),
        ("value-not-allowed", "deal.asset_evaluation"),
    }


def test_achievement_names_the_fields_to_fill(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["new", "achievement", "--institution", "gnas", "--today", TODAY.isoformat(), str(portal)]) == 0
    )
    relative = "achievements/gnas/gnas-2025-002.yml"
    assert capsys.readouterr().out.strip() == relative
    assert {(code, field) for code, _, _, field in _errors(portal, relative)} == {
        ("text-empty", "title"),
        ("value-not-allowed", "type"),
        ("value-not-allowed", "funding"),
        ("list-too-short", "team"),
        ("value-not-allowed", "incentive"),
    }


def test_a_second_skeleton_takes_the_next_id(portal: Path) -> None:
    first = new_achievement(portal, "gnas", TODAY)
    second = new_achievement(portal, "gnas", TODAY)
    assert (first.record_id, second.record_id) == ("gnas-2025-002", "gnas-2025-003")


def test_unknown_institution_or_achievement_exits_1(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "notice", "--institution", "nope", str(portal)]) == 1
    assert (
        main(["new", "notice", "--institution", "gnas", "--achievement", "gnas-2024-999", str(portal)]) == 1
    )
    assert "gnas-2024-999" in capsys.readouterr().out
    assert sorted(path.name for path in (portal / "notices" / "gnas").rglob("*.yml")) == ["gnas-2024-n01.yml"]


@pytest.mark.parametrize(
    ("written", "kind"),
    [("所有权", "ownership_grant"), ("协议定价", "negotiated_price"), ("reward", "reward")],
)
def test_the_kind_may_be_given_by_its_chinese_name(portal: Path, written: str, kind: str) -> None:
    assert (
        main(
            [
                "new",
                "notice",
                "--institution",
                "gnas",
                "--kind",
                written,
                "--today",
                TODAY.isoformat(),
                str(portal),
            ]
        )
        == 0
    )
    (written_file,) = (portal / "notices" / "gnas").rglob(f"gnas-{TODAY.year}-n*.yml")
    assert f"kind: {kind}" in written_file.read_text(encoding="utf-8")


def test_an_unknown_kind_lists_the_kinds_in_chinese(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["new", "notice", "--institution", "gnas", "--kind", "公示", str(portal)])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "参数有误" in error and "negotiated_price（协议定价公示）" in error
