"""Hostile and broken input: nothing gets through, nothing is lost.

Record text reaches HTML (tested in a real browser by tests/browser/test_xss.py), Markdown, RSS and
Atom, iCalendar, CSV, JSON and CODEOWNERS. Here each of those is read back with a real parser from
a real build of the portal whose every text field holds the whole payload corpus
(tests/hostile_site.py): the payloads come out as the text that was written, and as nothing else.
Then hostile files, each refused with a located problem, quickly and in bounded memory, on top of
what tests/test_yaml_source.py and tests/test_check_broken_variants.py already cover.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import tracemalloc
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser  # type: ignore[import-untyped]
import pytest
from icalendar import Calendar

from generator.check import check_portal
from generator.codeowners import render_codeowners
from generator.exports import csv_bytes, safe_cell
from generator.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, markdown_html
from generator.site import BuildResult, build_site
from generator.yaml_source import MAX_FILE_BYTES
from tests.conftest import NOTICE, TODAY, check_problems, problem_keys, replace, write
from tests.hostile_site import (
    EMAIL_PAYLOADS,
    PAYLOADS,
    URL_PAYLOADS,
    Corpus,
    markdown_refused,
    write_hostile_portal,
)
from tests.hostile_site import TODAY as HOSTILE_TODAY

RAW_HTML = re.compile(r"<[A-Za-z!/?]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def words(text: str) -> str:
    return " ".join(text.split())


class _Html(HTMLParser):
    """The elements, attributes and text of an HTML fragment, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# --- Markdown: refused at check time, sanitised again at render ----------------------------------

LINK_TRICKS = [
    "[点我](javascript:alert(1))",
    "[点我](JaVaScRiPt:alert(2))",
    "[点我]( javascript:alert(3))",
    "[点我](<javascript:alert(4)>)",
    '[点我](javascript:alert(5) "标题")',
    "[点我](java&#115;cript:alert(6))",
    "[点我](&#x6A;avascript:alert(7))",
    "[点我](jav&#x09;ascript:alert(8))",
    "[点我](javascript&colon;alert(9))",
    "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=)",
    "[点我](vbscript:msgbox(11))",
    "![图](javascript:alert(12))",
    "<javascript:alert(13)>",
]
REFERENCE_TRICK = "见[附件][1]。\n\n[1]: javascript:alert(14)"


def _body_problems(portal: Path, body: str) -> set[tuple[str, str, int, str]]:
    replace(portal, NOTICE, "  经单位审批，拟将下列职务科技成果所有权的70%赋予成果完成团队。", body)
    return problem_keys(portal, TODAY)


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if RAW_HTML.search(p) and len(p.splitlines()) == 1])
def test_raw_html_in_a_body_is_refused_on_its_line(portal: Path, payload: str) -> None:
    keys = _body_problems(portal, "  第一段。\n\n  " + payload)
    assert ("markdown-raw-html", NOTICE, 11, "body") in keys


@pytest.mark.parametrize("payload", LINK_TRICKS)
def test_a_link_that_is_not_http_https_mailto_or_tel_is_refused_on_its_line(
    portal: Path, payload: str
) -> None:
    keys = _body_problems(portal, "  第一段。\n\n  " + payload)
    assert {key for key in keys if key[0] in ("markdown-link-scheme", "markdown-raw-html")} == {
        ("markdown-link-scheme", NOTICE, 11, "body")
    }


def test_a_reference_link_is_refused_on_its_definition_line(portal: Path) -> None:
    keys = _body_problems(portal, "  " + REFERENCE_TRICK.replace("\n", "\n  "))
    assert ("markdown-link-scheme", NOTICE, 11, "body") in keys


def test_allowed_links_and_tags_shown_as_code_pass(portal: Path) -> None:
    body = (
        "  见 [说明](https://www.gnas.example.cn/a?x=1&amp;y=2)、<https://www.gnas.example.cn/>、\n"
        "  [来信](mailto:kjc@gnas.example.cn)、[来电](tel:0797-8888888)。写法示例：`<b>`。"
    )
    assert _body_problems(portal, body) == set()


