"""The record loader: YAML 1.2 scalars, refused duplicates and aliases, bounded work on hostile input,
and the line and column of every field."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.messages import render
from generator.yaml_source import MAX_DEPTH, MAX_FILE_BYTES, SourceFile, parse_record_bytes, read_record_file
from tests.conftest import assert_renders

FILE = "notices/gnas/2024/gnas-2024-n01.yml"


def parse(text: str | bytes) -> SourceFile:
    return parse_record_bytes(text.encode("utf-8") if isinstance(text, str) else text, FILE)


def codes(source: SourceFile) -> list[tuple[str, int, int, str]]:
    for problem in source.problems:
        assert_renders(problem)
    return [(p.code, p.line, p.column, p.field) for p in source.problems]


# --- scalars by YAML 1.2 ------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["on", "off", "yes", "no", "y", "n", "On", "NO", "Yes", "OFF"])
def test_yaml_1_1_booleans_stay_text(word: str) -> None:
    source = parse(f"funding: {word}\n{word}: value\n")
    assert source.problems == []
    assert source.data == {"funding": word, word: "value"}


def test_true_and_false_are_booleans() -> None:
    assert parse("a: true\nb: false\nc: True\nd: FALSE\n").data == {
        "a": True,
        "b": False,
        "c": True,
        "d": False,
    }


@pytest.mark.parametrize("clock", ["17:00", "09:30", "1:30", "190:20:30"])
def test_clock_times_stay_text_not_sexagesimal_numbers(clock: str) -> None:
    assert parse(f"end_time: {clock}\n").data == {"end_time": clock}


def test_dates_stay_text_for_the_models_to_check() -> None:
    assert parse("start: 2024-03-04\nbad: 2025-02-30\n").data == {"start": "2024-03-04", "bad": "2025-02-30"}


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("15", 15),
        ("-3", -3),
        ("010", 10),  # YAML 1.2: decimal, not octal
        ("0o17", 15),
        ("0x1F", 31),
        ("60.5", 60.5),
        ("1e3", 1000.0),
        ("~", None),
        ("null", None),
        ("", None),
        ("'15'", "15"),
        ('"true"', "true"),
        ("0797-8888888", "0797-8888888"),
        ("ZL202110123456.7", "ZL202110123456.7"),
        ("120万元", "120万元"),
    ],
)
def test_plain_scalars_resolve_by_the_yaml_1_2_core_schema(written: str, value: object) -> None:
    assert parse(f"value: {written}\n").data == {"value": value}


def test_an_integer_too_long_for_python_stays_text() -> None:
    digits = "1" * 5000  # Python refuses to turn more than 4,300 digits into an int
    assert parse(f"funding: {digits}\n").data == {"funding": digits}
    assert parse_record_bytes(f"funding: {digits}\n".encode(), FILE, positions=False).data == {
        "funding": digits
    }


def test_how_a_number_was_written_is_kept_for_messages() -> None:
    source = parse("phone: 07978888888\nlist: [010, x]\ntext: '0797'\n")
    assert source.data == {"phone": 7978888888, "list": [10, "x"], "text": "0797"}
    assert source.written == {("phone",): "07978888888", ("list", 0): "010"}


def test_keys_are_text_whatever_they_look_like() -> None:
    assert parse("1: a\ntrue: b\non: c\n").data == {"1": "a", "true": "b", "on": "c"}


# --- duplicates, aliases, tags ------------------------------------------------------------------


def test_a_duplicate_key_is_refused_naming_the_first_line() -> None:
    source = parse("id: a\nkind: ownership_grant\ntitle: t\nkind: reward\n")
    assert codes(source) == [("yaml-duplicate-key", 4, 1, "kind")]
    assert source.problems[0].params["first_line"] == "2"
    assert source.data is None  # neither value is guessed


def test_every_duplicate_key_is_reported_nested_ones_with_their_path() -> None:
    source = parse(
        "id: a\nperiod: {start: 2024-03-04, end: 2024-03-18, end: 2024-03-19}\n"
        "team:\n  - {name: 张三, share: 60, share: 40}\nid: b\n"
    )
    assert codes(source) == [
        ("yaml-duplicate-key", 2, 46, "period.end"),
        ("yaml-duplicate-key", 4, 27, "team[0].share"),
        ("yaml-duplicate-key", 5, 1, "id"),
    ]


def test_the_same_key_in_two_mappings_is_not_a_duplicate() -> None:
    source = parse("team:\n  - {name: 张三, share: 60}\n  - {name: 李四, share: 40}\n")
    assert source.problems == []


def test_an_alias_is_refused_where_it_stands() -> None:
    source = parse("contact: &c {department: 处}\nobjections: *c\n")
    assert codes(source) == [("yaml-alias", 2, 13, "objections")]
    assert source.data is None


def test_an_anchor_without_alias_is_harmless() -> None:
    assert parse("title: &t 公示\n").data == {"title": "公示"}


def test_the_billion_laughs_stop_at_the_first_alias_quickly_and_in_little_memory() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    bomb = ("\n".join(lines) + "\n").encode()
    tracemalloc.start()
    started = time.perf_counter()
    source = parse(bomb)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert codes(source) == [("yaml-alias", 2, 10, "a1[0]")]
    assert elapsed < 1
    assert peak < 5_000_000


@pytest.mark.parametrize(
    ("text", "tag", "field"),
    [
        ("title: !!python/object:os.system echo\n", "!!python/object:os.system", "title"),
        ("value: !!int '12'\n", "!!int", "value"),
        ("team: !!set {a: null}\n", "!!set", "team"),
        ("list: !custom [1]\n", "!custom", "list"),
    ],
)
def test_tags_are_refused_and_shown_as_written(text: str, tag: str, field: str) -> None:
    source = parse(text)
    assert [(p.code, p.line, p.field) for p in source.problems] == [("yaml-tag", 1, field)]
    assert source.problems[0].params["tag"] == tag


def test_the_plain_tag_and_str_tag_are_allowed() -> None:
    assert parse("a: !!str 12\nb: ! 13\n").data == {"a": "12", "b": "13"}


def test_a_list_or_mapping_as_a_key_is_refused() -> None:
    assert codes(parse("id: a\n? [x, y]\n: z\n")) == [("yaml-complex-key", 2, 3, "")]


# --- deep nesting and size -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 100_000,
        "a: " + "{b: " * 100_000,
        "".join(f"{' ' * (2 * depth)}k{depth}:\n" for depth in range(200)) + " " * 400 + "x: 1\n",
        "a:\n" + "".join(f"{' ' * (2 * depth)}- \n" for depth in range(1, 200)),
    ],
    ids=["100k brackets", "100k braces", "200 block levels", "200 nested lists"],
)
def test_deep_nesting_is_refused_quickly(text: str) -> None:
    started = time.perf_counter()
    source = parse(text)
    assert time.perf_counter() - started < 1
    assert [p.code for p in source.problems] == ["yaml-too-deep"]
    assert source.problems[0].params["limit"] == str(MAX_DEPTH)


def test_the_deepest_record_path_is_well_inside_the_depth_limit() -> None:
    # The file's mapping is the first level, so MAX_DEPTH - 1 lists fit inside it.
    nested = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert parse(nested).problems == []
    too_deep = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert codes(parse(too_deep)) == [("yaml-too-deep", 1, 3 + MAX_DEPTH, "")]


def test_a_file_over_the_size_cap_is_not_parsed() -> None:
    text = b"id: a\n" + b"#" * MAX_FILE_BYTES + b"\n"
    source = parse(text)
    assert codes(source) == [("file-too-large", 1, 1, "")]
    assert source.problems[0].params == {"size": f"{len(text):,}", "limit": f"{MAX_FILE_BYTES:,}"}


def test_a_file_at_the_size_cap_is_read() -> None:
    head = b"id: a\n#"
    text = head + b"x" * (MAX_FILE_BYTES - len(head) - 1) + b"\n"
    assert len(text) == MAX_FILE_BYTES
    assert parse(text).data == {"id": "a"}


# --- encodings and bytes -----------------------------------------------------------------------------


def test_a_nul_byte_makes_a_binary_file() -> None:
    source = parse(b"id: a\ntitle: x\x00y\n")
    assert codes(source) == [("file-binary", 2, 1, "")]
    assert source.problems[0].params["offset"] == "14"


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    plain = parse("id: a\nperiod: {start: 2024-03-04}\n")
    with_bom = parse(b"\xef\xbb\xbf" + b"id: a\nperiod: {start: 2024-03-04}\n")
    assert with_bom.problems == []
    assert with_bom.data == plain.data
    assert with_bom.positions == plain.positions


def test_windows_line_endings_are_accepted_and_do_not_reach_the_text() -> None:
    text = "id: a\nbody: |\n  第一行\n  第二行\nteam:\n  - {name: 张三}\n"
    plain = parse(text)
    crlf = parse(text.replace("\n", "\r\n").encode())
    assert crlf.problems == []
    assert crlf.data == plain.data
    assert crlf.data is not None and crlf.data["body"] == "第一行\n第二行\n"
    assert crlf.positions == plain.positions


def test_a_gbk_file_is_named_as_gbk_at_its_first_chinese_line() -> None:
    source = parse("id: gnas-2024-n01\ntitle: 关于赋权的公示\n".encode("gb18030"))
    assert codes(source) == [("file-gbk", 2, 1, "")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_named_as_utf16_not_binary(encoding: str) -> None:
    # Notepad's "Unicode": every ASCII character followed (or led) by a null byte.
    source = parse("id: gnas-2024-n01\ntitle: 关于赋权的公示\n".encode(encoding))
    assert codes(source) == [("file-utf16", 1, 1, "")]


def test_a_binary_file_with_null_bytes_is_still_binary() -> None:
    assert codes(parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))))[0][0] == "file-binary"


def test_other_encodings_are_not_utf8() -> None:
    assert codes(parse(b"id: a\ntitle: caf\xe9\n")) == [("file-not-utf8", 2, 1, "")]


def test_a_control_character_is_named_by_its_code_point() -> None:
    source = parse("id: a\ntitle: 公示\x07\n")
    assert codes(source) == [("file-control-character", 2, 1, "")]
    assert source.problems[0].params["character"] == "U+0007"


@pytest.mark.parametrize(
    "content", [b"", b"\n\n  \n", b"# only a comment\n", b"~\n", b"---\n", b"\xef\xbb\xbf"]
)
def test_empty_files(content: bytes) -> None:
    assert codes(parse(content)) == [("file-empty", 1, 1, "")]


@pytest.mark.parametrize(
    ("content", "kind"), [("- id: a\n", "list"), ("公示\n", "scalar"), ("42\n", "scalar")]
)
def test_the_top_level_must_be_a_mapping(content: str, kind: str) -> None:
    source = parse(content)
    assert codes(source) == [("yaml-not-mapping", 1, 1, "")]
    assert source.problems[0].params["kind"] == kind


def test_one_record_per_file() -> None:
    source = parse("---\nid: a\n---\nid: b\n")
    assert codes(source) == [("yaml-multiple-documents", 3, 1, "")]
    assert source.data is None


def test_an_explicit_document_start_and_end_are_fine() -> None:
    assert parse("---\nid: a\n...\n").data == {"id": "a"}


def test_an_unreadable_file() -> None:
    source = read_record_file(Path("/nonexistent/portal/x.yml"), "institutions/x.yml")
    assert [(p.code, p.file, p.line) for p in source.problems] == [
        ("file-unreadable", "institutions/x.yml", 1)
    ]
    assert "reason" in source.problems[0].params


# --- syntax mistakes, named on the line to change ------------------------------------------------------

NOTICE_TEXT = """\
id: gnas-2024-n01
institution: gnas
kind: ownership_grant
title: 关于赋权的公示
period: {start: 2024-03-04, end: 2024-03-18}
achievements: [gnas-2024-001]
objections: {department: 科技处, phone: 0797-8888888}
body: |
  经单位审批，拟赋权。
