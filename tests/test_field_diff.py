"""Which top-level fields differ between two versions of a notice file: by value, not by text,
whether the fast path (entries compared as text) or the whole-file reading answers."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from generator.field_diff import _ends_on_its_line, changed_top_level_fields
from generator.revision_history import NOTICE_FIELDS
from generator.yaml_source import parse_record_bytes

BASE = """\
id: gnas-2024-n01
institution: gnas
kind: ownership_grant
title: 关于赣南科学院职务科技成果赋权的公示
period: {start: 2024-03-04, end: 2024-03-18}
achievements: [gnas-2024-001]
objections: {department: 科技处, phone: 0797-8888888}
body: |
  经单位审批，拟将下列职务科技成果所有权的70%赋予成果完成团队。

  # 说明
  以上。
"""


def changed(after: str, before: str = BASE) -> tuple[str, ...] | None:
    return changed_top_level_fields(before.encode(), after.encode(), NOTICE_FIELDS)


@pytest.mark.parametrize(
    "after",
    [
        pytest.param(BASE, id="same text"),
        pytest.param(
            BASE.replace("kind: ownership_grant\n", "") + "kind: ownership_grant\n", id="keys reordered"
        ),
        pytest.param(
            BASE.replace(
                "period: {start: 2024-03-04, end: 2024-03-18}",
                "period:\n  start: 2024-03-04\n  end: 2024-03-18",
            ),
            id="flow to block",
        ),
        pytest.param(
            BASE.replace("title: 关于", 'title: "关于').replace("的公示\n", '的公示"\n', 1), id="quoted"
        ),
        pytest.param(
            "# 赣南科学院\n" + BASE.replace("kind: ownership_grant", "kind: ownership_grant  # 赋权"),
            id="comments",
        ),
        pytest.param(BASE + "deal:\n", id="an empty key is an absent one"),
        pytest.param(BASE.rstrip("\n"), id="no final line end"),
        pytest.param("---\n" + BASE, id="document marker"),
        pytest.param("\ufeff" + BASE, id="byte order mark"),
    ],
)
def test_a_change_of_form_changes_no_field(after: str) -> None:
    assert changed(after) == ()


def test_changed_fields_come_in_the_order_of_the_model() -> None:
    after = (
        BASE.replace("科技处", "成果转化处").replace("title: 关于", "title: 更正：关于") + "zzz: 1\naaa: 2\n"
    )
    assert changed(after) == ("title", "objections", "aaa", "zzz")


def test_a_line_of_the_body_that_looks_like_a_comment_is_text() -> None:
    assert changed(BASE.replace("  # 说明\n", "  # 附注\n")) == ("body",)


def test_a_blank_line_in_the_body_counts() -> None:
    assert changed(BASE.replace("团队。\n\n", "团队。\n")) == ("body",)


def test_a_flow_mapping_at_the_top_is_read_whole() -> None:
    flow = "{id: gnas-2024-n01, institution: gnas, kind: reward}\n"
    assert changed(flow, "id: gnas-2024-n01\ninstitution: gnas\nkind: ownership_grant\n") == ("kind",)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(
            "id: x\nobjections: {department: a,\nphone: b}\n",
            "id: x\nobjections: {department: a,\nphone: c}\n",
            ("objections",),
            id="flow mapping",
        ),
        pytest.param(
            "id: x\ntitle: 'a\nd: b'\n", "id: x\ntitle: 'a\nd: c'\n", ("title",), id="single quotes"
        ),
        pytest.param(
            'id: x\ntitle: "a \\"\nd: b"\n', 'id: x\ntitle: "a \\"\nd: c"\n', ("title",), id="escaped quote"
        ),
        pytest.param(
            "id: x\nachievements: [a, # b]\nc: d]\n",
            "id: x\nachievements: [a, # b]\nc: e]\n",
            ("achievements",),
            id="comment",
        ),
    ],
)
def test_a_value_continued_in_column_0_is_not_taken_for_keys(
    before: str, after: str, expected: tuple[str, ...]
) -> None:
    assert changed(after, before) == expected


@pytest.mark.parametrize(
    "value",
    ["plain", "", "# comment", "|", '"closed" # note', "'it''s'", "[a, 'b, c']", "{a: it's}", '{a: "}"}'],
)
def test_values_that_end_on_their_line(value: str) -> None:
    assert _ends_on_its_line(value)


@pytest.mark.parametrize("value", ['"open', "'it''s", "[a, 'b]", '{a: "}', "[a # ]", "&anchor x", "!!str x"])
def test_values_that_may_go_on(value: str) -> None:
    assert not _ends_on_its_line(value)


def test_a_version_that_is_not_a_record_is_unreadable() -> None:
    assert changed("id: [unclosed\n") is None
    assert changed_top_level_fields(b"\xff\xfe", BASE.encode(), NOTICE_FIELDS) is None


def test_the_fast_path_agrees_with_reading_whole_files() -> None:
    """Every pair of neighbouring example notices: the entries compared as text give the same
    answer as the two files read whole."""
    example = sorted((Path(__file__).parent.parent / "notices").glob("*/*/*.yml"))
    assert len(example) > 10
    for before_file, after_file in pairwise(example):
        before, after = before_file.read_bytes(), after_file.read_bytes()
        old, new = parse_record_bytes(before, "").data, parse_record_bytes(after, "").data
        assert old is not None and new is not None
        whole = [name for name in NOTICE_FIELDS if old.get(name) != new.get(name)]
        assert changed_top_level_fields(before, after, NOTICE_FIELDS) == tuple(whole), after_file.name
