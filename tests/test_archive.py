"""Long lists come as numbered pages: every entry on exactly one page, every page linked."""

from __future__ import annotations

import functools
import re
from datetime import date
from pathlib import Path

import pytest

from generator import render
from generator.archive import paginate
from generator.check import check_portal
from generator.portal import build_portal
from generator.render import Renderer, page_url

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2025, 9, 22)


def test_pages_are_numbered_from_the_list_folder() -> None:
    pages = paginate("archive/notices/2025", list(range(401)), size=200)
    assert [page.src_uri for page in pages] == [
        "archive/notices/2025/index.md",
        "archive/notices/2025/2/index.md",
        "archive/notices/2025/3/index.md",
    ]
    assert [len(page.items) for page in pages] == [200, 200, 1]
    assert [page.first_index for page in pages] == [1, 201, 401]
    assert pages[2].page_folder(1) == "archive/notices/2025/"


def test_an_empty_list_still_has_its_first_page() -> None:
    (page,) = paginate("deals", [], size=200)
    assert page.src_uri == "deals/index.md" and page.count == 1 and not page.items


@pytest.fixture(scope="module")
def small_pages() -> dict[str, str]:
    """The example rendered with five entries a page, so that its lists run over several pages."""
    result = check_portal(REPO, TODAY)
    assert result.passes()
    renderer = Renderer(build_portal(result.catalog, TODAY), "https://example.cn/", REPO)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "paginate", functools.partial(paginate, size=5))
        return {page_url(page.src_uri): page.body_html for page in renderer.engine_pages()}


def test_every_notice_of_a_year_is_on_exactly_one_of_its_pages(small_pages: dict[str, str]) -> None:
    result = check_portal(REPO, TODAY)
    expected = sorted(
        key for key, loaded in result.catalog.notices.items() if loaded.record.period.start.year == 2025
    )
    year_pages = [
        html for url, html in small_pages.items() if re.fullmatch(r"archive/notices/2025/(\d+/)?", url)
    ]
    assert len(year_pages) == -(-len(expected) // 5)
    listed = [
        key for html in year_pages for key in re.findall(r'href="\.\./(?:\.\./)+notices/([a-z0-9-]+)/"', html)
    ]
    assert sorted(listed) == expected


def test_every_pager_link_leads_to_a_page(small_pages: dict[str, str]) -> None:
    for url, html in small_pages.items():
        for pager in re.findall(r'<nav class="portal-pager".*?</nav>', html, re.DOTALL):
            for href in re.findall(r'href="([^"]+)"', pager):
                depth = url.count("/")
                target = href
                for _ in range(depth):
                    target = target.removeprefix("../")
                assert target in small_pages, (url, href)


def test_the_home_page_links_the_rest_of_a_long_open_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "HOME_LIST_LIMIT", 2)
    result = check_portal(REPO, TODAY)
    portal = build_portal(result.catalog, TODAY)
    home = next(page for page in Renderer(portal, "/", REPO).engine_pages() if page.src_uri == "index.md")
    assert home.body_html.count('<li class="portal-card">') == 2 + 2  # open and scheduled, two each
    assert f"查看全部 {len(portal.open_notices())} 项正在公示的公示" in home.body_html


def test_the_notices_page_links_the_lists_of_open_and_scheduled_notices(small_pages: dict[str, str]) -> None:
    # Those lists were linked from no page (the home page links the open one only when it is long).
    notices = small_pages["notices/"]
    for status in ("open", "scheduled"):
        assert f'href="../archive/notices/{status}/"' in notices
        assert f"archive/notices/{status}/" in small_pages


def test_an_institution_page_links_all_its_records_when_they_are_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(render, "INDEX_LIST_LIMIT", 2)
    monkeypatch.setattr(render, "paginate", functools.partial(paginate, size=3))
    result = check_portal(REPO, TODAY)
    portal = build_portal(result.catalog, TODAY)
    pages = {page.src_uri: page.body_html for page in Renderer(portal, "/", REPO).engine_pages()}
    institution = portal.institutions["gnas"]
    assert f"查看本单位全部 {len(institution.notices)} 项公示" in pages["institutions/gnas.md"]
    archive = [html for src, html in pages.items() if src.startswith("archive/institutions/gnas/notices/")]
    assert len(archive) == -(-len(institution.notices) // 3)
    listed = {key for html in archive for key in re.findall(r'\.\./notices/([a-z0-9-]+)/"', html)}
    assert listed == {view.id for view in institution.notices}
