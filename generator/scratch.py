"""Room for files a build writes, reads once and deletes: the search copies Pagefind indexes.

They go to memory when the machine has a memory-backed folder with room to spare (Linux's
/dev/shm), else beside the site. On disk, every page's copy needs a folder of its own (its
address is its path), and making a folder costs a quarter to a half of a millisecond in the
kernel: at 5,000 pages, writing the copies took 1.9-3.1 s on disk and 0.6 s in memory, and the
50,000-record build's search stage 97-121 s instead of 71-76 s.

Where the copies are changes the index's bytes, not what it finds: Pagefind numbers the pages
in the order it lists their folder, which in memory is the order they were written (sorted, so
the same on every machine) and on disk an order of the file system's own (ext4 hashes names
with a seed of each disk). So the place is part of an index's key in the build cache.

A folder in memory uses memory: each job that may run at once has an equal share of half the
free room, decided once, so the same job goes to the same place all build long.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MEMORY_FOLDER = Path("/dev/shm")
# The share of the memory folder's free room the build may fill: other programs use it too
# (Docker gives a container 64 MB), and what is written there is memory no one else can have.
SHARE = 0.5
# Set to "disk" to keep every scratch folder beside the site.
PLACE_VARIABLE = "PORTAL_SCRATCH"


class Scratch:
    """Scratch folders for up to `jobs_at_once` jobs side by side, in memory when they fit."""

    def __init__(self, beside: Path, jobs_at_once: int, memory: Path | None = None) -> None:
        self.beside = beside
        self.memory = memory or MEMORY_FOLDER
        room = _free_bytes(self.memory) * SHARE if os.environ.get(PLACE_VARIABLE) != "disk" else 0
        self.room_per_job = int(room // max(1, jobs_at_once))

    def in_memory(self, size: int) -> bool:
        return 0 < size <= self.room_per_job

    def place(self, size: int) -> str:
        return "memory" if self.in_memory(size) else "disk"

    @contextmanager
    def folder(self, size: int, prefix: str) -> Iterator[Path]:
        """A new empty folder for about `size` bytes, deleted on leaving, failed or not."""
        parent = self.memory if self.in_memory(size) else self.beside
        with tempfile.TemporaryDirectory(prefix=prefix, dir=parent) as folder:
            yield Path(folder)


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
