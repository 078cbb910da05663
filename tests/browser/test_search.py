"""Chinese full-text search with Pagefind's extended binary, in a real browser."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.site import BuildResult

pytestmark = pytest.mark.browser

# Words people search the portal for; each must find every page whose indexed text contains it.
DOMAIN_TERMS = [
    "公示", "定价", "协议定价", "科技成果", "成果转化", "所有权", "使用权", "长期使用权", "专利", "转让",
    "许可", "异议", "奖励", "完成人", "有限公司", "稀土", "脐橙", "赋权", "纪检监察室",
]  # fmt: skip


def _search_page(browser: Any, site_url: str, query: str = "") -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site_url}search/" + (f"?q={query}" if query else ""))
    return page


def _wait_until_shown(page: Any) -> None:
    """The search script marks its root data-state="done" once results are on screen."""
    page.wait_for_selector(".portal-search-page[data-state='done']", state="attached", timeout=20_000)


def _result_urls(page: Any) -> list[str]:
    _wait_until_shown(page)
    more = page.locator("#portal-search-more")
    while more.is_visible():
        more.click()
        _wait_until_shown(page)
    return page.eval_on_selector_all(
        ".portal-search-result__title", "els => els.map(e => e.getAttribute('href'))"
    )


def _ids(urls: list[str], kind: str) -> set[str]:
    return {match.group(1) for url in urls if (match := re.search(rf"/{kind}/([a-z0-9-]+)/", url))}


def test_a_two_character_word_from_an_achievement_title_finds_its_notice(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    view = example_build.portal.notices["gnas-2025-n03"]
    assert "晶界" in view.achievements[0].title
    urls = _result_urls(_search_page(browser, site_url, "晶界"))
    assert "gnas-2025-n03" in _ids(urls, "notices")


def test_an_excerpt_keeps_a_fact_apart_from_its_label(browser: Any, site_url: str) -> None:
    """A page's facts are a definition list; Pagefind joins the text of adjacent tags, so without
    a space between term and value an excerpt read "所属单位赣南科学院（示例）成果类型专利权"."""
    page = _search_page(browser, site_url, "赣南科学院")
    _result_urls(page)  # every result on screen: the achievements' come after the unit's notices
    excerpts = page.eval_on_selector_all(
        ".portal-search-result__excerpt", "els => els.map(e => e.textContent)"
    )
    assert any("所属单位 赣南科学院" in excerpt for excerpt in excerpts)
    assert not any("所属单位赣南" in excerpt for excerpt in excerpts)


def test_a_counterparty_name_finds_its_deal(browser: Any, site_url: str, example_build: BuildResult) -> None:
    deals = [view for view in example_build.portal.notices.values() if view.record.deal]
    target = next(
        view for view in deals if view.record.deal and view.record.deal.counterparty_type == "foreign"
    )
    assert target.record.deal is not None
    urls = _result_urls(_search_page(browser, site_url, "Lumina Photonics"))
    assert target.id in _ids(urls, "notices")


@pytest.mark.parametrize("form", ["canonical", "without ZL", "digits only", "full width"])
def test_a_patent_number_in_each_form_finds_its_achievement(
    browser: Any, site_url: str, example_build: BuildResult, form: str
) -> None:
    achievement = example_build.portal.achievements["gnas-2024-001"].record
    number = achievement.rights[0].number
    digits, check = number.removeprefix("ZL").split(".")
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in number)  # as a Chinese input method types it
    query = {
        "canonical": number,
        "without ZL": f"{digits}.{check}",
        "digits only": f"{digits}{check}",
        "full width": full_width,
    }[form]
    urls = _result_urls(_search_page(browser, site_url, query))
    assert achievement.id in _ids(urls, "achievements")


def test_filtering_by_institution_keeps_only_that_institution(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    page = _search_page(browser, site_url, "公示")
    before = _result_urls(page)
    name = example_build.portal.institutions["jhust"].record.name
    page.get_by_label(re.compile("^" + re.escape(name))).check()
    after = _result_urls(page)
    assert 0 < len(after) < len(before)
    facts = page.eval_on_selector_all(".portal-search-result__facts", "els => els.map(e => e.textContent)")
    assert len(facts) == len(after) and all(name in text for text in facts)


def test_the_search_page_reached_without_a_query_is_ready_to_type_in(browser: Any, site_url: str) -> None:
    # From the header's search button on a phone: the box had to be tapped again.
    page = _search_page(browser, site_url)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'portal-search-input'")
    with_query = _search_page(browser, site_url, "稀土")
    _wait_until_shown(with_query)
    assert with_query.evaluate("document.activeElement.id") != "portal-search-input"


def test_nonsense_shows_the_empty_result_message(browser: Any, site_url: str) -> None:
    page = _search_page(browser, site_url, "qzxwvk")
    assert _result_urls(page) == []
    assert "没有找到" in page.locator("#portal-search-status").inner_text()


@pytest.mark.parametrize("query", ["xyzzy", "量子纠缠"])
def test_a_word_no_page_holds_says_the_results_hold_only_part_of_it(
    browser: Any, site_url: str, query: str
) -> None:
    """Pagefind answers it with the pages holding its longest indexed beginning (the X of a patent
    number, the 量 of 含水量): they are shown, under a line that says they do not hold the word."""
    page = _search_page(browser, site_url, query)
    urls = _result_urls(page)
    status = page.locator("#portal-search-status").inner_text()
    assert urls and status.startswith(f"没有找到含“{query}”的内容。以下 {len(urls)} 条只含其中的一部分")
    texts = page.eval_on_selector_all(".portal-search-result", "els => els.map(e => e.textContent)")
    assert not any(query in text for text in texts)
    # Its words as the browser cuts them, wherever they are on the page: 稀土 and 浸取.
    whole = _search_page(browser, site_url, "稀土浸取")
    _wait_until_shown(whole)
    assert whole.locator("#portal-search-status").inner_text().startswith("找到 ")


def test_the_portals_own_wording_on_every_notice_is_not_searched(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    """Every notice page gives its deadline in 北京时间 and says how to object, in the portal's
    words: matching them would list every notice, and their excerpts would hide what the
    institution wrote. (No record of the example says 北京时间.)"""
    term = "北京时间"
    assert not any("/notices/" in page for page in _pages_containing(example_build.out, term))
    notice_page = example_build.out / "notices" / "gnas-2024-n01" / "index.html"
    assert term in notice_page.read_text(encoding="utf-8")
    assert _ids(_result_urls(_search_page(browser, site_url, term)), "notices") == set()
    # Whom to write to is the institution's own: it is searched.
    person = example_build.portal.notices["gnas-2024-n01"].record.objections.person
    assert person and "gnas-2024-n01" in _ids(
        _result_urls(_search_page(browser, site_url, person)), "notices"
    )


@pytest.mark.parametrize("term", ["赋权内容", "尚未批准赋权"])
def test_the_portals_own_words_on_every_achievement_are_not_searched(
    example_build: BuildResult, term: str
) -> None:
    """赋权 found every achievement by its heading 赋权内容, and those not granted by 尚未批准赋权."""
    assert not any("/achievements/" in found for found in _pages_containing(example_build.out, term))
    assert any(
        term in path.read_text(encoding="utf-8")
        for path in (example_build.out / "achievements").glob("*/index.html")
    )


class _BodyText(HTMLParser):
    """The text inside data-pagefind-body, as Pagefind sees it: without what data-pagefind-ignore marks."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.ignored_at = 0  # the depth of the ignored element the parser is inside, or 0
        self.parts: list[str] = []

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:  # no end tag follows: counting it would never leave the body
            return
        names = {name for name, _ in attrs}
        if self.depth:
            self.depth += 1
            if not self.ignored_at and "data-pagefind-ignore" in names:
                self.ignored_at = self.depth
        elif "data-pagefind-body" in names:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            if self.depth == self.ignored_at:
                self.ignored_at = 0
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.ignored_at:
            self.parts.append(data)


