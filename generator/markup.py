"""Markdown written by institutions, turned into HTML that cannot carry script.

Raw HTML is refused at check time (rules/content.py); here the rendered HTML is sanitised again
with nh3 (the Ammonia sanitiser), so nothing from a record runs in a reader's browser even if a
check were bypassed. Links keep only http, https, mailto and tel.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markdown import inlinepatterns
from markdown.treeprocessors import InlineProcessor

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


# Each inline rule of Python-Markdown, by name, with its expression and the characters one of
# its matches must hold. The rules of the delimiters (em_strong) are their tokens: * and _.
_INLINE_RULES = {
    "backtick": (inlinepatterns.BACKTICK_RE, "`"),  # its backslashes match only before one
    "escape": (inlinepatterns.ESCAPE_RE, "\\"),
    "reference": (inlinepatterns.REFERENCE_RE, "["),
    "link": (inlinepatterns.LINK_RE, "["),
    "image_link": (inlinepatterns.IMAGE_LINK_RE, "!"),
    "image_reference": (inlinepatterns.IMAGE_REFERENCE_RE, "!"),
    "short_reference": (inlinepatterns.REFERENCE_RE, "["),
    "short_image_ref": (inlinepatterns.IMAGE_REFERENCE_RE, "!"),
    "autolink": (inlinepatterns.AUTOLINK_RE, "<"),
    "automail": (inlinepatterns.AUTOMAIL_RE, "<"),
    "linebreak": (inlinepatterns.LINE_BREAK_RE, "  \n"),
    "entity": (inlinepatterns.ENTITY_RE, "&"),
}


class _InlineSkippingPlainText(InlineProcessor):
    """Python-Markdown's inline step, which tries each of its rules on every run of text (each
    cell of a table is one): a run holding none of the characters any rule's match needs comes
    out as it went in, and is passed over: a third less time for the example's bodies, whose
    tables have many cells. `triggers` is None, and nothing is passed over, unless every rule
    registered is one of `_INLINE_RULES`, with the expression written there."""

    def __init__(self, md: markdown.Markdown, triggers: re.Pattern[str] | None) -> None:
        super().__init__(md)
        self.triggers = triggers

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if self.triggers is not None and not self.triggers.search(data):
            return data
        handle = InlineProcessor._InlineProcessor__handleInline  # type: ignore[attr-defined]
        return handle(self, data, patternIndex)  # type: ignore[no-any-return]


def _triggers(md: markdown.Markdown) -> re.Pattern[str] | None:
    """What a run of text must hold for one of `md`'s inline rules to match it, or None when a
    rule is not one this module knows."""
    names = [name for name in [*_INLINE_RULES, "em_strong"] if name in md.inlinePatterns]
    if len(names) != len(md.inlinePatterns):
        return None  # a rule of an extension
    needed: list[str] = []
    for name in names:
        rule = md.inlinePatterns[name]
        if name == "em_strong":
            if not isinstance(rule, inlinepatterns.DelimiterProcessor):
                return None
            needed += rule.tokens
        elif getattr(rule, "pattern", None) == _INLINE_RULES[name][0]:
            needed.append(_INLINE_RULES[name][1])
        else:
            return None
    return re.compile("|".join(re.escape(text) for text in sorted(set(needed))))


def python_markdown() -> markdown.Markdown:
    """Python-Markdown as the portal reads records, with its own inline step."""
    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # Markdown must not pass raw HTML through, sanitised or not: without its HTML block and
    # inline HTML rules every '<' is text, escaped once, inside code too (`<b>` shows as <b>,
    # not as &lt;b&gt;). Autolinks (<https://…>) are rules of their own and keep working.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _converter() -> markdown.Markdown:
    md = python_markdown()
    md.treeprocessors.register(_InlineSkippingPlainText(md, _triggers(md)), "inline", 20)
    return md


# One converter for every body: building one costs more than converting a short body with it.
_CONVERTER = _converter()


def markdown_html(text: str) -> str:
    # Headings inside a record start at h3: the page owns h1 and h2.
    html = _CONVERTER.reset().convert(text)
    html = (
        html.replace("<h1>", "<h3>")
        .replace("</h1>", "</h3>")
        .replace("<h2>", "<h4>")
        .replace("</h2>", "</h4>")
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
    # A clerk's table (the achievements of a notice, a reward's shares) in the portal's scrolling
    # box: on a phone its first column wrapped every four characters and the last ones were out
    # of sight, with nothing to say so (portal-tables.js). A tag the sanitiser let through has no
    # attributes: `<table>` is one, a table written as text is escaped.
    return clean.replace(
        "<table>", '<div class="portal-table-wrap"><table class="portal-body-table">'
    ).replace("</table>", "</table></div>")