outcome: {result: no_objection, date: 2024-03-19}
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title: 关于", "title：关于", ("yaml-key-colon", 4, 6, "title")),
        ("title: 关于", "title:关于", ("yaml-key-colon", 4, 6, "title")),
        ("id: gnas", "id：gnas", ("yaml-key-colon", 1, 3, "id")),
        ("body: |", "body：|", ("yaml-key-colon", 8, 5, "body")),
        ("outcome: {", "outcome：{", ("yaml-key-colon", 10, 8, "outcome")),
        ("outcome: {", "outcome:{", ("yaml-key-colon", 10, 8, "outcome")),
        ("title: 关于赋权的公示", "title: 公示: 关于赋权", ("yaml-colon-in-value", 4, 10, "")),
        ("title: 关于赋权的公示", 'title: "关于赋权的公示', ("yaml-unclosed-quote", 4, 8, "")),
        ("title: 关于赋权的公示", 'title: "关于赋权的公示”', ("yaml-unclosed-quote-chinese", 4, 8, "")),
        # The quote left open on line 4 is closed by the one opening the phone, three lines below.
        (
            "title: 关于赋权的公示\nperiod: {start: 2024-03-04, end: 2024-03-18}\nachievements: [gnas-2024-001]\nobjections: {department: 科技处, phone: 0797-8888888}",
            'title: "关于赋权的公示\nperiod: {start: 2024-03-04, end: 2024-03-18}\nachievements: [gnas-2024-001]\nobjections: {department: 科技处, phone: "0797-8888888"}',
            ("yaml-unclosed-quote", 4, 8, ""),
        ),
        ("  经单位审批，拟赋权。", "  经单位审批。\n\n拟赋权。", ("yaml-stray-line", 11, 1, "")),
        ("kind: ownership_grant", "kind:\u3000ownership_grant", ("yaml-full-width-space", 3, 6, "")),
        ("objections: {", "objections:\n\u3000{", ("yaml-full-width-space", 8, 1, "")),
        (
            "{department: 科技处, phone: 0797-8888888}",
            "｛department: 科技处, phone: 0797-8888888｝",
            ("yaml-full-width-bracket", 7, 13, ""),
        ),
        ("{department: 科技处, phone", "{department: 科技处， phone", ("yaml-flow-chinese-comma", 7, 29, "")),
        ("[gnas-2024-001]", "[gnas-2024-001", ("yaml-syntax", 6, 15, "")),
        ("kind: ownership_grant", "  kind: ownership_grant", ("yaml-indentation", 3, 3, "")),
        ("kind: ownership_grant", " kind: ownership_grant", ("yaml-indentation", 3, 2, "")),
        (
            "objections: {department: 科技处, phone: 0797-8888888}",
            "objections:\n  department: 科技处\nperson: 张老师\n  phone: 0797-8888888",
            ("yaml-indentation", 9, 1, ""),
        ),
    ],
    ids=[
        "chinese colon",
        "no space after colon",
        "chinese colon on the first line",
        "chinese colon before a block",
        "chinese colon on the last line",
        "no space on the last line",
        "colon inside a value",
        "unclosed quote",
        "quote closed by a chinese quote",
        "quote closed lines below",
        "paragraph not indented",
        "full-width space after a colon",
        "full-width space as indentation",
        "full-width brackets",
        "chinese comma between flow items",
        "unclosed bracket",
        "indented too far",
        "indented by one",
        "a group's field that lost its indentation",
    ],
)
def test_syntax_mistakes_point_at_the_line_to_change(
    old: str, new: str, expected: tuple[str, int, int, str]
) -> None:
    assert old in NOTICE_TEXT
    assert codes(parse(NOTICE_TEXT.replace(old, new, 1))) == [expected]