def _assert_safe(html: str) -> _Html:
    parsed = _Html(html)
    assert set(parsed.tags) <= ALLOWED_TAGS, html
    for tag, name, value in parsed.attributes:
        assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set()), html
        if name == "href":
            scheme = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", value)
            assert scheme is None or scheme.group(1).lower() in URL_SCHEMES, html
    return parsed


@pytest.mark.parametrize("text", [*PAYLOADS, *LINK_TRICKS, REFERENCE_TRICK])
def test_the_renderer_sanitises_even_what_the_check_refuses(text: str) -> None:
    """Were the check bypassed, Markdown still gives only the allowed tags, attributes and schemes."""
    _assert_safe(markdown_html(text))


@pytest.mark.parametrize(
    "payload", [p for p in PAYLOADS if RAW_HTML.search(p) and not re.search(r"[*_`\\[&]", p)]
)
def test_raw_html_is_shown_as_the_text_that_was_written(payload: str) -> None:
    assert words("".join(_assert_safe(markdown_html(payload)).text)) == words(payload)


def test_tags_in_code_are_shown_once_escaped() -> None:
    assert markdown_html("写法：`<b>粗体</b>`") == "<p>写法：<code>&lt;b&gt;粗体&lt;/b&gt;</code></p>"
    assert (
        markdown_html("    <script>x</script>\n")
        == "<pre><code>&lt;script&gt;x&lt;/script&gt;\n</code></pre>"
    )


def test_autolinks_still_work() -> None:
    html = markdown_html("见 <https://www.gnas.example.cn/a>。")
    assert '<a href="https://www.gnas.example.cn/a" rel="nofollow noopener">' in html


def test_the_corpus_in_markdown_fields_passes_the_check_only_where_it_is_text() -> None:
    """The portal's Markdown fields hold every payload: the allowed ones as they are, the others in
    code spans, where the check lets tags stand as text."""
    allowed = [p for p in PAYLOADS if not markdown_refused(p)]
    refused = [p for p in PAYLOADS if markdown_refused(p)]
    assert len(refused) >= 30 and len(allowed) >= 15
    assert all(RAW_HTML.search(p) or ":" in p for p in refused)


# --- control characters written as escapes ----------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\x02", "\\0", "\\e", "\\x7f", "\\x9b", "\\uFFFE", "\\u0008"])
def test_a_control_character_written_as_an_escape_is_refused_where_it_stands(
    portal: Path, escape: str
) -> None:
    replace(portal, NOTICE, "title: 关于", f'title: "{escape}关于')
    replace(portal, NOTICE, "赋权的公示\n", '赋权的公示"\n')
    (problem,) = check_problems(portal, TODAY)
    assert problem.key() == ("text-control-character", NOTICE, 4, "title")
    assert problem.column == 8


@pytest.mark.parametrize("escape", ["\\t", "\\n", "\\u2028", "\\u202e", "\\U0001F4A3", "\\x85"])
def test_printable_escapes_are_text(portal: Path, escape: str) -> None:
    replace(portal, NOTICE, "title: 关于", f'title: "{escape}关于')
    replace(portal, NOTICE, "赋权的公示\n", '赋权的公示"\n')
    assert check_problems(portal, TODAY) == []


# --- CSV: nothing a spreadsheet runs, nothing lost ----------------------------------------------------


