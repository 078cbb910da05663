"""Room for files a build writes, reads once and deletes: the search copies Pagefind indexes.

They go to memory when the machine has a memory-backed folder (Linux's /dev/shm) large enough,
else on disk, in the folder the caller gives. On disk, every page's copy needs a folder of its
own (its address is its path), and making a folder costs a quarter to a half of a millisecond
in the kernel: at 5,000 pages, writing the copies took 0.6 s in memory against 1.9-3.1 s on
disk, and the 50,000-record build's search stage 71-76 s against 97-121 s.

Where the copies are changes the index's bytes, not what it finds: Pagefind numbers the pages
in the order it lists their folder. In memory (tmpfs) that is the order they were written, or
its reverse before Linux 6.6; on disk it is the file system's own (ext4 orders names by a hash
seeded anew for each disk). So the place, with the kernel for memory, is part of an index's key
in the build cache, and the place is chosen from what changes seldom: a job goes to memory
when it fits in its share of a quarter of the smaller of the memory folder and the machine's
memory (copies beside two Pagefind runs must not push the machine out of memory), and the
folder has that much free room. Should it fill up while the copies are written, they are
written again on disk.

A folder is deleted when its job ends, failed or not; one left in memory by a build that was
killed (memory the machine frees only when it restarts) is deleted by the next build once it is
a day old.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

MEMORY_FOLDER = Path("/dev/shm")
# The share of memory the copies of all jobs at once may take: other programs use the memory
# folder too (Docker gives a container 64 MB), and Pagefind needs memory of its own.
SHARE = 0.25
# Set to "disk" to keep every scratch folder on disk.
PLACE_VARIABLE = "PORTAL_SCRATCH"
PREFIX = ".portal-scratch-"
STALE_AFTER_S = 24 * 3600  # no build runs this long: its folder's build was killed


class Scratch:
    """Scratch folders for up to `jobs_at_once` jobs side by side, in memory when they fit."""

    def __init__(self, disk: Path, jobs_at_once: int, memory: Path | None = None) -> None:
        self.disk = disk
        self.memory = memory or MEMORY_FOLDER
        room = 0
        if os.environ.get(PLACE_VARIABLE) != "disk":
            _remove_stale(self.memory)
            room = int(min(_folder_size(self.memory), _machine_memory()) * SHARE)
        self.room_per_job = room // max(1, jobs_at_once)

    def place(self, size: int) -> str:
        """Where a job of `size` bytes would write now: "memory" with the kernel, or "disk" with
        the file system's id (a folder's order on disk is seeded anew for each file system: a
        cache restored on another machine must not take a bundle made on this one)."""
        if 0 < size <= self.room_per_job and size <= _free_bytes(self.memory):
            return f"memory {os.uname().release}"
        return self._on_disk()

    def _on_disk(self) -> str:
        return f"disk {_file_system_id(self.disk)}"

    @contextmanager
    def filled(self, size: int, fill: Callable[[Path], None]) -> Iterator[tuple[Path, str]]:
        """A new folder for about `size` bytes, filled by `fill`, and its place (see `place`);
        deleted on leaving, failed or not."""
        place = self.place(size)
        if place.startswith("memory"):
            with tempfile.TemporaryDirectory(prefix=PREFIX, dir=self.memory) as folder:
                try:
                    fill(Path(folder))
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    place = self._on_disk()  # the memory folder filled up meanwhile
                if place.startswith("memory"):
                    yield Path(folder), place
                    return
        with tempfile.TemporaryDirectory(prefix=PREFIX, dir=self.disk) as folder:
            fill(Path(folder))
            yield Path(folder), place


def _file_system_id(folder: Path) -> str:
    status = _stats(folder)
    return str(status.f_fsid) if status is not None else "?"


def _remove_stale(memory: Path) -> None:
    now = time.time()
    for path in memory.glob(PREFIX + "*"):  # nothing when there is no such folder
        try:
            stale = now - path.stat().st_mtime > STALE_AFTER_S
        except OSError:  # deleted meanwhile
            continue
        if stale:
            shutil.rmtree(path, ignore_errors=True)


def _folder_size(folder: Path) -> int:
    """The size of the file system holding `folder`, or 0 when there is no such folder or it
    cannot be written (macOS and Windows have no /dev/shm)."""
    stats = _stats(folder)
    return stats.f_blocks * stats.f_frsize if stats else 0


def _free_bytes(folder: Path) -> int:
    stats = _stats(folder)
    return stats.f_bavail * stats.f_frsize if stats else 0


def _stats(folder: Path) -> os.statvfs_result | None:
    try:
        return os.statvfs(folder) if os.access(folder, os.W_OK) else None
    except (OSError, AttributeError):  # os.statvfs does not exist on Windows
        return None


def _machine_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (OSError, ValueError, AttributeError):  # not known here: no copies in memory
        return 0
