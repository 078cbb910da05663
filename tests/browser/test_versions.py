"""An earlier version of a notice, shown from its revision history on any server: the text file
is decoded as UTF-8 by the page, whatever charset (none) the server sends with it."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.site import build_site
from tests.test_revision_history import NOTICE, NOTICE_ID, TODAY, amend_and_conclude, git, published_portal

pytestmark = pytest.mark.browser


class _CharsetlessHandler(http.server.SimpleHTTPRequestHandler):
    """As nginx serves a .txt by default: text/plain, no charset (Python's server does the same)."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[str]]]:
    base = tmp_path_factory.mktemp("versions")
    repository = base / "repo"
    commits = [published_portal(repository, repository), *amend_and_conclude(repository, repository)]
    site = build_site(repository, today=TODAY, out=base / "site").out
    handler = functools.partial(_CharsetlessHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", repository, commits
    server.shutdown()


def test_a_version_opened_from_the_revision_history_shows_its_chinese_text(
    browser: Any, history_site: tuple[str, Path, list[str]]
) -> None:
    site_url, repository, (published, _, _) = history_site
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{site_url}notices/{NOTICE_ID}/")
    page.locator(f"#revision-{published[:12]} a", has_text="此版本原文").click()
    page.wait_for_selector(".portal-version-page[data-state='done']", state="attached")
    shown = page.locator("#portal-version-text").inner_text()
    assert shown.rstrip("\n") == git(repository, "show", f"{published}:{NOTICE}")
    assert "关于赣南科学院职务科技成果赋权的公示" in shown
    # The raw file is a link away, byte for byte as git holds it.
    raw = page.locator("#portal-version-raw").get_attribute("href") or ""
    assert raw.endswith(f"notices/{NOTICE_ID}/versions/{published[:12]}.txt")
    assert (page.locator("#portal-version-notice").get_attribute("href") or "").endswith(
        f"notices/{NOTICE_ID}/"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("address", ["", "?file=https://example.org/x.txt", "?file=notices/../../etc/passwd"])
def test_the_version_page_reads_only_a_version_file_of_the_site(
    browser: Any, history_site: tuple[str, Path, list[str]], address: str
) -> None:
    site_url, _, _ = history_site
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}versions/{address}")
    assert "地址里没有要显示的版本" in page.locator("#portal-version-about").inner_text()
    assert page.locator("#portal-version-text").is_hidden()
    asked = [urlsplit(url) for url in requested]
    assert not any(url.path.endswith(".txt") or url.hostname != "127.0.0.1" for url in asked)
