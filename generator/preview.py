"""`portal serve`: the portal built as `portal build` builds it, served on this machine, and built
again whenever a record, a template or mkdocs.yml changes.

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
import socket
import subprocess
import sys
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from watchdog.events import (
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
)
from watchdog.observers.api import BaseObserver, ObservedWatch

from generator.build_cache import default_cache_folder
from generator.errors import ToolFailed
from generator.paths import RECORD_FOLDERS
from generator.render import TEMPLATE_FOLDER

log = logging.getLogger(__name__)
_PORT_ERRORS = (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL)


def preview_folder(root: Path) -> Path:
    """Where the preview of the portal at `root` is built, with its build cache: beside the
    portal's caches, so that a second `portal serve` starts from what the first built."""
    caches = default_cache_folder(root)
    return caches.with_name(f"{caches.name}-preview")


def serve_site(root: Path, *, today: date, host: str, port: int, frozen: bool) -> int:
    """Build the preview, serve it until interrupted, rebuild it on each change. Returns the exit
    code: the first build's, should it fail (its report is printed already)."""
    from mkdocs.livereload import LiveReloadServer

    from generator.site import config_file_for

    root = root.resolve()
    _check_port_free(host, port)
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # the server's "Serving on …"
    site = preview_folder(root) / "site"
    build = build_command(root, today, frozen, site, preview_folder(root) / "cache", _address(host, port))
    first = subprocess.run(build, check=False)
    if first.returncode != 0:
        return first.returncode
    server = LiveReloadServer(builder=partial(_rebuild, build), host=host, port=port, root=str(site))
    server.observer = _file_observer()  # type: ignore[assignment] # typed as the polling one it replaces
    server.error_handler = partial(_error_page, site)
    for path in (
        *(root / folder for folder in RECORD_FOLDERS.values()),
        TEMPLATE_FOLDER,
        config_file_for(root),
    ):
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except OSError as error:
        if error.errno not in _PORT_ERRORS:
            raise
        raise _port_taken(host, port, error) from error  # taken while the first build ran
    except KeyboardInterrupt:
        log.info("预览已停止。(preview stopped)")
    finally:
        server.shutdown()
    return 0


def build_command(root: Path, today: date, frozen: bool, site: Path, cache: Path, site_url: str) -> list[str]:
    """`portal build` into the preview folder, with the preview's address as the site's (the
    feeds', the canonical links' and the sitemap's addresses then lead to the preview)."""
    command = [sys.executable, "-m", "generator", "build", str(root), "--today", today.isoformat()]
    command += ["--out", str(site), "--cache-dir", str(cache), "--site-url", site_url]
    return command + (["--frozen"] if frozen else [])


def _rebuild(build: list[str]) -> None:
    """One rebuild, its report printed as it comes. A failed one is said, and the server goes
    on serving the site built last (it reloads the browsers all the same: they show that site).
    Nothing is raised: the server prints a traceback for an exception, and stops for SystemExit."""
    if subprocess.run(build, check=False).returncode != 0:
        log.error(
            "预览未更新：请按上面的提示修改，保存后会自动重新生成；在此之前预览仍是上次生成的网站。"
            "(the preview is unchanged: fix what the report above says and save; it rebuilds by itself)"
        )


def _file_observer() -> BaseObserver:
    """What tells the server of a change: the system's own notifications (inotify, FSEvents,
    ReadDirectoryChangesW), which cost nothing between changes. MkDocs polls every file twice a
    second instead: at 50,000 records one look at them all took 0.4 s of CPU, most of a core for
    as long as the preview runs. Only writes count: inotify also reports each file opened, and
    every build opens every record (a build set off by its own reading never ends)."""
    from watchdog.observers import Observer

    changes: list[type[FileSystemEvent]] = [
        FileCreatedEvent,
        FileModifiedEvent,
        FileDeletedEvent,
        FileMovedEvent,
    ]

    class ChangesOnly(Observer):  # type: ignore[valid-type,misc] # the platform's observer class
        def schedule(self, *args: Any, **kwargs: Any) -> ObservedWatch:
            watch: ObservedWatch = super().schedule(*args, **{**kwargs, "event_filter": changes})
            return watch

    observer: BaseObserver = ChangesOnly(timeout=0.5)
    return observer


def _error_page(site: Path, code: int) -> bytes | None:
    """The site's own 404 page for a page not found, as the published site would show it."""
    page = site / f"{code}.html"
    return page.read_bytes() if code == 404 and page.is_file() else None


def _address(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _check_port_free(host: str, port: int) -> None:
    """A port already taken (another preview still running) is said plainly, before any work."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        if os.name != "nt":  # as the server binds: a preview just stopped leaves its port in TIME_WAIT
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