def _pages_containing(site: Path, term: str) -> set[str]:
    found = set()
    for html in site.rglob("index.html"):
        parser = _BodyText()
        parser.feed(html.read_text(encoding="utf-8"))
        if term in "".join(parser.parts):
            found.add("/" + html.parent.relative_to(site).as_posix() + "/")
    return found


@pytest.mark.parametrize("term", DOMAIN_TERMS)
def test_a_domain_term_finds_every_page_that_contains_it(
    browser: Any, site_url: str, example_build: BuildResult, term: str
) -> None:
    expected = _pages_containing(example_build.out, term)
    assert expected, f"no page of the example contains {term}: choose another term"
    found = {
        "/" + url.split("/", 3)[-1] if url.startswith("http") else url
        for url in _result_urls(_search_page(browser, site_url, term))
    }
    assert sorted(expected - found) == []


def test_on_a_phone_results_come_first_and_filters_fold_behind_one_button(
    browser: Any, site_url: str
) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{site_url}search/?q=稀土")
    _wait_until_shown(page)
    assert not page.locator("#portal-search-filters").is_visible()
    first_result = page.locator(".portal-search-result").first.bounding_box()
    assert first_result is not None and first_result["y"] < 740  # on the first screen
    page.locator("#portal-search-filter-toggle").click()
    assert page.locator("#portal-search-filters").is_visible()
    assert page.locator("#portal-search-filter-toggle").get_attribute("aria-expanded") == "true"


