"""`portal check` as a clerk and as CI meet it: the broken variants of the issue's acceptance list,
each refused with exit 1, the file and line named, the fix in the message and never a traceback;
the text, GitHub and JSON reports; warnings and --strict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import (
    ACHIEVEMENT,
    DEAL,
    DEAL_NOTICE,
    INSTITUTION,
    NOTICE,
    append,
    replace,
    write,
)

TODAY = "2024-03-20"
PORTAL_SCRIPT = Path(sys.executable).parent / "portal"


def run_check(root: Path, *options: str, script: bool = False) -> subprocess.CompletedProcess[str]:
    command = [str(PORTAL_SCRIPT)] if script else [sys.executable, "-m", "generator.cli"]
    return subprocess.run(
        [*command, "check", str(root), "--today", TODAY, *options],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        # Buffered, as a clerk's terminal piped to a file or a CI log is: the command ends without
        # Python's exit (cli.run), and must still write out all it said.
        env={name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"},
    )


@dataclass(frozen=True)
class Variant:
    name: str
    change: Callable[[Path], object]
    file: str
    line: int
    code: str
    says: tuple[str, ...] = ()  # what the message must quote: the value to write, the right key


def _negotiated_without_deal(root: Path) -> None:
    replace(root, NOTICE, "kind: ownership_grant", "kind: negotiated_price")


def _money_as_text(root: Path) -> None:
    write(root, DEAL, DEAL_NOTICE.replace("price_yuan: 1200000", 'price_yuan: "120万元"'))


def _five_year_use_right(root: Path) -> None:
    replace(
        root,
        ACHIEVEMENT,
        "  mode: ownership\n  team_share: 70",
        "  mode: long_term_use\n  years: 5\n  license: sole",
    )
    replace(root, NOTICE, "kind: ownership_grant", "kind: long_term_use_grant")


def _rename(root: Path) -> None:
    (root / NOTICE).rename(root / "notices/gnas/2024/gnas-2024-x.yml")


def _alias_bomb(root: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    write(root, NOTICE, ("\n".join(lines) + "\n").encode())


VARIANTS = [
    Variant(
        "short period",
        lambda root: replace(root, NOTICE, "end: 2024-03-18", "end: 2024-03-13"),
        NOTICE,
        5,
        "notice-period-too-short",
        ("2024-03-18",),
    ),
    Variant(
        "duplicate key",
        lambda root: replace(
            root, NOTICE, "kind: ownership_grant\n", "kind: ownership_grant\nkind: reward\n"
        ),
        NOTICE,
        4,
        "yaml-duplicate-key",
        ("第 3 行", "line 3"),
    ),
    Variant("money as text", _money_as_text, DEAL, 11, "money-not-integer", ("1200000",)),
    Variant(
        "shares not 100",
        lambda root: replace(root, ACHIEVEMENT, "share: 40", "share: 30"),
        ACHIEVEMENT,
        10,
        "shares-not-100",
        ("90%",),
    ),
    Variant(
        "misspelt key",
        lambda root: replace(root, NOTICE, "title:", "titel:"),
        NOTICE,
        4,
        "unknown-key",
        ("title",),
    ),
    Variant(
        "wrong check digit",
        lambda root: replace(root, ACHIEVEMENT, "ZL202110123456.7", "ZL202110123456.3"),
        ACHIEVEMENT,
        7,
        "patent-check-digit",
        ("ZL202110123456.7",),
    ),
    Variant(
        "five-year use right",
        _five_year_use_right,
        ACHIEVEMENT,
        15,
        "long-term-use-too-short",
        ("years: 10",),
    ),
    Variant(
        "classified achievement in a notice",
        lambda root: replace(
            root, ACHIEVEMENT, "incentive: grant_first", "incentive: grant_first\nclassified: true"
        ),
        NOTICE,
        6,
        "notice-classified",
    ),
    Variant(
        "dangling reference",
        lambda root: replace(root, NOTICE, "[gnas-2024-001]", "[gnas-2024-01]"),
        NOTICE,
        6,
        "unknown-achievement",
        ("gnas-2024-001",),
    ),
    Variant(
        "file named unlike its id",
        _rename,
        "notices/gnas/2024/gnas-2024-x.yml",
        1,
        "id-not-file-name",
        ("gnas-2024-n01.yml",),
    ),
    Variant(
        "30 february",
        lambda root: replace(root, NOTICE, "start: 2024-03-04", "start: 2025-02-30"),
        NOTICE,
        5,
        "date-invalid",
        ("2025-02-30",),
    ),
    Variant(
        "gbk file",
        lambda root: write(root, NOTICE, (root / NOTICE).read_text(encoding="utf-8").encode("gb18030")),
        NOTICE,
        4,
        "file-gbk",
        ("UTF-8",),
    ),
    Variant("empty file", lambda root: write(root, NOTICE, b""), NOTICE, 1, "file-empty"),
    Variant(
        "list at top level",
        lambda root: write(root, NOTICE, "- id: gnas-2024-n01\n"),
        NOTICE,
        1,
        "yaml-not-mapping",
    ),
    Variant(
        "tab in indentation",
        lambda root: replace(
            root, NOTICE, "period: {start: 2024-03-04, end: 2024-03-18}", "period:\n\tstart: 2024-03-04"
        ),
        NOTICE,
        6,
        "yaml-tab",
    ),
    Variant("negotiated price without deal", _negotiated_without_deal, NOTICE, 3, "notice-deal-missing"),
    Variant(
        "outcome inside the period",
        lambda root: replace(root, NOTICE, "date: 2024-03-19", "date: 2024-03-12"),
        NOTICE,
        10,
        "outcome-before-end",
        ("2024-03-19",),
    ),
    Variant(
        "script in body",
        lambda root: replace(root, NOTICE, "经单位审批", "<script>alert(1)</script>经单位审批"),
        NOTICE,
        9,
        "markdown-raw-html",
        ("<script>",),
    ),
    Variant(
        "attachment path with ..",
        lambda root: replace(
            root,
            NOTICE,
            "outcome:",
            f"attachments:\n  - {{title: 协议, file: ../../etc/passwd, sha256: {'a' * 64}}}\noutcome:",
        ),
        NOTICE,
        11,
        "attachment-path-invalid",
        ("../../etc/passwd",),
    ),
    Variant("alias bomb", _alias_bomb, NOTICE, 2, "yaml-alias"),
    Variant(
        "chinese colon",
        lambda root: replace(root, NOTICE, "title: 关于", "title：关于"),
        NOTICE,
        4,
        "yaml-key-colon",
        ("title: ",),
    ),
]


@pytest.mark.parametrize("variant", VARIANTS, ids=[variant.name for variant in VARIANTS])
def test_a_broken_variant_fails_the_check_naming_file_and_line(portal: Path, variant: Variant) -> None:
    variant.change(portal)
    started = time.perf_counter()
    result = run_check(portal)
    elapsed = time.perf_counter() - started
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    located = [
        line for line in result.stdout.splitlines() if line.startswith(f"{variant.file}:{variant.line}:")
    ]
    assert any(f" {variant.code}" in line for line in located), result.stdout
    for text in variant.says:
        assert text in result.stdout, f"{text!r} not in the report:\n{result.stdout}"
    assert elapsed < 5


def test_the_console_script_checks_a_clean_portal(portal: Path) -> None:
    result = run_check(portal, script=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过：4 条记录，0 个警告" in result.stdout
    assert result.stderr == ""


def test_the_console_script_refuses_a_broken_portal(portal: Path) -> None:
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-13")
    result = run_check(portal, script=True)
    assert result.returncode == 1
    assert f"{NOTICE}:5:34 错误 notice-period-too-short period.end" in result.stdout


def test_a_folder_that_is_not_a_portal_is_not_a_clean_check(tmp_path: Path) -> None:
    result = run_check(tmp_path / "typo")
    assert result.returncode == 1
    assert "portal-no-records" in result.stdout


# --- reports, in process --------------------------------------------------------------------------------


def check(root: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, str]:
    code = main(["check", str(root), "--today", TODAY, *options])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def several_problems(root: Path) -> None:
    """Four rule problems in three files (a record that does not validate is not judged by the
    rules, so these keep every record valid)."""
    replace(root, NOTICE, "end: 2024-03-18", "end: 2024-03-13")  # line 5
    replace(root, NOTICE, "经单位审批", "<b>经单位审批</b>")  # line 9
    replace(root, ACHIEVEMENT, "share: 40", "share: 30")  # line 10
    append(root, INSTITUTION, "notice_min_days: 10\n")  # line 8


def test_the_text_report_lists_each_problem_with_both_languages(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-13")
    code, out, _ = check(portal, capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{NOTICE}:5:34 错误 notice-period-too-short period.end"
    assert "请将 period.end 改为 2024-03-18 或之后" in lines[1]
    assert "Set period.end to 2024-03-18 or later" in lines[2]
    assert "1 个错误" in lines[-1]


def test_problems_are_sorted_by_file_and_line(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    several_problems(portal)
    _, out, _ = check(portal, capsys, "--format", "json")
    places = [(item["file"], item["line"]) for item in json.loads(out)]
    assert places == sorted(places)
    assert places == [(ACHIEVEMENT, 10), (INSTITUTION, 8), (NOTICE, 5), (NOTICE, 9)]


def test_the_json_report(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    several_problems(portal)
    code, out, _ = check(portal, capsys, "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert isinstance(report, list)
    for item in report:
        assert {
            "code",
            "severity",
            "file",
            "line",
            "column",
            "field",
            "message",
            "message_en",
            "params",
        } <= set(item)
    assert [(item["code"], item["file"], item["line"], item["field"]) for item in report] == [
        ("shares-not-100", ACHIEVEMENT, 10, "team"),
        ("institution-rule-weaker", INSTITUTION, 8, "notice_min_days"),
        ("notice-period-too-short", NOTICE, 5, "period.end"),
        ("markdown-raw-html", NOTICE, 9, "body"),
    ]
    assert [item["severity"] for item in report] == ["error"] * 4
    assert "2024-03-18" in report[2]["message"] and "2024-03-18" in report[2]["message_en"]
    assert report[2]["params"]["earliest_end"] == "2024-03-18"


def test_the_json_report_of_a_misspelt_key(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(portal, NOTICE, "title:", "titel:")
    code, out, _ = check(portal, capsys, "--format", "json")
    (item,) = json.loads(out)
    assert (code, item["code"], item["line"], item["field"]) == (1, "unknown-key", 4, "titel")
    assert "是不是要写 title" in item["message"]
    assert "Did you mean title" in item["message_en"]


def test_the_json_report_of_a_clean_portal_is_an_empty_list(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = check(portal, capsys, "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_the_github_report(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    several_problems(portal)
    code, out, err = check(portal, capsys, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 4
    assert all(line.startswith("::error file=") for line in lines)
    assert lines[0].startswith(f"::error file={ACHIEVEMENT},line=10,col=1,title=shares-not-100 team::")
    assert lines[2].startswith(
        f"::error file={NOTICE},line=5,col=34,title=notice-period-too-short period.end::"
    )
    assert "%0AThe notice runs 10 calendar days" in lines[2]  # the English line, in the same annotation
    assert "4 个错误" in err


def test_a_warning_passes_unless_strict(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(
        portal, NOTICE, "outcome: {result: no_objection, date: 2024-03-19, note: 公示期内未收到异议。}\n", ""
    )
    code, out, _ = check(portal, capsys, "--today", "2024-03-25")
    assert code == 0
    assert f"{NOTICE}:5:34 警告 notice-closed-without-outcome period.end" in out
    assert "没有错误：4 条记录，1 个警告" in out and "检查通过" not in out
    code, out, _ = check(portal, capsys, "--today", "2024-03-25", "--strict")
    assert code == 1
    assert "检查通过" not in out
    code, out, _ = check(portal, capsys, "--today", "2024-03-25", "--format", "github")
    assert out.startswith(f"::warning file={NOTICE},line=5,")


def test_the_same_problem_is_reported_once(portal: Path) -> None:
    from generator.check import check_portal
    from tests.conftest import TODAY as TODAY_DATE

    append(portal, NOTICE, "attachments:\n  - {title: a, file: ../x, sha256: " + "a" * 64 + "}\n")
    replace(portal, NOTICE, "经单位审批", "<b>经单位审批</b>")
    problems = check_portal(portal, TODAY_DATE).problems
    assert len(problems) == len({(p.code, p.file, p.line, p.column, p.field) for p in problems}) == 2


def test_the_alias_bomb_is_refused_within_400_megabytes(portal: Path) -> None:
    """Expanded, the bomb would be 9**12 strings; refused at its first alias, the whole check runs
    inside an address space capped well below what the expansion would need."""
    import resource

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, 400 * 2**20))

    _alias_bomb(portal)
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", str(portal), "--today", TODAY],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        preexec_fn=cap_memory,
    )
    assert result.returncode == 1, result.stderr
    assert f"{NOTICE}:2:" in result.stdout and "yaml-alias" in result.stdout


def test_serve_on_a_port_in_use_says_so_instead_of_a_traceback(
    portal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["serve", str(portal), "--today", TODAY, "--port", str(port)])
    error = capsys.readouterr().err
    assert code == 2
    assert f"make serve PORT={port + 1}" in error and "Traceback" not in error
