"""Broken variants of a valid portal: each is refused with its code, file, line and field, exit 1,
and never a traceback. The tree is tests/fixtures/minimal, copied and changed one file at a time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from generator.check import check_portal

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
TODAY = date(2024, 3, 20)
NOTICE = "notices/gnas/2024/gnas-2024-n01.yml"
ACHIEVEMENT = "achievements/gnas/gnas-2024-001.yml"


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    shutil.copytree(FIXTURE, root)
    return root


def _replace(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _keys(root: Path) -> set[tuple[str, str, int, str]]:
    return {problem.key() for problem in check_portal(root, TODAY).problems}


# (name, file, old text, new text, expected (code, file, line, field))
VARIANTS = [
    (
        "short period",
        NOTICE,
        "end: 2024-03-18",
        "end: 2024-03-13",
        ("notice-period-too-short", NOTICE, 5, "period.end"),
    ),
    (
        "duplicate key",
        NOTICE,
        "kind: ownership_grant\n",
        "kind: ownership_grant\nkind: reward\n",
        ("yaml-duplicate-key", NOTICE, 4, "kind"),
    ),
    ("misspelt key", NOTICE, "title:", "titel:", ("unknown-key", NOTICE, 4, "titel")),
    ("shares not 100", ACHIEVEMENT, "share: 40", "share: 30", ("shares-not-100", ACHIEVEMENT, 10, "team")),
    (
        "wrong check digit",
        ACHIEVEMENT,
        "ZL202110123456.7",
        "ZL202110123456.3",
        ("patent-check-digit", ACHIEVEMENT, 7, "rights[0].number"),
    ),
    (
        "dangling reference",
        NOTICE,
        "achievements: [gnas-2024-001]",
        "achievements: [gnas-2024-009]",
        ("unknown-achievement", NOTICE, 6, "achievements[0]"),
    ),
    (
        "impossible date",
        NOTICE,
        "start: 2024-03-04",
        "start: 2025-02-30",
        ("date-invalid", NOTICE, 5, "period.start"),
    ),
    (
        "outcome inside the period",
        NOTICE,
        "date: 2024-03-19",
        "date: 2024-03-12",
        ("outcome-before-end", NOTICE, 10, "outcome.date"),
    ),
    (
        "script in body",
        NOTICE,
        "经单位审批",
        "<script>alert(1)</script>经单位审批",
        ("markdown-raw-html", NOTICE, 9, "body"),
    ),
    (
        "yaml 1.1 boolean stays text",
        ACHIEVEMENT,
        "funding: fiscal",
        "funding: no",
        ("value-not-allowed", ACHIEVEMENT, 9, "funding"),
    ),
]


@pytest.mark.parametrize(
    ("name", "relative", "old", "new", "expected"), VARIANTS, ids=[v[0] for v in VARIANTS]
)
def test_broken_variant_is_located(
    portal: Path, name: str, relative: str, old: str, new: str, expected: tuple[str, str, int, str]
) -> None:
    assert _keys(portal) == set()
    _replace(portal, relative, old, new)
    assert expected in _keys(portal)


def test_money_as_text_shows_the_integer_to_write(portal: Path) -> None:
    notice = portal / "notices/gnas/2024/gnas-2024-n02.yml"
    text = (portal / NOTICE).read_text(encoding="utf-8")
    text = text.replace("gnas-2024-n01", "gnas-2024-n02").replace(
        "kind: ownership_grant", "kind: negotiated_price"
    )
    text += (
        "deal: {mode: transfer, counterparty: 示例公司, counterparty_type: private,"
        ' price_yuan: "120万元", pricing: negotiated, asset_evaluation: done}\n'
    )
    notice.write_text(text, encoding="utf-8")
    problems = [p for p in check_portal(portal, TODAY).problems if p.code == "money-not-integer"]
    assert [(p.file, p.line, p.field) for p in problems] == [
        ("notices/gnas/2024/gnas-2024-n02.yml", 11, "deal.price_yuan")
    ]
    assert problems[0].params["suggestion"] == "1200000"


def test_five_year_use_right_and_classified_achievement_in_a_notice(portal: Path) -> None:
    _replace(
        portal,
        ACHIEVEMENT,
        "  mode: ownership\n  team_share: 70",
        "  mode: long_term_use\n  years: 5\n  license: sole",
    )
    _replace(portal, NOTICE, "kind: ownership_grant", "kind: long_term_use_grant")
    _replace(portal, ACHIEVEMENT, "incentive: grant_first", "incentive: grant_first\nclassified: true")
    keys = _keys(portal)
    assert ("long-term-use-too-short", ACHIEVEMENT, 15, "grant.years") in keys
    assert ("notice-classified", NOTICE, 6, "achievements[0]") in keys


def test_missing_deal_on_a_negotiated_price_notice(portal: Path) -> None:
    _replace(portal, NOTICE, "kind: ownership_grant", "kind: negotiated_price")
    assert ("notice-deal-missing", NOTICE, 3, "kind") in _keys(portal)


def test_file_named_unlike_its_id(portal: Path) -> None:
    (portal / NOTICE).rename(portal / "notices/gnas/2024/gnas-2024-x.yml")
    assert ("id-not-file-name", "notices/gnas/2024/gnas-2024-x.yml", 1, "id") in _keys(portal)


def test_attachment_path_climbing_out(portal: Path) -> None:
    _replace(
        portal,
        NOTICE,
        "outcome:",
        f"attachments:\n  - {{title: 协议, file: ../../etc/passwd, sha256: {'a' * 64}}}\noutcome:",
    )
    assert ("attachment-path-invalid", NOTICE, 11, "attachments[0].file") in _keys(portal)


@pytest.mark.parametrize(
    ("name", "content", "code", "line"),
    [
        ("gbk", "id: gnas-2024-n01\ntitle: 关于赋权的公示\n".encode("gb18030"), "file-gbk", 2),
        ("Notepad's Unicode", "id: gnas-2024-n01\ntitle: 关于赋权的公示\n".encode("utf-16"), "file-utf16", 1),
        ("UTF-16 without a mark", "id: gnas-2024-n01\n".encode("utf-16-le"), "file-utf16", 1),
        ("empty", b"", "file-empty", 1),
        ("list at top level", b"- id: gnas-2024-n01\n", "yaml-not-mapping", 1),
        ("tab", b"id: gnas-2024-n01\nperiod:\n\tstart: 2024-03-04\n", "yaml-tab", 3),
        (
            "alias bomb",
            (
                b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            ),
            "yaml-alias",
            2,
        ),
        ("deep nesting", b"a: " + b"[" * 100_000, "yaml-too-deep", 1),
    ],
)
def test_hostile_files_are_located(portal: Path, name: str, content: bytes, code: str, line: int) -> None:
    (portal / NOTICE).write_bytes(content)
    codes = {
        (problem.code, problem.line)
        for problem in check_portal(portal, TODAY).problems
        if problem.file == NOTICE
    }
    assert (code, line) in codes


def test_cli_exits_1_with_file_and_line_and_no_traceback(portal: Path) -> None:
    _replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-13")
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", str(portal), "--today", "2024-03-20"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert f"{NOTICE}:5:34 " in result.stdout
    assert "2024-03-18" in result.stdout  # the end date to write
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_formats(portal: Path) -> None:
    _replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-13")
    base = [sys.executable, "-m", "generator.cli", "check", str(portal), "--today", "2024-03-20", "--format"]
    github = subprocess.run([*base, "github"], capture_output=True, text=True, check=False, timeout=60)
    assert github.stdout.startswith(f"::error file={NOTICE},line=5,col=34,")
    import json

    report = json.loads(
        subprocess.run([*base, "json"], capture_output=True, text=True, check=False, timeout=60).stdout
    )
    assert [(item["code"], item["line"], item["field"]) for item in report] == [
        ("notice-period-too-short", 5, "period.end")
    ]


def test_example_portal_passes() -> None:
    result = check_portal(Path(__file__).resolve().parent.parent, date(2025, 9, 22))
    assert result.errors == []
