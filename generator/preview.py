"""`portal serve`: the portal built as `portal build` builds it, served on this machine, and built
again whenever a record, a template or mkdocs.yml is saved.

Each build runs `portal build` in a process of its own, into a preview folder beside the
portal's caches (never inside the portal's folder, which is watched), with the build cache:
after an edit only what the edit changed is rendered again (build_cache.py). MkDocs' own
`mkdocs serve` builds everything afresh at every edit: 24-26 s at 10,000 records. A build in a
process of its own also leaves this one as it was: the next build's forked processes never
inherit the server's threads, and nothing one build loaded stays in memory for the next.
Should a build fail (a record with an error), the preview keeps showing the site built last,
and the report says what to fix.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watchdog.events import (
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import BaseObserver, ObservedWatch

from generator.build_cache import default_cache_folder
from generator.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_TOOL, ToolFailed
from generator.paths import RECORD_FOLDERS
from generator.render import TEMPLATE_FOLDER
from generator.site import config_file_for

if TYPE_CHECKING:  # imported when serving: the other commands do without MkDocs' server
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger(__name__)
# What binding the server's port raises when the port cannot be had.
_PORT_ERRORS = (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL)
# What the system's file notifications raise at their limits (inotify's watches or instances).
_NOTIFICATION_LIMITS = (errno.ENOSPC, errno.EMFILE, errno.ENFILE)
# Files an editor writes beside the one being edited, while the clerk is still typing (vim's
# swap files, Emacs' autosaves and locks, backups): saving them is not saving a record.
_SCRATCH_PREFIXES = (".", "#", "~$")
_SCRATCH_SUFFIXES = ("~", "#", ".swp", ".swo", ".swx", ".tmp")
# The changes that rebuild: inotify also reports each file opened and closed, and every build
# opens every record (a build set off by its own reading would never end).
_CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
]


def preview_folder(root: Path, port: int) -> Path:
    """Where the preview of the portal at `root`, served on `port`, is built, with its build
    cache: beside the portal's caches, so that the next `portal serve` on the same port starts
    from what this one built. One folder a port: the pages hold their address (their canonical
    links), and two previews of one portal on two ports must not build into one folder."""
    caches = default_cache_folder(root)
    return caches.with_name(f"{caches.name}-preview-{port}")


def serve_site(root: Path, *, today: date, host: str, port: int, frozen: bool) -> int:
    """Build the preview, serve it until Ctrl+C, rebuild it on each change. Returns the exit code:
    the first build's should it fail (its report is printed already); 130 once stopped."""
    from mkdocs.livereload import LiveReloadServer

    root = root.resolve()
    _check_port_free(host, port)
    _show_progress()
    address = _address(host, port)
    folder = preview_folder(root, port)
    command = _build_command(
        root, today=today, frozen=frozen, site=folder / "site", cache=folder / "cache", address=address
    )
    log.info("正在生成预览，首次生成需要一些时间…… (building the preview)")
    try:
        built = _run_build(command)
        if built != 0:
            return built if built > 0 else EXIT_TOOL  # < 0: the build was killed by a signal
        server = _with_utf8_text(LiveReloadServer)(
            builder=partial(_rebuild, command), host=host, port=port, root=str(folder / "site")
        )
        watched = _watched_paths(root)
        server.observer = _file_observer(watched)  # type: ignore[assignment] # typed as MkDocs' own
        server.error_handler = partial(_error_page, folder / "site")
        for path in watched:
            server.watch(str(path))
        log.info(
            f"预览地址：{address}（保存修改后会自动重新生成并刷新页面；按 Ctrl+C 停止）(serving on {address})"
        )
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except OSError as error:  # binding the port: taken while the first build ran
            if error.errno not in _PORT_ERRORS:
                raise
            raise _port_taken(host, port, error) from error
        finally:
            server.shutdown()
    except KeyboardInterrupt:
        log.info("预览已停止。(preview stopped)")
        return EXIT_INTERRUPTED
    return EXIT_OK


def _build_command(
    root: Path, *, today: date, frozen: bool, site: Path, cache: Path, address: str
) -> list[str]:
    """`portal build` into the preview folder, with the preview's address as the site's (the
    feeds', the canonical links' and the sitemap's addresses then lead to the preview)."""
    command = [sys.executable, "-m", "generator", "build", str(root), "--today", today.isoformat()]
    command += ["--out", str(site), "--cache-dir", str(cache), "--site-url", address]
    return command + (["--frozen"] if frozen else [])


