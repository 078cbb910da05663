"""No record text runs in a reader's browser: every page of a portal whose every text field holds
the whole payload corpus (tests/hostile_site.py), opened in Chromium.

On each page no dialog opens, no script error is thrown, and nothing from the data became markup:
its scripts, elements and attributes are those the same templates give a portal of harmless text
(the allow-list is collected from that clean build), no attribute holds an on* handler or a
javascript:/data:/vbscript: URL, and every record's title reads back exactly as it was written.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from generator.clock import CHINA
from generator.site import BuildResult, build_site
from tests.hostile_site import PAYLOADS, TODAY, write_clean_portal, write_hostile_portal

pytestmark = pytest.mark.browser

# 10:00 in China on the build date: the status script recomputes every badge for this moment.
MOMENT = datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0, tzinfo=CHINA)
SITE_NAME = "职务科技成果赋权公示平台"

# What a page is made of, read in the browser after its scripts ran.
INSPECT = """() => {
  const scripts = [...document.scripts].map(s =>
    s.src ? "src " + new URL(s.src).pathname : "inline " + (s.type || "") + " " + s.textContent);
  const shapes = new Set(), handlers = [], urls = [];
  const dangerous = /^\\s*(javascript|data|vbscript):/i;
  for (const el of document.querySelectorAll("*")) {
    const names = [...el.attributes].map(a => a.name).sort();
    shapes.add(el.tagName.toLowerCase() + "[" + names.join(",") + "]");
    for (const a of el.attributes) {
      if (a.name.startsWith("on")) handlers.push(el.tagName + " " + a.name + "=" + a.value);
      if (["href", "src", "action", "formaction", "data", "srcdoc", "xlink:href", "content"]
          .includes(a.name) && dangerous.test(a.value)) urls.push(el.tagName + " " + a.name + "=" + a.value);
    }
  }
  const dates = [...document.querySelectorAll("[data-start],[data-end],[data-end-time],[data-outcome]")]
    .map(el => [el.getAttribute("data-start"), el.getAttribute("data-end"),
                el.getAttribute("data-end-time"), el.getAttribute("data-outcome")]);
  const h1 = document.querySelector("article h1, .md-content h1");
  return {scripts, shapes: [...shapes], handlers, urls, dates, title: document.title,
          h1: h1 ? h1.textContent : null};
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser that moves on mid-download breaks the pipe: not a test failure


@contextmanager
def served(folder: Path) -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, BuildResult]:
    base = tmp_path_factory.mktemp("xss")
    write_hostile_portal(base / "hostile")
    write_clean_portal(base / "clean")
    hostile = build_site(base / "hostile", today=TODAY, out=base / "hostile-site")
    clean = build_site(base / "clean", today=TODAY, out=base / "clean-site")
    return hostile, clean


def html_pages(site: Path) -> list[str]:
    return sorted(
        path.relative_to(site).as_posix().removesuffix("index.html") for path in site.rglob("*.html")
    )


