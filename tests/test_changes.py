"""`portal check-changes` on real git repositories: a base commit of tests/fixtures/minimal (plus a
second achievement, an amendment and a notice not yet started), then each change on a branch.
Every forbidden change is refused with its code, file, line and field; every allowed one passes."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from generator.change_review import ChangeResult, check_changes
from generator.cli import main
from tests.conftest import assert_renders

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
OPEN_DAY = date(2024, 3, 10)  # gnas-2024-n01 runs 2024-03-04 to 2024-03-18
AFTER_END = date(2024, 3, 25)
NOTICE = "notices/gnas/2024/gnas-2024-n01.yml"
FUTURE_NOTICE = "notices/gnas/2024/gnas-2024-n02.yml"
ACHIEVEMENT = "achievements/gnas/gnas-2024-001.yml"
SECOND_ACHIEVEMENT = "achievements/gnas/gnas-2024-002.yml"

NOTICE_TEXT = """\
id: gnas-2024-n01
institution: gnas
kind: ownership_grant
title: 关于赣南科学院职务科技成果赋权的公示
period: {start: 2024-03-04, end: 2024-03-18}
achievements: [gnas-2024-001]
objections: {department: 科技处, phone: "0797-8888888", email: kjc@gnas.example.cn}
body: |
  经单位审批，拟将下列职务科技成果所有权的70%赋予成果完成团队。
amendments:
  - {date: 2024-03-05, summary: 更正联系电话}
