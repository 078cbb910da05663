"""What Pagefind reads of a page (generator/search_copies.py). That Pagefind gives the same
bundle from the copies as from the whole pages is checked on the example site, for real, in
test_build_integrity.py; here, what is cut out and what is left in."""

from __future__ import annotations

from generator.search_copies import search_copy, search_digest

HEAD = (
    '<!doctype html>\n<html lang="zh" class="no-js"><head><meta charset="utf-8">'
    '<link rel="stylesheet" href="x.css"><title>标题 - 平台</title></head>'
)


def page(article: str, around: str = "<header>页眉</header>{}<footer>页脚</footer>") -> bytes:
    return (HEAD + "<body>" + around.format(article) + "</body></html>").encode("utf-8")


def article(inner: str) -> str:
    return f'<article class="portal-record" data-pagefind-body>{inner}</article>'


def test_the_copy_is_the_html_tag_the_title_and_the_article() -> None:
    copy = search_copy(page(article("<h1>一项公示</h1><p>正文</p>")))
    expected = (
        '<!doctype html>\n<html lang="zh" class="no-js"><head><title>标题 - 平台</title></head><body>'
        + article("<h1>一项公示</h1><p>正文</p>")
        + "</body></html>\n"
    )
    assert copy == expected.encode("utf-8")


def test_ignored_elements_are_cut_out_with_what_they_hold_nested() -> None:
    inner = (
        "<h1>标题</h1>"
        "<p data-pagefind-ignore=''>空值</p><p data-pagefind-ignore=\"index\">默认</p>"
        '<div class="status" data-pagefind-ignore><div>已办结</div><div>还剩 3 天</div></div>'
        '<p>正文<small data-pagefind-ignore="index">截止时间</small>。</p>'
        '<ul data-pagefind-ignore><li><a href="x">另一项公示</a></li></ul>'
        "<p>后文</p>"
    )
    copy = search_copy(page(article(inner)))
    assert copy is not None
    text = copy.decode("utf-8")
    assert "<h1>标题</h1><p>正文。</p><p>后文</p>" in text
    for gone in ("已办结", "还剩", "截止时间", "另一项公示", "空值", "默认", "data-pagefind-ignore"):
        assert gone not in text


def test_what_pagefind_reads_even_inside_an_ignored_element_keeps_it_in() -> None:
    """Filters, metadata and sort keys are read inside an ignored element, ids can be anchors,
    and "all" drops filters too: such elements are left for Pagefind to ignore itself."""
    kept = [
        '<div data-pagefind-ignore><span data-pagefind-filter="状态:已办结"></span>已办结</div>',
        '<div data-pagefind-ignore><h2 id="revisions">修订记录</h2></div>',
        '<div data-pagefind-ignore="all"><span>全部</span></div>',
        "<div data-pagefind-ignore><div>未闭合</div>",
        "<br data-pagefind-ignore><span data-pagefind-ignore/>",
        '<span data-pagefind-ignore data-pagefind-filter="状态:已办结">已办结</span>',
        '<h2 id="objections" data-pagefind-ignore>异议受理</h2>',
        # The mark as text: in a link's title (Markdown keeps titles), and in a body.
        '<p>正文<a href="https://e.cn/" title="说明 data-pagefind-ignore 说明">链接</a>后文</p>',
        "<p>写 data-pagefind-ignore 的元素不被索引</p>",
    ]
    for element in kept:
        copy = search_copy(page(article("<h1>标题</h1>" + element)))
        assert copy is not None and element.encode("utf-8") in copy, element


def test_a_page_without_a_clean_article_has_no_copy() -> None:
    assert search_copy(page("<p>没有标记</p>")) is None
    assert search_copy(page(article("<article>内层</article>"))) is None
    assert search_copy(page(article("未闭合").removesuffix("</article>"))) is None
    marked_head = page(article("<h1>标题</h1>")).replace(
        b"<title>", b'<meta data-pagefind-meta="x:y"><title>'
    )
    assert search_copy(marked_head) is None


def test_the_digest_moves_only_with_what_pagefind_reads() -> None:
    """A notice's title, as an achievement's page lists it (ignored), or the theme around the
    article: the page's bytes change, the search digest does not."""
    before = page(article("<h1>成果</h1><ul data-pagefind-ignore><li>关于某成果的公示</li></ul>"))
    retitled = page(article("<h1>成果</h1><ul data-pagefind-ignore><li>更正：关于某成果的公示</li></ul>"))
    rethemed = page(
        article("<h1>成果</h1><ul data-pagefind-ignore><li>关于某成果的公示</li></ul>"),
        "<header>新页眉</header>{}",
    )
    changed = page(article("<h1>成果（更正）</h1><ul data-pagefind-ignore><li>关于某成果的公示</li></ul>"))
    assert before != retitled != rethemed
    assert search_digest(before) == search_digest(retitled) == search_digest(rethemed)
    assert search_digest(changed) != search_digest(before)
    whole = page("<p>没有标记</p>")
    assert search_digest(whole) != search_digest(page("<p>没有标记。</p>"))