def test_the_first_results_do_not_wait_for_the_filter_index(browser: Any, site_url: str) -> None:
    """At a national portal's size the filter files take seconds to reach a phone: the results
    show without them, and the facets, with their counts, follow once they come."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    held: list[Any] = []
    released: list[bool] = []

    def hold(route: Any) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/*.pf_filter", hold)
    page.goto(f"{site_url}search/?q=稀土")
    _wait_until_shown(page)
    assert page.locator(".portal-search-result").count() > 0
    assert page.locator(".portal-search-page").get_attribute("data-facets") is None
    assert page.locator("#portal-search-filters").inner_text() == "筛选条件载入中……"
    released.append(True)
    for route in held:
        route.continue_()
    page.wait_for_selector(".portal-search-page[data-facets='ready']", state="attached", timeout=20_000)
    counts = page.eval_on_selector_all(".portal-filter label", "els => els.map(e => e.textContent)")
    assert counts and all(re.search(r"（\d+）$", text) for text in counts)
    # The counts are those of the query's results, not of the whole index.
    unit_facet = page.locator("fieldset.portal-filter", has=page.locator("legend", has_text="单位"))
    units = unit_facet.locator("label")
    label = units.first.inner_text()
    units.first.click()
    assert len(_result_urls(page)) == int(re.search(r"（(\d+)）$", label).group(1))


def test_pages_holding_the_word_as_typed_come_before_those_found_by_its_pieces(
    browser: Any, site_url: str
) -> None:
    """赣南科学院 cut in two (赣南科 学院) also finds 赣南理工学院's pages: the search shows
    the pages holding the query as typed first (portal-search.js, searchAll)."""
    urls = _result_urls(_search_page(browser, site_url, "赣南科学院"))
    units = [
        match.group(1) for url in urls if (match := re.search(r"/(?:notices|achievements)/([a-z]+)-", url))
    ]
    assert "gnit" in units and "gnas" in units
    assert units.index("gnit") > len(units) - units[::-1].index("gnas") - 1


def test_a_persons_pages_come_before_those_that_hold_only_part_of_the_name(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    """陈思远 is not a word of the index: Pagefind ranked five pages holding only 陈 above the two
    that name the person. Those that hold the name come first; the others are marked."""
    holding = {
        f"/{page.parent.relative_to(example_build.out).as_posix()}/"
        for folder in ("notices", "achievements")
        for page in (example_build.out / folder).glob("*/index.html")
        if "陈思远" in page.read_text(encoding="utf-8")
    }
    page = _search_page(browser, site_url, "陈思远")
    urls = [urlsplit(url).path for url in _result_urls(page)]
    assert len(holding) == 2 and len(urls) > len(holding)
    assert set(urls[: len(holding)]) == holding
    marked = page.eval_on_selector_all(
        ".portal-search-result", "els => els.map(e => !!e.querySelector('.portal-search-result__partial'))"
    )
    assert marked == [False] * len(holding) + [True] * (len(urls) - len(holding))
    assert page.locator("#portal-search-status").inner_text().startswith(f"找到 {len(urls)} 条")


def test_pagefind_cuts_a_query_at_spaces_and_chinese_punctuation_only(browser: Any, site_url: str) -> None:
    """The browser's segmenter cuts 赋权 into 赋/权, a word the index holds whole: on the search
    page Pagefind's word segmenter cuts where the query does (portal-words.js), and the
    ASCII dot of a registration number stays in its word; graphemes are the browser's."""
    page = _search_page(browser, site_url)
    words = page.evaluate(
        """text => Array.from(new Intl.Segmenter("zh", { granularity: "word" }).segment(text))
            .filter(part => part.isWordLike).map(part => part.segment)""",
        "赋权 赣南科学院（示例）、稀土 2019101234567.8",
    )
    assert words == ["赋权", "赣南科学院", "示例", "稀土", "2019101234567.8"]
    graphemes = page.evaluate(
        """text => Array.from(new Intl.Segmenter("zh", { granularity: "grapheme" }).segment(text)).length""",
        "赋权",
    )
    assert graphemes == 2
    urls = _result_urls(_search_page(browser, site_url, "赣南科学院（示例）"))
    # As typed, the words 赣南科学院 and 示例: the unit's own pages, before any a cut finds.
    assert len(urls) > 10 and all("gnas" in url for url in urls[:10])