class Visitor:
    """One browser page that opens page after page at MOMENT, noting dialogs and script errors."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(locale="zh-CN")
        self.page = self.context.new_page()
        self.page.clock.set_fixed_time(MOMENT)
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visit(self, url: str) -> tuple[dict[str, Any], list[str], list[str]]:
        """Open one page: what it is made of, the dialogs it opened and the script errors it threw."""
        self.dialogs.clear()
        self.errors.clear()
        self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(50)  # autofocus and load handlers would have run by now
        # The search page builds its filters once Pagefind and then its filter index have loaded,
        # however long that takes: both sites are compared as they are then, not at whatever
        # point the loading reached.
        if self.page.locator(".portal-search-page").count():
            self.page.wait_for_selector(
                ".portal-search-page[data-facets], .portal-search-page[data-state='failed']",
                state="attached",
                timeout=15_000,
            )
        found: dict[str, Any] = self.page.evaluate(INSPECT)
        return found, list(self.dialogs), list(self.errors)

    def close(self) -> None:
        self.context.close()


@contextmanager
def visitor(browser: Any) -> Iterator[Visitor]:
    opened = Visitor(browser)
    try:
        yield opened
    finally:
        opened.close()


def words(text: str) -> str:
    """Text as a page shows it: HTML turns CR into LF and a title collapses white space."""
    return " ".join(text.split())


def record_titles(build: BuildResult) -> dict[str, str]:
    portal = build.portal
    titles = {f"notices/{key}/": view.record.title for key, view in portal.notices.items()}
    titles |= {f"achievements/{key}/": view.record.title for key, view in portal.achievements.items()}
    titles |= {f"institutions/{key}/": view.record.name for key, view in portal.institutions.items()}
    titles |= {f"policies/{key}/": policy.title for key, policy in portal.policies.items()}
    return titles


def test_no_payload_runs_or_becomes_markup_on_any_page(
    browser: Any, builds: tuple[BuildResult, BuildResult]
) -> None:
    hostile, clean = builds
    pages = html_pages(hostile.out)
    assert pages == html_pages(clean.out)
    assert len(pages) >= 20
    allowed_scripts: set[str] = set()
    allowed_shapes: set[str] = set()
    with served(clean.out) as clean_url, visitor(browser) as reader:
        for relative in pages:
            found, dialogs, errors = reader.visit(clean_url + relative)
            assert (dialogs, errors, found["handlers"], found["urls"]) == ([], [], [], [])
            allowed_scripts.update(found["scripts"])
            allowed_shapes.update(found["shapes"])
    # The table script marks a box that scrolls sideways (portal-tables.js): the payloads' long
    # words make boxes scroll that the clean build's text fits in.
    allowed_shapes.add("div[aria-label,class,role,tabindex]")
    titles = record_titles(hostile)
    assert len(titles) == 8
    failures: list[str] = []
    with served(hostile.out) as url, visitor(browser) as reader:
        for relative in pages:
            found, dialogs, errors = reader.visit(url + relative)
            failures += [f"{relative}: dialog {message!r}" for message in dialogs]
            failures += [f"{relative}: script error {error[:200]}" for error in errors]
            failures += [f"{relative}: handler {handler[:200]}" for handler in found["handlers"]]
            failures += [f"{relative}: url {value[:200]}" for value in found["urls"]]
            failures += [
                f"{relative}: script not in the theme {script[:200]!r}"
                for script in found["scripts"]
                if script not in allowed_scripts
            ]
            failures += [
                f"{relative}: element not in the templates {shape}"
                for shape in found["shapes"]
                if shape not in allowed_shapes
            ]
            failures += [f"{relative}: status data {dates}" for dates in found["dates"] if not _dates(dates)]
            if relative in titles:
                title = words(titles.pop(relative))
                if words(found["title"]) != f"{title} - {SITE_NAME}":
                    failures.append(f"{relative}: <title> reads {found['title'][:200]!r}")
                if found["h1"] is None or words(found["h1"]) != title:
                    failures.append(f"{relative}: <h1> reads {str(found['h1'])[:200]!r}")
    assert failures == []
    assert titles == {}, "every record page was visited"


def _dates(values: list[str | None]) -> bool:
    """The data attributes the status script reads hold dates, a clock time and an outcome only."""
    start, end, end_time, outcome = values
    iso = r"\d{4}-\d{2}-\d{2}"
    return (
        (start is None or re.fullmatch(iso, start) is not None)
        and (end is None or re.fullmatch(iso, end) is not None)
        and (end_time is None or re.fullmatch(r"\d{2}:\d{2}", end_time) is not None)
        and outcome in (None, "concluded", "withdrawn")
    )


def test_search_results_show_payloads_as_text(browser: Any, builds: tuple[BuildResult, BuildResult]) -> None:
    """Pagefind returns the hostile titles and excerpts; the search script shows them as text."""
    hostile, _ = builds
    with served(hostile.out) as url:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        dialogs: list[str] = []

        def dialog_opened(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dialog_opened)
        page.goto(f"{url}search/?q=script")
        page.wait_for_selector(".portal-search-page[data-state='done']", state="attached", timeout=20_000)
        page.wait_for_timeout(50)
        results = page.eval_on_selector_all(
            ".portal-search-result",
            """els => els.map(li => ({
                 text: li.querySelector('.portal-search-result__title').textContent,
                 tags: [...li.querySelectorAll('*')].map(e => e.tagName.toLowerCase()),
                 handlers: [...li.querySelectorAll('*')].flatMap(e =>
                   [...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name))}))""",
        )
        context.close()
    assert dialogs == []
    assert len(results) >= 8  # every record page holds the corpus
    for result in results:
        assert set(result["tags"]) <= {"a", "div", "p", "mark"}
        assert result["handlers"] == []
    titles = {words(title) for title in record_titles(hostile).values()}
    assert {words(result["text"]) for result in results} & titles, "titles come back as text"


def test_the_inspection_sees_a_payload_that_got_through(
    browser: Any, builds: tuple[BuildResult, BuildResult], tmp_path: Path
) -> None:
    """The checks above can fail: the same page with three payloads pasted in raw is caught."""
    _, clean = builds
    page = (clean.out / "notices/gnas-2024-n01/index.html").read_text(encoding="utf-8")
    raw = PAYLOADS[6] + PAYLOADS[7] + '<a href="javascript:alert(6)">x</a>'  # script, onerror, javascript:
    assert raw.startswith("<script>alert(1)</script><img src=x onerror=alert(2)>")
    shutil.copytree(clean.out, tmp_path / "site")
    target = tmp_path / "site/notices/gnas-2024-n01/index.html"
    target.write_text(page.replace("</h1>", "</h1>" + raw, 1), encoding="utf-8")
    with served(tmp_path / "site") as url, visitor(browser) as reader:
        found, dialogs, _ = reader.visit(url + "notices/gnas-2024-n01/")
    assert sorted(dialogs) == ["1", "2"]
    assert "inline  alert(1)" in found["scripts"]
    assert "IMG onerror=alert(2)" in found["handlers"]
    assert "A href=javascript:alert(6)" in found["urls"]
