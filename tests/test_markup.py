"""The Markdown of records: the converter passes over runs of text no inline rule can match
(generator/markup.py), and must give what Python-Markdown gives without that, for any text."""

from __future__ import annotations

from pathlib import Path

import markdown
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import markup

REPOSITORY = Path(__file__).resolve().parent.parent


STOCK = markup.python_markdown()  # with its own inline step

# Text made of what Markdown reads (every character an inline rule starts from, table pipes,
# list marks, indents, blank lines) and of Chinese, so that runs with and without them mix.
_PIECES = st.sampled_from(
    [
        "公示", "成果", "，", "。", "：", "“", "”", "a", "1", "2.", " ", "  ", "    ", "\n", "\n\n",
        "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "!", "<", ">", "&", "&amp;",
        "&#20844;", "|", "---", "- ", "1. ", "# ", "> ", "<https://example.cn/a>", "<a@b.cn>",
        "[链接](https://example.cn/)", "  \n", "\t", "~", "=",
    ]
)  # fmt: skip
TEXTS = st.lists(_PIECES, max_size=40).map("".join)
TABLE_ROWS = st.lists(st.lists(_PIECES, min_size=1, max_size=4).map("".join), min_size=2, max_size=4)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_any_text_converts_as_python_markdown_converts_it(text: str) -> None:
    assert markup._CONVERTER.reset().convert(text) == STOCK.reset().convert(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(TABLE_ROWS, min_size=1, max_size=5), TEXTS)
def test_any_table_converts_as_python_markdown_converts_it(rows: list[list[str]], after: str) -> None:
    width = max(len(row) for row in rows)
    lines = ["| " + " | ".join(cells + [""] * (width - len(cells))) + " |" for cells in rows]
    lines.insert(1, "|" + "---|" * width)
    text = "\n".join(lines) + "\n\n" + after
    assert markup._CONVERTER.reset().convert(text) == STOCK.reset().convert(text)


def test_every_text_of_the_example_converts_as_python_markdown_converts_it() -> None:
    texts = []
    for path in sorted([*REPOSITORY.glob("notices/**/*.yml"), *REPOSITORY.glob("achievements/**/*.yml")]):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [data[field] for field in ("body", "summary") if isinstance(data.get(field), str)]
    assert len(texts) > 50 and any("|" in text for text in texts)
    for text in texts:
        assert markup._CONVERTER.reset().convert(text) == STOCK.reset().convert(text)


def test_the_converter_passes_over_plain_runs_of_text() -> None:
    """The shortcut is on: it knows every inline rule of the Python-Markdown installed."""
    inline = markup._CONVERTER.treeprocessors["inline"]
    assert isinstance(inline, markup._InlineSkippingPlainText)
    assert inline.triggers is not None
    assert not inline.triggers.search("经院长办公会审议，拟赋予团队 70% 所有权。\n现予公示。")
    for character in "*_`\\[!<&":
        assert inline.triggers.search(f"公示{character}")


def test_a_rule_the_module_does_not_know_turns_the_shortcut_off() -> None:
    """An extension's inline rule (here ~~strikethrough~~-like) could match anything: no run is passed over."""
    md = markdown.Markdown(extensions=["tables", "sane_lists", "abbr"])
    md.inlinePatterns.register(
        markdown.inlinepatterns.SimpleTagInlineProcessor(r"(~~)(.+?)~~", "del"), "del", 75
    )
    assert markup._triggers(md) is None
    changed = markup.python_markdown()
    changed.inlinePatterns.deregister("entity")
    changed.inlinePatterns.register(
        markdown.inlinepatterns.HtmlInlineProcessor(r"(%[a-z]+;)", changed), "entity", 80
    )
    assert markup._triggers(changed) is None


def test_a_clerks_table_comes_in_the_portals_scrolling_box() -> None:
    # On a phone its columns were squeezed and the last ones out of sight, with nothing saying so.
    html = markup.markdown_html(
        "| 序号 | 成果名称 |\n|---|---|\n| 1 | 一种方法 |\n\n写成文字的 <table> 不是表格。"
    )
    assert html.startswith('<div class="portal-table-wrap"><table class="portal-body-table">')
    assert html.count("portal-table-wrap") == 1 and "</table></div>" in html
    assert "&lt;table&gt;" in html  # the text stays text
