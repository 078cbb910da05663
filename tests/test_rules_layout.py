"""Where records live and what they refer to: file names, folders, ids and references."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from generator.messages import render
from tests.conftest import (
    ACHIEVEMENT,
    FIXTURE,
    INSTITUTION,
    NOTICE,
    TODAY,
    check_problems,
    problem_keys,
    replace,
    write,
)


def move(root: Path, relative: str, to: str) -> None:
    target = root / to
    target.parent.mkdir(parents=True, exist_ok=True)
    (root / relative).rename(target)


# --- files and folders ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gnas-2024-n01.yaml", "gnas-2024-n01.YML", "gnas-2024-n01.Yaml"])
def test_a_record_file_ends_in_yml(portal: Path, name: str) -> None:
    move(portal, NOTICE, f"notices/gnas/2024/{name}")
    problems = check_problems(portal, TODAY)
    # The achievement's history still names the notice: it exists, so that is not reported.
    assert [problem.key() for problem in problems] == [("file-extension", f"notices/gnas/2024/{name}", 1, "")]
    assert problems[0].params["suggestion"] == "gnas-2024-n01.yml"
    assert problems[0].params["extension"] == name[name.index(".") :]


def test_files_that_are_not_yaml_are_left_alone(portal: Path) -> None:
    write(portal, "notices/gnas/2024/README.md", "说明\n")
    write(portal, "notices/gnas/attachments/a.pdf", b"%PDF")
    # Text attachments and notes that are not records, even where a record would be.
    write(portal, "notices/gnas/attachments/说明.txt", "id: 这是附件\n")
    write(portal, "notices/gnas/attachments/LICENSE", "id: x\n")
    write(portal, "notices/gnas/2024/说明.txt", "本年度公示说明\n")
    write(portal, "policies/README", "政策文件说明\n")
    write(portal, "公示材料/a.yml", "a: 1\n")
    assert problem_keys(portal, TODAY) == set()


@pytest.mark.parametrize(
    ("name", "code", "suggestion"),
    [
        ("gnas-2024-n01.yml.txt", "file-extension", "gnas-2024-n01.yml"),
        ("gnas-2024-n01.txt", "file-extension", "gnas-2024-n01.yml"),
        ("gnas-2024-n01.yaml.bak", "file-extension", "gnas-2024-n01.yml"),
        ("gnas-2024-n01", "file-no-extension", "gnas-2024-n01.yml"),
    ],
)
def test_a_record_saved_under_another_name_is_not_left_out_in_silence(
    portal: Path, name: str, code: str, suggestion: str
) -> None:
    move(portal, NOTICE, f"notices/gnas/2024/{name}")
    problems = check_problems(portal, TODAY)
    # The achievement's history still names the notice: it exists, so that is not reported.
    assert [problem.key() for problem in problems] == [(code, f"notices/gnas/2024/{name}", 1, "")]
    assert problems[0].params["suggestion"] == suggestion


@pytest.mark.parametrize(
    ("folder", "meant"), [("notice", "notices"), ("Achievements", "achievements"), ("公示", "notices")]
)
def test_a_misnamed_record_folder_is_reported(portal: Path, folder: str, meant: str) -> None:
    write(portal, f"{folder}/gnas/2024/gnas-2024-n09.yml", "id: gnas-2024-n09\n")
    if meant == "notices":  # moved there, the notice an achievement names is not called missing
        move(portal, NOTICE, f"{folder}/gnas/2024/gnas-2024-n01.yml")
    write(portal, "tools/settings.yml", "a: 1\n")  # an unrelated folder with YAML is not a mistake
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("folder-misnamed", f"{folder}/", 1, "")
    assert problem.params == {"folder": f"{folder}/", "meant": meant}


def test_a_notice_saved_among_the_achievements_is_told_where_it_goes(portal: Path) -> None:
    move(portal, NOTICE, "achievements/gnas/gnas-2024-n01.yml")
    problems = [
        problem for problem in check_problems(portal, TODAY) if problem.file.startswith("achievements/")
    ]
    assert [problem.key() for problem in problems] == [
        ("record-in-wrong-folder", "achievements/gnas/gnas-2024-n01.yml", 1, "")
    ]
    assert problems[0].params["target"] == "notices/gnas/2024/gnas-2024-n01.yml"


def test_an_achievement_saved_among_the_notices_is_told_where_it_goes(portal: Path) -> None:
    move(portal, ACHIEVEMENT, "notices/gnas/2024/gnas-2024-001.yml")
    problems = [problem for problem in check_problems(portal, TODAY) if problem.file.startswith("notices/")]
    assert [problem.key() for problem in problems] == [
        ("record-in-wrong-folder", "notices/gnas/2024/gnas-2024-001.yml", 1, "")
    ]
    assert problems[0].params["target"] == "achievements/gnas/gnas-2024-001.yml"


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (NOTICE, "notices/gnas/gnas-2024-n01.yml"),
        (NOTICE, "notices/gnas/24/gnas-2024-n01.yml"),
        (NOTICE, "notices/gnas-2024-n01.yml"),
        (ACHIEVEMENT, "achievements/gnas-2024-001.yml"),
        (ACHIEVEMENT, "achievements/gnas/2024/gnas-2024-001.yml"),
        (INSTITUTION, "institutions/gnas/gnas.yml"),
        ("policies/ganzhou-2023.yml", "policies/cities/ganzhou-2023.yml"),
    ],
)
def test_a_record_in_the_wrong_folder(portal: Path, source: str, target: str) -> None:
    move(portal, source, target)
    keys = problem_keys(portal, TODAY)
    assert ("file-misplaced", target, 1, "") in keys
    # Records that refer to the misplaced one are not told it does not exist.
    assert not {key for key in keys if key[0].startswith("unknown-")}
    # The message names where the file goes: where it came from.
    (problem,) = [problem for problem in check_problems(portal, TODAY) if problem.code == "file-misplaced"]
    assert f"这个文件请移到 {source}。" == problem.params["move"]


def test_a_symbolic_link_is_reported_not_followed(portal: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text("id: secret\n", encoding="utf-8")
    (portal / "policies/secret.yml").symlink_to(outside)
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [("file-symlink", "policies/secret.yml", 1, "")]
    assert problems[0].params["target"] == str(outside)


def test_a_folder_without_any_record_folder_is_not_a_clean_portal(tmp_path: Path) -> None:
    assert problem_keys(tmp_path, TODAY) == {("portal-no-records", ".", 1, "")}


def test_a_portal_without_notices_yet_is_fine(portal: Path) -> None:
    import shutil

    shutil.rmtree(portal / "notices")
    replace(portal, ACHIEVEMENT, "  - {date: 2024-03-04, event: noticed, notice: gnas-2024-n01}\n", "")
    assert problem_keys(portal, TODAY) == set()


# --- ids and folders agree ---------------------------------------------------------------------------


def test_a_file_named_unlike_its_id(portal: Path) -> None:
    move(portal, NOTICE, "notices/gnas/2024/gnas-2024-x.yml")
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [
        ("id-not-file-name", "notices/gnas/2024/gnas-2024-x.yml", 1, "id")
    ]
    assert problems[0].params["id"] == "gnas-2024-n01" and problems[0].params["stem"] == "gnas-2024-x"
    assert "请把 id 改为 gnas-2024-x，或把文件改名为 gnas-2024-n01.yml" in problems[0].params["fix"]


@pytest.mark.parametrize(
    ("name", "fix"),
    [
        ("公示.yml", "文件名不能作编号：请把文件改名为 gnas-2024-n01.yml"),
        ("gnas-2024-n01 .yml", "文件名里多了空格"),
    ],
)
def test_a_file_name_that_cannot_be_the_id_is_to_be_renamed(portal: Path, name: str, fix: str) -> None:
    move(portal, NOTICE, f"notices/gnas/2024/{name}")
    (problem,) = [problem for problem in check_problems(portal, TODAY) if problem.code == "id-not-file-name"]
    assert fix in problem.params["fix"] and "请把 id 改为" not in problem.params["fix"]


def test_an_achievement_in_another_institutions_folder(portal: Path) -> None:
    write(
        portal,
        "institutions/gnit.yml",
        (FIXTURE / INSTITUTION).read_text(encoding="utf-8").replace("gnas", "gnit"),
    )
    move(portal, ACHIEVEMENT, "achievements/gnit/gnas-2024-001.yml")
    assert problem_keys(portal, TODAY) == {
        ("institution-not-folder", "achievements/gnit/gnas-2024-001.yml", 2, "institution")
    }


def test_a_notice_in_the_folder_of_another_year(portal: Path) -> None:
    move(portal, NOTICE, "notices/gnas/2025/gnas-2024-n01.yml")
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [
        ("notice-year-folder", "notices/gnas/2025/gnas-2024-n01.yml", 5, "period.start")
    ]
    assert problems[0].params["expected"] == "notices/gnas/2024/"


def test_two_records_with_one_id(portal: Path) -> None:
    write(portal, "notices/gnas/2024/gnas-2024-n02.yml", (portal / NOTICE).read_text(encoding="utf-8"))
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("duplicate-id", "notices/gnas/2024/gnas-2024-n02.yml", 1, "id")
    # Copied and renamed, its id left: the file's name is the id meant.
    assert problem.params["fix"] == "请把 id 改为 gnas-2024-n02，与文件名一致。"


def test_a_copy_that_sorts_before_its_original_is_the_one_told_to_change(portal: Path) -> None:
    # gnas-2024-000.yml, a copy of gnas-2024-001.yml, is read first: the original was told to
    # change its id, which would break the published record and the notices naming it.
    copy = "achievements/gnas/gnas-2024-000.yml"
    write(portal, copy, (portal / ACHIEVEMENT).read_text(encoding="utf-8"))
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [("duplicate-id", copy, 1, "id")]
    assert problems[0].params["fix"] == "请把 id 改为 gnas-2024-000，与文件名一致。"
    assert problems[0].params["other"] == ACHIEVEMENT


def test_two_files_of_one_name_and_id_are_told_to_choose_another(portal: Path) -> None:
    write(portal, "notices/gnas/2025/gnas-2024-n01.yml", (portal / NOTICE).read_text(encoding="utf-8"))
    problems = check_problems(portal, TODAY)
    (duplicate,) = [problem for problem in problems if problem.code == "duplicate-id"]
    assert duplicate.params["fix"] == "请换一个未使用的编号（并同时修改文件名）。"


# --- references ------------------------------------------------------------------------------------------


def test_a_dangling_achievement_reference_suggests_the_near_id(portal: Path) -> None:
    replace(portal, NOTICE, "achievements: [gnas-2024-001]", "achievements: [gnas-2024-01]")
    problems = check_problems(portal, TODAY)
    keys = {problem.key() for problem in problems}
    assert keys == {
        ("unknown-achievement", NOTICE, 6, "achievements[0]"),
        ("notice-not-listing-achievement", ACHIEVEMENT, 21, "history[1].notice"),
    }
    (unknown,) = [problem for problem in problems if problem.code == "unknown-achievement"]
    # With its title: ids run in order, and the nearest may be another achievement.
    assert "是不是 gnas-2024-001（一种离子型稀土矿绿色高效提取方法）？" in unknown.params["suggestion"]


def test_a_dangling_notice_reference(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "notice: gnas-2024-n01}", "notice: gnas-2024-n09}")
    assert problem_keys(portal, TODAY) == {("unknown-notice", ACHIEVEMENT, 21, "history[1].notice")}


def test_a_begun_grant_notice_missing_from_the_history_says_the_line_to_add(portal: Path) -> None:
    replace(portal, ACHIEVEMENT, "  - {date: 2024-03-04, event: noticed, notice: gnas-2024-n01}\n", "")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("notice-missing-from-history", ACHIEVEMENT, 19, "history")
    zh, en = render(problem)
    assert zh.endswith("- {date: 2024-03-04, event: noticed, notice: gnas-2024-n01}")
    assert "Add to history, in date order, the line" in en
    # Before the notice begins there is nothing to record yet.
    before = {problem.code for problem in check_problems(portal, date(2024, 3, 3))}
    assert "notice-missing-from-history" not in before


def test_an_achievement_added_to_a_notice_by_a_correction_is_noticed_on_that_day(portal: Path) -> None:
    # Applied for after the notice began, it came under notice with the restarting correction.
    replace(portal, ACHIEVEMENT, "  - {date: 2024-03-04, event: noticed, notice: gnas-2024-n01}\n", "")
    replace(portal, ACHIEVEMENT, "{date: 2024-03-01, event: applied}", "{date: 2024-03-06, event: applied}")
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-22")
    replace(
        portal,
        NOTICE,
        "outcome:",
        "amendments:\n  - {date: 2024-03-08, summary: 增加成果, restart: true}\noutcome:",
    )
    replace(portal, NOTICE, "date: 2024-03-19", "date: 2024-03-23")
    problems = check_problems(portal, date(2024, 3, 25))
    (problem,) = [problem for problem in problems if problem.code == "notice-missing-from-history"]
    assert problem.params["date"] == "2024-03-08"


def test_an_unknown_policy(portal: Path) -> None:
    replace(portal, INSTITUTION, "policy: ganzhou-2023", "policy: ganzhou-2024")
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [("unknown-policy", INSTITUTION, 3, "policy")]
    assert problems[0].params["known"] == "ganzhou-2023"


def test_a_misspelt_institution_is_one_mistake_that_names_the_folders_unit(portal: Path) -> None:
    # It was two, at odds: "move the file to gnax's folder" and "add institutions/gnax.yml first".
    replace(portal, NOTICE, "institution: gnas", "institution: gnax")
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("institution-not-folder", NOTICE, 2, "institution")
    assert problem.params["fix"] == "没有 gnax 这个单位：请改为 institution: gnas。"


def test_an_unknown_institution_in_a_folder_of_its_own_suggests_the_nearest(portal: Path) -> None:
    move(portal, NOTICE, "notices/gans/2024/gnas-2024-n01.yml")
    replace(portal, "notices/gans/2024/gnas-2024-n01.yml", "institution: gnas", "institution: gans")
    problems = {problem.code: problem for problem in check_problems(portal, TODAY)}
    assert problems["unknown-institution"].params["fix"] == "是不是 gnas？"


def test_a_notice_listing_another_units_achievement(portal: Path) -> None:
    write(
        portal,
        "institutions/gnit.yml",
        (FIXTURE / INSTITUTION).read_text(encoding="utf-8").replace("gnas", "gnit"),
    )
    other = "notices/gnit/2024/gnit-2024-n01.yml"
    write(
        portal,
        other,
        (FIXTURE / NOTICE)
        .read_text(encoding="utf-8")
        .replace("gnas-2024-n01", "gnit-2024-n01")
        .replace("institution: gnas", "institution: gnit"),
    )
    assert problem_keys(portal, TODAY) == {("achievement-other-institution", other, 6, "achievements[0]")}


def test_a_history_naming_a_notice_that_does_not_list_the_achievement(portal: Path) -> None:
    write(
        portal,
        "achievements/gnas/gnas-2024-002.yml",
        (FIXTURE / ACHIEVEMENT).read_text(encoding="utf-8").replace("gnas-2024-001", "gnas-2024-002"),
    )
    assert problem_keys(portal, TODAY) == {
        ("notice-not-listing-achievement", "achievements/gnas/gnas-2024-002.yml", 21, "history[1].notice")
    }


def test_a_file_that_cannot_be_read(portal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root every file is readable; a permission error is simulated for the notice only, where
    the loader opens record files (os.open: yaml_source.read_record_bytes)."""
    real_open = os.open

    def refuse(file: str | Path, flags: int, *args: int) -> int:
        if Path(file).name == "gnas-2024-n01.yml":
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args)

    monkeypatch.setattr(os, "open", refuse)
    problems = check_problems(portal, TODAY)
    assert [problem.key() for problem in problems] == [("file-unreadable", NOTICE, 1, "")]
    assert "Permission denied" in problems[0].params["reason"]