def test_a_field_that_lost_its_indentation_is_told_how_many_spaces_it_lacks() -> None:
    # The parser stops at phone, which is indented as it should be: person, above it, is not.
    text = NOTICE_TEXT.replace(
        "objections: {department: 科技处, phone: 0797-8888888}",
        "objections:\n  department: 科技处\nperson: 张老师\n  phone: 0797-8888888",
    )
    (problem,) = parse(text).problems
    chinese, english = render(problem)
    assert (problem.line, problem.column) == (9, 1)
    assert "“person: 张老师”" in chinese and "补 2 个空格，与 department 左对齐" in chinese
    assert "add 2 spaces before it, to line it up with department" in english


def test_a_line_indented_too_far_after_a_group_is_named_as_the_other_possibility() -> None:
    # title is where it belongs and period is indented too far: the parser cannot tell this from
    # a field of objections that lost its indentation, and neither can the message.
    text = NOTICE_TEXT.replace(
        "objections: {department: 科技处, phone: 0797-8888888}",
        "objections:\n  department: 科技处\ntitle2: 关于\n  period2: {start: 2024-03-04}",
    )
    (problem,) = parse(text).problems
    chinese, english = render(problem)
    assert (problem.code, problem.line) == ("yaml-indentation", 9)
    assert "那就是下一行“period2: {start: 2024-03-04}”多缩进了" in chinese
    assert "the next line, 'period2: {start: 2024-03-04}', is indented too far" in english


