"""Markdown written by institutions, turned into HTML that cannot carry script.

Raw HTML is refused at check time (rules/content.py); here the rendered HTML is sanitised again
with nh3 (the Ammonia sanitiser), so nothing from a record runs in a reader's browser even if a
check were bypassed. Links keep only http, https, mailto and tel.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


# One converter for every body: building one costs more than converting a short body with it.
_CONVERTER = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
# Markdown must not pass raw HTML through, sanitised or not: without its HTML block and inline HTML
# rules every '<' is text, escaped once, inside code too (`<b>` shows as <b>, not as &lt;b&gt;).
# Autolinks (<https://…>) are rules of their own and keep working.
_CONVERTER.preprocessors.deregister("html_block")
_CONVERTER.inlinePatterns.deregister("html")


def markdown_html(text: str) -> str:
    # Headings inside a record start at h3: the page owns h1 and h2.
    html = _CONVERTER.reset().convert(text)
    html = (
        html.replace("<h1>", "<h3>")
        .replace("</h1>", "</h3>")
        .replace("<h2>", "<h4>")
        .replace("</h2>", "</h4>")
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
    )