def test_pagefind_searches_in_its_worker_with_the_pages_word_segmenter(browser: Any, site_url: str) -> None:
    """Pagefind searches in its worker, off the page's thread (at 50,000 records a common word
    held the thread for 2.6 s): the built worker script starts with portal-words.js, so the
    worker cuts a query as the page does, and 赋权 finds the word 先赋权后转化 holds."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{site_url}search/?q=赋权")
    _wait_until_shown(page)
    workers = [worker for worker in page.workers if worker.url.endswith("/pagefind/pagefind-worker.js")]
    assert len(workers) == 1
    # Pagefind keeps a worker it gave up on: that it searched there, the page fetched no index.
    assert not [message for message in messages if "falling back to main thread" in message]
    fetched = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    assert not [url for url in fetched if "/pagefind/index/" in url or "wasm" in url]
    assert any(url.endswith("pagefind.js") for url in fetched)
    words = workers[0].evaluate(
        """text => Array.from(new Intl.Segmenter("zh", { granularity: "word" }).segment(text))
            .filter(part => part.isWordLike).map(part => part.segment)""",
        "赋权 赣南科学院（示例）",
    )
    assert words == ["赋权", "赣南科学院", "示例"]
    # The browser's own, which the page keeps for its segmentations, cuts it in two.
    own = "Array.from(new portalWords.BrowserSegmenter('zh', { granularity: 'word' }).segment('赋权'))"
    assert page.evaluate(f"{own}.map(part => part.segment)") == ["赋", "权"]
    assert len(_result_urls(page)) > 20


def test_a_search_whose_index_files_do_not_come_says_so(browser: Any, site_url: str) -> None:
    """Once the page is up, a search whose index files fail (the line dropped, Pagefind's worker
    gone) says it failed instead of staying "searching"."""
    page = _search_page(browser, site_url, "稀土")
    _wait_until_shown(page)
    refused: list[str] = []

    def refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.abort()

    page.route("**/pagefind/index/**", refuse)
    page.route("**/pagefind/fragment/**", refuse)
    page.fill("#portal-search-input", "纪检监察室")
    page.wait_for_selector(".portal-search-page[data-state='failed']", state="attached", timeout=20_000)
    assert refused, "the worker's requests go through the page's routes"
    assert "搜索出错" in page.locator("#portal-search-status").inner_text()


@pytest.mark.parametrize(
    ("query", "page_path"),
    [
        ("gnas-2025-n03", "notices/gnas-2025-n03/"),
        ("HBAAT-2025-005", "achievements/hbaat-2025-005/"),
        ("jhust－2025－007", "achievements/jhust-2025-007/"),  # full-width hyphens
    ],
)
def test_a_records_id_leads_straight_to_its_page(
    browser: Any, site_url: str, query: str, page_path: str
) -> None:
    """Pagefind ranked gnas-2025-n03's own notice tenth among pages holding the id's pieces.
    Only the id's own folder is asked: each page missing was a 404 in the reader's console."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    page.goto(f"{site_url}search/?q={query}")
    urls = _result_urls(page)
    assert urls[0].endswith(page_path) and len(urls) > 1
    assert missing == []