@pytest.mark.parametrize(
    ("text", "expected", "fix"),
    [
        ("id: a\nmaintainers: [@gnas-tto]\n", ("yaml-needs-quotes", 2, 15, ""), 'maintainers: ["@gnas-tto"]'),
        ("id: a\nmaintainers:\n  - @gnas-tto\n", ("yaml-needs-quotes", 3, 5, ""), '- "@gnas-tto"'),
        (
            "id: a\ntitle: [草案] 关于试点的公示\n",
            ("yaml-needs-quotes", 2, 8, ""),
            'title: "[草案] 关于试点的公示"',
        ),
        ('id: a\ntitle: "关于"（草案）\n', ("yaml-needs-quotes", 2, 8, ""), "title: '\"关于\"（草案）'"),
        ("id: a\ntitle: `x`\n", ("yaml-needs-quotes", 2, 8, ""), 'title: "`x`"'),
    ],
)
def test_a_value_starting_with_a_yaml_sign_is_to_be_quoted(
    text: str, expected: tuple[str, int, int, str], fix: str
) -> None:
    source = parse(text)
    assert codes(source) == [expected]
    assert source.problems[0].params["fix"] == fix
    last_line = text.splitlines()[-1].strip()
    assert parse(text.replace(last_line, fix)).problems == []  # the fix, applied, reads


