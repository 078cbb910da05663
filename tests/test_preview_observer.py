"""What tells `portal serve` of a change (generator/preview.py): the system's notifications, for
writes only, and polling when the notifications are at their limit."""

from __future__ import annotations

import errno
import logging
import time
from pathlib import Path

import pytest
import watchdog.observers
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from generator.preview import _file_observer


class _Seen(FileSystemEventHandler):
    def __init__(self) -> None:
        self.paths: list[str] = []

    def dispatch(self, event: FileSystemEvent) -> None:
        self.paths.append(Path(str(event.src_path)).name)


def test_writes_are_seen_and_reads_and_scratch_files_are_not(tmp_path: Path) -> None:
    record = tmp_path / "record.yml"
    record.write_text("id: a\n", encoding="utf-8")
    observer = _file_observer([tmp_path])
    seen = _Seen()
    observer.schedule(seen, str(tmp_path), recursive=True)
    observer.start()
    try:
        record.read_text(encoding="utf-8")  # a build reads every record
        (tmp_path / ".record.yml.swp").write_bytes(b"vim")
        (tmp_path / "record.yml~").write_bytes(b"backup")
        time.sleep(1)
        assert seen.paths == []
        record.write_text("id: b\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        while "record.yml" not in seen.paths and time.monotonic() < deadline:
            time.sleep(0.05)
        assert set(seen.paths) == {"record.yml"}
    finally:
        observer.stop()
        observer.join()


def test_notifications_at_their_limit_fall_back_to_polling_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    class AtTheLimit(PollingObserver):  # as inotify fails when its watches are all taken
        def start(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(watchdog.observers, "Observer", AtTheLimit)
    with caplog.at_level(logging.WARNING):
        observer = _file_observer([tmp_path])
    assert type(observer) is PollingObserver
    assert "fs.inotify.max_user_watches" in caplog.text


def test_the_preview_sends_text_files_as_utf8() -> None:
    # A notice's version file is git's bytes, UTF-8 without a byte-order mark: named as such,
    # a browser set to Chinese does not read it as GBK.
    from mkdocs.livereload import LiveReloadServer

    from generator.preview import _with_utf8_text

    server_class = _with_utf8_text(LiveReloadServer)
    assert server_class._guess_type("notices/x/versions/1a2b3c4d5e6f.txt") == "text/plain; charset=utf-8"
    assert server_class._guess_type("index.html") == "text/html; charset=utf-8"
    assert server_class._guess_type("assets/portal-search.js") == "application/javascript"
