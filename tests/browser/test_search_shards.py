"""A large portal's search index comes in shards that the search page merges: the same
searches find the same pages as one index does."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from generator.search_index import SHARD_PAGES_VARIABLE, record_shards
from generator.site import BuildResult, build_site
from tests.browser.conftest import EXAMPLE_DATE, REPO
from tests.browser.test_search import _ids, _result_urls, _search_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BuildResult, str]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SHARD_PAGES_VARIABLE, "20")  # the example's 77 record pages: 11 shards
        build = build_site(REPO, today=EXAMPLE_DATE, out=tmp_path_factory.mktemp("sharded") / "site")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(build.out))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield build, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_the_index_is_sharded(sharded_site: tuple[BuildResult, str]) -> None:
    build, _ = sharded_site
    shards = sorted(path.name for path in (build.out / "pagefind" / "shards").iterdir())
    # Notices by the year they start, in date order, 20 a shard, in parts while they move
    # (tests/test_search_shards.py): at the example's date, 2025's are in parts.
    notice_shards = [name for name in shards if name.startswith("notices-")]
    assert notice_shards == sorted(
        name for name in record_shards(build.portal, 20) if name.startswith("notices-")
    )
    assert "notices-2024-1" in notice_shards and "notices-2025-1a" in notice_shards
    # Achievements by institution, whole institutions packed in id order, at most 20 a shard.
    held = {
        name: {page.split("/")[1] for page in pages}
        for name, pages in record_shards(build.portal, 20).items()
        if name.startswith("achievements-")
    }
    assert sorted(held) == [name for name in shards if name.startswith("achievements-")]
    shard_of = {}
    for name, ids in held.items():
        assert 0 < len(ids) <= 20
        for achievement_id in ids:
            shard_of.setdefault(build.portal.achievements[achievement_id].record.institution, set()).add(name)
    assert all(len(names) == 1 for names in shard_of.values()), shard_of
    assert (build.out / "pagefind" / "shards.json").is_file()


@pytest.mark.parametrize("term", ["公示", "稀土", "Lumina Photonics", "ZL202010380093.0"])
def test_sharded_and_single_indexes_find_the_same_pages(
    browser: Any, site_url: str, sharded_site: tuple[BuildResult, str], term: str
) -> None:
    _, sharded_url = sharded_site
    single = {url.split("/", 3)[-1] for url in _result_urls(_search_page(browser, site_url, term))}
    sharded = {url.split("/", 3)[-1] for url in _result_urls(_search_page(browser, sharded_url, term))}
    assert single and sharded == single


def test_filters_count_and_narrow_across_shards(browser: Any, sharded_site: tuple[BuildResult, str]) -> None:
    build, sharded_url = sharded_site
    page = _search_page(browser, sharded_url, "公示")
    before = _result_urls(page)
    name = build.portal.institutions["jhust"].record.name
    page.get_by_label(f"{name}（", exact=False).check()
    after = _result_urls(page)
    assert 0 < len(after) < len(before)
    facts = page.eval_on_selector_all(".portal-search-result__facts", "els => els.map(e => e.textContent)")
    assert all(name in text for text in facts)
    notices = _ids(after, "notices")
    assert notices and all(build.portal.notices[key].record.institution == "jhust" for key in notices)