def test_list_items_need_their_dash_and_its_space() -> None:
    team = "id: a\nteam:\n  - {name: 甲, share: 50}\n  {name: 乙, share: 50}\n"
    assert codes(parse(team)) == [("yaml-stray-line", 4, 3, "")]
    source = parse(team.replace("  {name: 乙", "  -{name: 乙"))
    assert codes(source) == [("yaml-dash-space", 4, 3, "")]
    assert source.problems[0].params["fix"] == "- {name: 乙, share: 50}"


def test_text_in_a_block_is_not_taken_for_a_mistake_of_writing() -> None:
    # Paragraphs of a body may open with full-width spaces and hold a lone quote; the mistake
    # below them is the one reported.
    text = 'id: a\nbody: |\n  \u3000\u3000第一段 "引文\n  - 列表\ntitle：关于\n'
    assert codes(parse(text)) == [("yaml-key-colon", 5, 6, "title")]


def test_text_after_a_list_is_a_syntax_error_on_its_line() -> None:
    assert codes(parse("id: a\nreward_share_range: [60, 95] 备注\n")) == [("yaml-syntax", 2, 30, "")]


def test_the_key_colon_message_quotes_what_was_written() -> None:
    source = parse(NOTICE_TEXT.replace("title: 关于", "title：关于"))
    params = source.problems[0].params
    assert (params["key"], params["written"]) == ("title", "title：关于赋权的公示")


def test_a_tab_in_indentation() -> None:
    assert codes(parse("id: a\nperiod:\n\tstart: 2024-03-04\n")) == [("yaml-tab", 3, 1, "")]


def test_a_tab_between_key_and_value_is_allowed() -> None:
    assert parse("kind:\townership_grant\n").data == {"kind": "ownership_grant"}


@pytest.mark.parametrize(
    ("written", "why"),
    [("title：关于", "中文输入法下的冒号"), ("title:关于", "冒号后少了空格")],
)
def test_a_key_colon_message_blames_what_was_written(written: str, why: str) -> None:
    # An ASCII colon without its space is not blamed on a Chinese colon.
    (problem,) = parse(NOTICE_TEXT.replace("title: 关于", written)).problems
    assert problem.code == "yaml-key-colon" and why in render(problem)[0]


@pytest.mark.parametrize(
    ("written", "chinese"),
    [
        (
            "period: {start: 2024-03-04, end: 2024-03-18\n",
            "花括号 { } 里两项之间少了英文逗号，或者没有用 } 收尾",
        ),
        ("achievements: [a, b\n", "方括号 [ ] 里两项之间少了英文逗号，或者没有用 ] 收尾"),
    ],
)
def test_a_syntax_error_is_explained_in_chinese_and_glossed_in_the_parsers_words(
    written: str, chinese: str
) -> None:
    # It read "YAML 格式有误：did not find expected ',' or '}'": English inside the Chinese.
    (problem,) = parse(f"id: x\n{written}title: t\n").problems
    zh, en = render(problem)
    assert problem.code == "yaml-syntax" and chinese in zh and "did not find" not in zh
    assert "did not find expected" in en


def test_a_key_missing_its_colon_below_a_key_and_its_text_is_told_of_the_colon() -> None:
    # Not told to be joined to the line above (person: 黄老师 or title: …).
    text = 'id: x\nobjections:\n  person: 黄老师\n  phone "0797-8861235"\ntitle: t\n'
    (problem,) = parse(text).problems
    assert (problem.code, problem.line) == ("yaml-stray-line", 4)
    assert problem.params["fix"].startswith("如果 phone 是字段名，它后面少了英文冒号")


