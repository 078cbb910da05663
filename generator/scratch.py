"""Room for files a build writes, reads once and deletes: the search copies Pagefind indexes.

They go to memory when the machine has a memory-backed folder with room to spare (Linux's
/dev/shm), else beside the site. On disk, every page's copy needs a folder of its own (its
address is its path), and making a folder costs a quarter to a half of a millisecond in the
kernel: at 5,000 pages, writing the copies took 0.6 s in memory against 1.9-3.1 s on disk, and
the 50,000-record build's search stage 71-76 s against 97-121 s.

Where the copies are changes the index's bytes, not what it finds: Pagefind numbers the pages
in the order it lists their folder, which in memory (Linux's tmpfs) is the order they were
written, sorted, and on disk an order of the file system's own (ext4 orders names by a hash
seeded anew for each disk). So the place is part of an index's key in the build cache.

A folder in memory uses memory: each job that may run at once has an equal share of half the
free room, decided once, so the same job goes to the same place all build long. A folder is
deleted when its job ends, failed or not; one left by a build that was killed (memory is not
freed until the machine restarts) is deleted by the next build once it is a day old.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MEMORY_FOLDER = Path("/dev/shm")
# The share of the memory folder's free room the build may fill: other programs use it too
# (Docker gives a container 64 MB), and what is written there is memory no one else can have.
SHARE = 0.5
# Set to "disk" to keep every scratch folder beside the site.
PLACE_VARIABLE = "PORTAL_SCRATCH"
PREFIX = ".portal-scratch-"
STALE_AFTER_S = 24 * 3600  # no build runs this long: its folder's build was killed


class Scratch:
    """Scratch folders for up to `jobs_at_once` jobs side by side, in memory when they fit."""

    def __init__(self, beside: Path, jobs_at_once: int, memory: Path | None = None) -> None:
        self.beside = beside
        self.memory = memory or MEMORY_FOLDER
        room = 0
        if os.environ.get(PLACE_VARIABLE) != "disk":
            _remove_stale(self.memory)
            room = int(_free_bytes(self.memory) * SHARE)
        self.room_per_job = int(room // max(1, jobs_at_once))

    def in_memory(self, size: int) -> bool:
        return 0 < size <= self.room_per_job

    def place(self, size: int) -> str:
        return "memory" if self.in_memory(size) else "disk"

    @contextmanager
    def folder(self, size: int) -> Iterator[Path]:
        """A new empty folder for about `size` bytes, deleted on leaving, failed or not."""
        parent = self.memory if self.in_memory(size) else self.beside
        with tempfile.TemporaryDirectory(prefix=PREFIX, dir=parent) as folder:
            yield Path(folder)


def _remove_stale(memory: Path) -> None:
    now = time.time()
    try:
        left = [path for path in memory.glob(PREFIX + "*") if now - path.stat().st_mtime > STALE_AFTER_S]
    except OSError:  # no such folder, or one we may not read: nothing of ours is there
        return
    for path in left:
        shutil.rmtree(path, ignore_errors=True)


def _free_bytes(folder: Path) -> int:
    """The room left in `folder`, or 0 when there is no such folder or it cannot be written
    (macOS and Windows have no /dev/shm)."""
    try:
        if not os.access(folder, os.W_OK):
            return 0
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # os.statvfs does not exist on Windows
        return 0
    return stats.f_bavail * stats.f_frsize
