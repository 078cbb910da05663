"""`portal serve`, run as a clerk runs it: a real server on 127.0.0.1, real builds, real edits,
Ctrl+C, and a page open in Chromium that reloads by itself.

The preview is built as `portal build` builds (its own process, the build cache) into a folder
beside the caches, and built again when a record is saved: only what changed is rendered again,
a record with an error leaves the preview as it was, and the report says what to fix.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from generator.errors import EXIT_INTERRUPTED
from generator.paths import RECORD_FOLDERS
from generator.preview import preview_folder
from tests.browser.conftest import EXAMPLE_DATE, REPO
from tests.conftest import replace

NOTICE = "notices/gnas/2024/gnas-2024-n01.yml"
NOTICE_PAGE = "notices/gnas-2024-n01/"
TITLE = "关于“一种离子型稀土矿绿色高效浸取方法”等 2 项职务科技成果赋予所有权的公示"
# The first build of a portal is a build from nothing (on a busy CI runner, a minute is not unheard of).
PATIENCE_S = 180
REBUILD_STARTED = "检测到修改"  # the line the preview prints as each rebuild starts


class Preview:
    """A running `portal serve`, its output kept in a file to be read while it runs. It runs in a
    process group of its own, as in a terminal: Ctrl+C (SIGINT to the group) reaches its builds."""

    def __init__(self, root: Path, log: Path) -> None:
        self.root, self.log_file = root, log
        self.port = _free_port()
        self.address = f"http://127.0.0.1:{self.port}/"
        command = [sys.executable, "-m", "generator", "serve", str(root), "--today", EXAMPLE_DATE.isoformat()]
        with log.open("wb") as output, _ctrl_c_not_ignored():
            self.process = subprocess.Popen(
                [*command, "--frozen", "--port", str(self.port)],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def page(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.address + path, timeout=10) as response:
                body: bytes = response.read()  # urlopen is typed as Any
            return body.decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def shows(self, path: str, text: str) -> Callable[[], bool]:
        return lambda: text in (self.page(path) or "")

    def wait_for(self, what: str, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + PATIENCE_S
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(
                    f"portal serve ended (exit {self.process.returncode}) before {what}:\n{self.log()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} within {PATIENCE_S} s:\n{self.log()}")
            time.sleep(0.1)

    def interrupt(self) -> int:
        """Ctrl+C, as a terminal sends it (to the whole group); the exit status."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # What the process made of the signal, read before it is killed: whether it ignored
            # or blocked SIGINT (SigIgn, SigBlk), and what it had printed.
            signals = _signal_masks(self.process.pid)
            os.killpg(self.process.pid, signal.SIGKILL)
            pytest.fail(f"portal serve did not stop within 60 s of Ctrl+C ({signals}):\n{self.log()}")


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    """The example portal's records, without its mkdocs.yml (as an institution's repository
    holds them): the preview builds with the project's."""
    root = tmp_path / "portal"
    for folder in RECORD_FOLDERS.values():
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture
def preview(portal: Path, tmp_path: Path) -> Iterator[Preview]:
    running = Preview(portal, tmp_path / "serve.log")
    try:
        running.wait_for("page served", lambda: running.page("") is not None)
        yield running
    finally:
        running.interrupt()


def _free_port() -> int:
    """A port free now, for the server to take."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _ctrl_c_not_ignored() -> Iterator[None]:
    """A process started meanwhile hears Ctrl+C, as one started from a terminal does. A test run
    started in the background by a shell without job control (`make test &`) ignores SIGINT,
    and a process inherits that: `portal serve` would then never stop when the test sends it."""
    if signal.getsignal(signal.SIGINT) != signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)  # reset to the default at exec
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _signal_masks(pid: int) -> str:
    """The signals a process ignores, blocks and catches, as its /proc status gives them."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError as error:
        return f"no status: {error}"
    return ", ".join(line.replace("\t", " ") for line in status.splitlines() if line.startswith("Sig"))


def _all_files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def test_the_preview_is_served_at_its_own_address_outside_the_portal_folder(
    portal: Path, preview: Preview
) -> None:
    page = preview.page(NOTICE_PAGE)
    assert page is not None and TITLE in page
    # Its links lead to the preview, not to the published site of mkdocs.yml.
    assert f'<link rel="canonical" href="{preview.address}{NOTICE_PAGE}">' in page
    assert (preview_folder(portal, preview.port) / "site" / NOTICE_PAGE / "index.html").is_file()
    assert not (portal / "site").exists()
    assert f"预览地址：{preview.address}" in preview.log()
    not_there = urllib.request.Request(preview.address + "no-such-page/")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(not_there, timeout=10)
    assert missing.value.code == 404 and '<html lang="zh"' in missing.value.read().decode("utf-8")