def test_a_title_broken_over_two_lines_is_told_to_be_joined() -> None:
    # Its second half at the line's start: told to join it, not any of three guesses.
    text = "id: x\ntitle: 关于“一种离子型稀土矿绿色高效提取方法”\n等 2 项成果赋权的公示\nkind: a\n"
    (problem,) = parse(text).problems
    assert (problem.code, problem.line) == ("yaml-stray-line", 3)
    assert (
        problem.params["fix"] == "它像是上一行 title 的后半部分：请把它接到上一行的末尾，title 写在一行里。"
    )


# --- Markdown texts whose lines YAML would join ---------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "joined"),
    [
        ("body:\n  第一段。\n\n  | 序号 | 名称 |\n  |---|---|\n", "第一段。\n| 序号 | 名称 | |---|---|"),
        ("body: 第一行\n  第二行\n", "第一行 第二行"),
        ('body: "第一行\n  第二行"\n', "第一行 第二行"),
        ("body: >\n  第一行\n  第二行\n", "第一行 第二行\n"),
        ("summary: >-\n  - 一项\n  - 二项\n", "- 一项 - 二项"),
    ],
)
def test_a_markdown_text_written_over_lines_without_a_bar_is_refused_at_its_key(
    written: str, joined: str
) -> None:
    # Read as written, the record would publish one run-on line: a table or a list is lost.
    text = f"id: x\n{written}title: t\n"
    source = parse(text)
    field = written.split(":", 1)[0]
    assert codes(source) == [("markdown-lines-joined", 2, 1, field)]
    assert source.data is not None and source.data[field] == joined  # the rules still read the rest
    assert f"“{field}: |”" in render(source.problems[0])[0]
    same_reading(text)


def test_what_a_tool_writes_reads_back_as_it_was_and_is_no_problem() -> None:
    # yaml.safe_dump breaks long lines at spaces and keeps line breaks as blank lines, in quotes.
    body = " ".join(["第一段 with words"] * 12) + "\n\n| 序号 | 名称 |\n|---|---|\n| 1 | 一种方法 |\n"
    text = yaml.safe_dump({"id": "x", "body": body}, allow_unicode=True)
    assert text.startswith("body: '") and "\n\n\n  | 序号" in text  # wrapped, in single quotes
    assert parse(text).data == {"id": "x", "body": body}
    assert parse(text).problems == []


@pytest.mark.parametrize(
    "written",
    [
        "body: |\n  第一行\n  第二行\n",
        "body: |-\n  第一行\n",
        "summary: 一行写完的简介\n",
        'body: "一行"\n',
        "amendments:\n  - summary: 更正第 2 项\n      专利号\n",  # not Markdown: a one-line note
        "summary: '第一段。\n\n\n  - 一项\n\n  - 二项\n\n  '\n",  # as PyYAML writes it: a blank line each
        'body: "第一行\\n\\\n  第二行"\n',  # a break escaped with `\`
        "body: 本成果 see the\n  notice 全文\n",  # broken at a space: it reads back as written
    ],
)
def test_a_literal_block_a_one_line_text_and_other_fields_are_not(written: str) -> None:
    text = f"id: x\n{written}"
    assert parse(text).problems == []
    assert parse_record_bytes(text.encode("utf-8"), FILE, positions=False).problems == []


# --- positions -----------------------------------------------------------------------------------------


def test_positions_of_nested_fields() -> None:
    source = parse(
        "id: gnas-2024-001\n"
        "rights:\n"
        "  - kind: invention_patent\n"
        "    number: ZL202110123456.7\n"
        "team:\n"
        "  - {name: 张三, role: lead, share: 60}\n"
        "  - name: 李四\n"
        "    share: 40\n"
        "period: {start: 2024-03-04, end: 2024-03-18}\n"
    )
    assert source.problems == []
    assert source.positions[("id",)] == (1, 5)
    assert source.positions[("rights",)] == (3, 3)
    assert source.positions[("rights", 0)] == (3, 5)
    assert source.positions[("rights", 0, "kind")] == (3, 11)
    assert source.positions[("rights", 0, "number")] == (4, 13)
    assert source.positions[("team", 0)] == (6, 5)
    assert source.positions[("team", 0, "share")] == (6, 35)
    assert source.positions[("team", 1, "name")] == (7, 11)
    assert source.positions[("team", 1, "share")] == (8, 12)
    assert source.positions[("period", "end")] == (9, 34)
    assert source.key_positions[("team", 1, "share")] == (8, 5)
    assert source.key_positions[("period", "end")] == (9, 29)


