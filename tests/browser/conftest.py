"""Browser tests: the built example portal, served on 127.0.0.1, in the system Chromium.

No browser is downloaded: Playwright drives Debian's chromium (`/usr/bin/chromium`, or
PORTAL_CHROMIUM). Where it is missing these tests are skipped on a developer's machine and fail
in CI (CI=true), so a CI run can never pass without them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from generator.site import BuildResult, build_site

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_DATE = date(2025, 9, 22)
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str:
    candidates = [os.environ.get("PORTAL_CHROMIUM", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "Chromium not found: install Debian's `chromium` package or set PORTAL_CHROMIUM"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The bundled example, built as of its reference date, with live (unfrozen) statuses."""
    out = tmp_path_factory.mktemp("example") / "site"
    return build_site(REPO, today=EXAMPLE_DATE, out=out, frozen=False)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(example_build: BuildResult) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(example_build.out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def serious_violations(page: object) -> list[tuple[str, str, list[object]]]:
    """axe-core's serious and critical findings on the page: rule, help text, first three nodes."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (violation["id"], violation["help"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