def test_a_saved_record_is_rebuilt_into_the_preview_from_the_cache_and_a_broken_one_changes_nothing(
    portal: Path, preview: Preview
) -> None:
    # An editor's swap file is written while the clerk types: no rebuild for it.
    (portal / "notices" / "gnas" / "2024" / ".gnas-2024-n01.yml.swp").write_bytes(b"\0vim swap")
    time.sleep(2)
    assert REBUILD_STARTED not in preview.log()

    portal_files = _all_files(portal)
    replace(portal, NOTICE, f"title: {TITLE}", "title: 更正后的公示标题")
    preview.wait_for("edited title", preview.shows(NOTICE_PAGE, "更正后的公示标题"))
    # Built again from the cache: the pages that do not show the notice were kept.
    assert "沿用上次生成的" in preview.log() and "预览已更新" in preview.log()
    # A build reads the records and writes nothing beside them (the preview would see its own writes).
    edited = {**portal_files, NOTICE: (portal / NOTICE).read_bytes()}
    assert _all_files(portal) == edited

    site = preview_folder(portal, preview.port) / "site"
    before = _all_files(site)
    replace(portal, NOTICE, "title: 更正后的公示标题", "title：再次更正的标题")  # a full-width colon
    preview.wait_for("the report of the broken record", lambda: "预览未更新" in preview.log())
    log = preview.log()
    assert f"{NOTICE}:4:6" in log and "yaml-key-colon" in log and "Traceback" not in log
    assert _all_files(site) == before
    assert "更正后的公示标题" in (preview.page(NOTICE_PAGE) or "")

    replace(portal, NOTICE, "title：再次更正的标题", "title: 再次更正的标题")
    preview.wait_for("the mended record", preview.shows(NOTICE_PAGE, "再次更正的标题"))
    # One build an edit: every build reads every record, and reading is no edit.
    time.sleep(2)
    assert preview.log().count(REBUILD_STARTED) == 3


def test_ctrl_c_during_a_rebuild_stops_the_preview_and_leaves_no_unfinished_site(
    portal: Path, preview: Preview
) -> None:
    replace(portal, NOTICE, f"title: {TITLE}", "title: 更正后的公示标题")
    preview.wait_for("a rebuild", lambda: REBUILD_STARTED in preview.log())
    assert preview.interrupt() == EXIT_INTERRUPTED
    assert "预览已停止" in preview.log() and "Traceback" not in preview.log()
    folder = preview_folder(portal, preview.port)
    assert [path.name for path in folder.iterdir() if ".building-" in path.name] == []


def test_a_portal_with_an_error_is_not_served_and_the_report_says_what_to_fix(portal: Path) -> None:
    replace(portal, NOTICE, f"title: {TITLE}", f"title：{TITLE}")
    command = [sys.executable, "-m", "generator", "serve", str(portal), "--today", EXAMPLE_DATE.isoformat()]
    result = subprocess.run(
        [*command, "--port", str(_free_port())],
        capture_output=True,
        text=True,
        timeout=PATIENCE_S,
        check=False,
    )
    assert result.returncode == 1
    assert f"{NOTICE}:4:6" in result.stdout and "yaml-key-colon" in result.stdout
    assert "预览地址" not in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_a_page_open_in_the_browser_shows_a_saved_edit_by_itself_and_nothing_from_outside(
    portal: Path, preview: Preview, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(preview.address) else elsewhere.append(request.url),
    )
    try:
        page.goto(preview.address + NOTICE_PAGE)
        assert TITLE in page.locator("h1").inner_text()
        # A frozen build's notice, printed, says its status held on the reference date.
        status_date = page.locator("[data-portal-status-date]")
        assert status_date.is_hidden()
        page.emulate_media(media="print")
        assert status_date.is_visible() and status_date.inner_text() == "（状态截至2025年9月22日）"
        page.emulate_media(media="screen")
        replace(portal, NOTICE, f"title: {TITLE}", "title: 更正后的公示标题")
        # No navigation: the server's script reloads the page once the build is done.
        page.wait_for_function(
            "document.querySelector('h1') && document.querySelector('h1').textContent.includes('更正后的公示标题')",
            timeout=PATIENCE_S * 1000,
        )
    finally:
        context.close()
    assert elsewhere == []