def test_chinese_text_counts_one_column_per_character() -> None:
    source = parse("title: 关于公示\nteam: [{name: 张三, share: 60}]\n")
    assert source.positions[("team", 0, "share")] == (2, 26)


def test_a_missing_field_is_placed_at_its_nearest_parent() -> None:
    source = parse("id: a\nperiod: {start: 2024-03-04}\n")
    assert source.where(("period", "end")) == (2, 9)
    assert source.where(("outcome", "date")) == (1, 1)
    assert source.where_key(("period",)) == (2, 1)


def test_a_block_below_its_key_is_placed_at_the_key() -> None:
    source = parse("id: a\nperiod:\n  start: 2024-03-04\nteam:\n  - name: 张三\ntitle:\n  关于公示\n")
    assert source.positions[("period",)] == (3, 3)
    assert source.where(("period",)) == (2, 1)
    assert source.where(("period", "end")) == (2, 1)
    assert source.where(("period", "start")) == (3, 10)
    assert source.where(("team",)) == (4, 1)
    assert source.where(("team", 0)) == (5, 5)
    assert source.where(("title",)) == (6, 1)


def test_a_line_inside_a_block_of_text() -> None:
    source = parse("id: a\nbody: >\n  第一行\n  第二行 <b>\n\n  又有 <b>\n")
    assert source.line_containing(("body",), "<b>") == (4, 7)
    assert source.line_containing(("body",), "<b>", 1) == (6, 6)
    assert source.line_containing(("body",), "<i>") is None


# --- never a traceback ---------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes_give_data_or_problems(raw: bytes) -> None:
    source = parse_record_bytes(raw, FILE)
    assert (source.data is None) == bool(source.problems)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("ab: -[]{}\n\t'\"#&*!|>?,：公0123.")), max_size=200))
def test_any_yaml_like_text_gives_data_or_problems(text: str) -> None:
    source = parse(text)
    # Data or problems, but for a Markdown text whose lines YAML joins (reported; not in this alphabet).
    assert (source.data is None) == any(p.code != "markdown-lines-joined" for p in source.problems)
    for problem in source.problems:
        assert problem.line >= 1 and problem.column >= 1


# --- reading without positions --------------------------------------------------------------------


def same_reading(text: str) -> None:
    """Without positions, a file gives the same data (types included) and the same problems."""
    full = parse(text)
    fast = parse_record_bytes(text.encode("utf-8"), FILE, positions=False)
    assert typed(fast.data) == typed(full.data)
    assert fast.problems == full.problems
    if full.problems:  # a file with something to report is read whole, positions and all
        assert fast.positions == full.positions and fast.text == full.text


def typed(value: object) -> object:
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


@pytest.mark.parametrize(
    "text",
    [
        NOTICE_TEXT,
        "a: &x 1\nb: *x\n",
        "a: !!int 3\n",
        "a: !custom x\n",
        "a: !!str 3\nb: ! 4\n",
        "a: 1\nb: 2\na: 3\n",
        "a:\n  b: 1\n  b: 2\n",
        "? [a]\n: 1\n",
        "? {a: 1}\n: 1\n",
        "a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n",
        'a: "\\x02"\n',
        "a: 1\n---\nb: 2\n",
        "- a\n- b\n",
        "just text\n",
        "~\n",
        "a: [1\n",
        "1: one\ntrue: yes\nnull: none\n~: x\n0797: zip\n",
        "a: 0o17\nb: 0x1F\nc: 1e3\nd: .5\ne: -0\nf: +3\ng: 2024-03-01\nh: 17:00\n",
        "a: ''\nb:\nc: []\nd: {}\ne: [[1, 2], {x: y}]\n",
        "a:\n  - b: 1\n    c: [x, {d: e}]\n  - 2\n",
    ],
)
def test_reading_without_positions_gives_what_reading_with_them_gives(text: str) -> None:
    same_reading(text)