"""
OUTCOME = "outcome: {result: no_objection, date: 2024-03-19, note: 公示期内未收到异议。}\n"  # line 12
FUTURE_NOTICE_TEXT = (
    NOTICE_TEXT.replace("gnas-2024-n01", "gnas-2024-n02")
    .replace("start: 2024-03-04, end: 2024-03-18", "start: 2024-04-01, end: 2024-04-15")
    .split("amendments:")[0]
)
NEW_NOTICE_TEXT = (
    NOTICE_TEXT.replace("gnas-2024-n01", "gnas-2024-n03")
    .replace("start: 2024-03-04, end: 2024-03-18", "start: 2024-03-10, end: 2024-03-24")
    .replace("gnas-2024-001", "gnas-2024-002")
    .split("amendments:")[0]
)


def _git(root: Path, *arguments: str) -> str:
    command = [
        "git",
        "-c",
        "user.name=测试",
        "-c",
        "user.email=test@example.cn",
        "-c",
        "commit.gpgsign=false",
    ]
    completed = subprocess.run([*command, *arguments], cwd=root, capture_output=True, text=True, check=True)
    return completed.stdout


def _make_portal(repository: Path, portal: Path, *, with_outcome: bool = False) -> None:
    repository.mkdir(parents=True, exist_ok=True)
    _git(repository, "init", "--quiet", "--initial-branch=main")
    shutil.copytree(FIXTURE, portal, dirs_exist_ok=True)
    (portal / NOTICE).write_text(NOTICE_TEXT + (OUTCOME if with_outcome else ""), encoding="utf-8")
    (portal / FUTURE_NOTICE).write_text(FUTURE_NOTICE_TEXT, encoding="utf-8")
    second = (portal / ACHIEVEMENT).read_text(encoding="utf-8").replace("gnas-2024-001", "gnas-2024-002")
    (portal / SECOND_ACHIEVEMENT).write_text(second.split("history:")[0], encoding="utf-8")
    _git(repository, "add", "-A")
    _git(repository, "commit", "--quiet", "-m", "base")
    _git(repository, "checkout", "--quiet", "-b", "change")


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    _make_portal(root, root)
    return root


@pytest.fixture
def concluded(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    _make_portal(root, root, with_outcome=True)
    return root


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _result(root: Path, today: date) -> ChangeResult:
    """Commit the working tree on the branch and compare it with main, as in a pull request."""
    _git(root, "add", "-A")
    _git(root, "commit", "--quiet", "--allow-empty", "-m", "change")
    return check_changes(root, "main", today)


def _keys(root: Path, today: date) -> set[tuple[str, str, int, str]]:
    problems = _result(root, today).problems
    for problem in problems:
        assert_renders(problem)  # every placeholder of the message has its value
    return {problem.key() for problem in problems}


# --- refused ------------------------------------------------------------------------------------


def test_deleting_a_started_notice_is_refused(portal: Path) -> None:
    (portal / NOTICE).unlink()
    assert _keys(portal, OPEN_DAY) == {("started-notice-deleted", NOTICE, 1, "")}


def test_renaming_a_started_notice_is_refused(portal: Path) -> None:
    renamed = "notices/gnas/2024/gnas-2024-n09.yml"
    _git(portal, "mv", NOTICE, renamed)
    _edit(portal, renamed, "id: gnas-2024-n01", "id: gnas-2024-n09")
    assert _keys(portal, OPEN_DAY) == {("started-notice-renamed", renamed, 1, "id")}


def test_changing_the_title_without_an_amendment_is_refused(portal: Path) -> None:
    _edit(portal, NOTICE, "title: 关于赣南科学院", "title: 关于赣南科学院（修订）")
    assert _keys(portal, OPEN_DAY) == {("started-notice-changed-unamended", NOTICE, 4, "title")}


def test_an_amendment_dated_before_the_window_does_not_count(portal: Path) -> None:
    _edit(portal, NOTICE, '"0797-8888888"', '"0797-8888999"')
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-04, summary: 再次更正电话}\n")
    assert _keys(portal, OPEN_DAY) == {("started-notice-changed-unamended", NOTICE, 7, "objections.phone")}


def test_a_second_correction_may_follow_the_same_day(portal: Path) -> None:
    # The published one is dated 2024-03-05: a clerk who finds another typo that day dates it so.
    _edit(portal, NOTICE, '"0797-8888888"', '"0797-8888999"')
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-05, summary: 再次更正电话}\n")
    assert _keys(portal, date(2024, 3, 5)) == set()


def test_an_amendment_dated_after_today_does_not_count(portal: Path) -> None:
    _edit(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-20")
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-11, summary: 延长公示期}\n")
    assert _keys(portal, OPEN_DAY) == {("started-notice-changed-unamended", NOTICE, 5, "period.end")}


def test_changing_the_kind_is_a_change_of_substance(portal: Path) -> None:
    _edit(portal, NOTICE, "kind: ownership_grant", "kind: long_term_use_grant")
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-08, summary: 更正公示类型}\n")
    assert _keys(portal, OPEN_DAY) == {("amendment-restart-missing", NOTICE, 12, "amendments[1].restart")}


def test_changing_facts_without_restart_is_refused(portal: Path) -> None:
    _edit(portal, NOTICE, "[gnas-2024-001]", "[gnas-2024-001, gnas-2024-002]")
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-08, summary: 增加成果}\n")
    assert _keys(portal, OPEN_DAY) == {("amendment-restart-missing", NOTICE, 12, "amendments[1].restart")}


def test_a_restart_needs_a_full_period_from_the_amendment(portal: Path) -> None:
    _edit(portal, NOTICE, "[gnas-2024-001]", "[gnas-2024-001, gnas-2024-002]")
    _edit(
        portal,
        NOTICE,
        "更正联系电话}\n",
        "更正联系电话}\n  - {date: 2024-03-10, summary: 增加成果, restart: true}\n",
    )
    result = _result(portal, OPEN_DAY)
    assert [problem.key() for problem in result.problems] == [
        ("amendment-restart-too-short", NOTICE, 5, "period.end")
    ]
    assert result.problems[0].params["earliest_end"] == "2024-03-24"


def test_a_restart_runs_from_the_day_it_is_published_not_from_an_earlier_date(portal: Path) -> None:
    # Dated two days back, the restarted period would end two days early.
    _edit(portal, NOTICE, "[gnas-2024-001]", "[gnas-2024-001, gnas-2024-002]")
    _edit(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-22")
    _edit(
        portal,
        NOTICE,
        "更正联系电话}\n",
        "更正联系电话}\n  - {date: 2024-03-08, summary: 增加成果, restart: true}\n",
    )
    (problem,) = _result(portal, OPEN_DAY).problems
    assert problem.key() == ("amendment-restart-backdated", NOTICE, 12, "amendments[1].date")
    assert "2024-03-24" in problem.params["end_advice"]


def test_moving_a_record_to_another_institution_is_refused(portal: Path) -> None:
    _edit(portal, SECOND_ACHIEVEMENT, "institution: gnas", "institution: gnit")
    assert _keys(portal, OPEN_DAY) == {("record-moved-institution", SECOND_ACHIEVEMENT, 2, "institution")}


def test_deleting_an_achievement_a_notice_refers_to_is_refused(portal: Path) -> None:
    (portal / ACHIEVEMENT).unlink()
    assert _keys(portal, OPEN_DAY) == {("referenced-achievement-deleted", ACHIEVEMENT, 1, "")}


def test_rewriting_an_amendment_is_refused(portal: Path) -> None:
    _edit(portal, NOTICE, "summary: 更正联系电话", "summary: 更正联系人")
    assert _keys(portal, OPEN_DAY) == {("amendment-rewritten", NOTICE, 11, "amendments[0].summary")}


def test_deleting_an_amendment_is_refused(portal: Path) -> None:
    _edit(portal, NOTICE, "amendments:\n  - {date: 2024-03-05, summary: 更正联系电话}\n", "")
    assert _keys(portal, OPEN_DAY) == {("amendment-deleted", NOTICE, 1, "amendments")}


def test_deleting_the_first_of_two_amendments_names_that_one(portal: Path) -> None:
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-08, summary: 更正标题}\n")
    _git(portal, "add", "-A")
    _git(portal, "commit", "--quiet", "-m", "second amendment")
    _git(portal, "checkout", "--quiet", "main")
    _git(portal, "merge", "--quiet", "--ff-only", "change")
    _git(portal, "checkout", "--quiet", "change")
    _edit(portal, NOTICE, "  - {date: 2024-03-05, summary: 更正联系电话}\n", "")
    problems = _result(portal, OPEN_DAY).problems
    assert [problem.key() for problem in problems] == [("amendment-deleted", NOTICE, 10, "amendments")]
    assert problems[0].params == {"date": "2024-03-05", "summary": "更正联系电话", "index": "1"}


@pytest.mark.parametrize("start", ["2024-02-20", "2024-03-06"])
def test_moving_a_started_notices_start_is_refused_even_with_an_amendment(portal: Path, start: str) -> None:
    _edit(portal, NOTICE, "start: 2024-03-04", f"start: {start}")
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-10, summary: 更正公示期}\n")
    problems = _result(portal, OPEN_DAY).problems
    assert [problem.key() for problem in problems] == [
        ("started-notice-start-moved", NOTICE, 5, "period.start")
    ]
    assert problems[0].params["start"] == "2024-03-04" and problems[0].params["new_start"] == start


@pytest.mark.parametrize(
    ("old", "new"), [("start: 2024-03-04", "start: 2024-03-06"), ("end: 2024-03-18", "end: 2024-03-17")]
)
def test_a_moved_start_or_end_without_an_amendment_is_one_problem(portal: Path, old: str, new: str) -> None:
    # Not also "changed without an amendment": an amendment would not make it acceptable.
    _edit(portal, NOTICE, old, new)
    keys = _keys(portal, OPEN_DAY)
    assert len(keys) == 1 and next(iter(keys))[0] in (
        "started-notice-start-moved",
        "started-notice-shortened",
    )


def test_shortening_a_started_notice_is_refused_even_with_an_amendment(portal: Path) -> None:
    _edit(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-17")
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-10, summary: 更正公示期}\n")
    keys = _keys(portal, OPEN_DAY)
    assert keys == {("started-notice-shortened", NOTICE, 5, "period.end")}


def test_closing_a_started_notice_earlier_in_its_last_day_is_refused(portal: Path) -> None:
    _edit(portal, NOTICE, "end: 2024-03-18}", 'end: 2024-03-18, end_time: "09:00"}')
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-10, summary: 更正截止时间}\n")
    (problem,) = _result(portal, OPEN_DAY).problems
    assert problem.key() == ("started-notice-closes-earlier", NOTICE, 5, "period.end_time")
    assert (problem.params["time"], problem.params["new_time"]) == ("24:00", "09:00")


def test_a_new_notice_cannot_start_before_today(portal: Path) -> None:
    backdated = NEW_NOTICE_TEXT.replace(
        "start: 2024-03-10, end: 2024-03-24", "start: 2024-03-01, end: 2024-03-15"
    )
    (portal / "notices/gnas/2024/gnas-2024-n03.yml").write_text(backdated, encoding="utf-8")
    (problem,) = _result(portal, OPEN_DAY).problems
    assert problem.key() == ("notice-start-in-past", "notices/gnas/2024/gnas-2024-n03.yml", 5, "period.start")
    assert "2024-03-24" in problem.params["end_advice"]  # 15 days from today


def test_a_notice_not_yet_started_cannot_be_moved_into_the_past(portal: Path) -> None:
    _edit(portal, FUTURE_NOTICE, "start: 2024-04-01, end: 2024-04-15", "start: 2024-03-01, end: 2024-03-15")
    assert _keys(portal, OPEN_DAY) == {("notice-start-in-past", FUTURE_NOTICE, 5, "period.start")}


def test_a_withdrawal_cannot_be_backdated(portal: Path) -> None:
    (portal / NOTICE).write_text(NOTICE_TEXT + "outcome: {result: withdrawn, date: 2024-03-06}\n", "utf-8")
    assert _keys(portal, OPEN_DAY) == {("withdrawal-backdated", NOTICE, 12, "outcome.date")}


def test_rewording_a_started_notices_body_needs_an_amendment(portal: Path) -> None:
    _edit(portal, NOTICE, "所有权的70%", "所有权的60%")
    assert _keys(portal, OPEN_DAY) == {("started-notice-changed-unamended", NOTICE, 8, "body")}


def test_changing_the_grant_of_an_achievement_under_notice_needs_a_restarting_amendment(portal: Path) -> None:
    _edit(portal, ACHIEVEMENT, "team_share: 70", "team_share: 60")
    (problem,) = _result(portal, OPEN_DAY).problems
    assert problem.key() == ("noticed-achievement-changed-unamended", ACHIEVEMENT, 15, "grant.team_share")
    assert problem.params["notice"] == "gnas-2024-n01" and problem.params["restart"] == ", restart: true"
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-10, summary: 更正团队比例}\n")
    assert _keys(portal, OPEN_DAY) == {
        ("noticed-achievement-changed-unamended", ACHIEVEMENT, 15, "grant.team_share")
    }
    _edit(portal, NOTICE, "更正团队比例}", "更正团队比例, restart: true}")
    _edit(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-24")
    assert _keys(portal, OPEN_DAY) == set()
    _edit(
        portal, NOTICE, "{date: 2024-03-10, summary: 更正团队比例", "{date: 2024-03-09, summary: 更正团队比例"
    )
    assert _keys(portal, OPEN_DAY) == {("amendment-restart-backdated", NOTICE, 12, "amendments[1].date")}


def test_withdrawing_a_notice_and_dropping_the_grant_it_proposed_passes(portal: Path) -> None:
    (portal / NOTICE).write_text(NOTICE_TEXT + "outcome: {result: withdrawn, date: 2024-03-10}\n", "utf-8")
    _edit(portal, ACHIEVEMENT, "grant:\n  mode: ownership\n  team_share: 70\n", "")
    assert _keys(portal, OPEN_DAY) == set()


def test_the_body_of_a_concluded_notice_may_be_mended_with_a_reminder(concluded: Path) -> None:
    # An amendment is dated within the period: after it, none could be written.
    _edit(concluded, NOTICE, "所有权的70%赋予", "所有权的 70% 赋予")
    (problem,) = _result(concluded, AFTER_END).problems
    assert problem.key() == ("body-changed-after-period", NOTICE, 8, "body") and not problem.is_error


def test_what_a_notice_does_not_show_of_its_achievement_may_change(portal: Path) -> None:
    _edit(portal, ACHIEVEMENT, "granted_on: 2023-05-12", "granted_on: 2023-05-13")
    assert _keys(portal, OPEN_DAY) == set()


def test_a_started_notice_that_no_longer_reads_does_not_pass(portal: Path) -> None:
    _edit(portal, NOTICE, "title: 关于", "title：关于")
    (problem,) = _result(portal, OPEN_DAY).problems
    assert problem.key() == ("started-notice-unreadable", NOTICE, 4, "")
    assert problem.params["code"] == "yaml-key-colon"


def test_a_started_notice_read_only_with_values_meant_does_not_pass(portal: Path) -> None:
    # portal check reads it as meant (2024-03-04) for its rules; the review compares what is written.
    _edit(portal, NOTICE, "start: 2024-03-04", "start: 2024年3月4日")
    (problem,) = _result(portal, OPEN_DAY).problems
    assert problem.key() == ("started-notice-unreadable", NOTICE, 5, "")
    assert problem.params["code"] == "date-invalid"


def test_rewriting_an_outcome_is_refused(concluded: Path) -> None:
    _edit(concluded, NOTICE, "result: no_objection", "result: objections_resolved")
    assert _keys(concluded, AFTER_END) == {("outcome-rewritten", NOTICE, 12, "outcome.result")}


def test_deleting_an_outcome_is_refused(concluded: Path) -> None:
    _edit(concluded, NOTICE, OUTCOME, "")
    assert _keys(concluded, AFTER_END) == {("outcome-deleted", NOTICE, 1, "outcome")}


# --- allowed ------------------------------------------------------------------------------------


def test_no_change_passes(portal: Path) -> None:
    assert _keys(portal, OPEN_DAY) == set()


def test_a_new_notice_passes(portal: Path) -> None:
    (portal / "notices/gnas/2024/gnas-2024-n03.yml").write_text(NEW_NOTICE_TEXT, encoding="utf-8")
    assert _keys(portal, OPEN_DAY) == set()


def test_an_outcome_after_the_end_passes(portal: Path) -> None:
    (portal / NOTICE).write_text(NOTICE_TEXT + OUTCOME, encoding="utf-8")
    assert _keys(portal, AFTER_END) == set()


def test_withdrawing_a_started_notice_passes(portal: Path) -> None:
    (portal / NOTICE).write_text(NOTICE_TEXT + "outcome: {result: withdrawn, date: 2024-03-10}\n", "utf-8")
    assert _keys(portal, OPEN_DAY) == set()


def test_a_proper_amendment_with_restart_and_a_long_enough_period_passes(portal: Path) -> None:
    _edit(portal, NOTICE, "[gnas-2024-001]", "[gnas-2024-001, gnas-2024-002]")
    _edit(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-24")
    _edit(
        portal,
        NOTICE,
        "更正联系电话}\n",
        "更正联系电话}\n  - {date: 2024-03-10, summary: 增加成果 gnas-2024-002, restart: true}\n",
    )
    assert _keys(portal, OPEN_DAY) == set()


def test_a_wording_amendment_needs_no_restart(portal: Path) -> None:
    _edit(portal, NOTICE, "title: 关于赣南科学院", "title: 关于赣南科学院（修订）")
    _edit(portal, NOTICE, "更正联系电话}\n", "更正联系电话}\n  - {date: 2024-03-10, summary: 更正标题}\n")
    assert _keys(portal, OPEN_DAY) == set()


def test_a_notice_not_yet_started_may_change_or_go(portal: Path) -> None:
    _edit(portal, FUTURE_NOTICE, "title: 关于赣南科学院", "title: 关于赣南科学院（修订）")
    assert _keys(portal, OPEN_DAY) == set()
    (portal / FUTURE_NOTICE).unlink()
    assert _keys(portal, OPEN_DAY) == set()


def test_an_achievement_no_notice_refers_to_may_go(portal: Path) -> None:
    (portal / SECOND_ACHIEVEMENT).unlink()
    assert _keys(portal, OPEN_DAY) == set()


# --- where the portal sits, and the command -------------------------------------------------------


def test_a_portal_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    root = repository / "portal"
    _make_portal(repository, root)
    (root / NOTICE).unlink()
    _git(repository, "add", "-A")
    _git(repository, "commit", "--quiet", "-m", "delete")
    keys = {problem.key() for problem in check_changes(root, "main", OPEN_DAY).problems}
    assert keys == {("started-notice-deleted", NOTICE, 1, "")}


def test_the_command_exits_1_with_the_codes(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-changes", "--base", "main", "--today", "2024-03-10", str(portal)]) == 0
    capsys.readouterr()
    (portal / NOTICE).unlink()
    arguments = ["check-changes", "--base", "main", "--today", "2024-03-10", "--format", "json", str(portal)]
    assert main(arguments) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(item["code"], item["file"], item["line"]) for item in report] == [
        ("started-notice-deleted", NOTICE, 1)
    ]
    assert main([*arguments[:-3], "--format", "github", str(portal)]) == 1
    assert capsys.readouterr().out.startswith(f"::error file={NOTICE},line=1")


def test_an_unknown_base_is_a_tool_failure(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-changes", "--base", "no-such-branch", str(portal)]) == 2
    assert "no-such-branch" in capsys.readouterr().err