def _run_build(command: list[str]) -> int:
    """Run one build, its report printed as it comes; its exit code. Stopped by Ctrl+C, it is
    told to stop and waited for: it deletes its unfinished site as it stops (seconds for a
    national portal), and killed sooner it would leave it behind. The build runs in a session of
    its own, so that Ctrl+C reaches this process alone and the build hears it as SIGTERM
    (__main__.py): a Ctrl+C landing while its interpreter still started printed a traceback."""
    process = subprocess.Popen(command, start_new_session=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        log.info("正在停止，等待生成进程清理未完成的文件…… (stopping: the build is cleaning up)")
        _stop_build(process)
        process.wait()
        raise


def _stop_build(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the build and to the processes it started (its session's group, as Ctrl+C
    reached them all before); where there are no process groups, to the build."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except (AttributeError, ProcessLookupError, PermissionError):
        process.terminate()


def _rebuild(command: list[str]) -> None:
    """One rebuild. A failed one is said, and the server goes on serving the site built last.
    Nothing is raised: the server would hold every page request until a build succeeds (and
    print a traceback), and stop at a SystemExit. It reloads the browsers all the same: they
    show the site built last."""
    log.info("检测到修改，正在重新生成预览…… (rebuilding)")
    started = time.perf_counter()
    if _run_build(command) != 0:
        log.error(
            "预览未更新：请按上面的提示修改，保存后会自动重新生成；在此之前预览仍是上次生成的网站。"
            "(the preview is unchanged: fix what the report above says and save; it rebuilds by itself)"
        )
        return
    log.info(f"预览已更新，用时 {time.perf_counter() - started:.1f} 秒，页面会自动刷新。(rebuilt)")


def _show_progress() -> None:
    """Our lines, in Chinese, and the server's warnings: its own progress lines are in English
    ("Reloading browsers" even after a failed build) and name every browser that connects."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("mkdocs.livereload").setLevel(logging.WARNING)


def _watched_paths(root: Path) -> list[Path]:
    """The record folders, the templates and the configuration: what a build reads. A folder
    made after the preview started is watched from the next `portal serve` on."""
    candidates = (
        *(root / folder for folder in RECORD_FOLDERS.values()),
        TEMPLATE_FOLDER,
        config_file_for(root),
    )
    return [path for path in candidates if path.exists()]


def _file_observer(paths: Iterable[Path]) -> BaseObserver:
    """What tells the server of a change: the system's own notifications (inotify, FSEvents,
    ReadDirectoryChangesW), which cost nothing between changes. MkDocs polls every file twice a
    second instead: at 50,000 records one look at them all took 0.4 s of CPU, most of a core for
    as long as the preview runs. Where the notifications are at their limit (inotify's watches,
    shared with editors), polling it is, and the clerk is told why."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    class ChangesOnly(Observer):  # type: ignore[valid-type,misc] # the platform's observer class
        def schedule(self, handler: FileSystemEventHandler, *args: Any, **kwargs: Any) -> ObservedWatch:
            watch: ObservedWatch = super().schedule(
                _SavedFilesOnly(handler), *args, **{**kwargs, "event_filter": _CHANGES}
            )
            return watch

    # Tried first on their own, as the server starts the observer only once it listens.
    trial = ChangesOnly()
    try:
        for path in paths:
            trial.schedule(FileSystemEventHandler(), str(path), recursive=True)
        trial.start()
    except OSError as error:
        if error.errno not in _NOTIFICATION_LIMITS:
            raise
        log.warning(
            "系统的文件变动通知已达上限，改为每秒检查两次文件（较耗 CPU）。可调高 fs.inotify.max_user_watches。"
            f"(file notifications at their limit: polling instead; {error.strerror})"
        )
        polling: BaseObserver = PollingObserver(timeout=0.5)  # MkDocs' own interval
        return polling
    finally:
        trial.stop()
        if trial.is_alive():
            trial.join()
    observer: BaseObserver = ChangesOnly(timeout=0.5)  # how long it waits for more events to come
    return observer


class _SavedFilesOnly(FileSystemEventHandler):
    """Passes on the events of files a clerk saves, not of an editor's scratch files."""

    def __init__(self, handler: FileSystemEventHandler) -> None:
        self.handler = handler

    def dispatch(self, event: FileSystemEvent) -> None:
        names = [Path(str(path)).name for path in (event.src_path, getattr(event, "dest_path", "")) if path]
        if any(not _is_scratch(name) for name in names):
            self.handler.dispatch(event)


def _is_scratch(name: str) -> bool:
    return name.startswith(_SCRATCH_PREFIXES) or name.endswith(_SCRATCH_SUFFIXES)


def _error_page(site: Path, code: int) -> bytes | None:
    """The site's own 404 page for a page not found, as the published site would show it."""
    page = site / f"{code}.html"
    return page.read_bytes() if code == 404 and page.is_file() else None


def _address(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _with_utf8_text(server_class: type[LiveReloadServer]) -> type[LiveReloadServer]:
    """MkDocs' server, sending text files as UTF-8: it names none, and a browser set to Chinese
    reads a notice's version file (notices/<id>/versions/<commit>.txt, git's bytes, without a
    byte-order mark) as GBK."""

    class Utf8TextServer(server_class):  # type: ignore[misc,valid-type]
        @classmethod
        def _guess_type(cls, path: str) -> str:
            kind: str = super()._guess_type(path)
            return f"{kind}; charset=utf-8" if kind.startswith("text/") and "charset" not in kind else kind

    return Utf8TextServer


def _check_port_free(host: str, port: int) -> None:
    """A port already taken (another preview still running) is said plainly, before any work."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As the server binds (allow_reuse_address): a preview just stopped leaves its port in
        # TIME_WAIT for a minute, which the server can bind and a bare probe could not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise _port_taken(host, port, error) from error


def _port_taken(host: str, port: int, error: OSError) -> ToolFailed:
    return ToolFailed(
        "serve",
        f"portal serve --host {host} --port {port}",
        f"无法在 {host}:{port} 上启动预览：{error.strerror}。该端口可能已被另一个预览占用，"
        f"请关闭它，或换一个端口：make serve PORT={port + 1}（或 portal serve --port {port + 1}）。\n"
        f"(cannot listen on {host}:{port}: {error.strerror}; close the other preview or choose another port)",
    )