EXAMPLE_RECORDS = sorted((Path(__file__).resolve().parent.parent / "notices").rglob("*.yml"))[:20]
SNIPPETS = [
    ":",
    "- ",
    '"',
    "'",
    "&a ",
    "*a",
    "!!int ",
    "\t",
    "  ",
    "\n",
    "{",
    "[",
    "]",
    "? ",
    "---\n",
    "0797",
    "~",
    "@",
]


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_mutated_record_reads_the_same_without_positions(data: st.DataObject) -> None:
    lines = data.draw(st.sampled_from(EXAMPLE_RECORDS)).read_text(encoding="utf-8").split("\n")
    for _ in range(data.draw(st.integers(0, 3))):
        index = data.draw(st.integers(0, len(lines) - 1))
        where = data.draw(st.integers(0, len(lines[index])))
        edit = data.draw(st.sampled_from(["insert", "copy", "delete", "cut"]))
        if edit == "insert":
            lines[index] = lines[index][:where] + data.draw(st.sampled_from(SNIPPETS)) + lines[index][where:]
        elif edit == "copy":
            lines.insert(index, lines[data.draw(st.integers(0, len(lines) - 1))])
        elif edit == "delete" and len(lines) > 1:
            del lines[index]
        else:
            lines[index] = lines[index][:where]
    same_reading("\n".join(lines))


def test_a_line_is_blamed_only_if_mending_it_reads_past_the_error() -> None:
    # A quoted value going on to the next line, and ［试点］ in a title, are valid: the mistake
    # reported is the one below them.
    multi_line = 'id: a\ntitle: "关于赋权的\n  公示"\nkind：ownership_grant\n'
    assert codes(parse(multi_line)) == [("yaml-key-colon", 4, 5, "kind")]
    brackets = "id: a\ntitle: ［试点］关于赋权的公示\nkind：ownership_grant\n"
    assert codes(parse(brackets)) == [("yaml-key-colon", 3, 5, "kind")]


def test_a_full_width_space_as_indentation_stands_for_two_spaces() -> None:
    text = "id: a\ndeal:\n\u3000mode: license\n  price_yuan: 100\n"
    assert codes(parse(text)) == [("yaml-full-width-space", 3, 1, "")]


@pytest.mark.parametrize("indent", ["\u3000", "  \u3000", "\u3000 "])
def test_a_full_width_space_typed_beside_the_indentation_is_named(indent: str) -> None:
    text = f"id: a\nteam:\n  - {{name: 甲, share: 50}}\n{indent}- {{name: 乙, share: 50}}\n"
    assert codes(parse(text)) == [("yaml-full-width-space", 4, len(indent) - len(indent.lstrip(" ")) + 1, "")]


def test_a_dash_without_its_space_before_a_mapping_is_named_whatever_the_parser_says() -> None:
    text = "id: a\nhistory:\n  - {date: 2025-09-01, event: applied}\n  -{date: 2025-09-02, event: noticed}\n"
    source = parse(text)
    assert codes(source) == [("yaml-dash-space", 4, 3, "")]
    assert source.problems[0].params["fix"] == "- {date: 2025-09-02, event: noticed}"


def test_a_chinese_comma_in_the_text_of_a_flow_item_is_the_texts_own() -> None:
    text = "id: a\namendments:\n  - {date: 2024-03-05, summary: 更正比例，重新计算，restart: true}\n"
    source = parse(text)
    assert codes(source) == [("yaml-flow-chinese-comma", 3, 42, "")]
    assert (
        source.problems[0].params["fix"] == "- {date: 2024-03-05, summary: 更正比例，重新计算, restart: true}"
    )


@pytest.mark.parametrize(
    "paragraph", ["**公示期**：2024年3月4日至2024年3月18日。", "| 1 | 一种方法 | 70% |", "该成果已评估。"]
)
def test_a_paragraph_of_the_body_left_unindented_is_named_as_such(paragraph: str) -> None:
    text = f"id: a\nbody: |\n  第一段。\n\n{paragraph}\ntitle: 关于\n"
    assert codes(parse(text)) == [("yaml-stray-line", 5, 1, "")]


def test_a_stray_line_is_told_what_it_most_likely_is() -> None:
    item = parse("id: a\nteam:\n  - {name: 甲, share: 50}\n  {name: 乙, share: 50}\n")
    assert "上一行是列表的一项" in item.problems[0].params["fix"]
    text = parse("id: a\nbody: |\n  第一段。\n\n第二段。\ntitle: 关于\n")
    assert "多行文字（body: |）" in text.problems[0].params["fix"]
