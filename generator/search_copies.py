"""What Pagefind reads of a page: its search copy.

A page that marks its article with data-pagefind-body is indexed from that article alone, less
what it marks with data-pagefind-ignore. The search copy is just that: the `<html>` tag (the
language), the `<title>`, and the article without its ignored elements. Pagefind gives the
same index from the copies as from the whole pages, byte for byte (a test builds both), and
reads less. The copy's digest is what a search index is keyed on (build_cache.py): a change
Pagefind does not read (a notice's title, as its achievements' pages show it; the theme) does
not make a shard be indexed again.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

BODY_MARK = b"data-pagefind-body"
_HTML_TAG = re.compile(rb"<html\b[^>]*>")
_TITLE = re.compile(rb"<title>[^<]*</title>")
IGNORE_MARK = b"data-pagefind-ignore"
_TAG = re.compile(rb"<([a-z][a-z0-9]*)((?:\s[^<>]*)?)>")
_ATTRIBUTE = re.compile(rb"""([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
# The values of data-pagefind-ignore that leave an element's content out of the index ("index",
# the default); "all" also drops filters and metadata inside it, which a copy must keep.
_IGNORED_FOR_INDEX = frozenset({None, b"", b"index"})
_VOID = frozenset(
    {b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"wbr"}
)
# What an ignored element must not hold to be cut out: what Pagefind reads even there (filters,
# metadata, sort keys) and ids, which it could name as anchors.
_READ_EVEN_IF_IGNORED = re.compile(rb"data-pagefind-(?!ignore)|\sid=")


def search_copy(content: bytes) -> bytes | None:
    """The page as Pagefind needs it; None when it has no `<article data-pagefind-body>` (or one
    holding another article), or a head that could tell Pagefind more (a data-pagefind
    attribute): such a page is indexed whole."""
    mark = content.find(BODY_MARK)
    body = content.find(b"<body")
    start = content.rfind(b"<article", 0, mark)
    if mark < 0 or body < 0 or start < body or content.find(b">", start) < mark:
        return None
    end = content.find(b"</article>", mark)
    if end < 0 or content.find(b"<article", start + 1, end) >= 0:
        return None
    head = content[:body]
    html = _HTML_TAG.search(head)
    if html is None or b"data-pagefind" in head:
        return None
    title = _TITLE.search(head)
    article = _without_ignored(content[start : end + len(b"</article>")])
    return b"".join(
        [
            b"<!doctype html>\n",
            html.group(0),
            b"<head>",
            title.group(0) if title is not None else b"",
            b"</head><body>",
            article,
            b"</body></html>\n",
        ]
    )


def search_digest(content: bytes) -> str:
    """The SHA-256 of what Pagefind reads of the page: its search copy, or the whole page."""
    copy = search_copy(content)
    return hashlib.sha256(content if copy is None else copy).hexdigest()


def _without_ignored(article: bytes) -> bytes:
    """The article without the elements Pagefind ignores. An element is cut out whole, from its
    tag to its matching end tag; one that cannot be matched, or holds what Pagefind reads even
    there, is left in (Pagefind ignores it itself)."""
    parts, position = [], 0
    mark = article.find(IGNORE_MARK)
    while mark >= 0:
        # The mark may be an attribute's name, or text inside a value or between tags.
        tag = _TAG.match(article, article.rfind(b"<", 0, mark))
        if tag is not None and tag.end() > mark and _only_ignored(tag.group(2)):
            end = _element_end(article, tag.group(1), tag.end())
            if end is not None and not _READ_EVEN_IF_IGNORED.search(article, tag.end(), end):
                parts.append(article[position : tag.start()])
                position = end
        mark = article.find(IGNORE_MARK, max(position, mark + 1))
    parts.append(article[position:])
    return b"".join(parts)


def _only_ignored(attributes: bytes) -> bool:
    """Whether a start tag's attributes leave its element out of the index, and give Pagefind
    nothing of their own (an id, a filter, metadata)."""
    ignored = False
    for match in _ATTRIBUTE.finditer(attributes):
        name, value = match.group(1).lower(), match.group(2)
        if name == IGNORE_MARK:
            ignored = (value.strip(b"\"'") if value is not None else None) in _IGNORED_FOR_INDEX
        elif name == b"id" or name.startswith(b"data-pagefind-"):
            return False
    return ignored


def _element_end(html: bytes, name: bytes, after_open: int) -> int | None:
    """Where the element opened just before `after_open` ends (after its end tag), counting the
    elements of the same name inside it; None for a void element or one left open."""
    if name in _VOID or html[after_open - 2 : after_open] == b"/>":
        return None
    depth = 1
    for tag in _tags_named(name).finditer(html, after_open):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None


@cache
def _tags_named(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s>/])[^>]*>")