def test_an_id_of_no_record_leads_nowhere_and_says_so(browser: Any, site_url: str) -> None:
    page = _search_page(browser, site_url, "gnas-2099-n99")
    _result_urls(page)
    assert page.locator(".portal-search-result--record").count() == 0
    assert "没有编号为“gnas-2099-n99”的公示或成果" in page.locator("#portal-search-status").inner_text()


@pytest.mark.parametrize(
    ("query", "page_path"), [("gnas", "institutions/gnas/"), ("hubei-2023", "policies/hubei-2023/")]
)
def test_an_institutions_or_a_policys_id_finds_its_page_first(
    browser: Any, site_url: str, query: str, page_path: str
) -> None:
    urls = _result_urls(_search_page(browser, site_url, query))
    assert urls and urls[0].endswith(page_path)


def test_a_notices_status_in_the_results_is_as_of_now_not_as_of_the_build(
    browser: Any, site_url: str, example_build: BuildResult
) -> None:
    """Built while it is open, the notice is found two minutes after its last day: its result says
    已截止, as its page does (the index's facets keep the build's statuses)."""
    from datetime import datetime, time, timedelta

    from generator.clock import CHINA

    view = sorted(example_build.portal.open_notices(), key=lambda notice: notice.id)[0]
    moments = {
        "公示中": datetime.combine(example_build.portal.today, time(10, 0), tzinfo=CHINA),
        "已截止": datetime.combine(view.record.period.end + timedelta(days=1), time(0, 2), tzinfo=CHINA),
    }
    for expected, moment in moments.items():
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.clock.set_fixed_time(moment)
        page.goto(f"{site_url}search/?q={view.id}")
        _wait_until_shown(page)
        result = page.locator(
            ".portal-search-result:not(.portal-search-result--record)",
            has=page.locator(f'a[href$="notices/{view.id}/"]'),
        )
        facts = result.locator(".portal-search-result__facts").first.inner_text()
        assert facts.endswith(expected), facts
        page.close()


def test_sorting_by_date_says_it_lists_notices_only_and_keeps_the_order_in_the_address(
    browser: Any, site_url: str
) -> None:
    page = _search_page(browser, site_url, "稀土")
    _wait_until_shown(page)
    page.select_option("#portal-search-sort", "date")
    page.wait_for_function("location.search.includes('sort=date')")
    _wait_until_shown(page)
    status = page.locator("#portal-search-status")
    page.wait_for_function(
        "document.getElementById('portal-search-status').textContent.includes('只列出公示')"
    )
    assert "按开始日期排序只列出公示" in status.inner_text()


def test_more_results_asked_for_twice_at_once_come_once_each(browser: Any, site_url: str) -> None:
    """A double tap on 显示更多结果 took the same results twice, in date order, and skipped others."""
    page = _search_page(browser, site_url, "赋权&sort=date")
    _wait_until_shown(page)
    page.locator("#portal-search-more").dblclick()
    urls = _result_urls(page)
    total = int(re.search(r"找到 (\d+) 条", page.locator("#portal-search-status").inner_text()).group(1))
    assert len(urls) > 10 and len(set(urls)) == len(urls) == total


def test_sorting_by_date_lists_every_result_newest_first(browser: Any, site_url: str) -> None:
    """Each segmentation's results come in date order; united, they are merged, not put one
    list after the other (赋权 listed 2025-09-08 … 2024-03-11, then 2025-10-20 …)."""
    page = _search_page(browser, site_url, "赋权&sort=date")
    urls = _result_urls(page)
    starts = page.eval_on_selector_all(
        ".portal-search-result__facts",
        "els => els.map(e => (e.textContent.match(/\\d{4}-\\d{2}-\\d{2}/) || [''])[0])",
    )
    assert len(urls) > 10 and all(starts) and len(starts) == len(urls)
    assert starts == sorted(starts, reverse=True)
    assert len(set(urls)) == len(urls)