@pytest.mark.parametrize("start", [*FORMULA_STARTS, "'"])
def test_a_cell_starting_like_a_formula_or_a_quote_gets_a_quote(start: str) -> None:
    assert safe_cell(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("value", ["赣南科学院", " =1", "＝1", "1-2", "a@b.cn", 120, -5, 1.5, None])
def test_other_cells_are_left_alone(value: str | int | float | None) -> None:
    assert safe_cell(value) == ("" if value is None else str(value))


def test_csv_cells_read_back_as_written_once_a_leading_quote_is_dropped() -> None:
    values = [*PAYLOADS, "'已有引号", "''两个"]
    raw = csv_bytes([values])
    (row,) = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    assert [cell[1:] if cell.startswith("'") else cell for cell in row] == values
    assert not [cell for cell in row if cell.startswith(FORMULA_STARTS)]


# --- one real build of the hostile portal, read back with real parsers ----------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Corpus]:
    base = tmp_path_factory.mktemp("hostile")
    corpus = write_hostile_portal(base / "records")
    assert check_portal(base / "records", HOSTILE_TODAY).errors == []
    return build_site(base / "records", today=HOSTILE_TODAY, out=base / "site"), corpus


def _csv(site: Path, name: str) -> list[dict[str, str]]:
    text = (site / "data" / name).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_exports_hold_no_formula_and_every_text_as_written(hostile: tuple[BuildResult, Corpus]) -> None:
    build, corpus = hostile
    cells: list[str] = []
    for name in ("notices.csv", "deals.csv", "achievements.csv", "institutions.csv"):
        for row in _csv(build.out, name):
            cells += row.values()
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert [cell for cell in cells if cell.startswith(("'=", "'+", "'-", "'@", "'\t", "'\r"))]
    for other in build.out.rglob("*.csv"):  # every CSV the site offers, whichever stage wrote it
        rows = csv.reader(io.StringIO(other.read_bytes().decode("utf-8-sig"), newline=""))
        assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)], other
    decoded = {cell[1:] if cell.startswith("'") else cell for cell in cells}
    titles = {view.record.title for view in build.portal.notices.values()}
    titles |= {view.record.title for view in build.portal.achievements.values()}
    names = {view.record.name for view in build.portal.institutions.values()}
    counterparties = {v.record.deal.counterparty for v in build.portal.notices.values() if v.record.deal}
    assert titles | names | counterparties <= decoded
    assert len(titles | names | counterparties) == 8
    assert set(corpus.texts) >= titles


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_json_exports_hold_every_text_exactly(hostile: tuple[BuildResult, Corpus]) -> None:
    build, corpus = hostile
    document = json.loads((build.out / "data" / "portal.json").read_text(encoding="utf-8"))
    found = set(_strings(document))
    assert set(corpus.texts) <= found
    assert set(URL_PAYLOADS) <= found and set(EMAIL_PAYLOADS) <= found
    for other in build.out.rglob("*.json"):  # every JSON file of the site parses
        json.loads(other.read_text(encoding="utf-8"))
    changes = json.loads((build.out / "data" / "changes.json").read_text(encoding="utf-8"))
    assert any("</title><script>alert(26)</script>" in text for text in _strings(changes))


FEEDS = ["feeds/notices", "feeds/institutions/gnas", "feeds/policies/ganzhou-2023", "feeds/achievements"]


@pytest.mark.parametrize("stem", FEEDS)
def test_feeds_parse_and_give_the_text_as_written(hostile: tuple[BuildResult, Corpus], stem: str) -> None:
    build, _ = hostile
    # A notice's entry names its unit first, the unit's name as written too.
    titles = {
        words(
            view.record.title
            if view.institution.name in view.record.title
            else f"【{view.institution.name}】{view.record.title}"
        )
        for view in build.portal.notices.values()
    }
    titles |= {words(view.record.title) for view in build.portal.achievements.values()}
    counts = {"feeds/achievements": 1}
    for extension in ("xml", "atom"):
        feed = feedparser.parse((build.out / f"{stem}.{extension}").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        # a payload closing </item> or ]]> would have added or broken entries
        assert len(feed.entries) == counts.get(stem, 4)
        for entry in feed.entries:
            assert entry.title_detail.type == "text/plain"
            assert words(entry.title) in titles
            detail = entry.summary_detail
            if extension == "xml":  # RSS descriptions are HTML: the text is in it escaped, as text
                assert detail.type == "text/html"
                parsed = _Html(entry.summary)
                assert parsed.tags == []
                summary = "".join(parsed.text)
            else:
                assert detail.type == "text/plain"
                summary = entry.summary
            assert "<script>alert(1)</script>" in summary
            assert '"><script>alert(21)</script>' in summary
    policy_feed = feedparser.parse((build.out / "feeds/policies/ganzhou-2023.xml").read_bytes())
    assert _Html(policy_feed.feed.subtitle).tags == []


def _closing(period: Any) -> str:
    """What a calendar's title adds for a period that closes before midnight."""
    return f"（{period.end.month}月{period.end.day}日 {period.end_time}截止）" if period.end_time else ""


def test_calendars_keep_each_text_on_its_line(hostile: tuple[BuildResult, Corpus]) -> None:
    build, _ = hostile
    files = sorted((build.out / "calendar").rglob("*.ics"))
    # The site's, the unit's and the policy's hold every notice; each kind's, its own.
    assert {file.parent.name for file in files} == {"calendar", "institutions", "policies", "kinds"}
    titles = {
        words("公示：" + view.record.title + _closing(view.record.period))
        for view in build.portal.notices.values()
    }
    by_kind: list[str] = []
    for file in files:
        raw = file.read_bytes()
        lines = raw.split(b"\r\n")
        assert not [line for line in lines if b"\r" in line or b"\n" in line]
        unfolded = raw.replace(b"\r\n ", b"").split(b"\r\n")
        assert not [line for line in unfolded if line.startswith(b"SUMMARY:injected")]
        calendar = Calendar.from_ical(raw)
        events = calendar.walk("VEVENT")
        if "kinds" in file.parts:
            by_kind += [words(str(event["summary"])) for event in events]
        else:
            assert sum(1 for line in unfolded if line == b"BEGIN:VEVENT") == 4
            assert {words(str(event["summary"])) for event in events} == titles
        for event in events:
            assert "<script>alert(1)</script>" in str(event["description"])
        name = calendar["x-wr-calname"].to_ical()
        assert isinstance(name, bytes) and b"\r" not in name and b"\n" not in name
        if "institutions" in file.parts:  # the unit's name, whole, on its one line
            assert b"<script>alert(1)</script>" in name
    assert len(by_kind) == 4 and set(by_kind) == titles  # each notice in its kind's calendar once


def test_codeowners_comments_cannot_start_a_rule(hostile: tuple[BuildResult, Corpus]) -> None:
    build, _ = hostile
    text = render_codeowners(build.out.parent / "records")
    for line in text.splitlines():
        assert line == "" or line.startswith(("#", "/")), line
        if line.startswith("/"):
            assert line.split()[1:] == ["@gnas-tto"]


# --- hostile files: each refused with a located problem, quickly, in bounded memory ----------------------


def _timed_check(root: Path) -> tuple[set[tuple[str, str, int, str]], float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    keys = {problem.key() for problem in check_portal(root, TODAY).problems}
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return keys, elapsed, peak


def test_a_huge_file_is_refused_without_being_read(portal: Path) -> None:
    with (portal / NOTICE).open("r+b") as stream:
        stream.truncate(200 * MAX_FILE_BYTES)  # 200 MB, sparse: a file nobody should read whole
    keys, elapsed, peak = _timed_check(portal)
    assert ("file-too-large", NOTICE, 1, "") in keys
    assert elapsed < 2
    assert peak < 3 * MAX_FILE_BYTES
    (problem,) = [p for p in check_portal(portal, TODAY).problems if p.code == "file-too-large"]
    assert problem.params["size"] == f"{200 * MAX_FILE_BYTES:,}"


def test_every_hostile_file_at_once_is_reported_in_one_pass(portal: Path, tmp_path: Path) -> None:
    """Gather everything, then judge: one pass reports each file on its line, the rest still loads."""
    folder = "notices/gnas/2024/"
    bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
    )
    files: dict[str, bytes] = {
        "bomb.yml": bomb.encode(),
        "deep.yml": b"id: deep\nx: " + b"[" * 200_000 + b"\n",
        "big.yml": b"id: big\n" + b"# " + b"x" * (5 * MAX_FILE_BYTES) + b"\n",
        "nul.yml": b"id: nul\ntitle: a\x00b\n",
        "gbk.yml": "id: gbk\ntitle: 关于赋权的公示\n".encode("gb18030"),
        "escape.yml": b'id: escape\ntitle: "\\x1b[31m"\n',
        "control.yml": b"id: control\ntitle: a\x1bb\n",
    }
    for name, content in files.items():
        write(portal, folder + name, content)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yml").write_text("id: x\n", encoding="utf-8")
    (portal / "notices/gnas/2023").symlink_to(outside, target_is_directory=True)
    (portal / (folder + "link.yml")).symlink_to(outside / "x.yml")
    keys, elapsed, peak = _timed_check(portal)
    expected = {
        ("yaml-alias", folder + "bomb.yml", 2, "a1[0]"),
        ("yaml-too-deep", folder + "deep.yml", 2, ""),
        ("file-too-large", folder + "big.yml", 1, ""),
        ("file-binary", folder + "nul.yml", 2, ""),
        ("file-gbk", folder + "gbk.yml", 2, ""),
        ("text-control-character", folder + "escape.yml", 2, "title"),
        ("file-control-character", folder + "control.yml", 2, ""),
        ("file-symlink", folder + "link.yml", 1, ""),
        ("file-symlink", "notices/gnas/2023", 1, ""),
    }
    assert expected <= keys
    assert {key[1] for key in keys} <= {key[1] for key in expected}, "the valid records still load clean"
    assert elapsed < 3
    assert peak < 40_000_000


def test_crlf_line_ends_give_the_same_lines_and_columns(portal: Path) -> None:
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-13")
    replace(portal, NOTICE, "赋予成果完成团队。", "赋予成果完成团队。\n  <b>注意</b>")
    with_lf = check_problems(portal, TODAY)
    for path in portal.rglob("*.yml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    with_crlf = check_problems(portal, TODAY)
    assert [(p.key(), p.column) for p in with_crlf] == [(p.key(), p.column) for p in with_lf]
    assert {p.key() for p in with_crlf} >= {
        ("notice-period-too-short", NOTICE, 5, "period.end"),
        ("markdown-raw-html", NOTICE, 10, "body"),
    }


def test_a_byte_order_mark_is_accepted_and_lines_stay_where_they_are(portal: Path) -> None:
    """Decided: Windows Notepad saves UTF-8 with a BOM; it is accepted, and changes no line number."""
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-13")
    with_lf = [(p.key(), p.column) for p in check_problems(portal, TODAY)]
    for path in portal.rglob("*.yml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert [(p.key(), p.column) for p in check_problems(portal, TODAY)] == with_lf
    assert with_lf == [(("notice-period-too-short", NOTICE, 5, "period.end"), 34)]


@pytest.mark.parametrize(
    "value",
    [
        "../x",
        "a/b",
        "gnas/../../etc",
        "GNAS-2024-N01",
        "gnas 2024",
        ".",
        "..",
        "a\\b",
        "n01.html",
        "%2e%2e",
        "#x",
        "?x",
    ],
)
def test_an_id_that_would_escape_its_url_is_refused(portal: Path, value: str) -> None:
    replace(portal, NOTICE, "id: gnas-2024-n01", f"id: {json.dumps(value)}")
    replace(portal, NOTICE, "achievements: [gnas-2024-001]", f"achievements: [{json.dumps(value)}]")
    keys = problem_keys(portal, TODAY)
    assert ("id-invalid", NOTICE, 1, "id") in keys
    assert ("id-invalid", NOTICE, 6, "achievements[0]") in keys


def test_a_pathological_body_is_checked_quickly(portal: Path) -> None:
    """The content rules' patterns stay linear on text built to make a regular expression backtrack."""
    line = "<a " + " x=" * 4000 + " [x](" + "(" * 4000 + "\n"
    body = "".join("  " + line for _ in range(40))
    assert len(body) < MAX_FILE_BYTES
    started = time.perf_counter()
    _body_problems(portal, body.rstrip("\n"))
    assert time.perf_counter() - started < 3
