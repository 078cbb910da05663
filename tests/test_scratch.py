"""Scratch folders go to memory when what they will hold fits in a job's share there, and on
disk otherwise or when memory fills up meanwhile; each is gone once its job ends, failed or not."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import pytest

from generator.scratch import PLACE_VARIABLE, PREFIX, STALE_AFTER_S, Scratch


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.delenv(PLACE_VARIABLE, raising=False)
    memory, disk = tmp_path / "memory", tmp_path / "disk"
    memory.mkdir()
    disk.mkdir()
    return memory, disk


def write_page(folder: Path) -> None:
    (folder / "page").mkdir()
    (folder / "page" / "index.html").write_text("<html></html>", encoding="utf-8")


def test_a_job_that_fits_writes_in_memory_and_leaves_nothing(places: tuple[Path, Path]) -> None:
    memory, disk = places
    scratch = Scratch(disk, 2, memory)
    with scratch.filled(1000, write_page) as (folder, place):
        assert folder.parent == memory and folder.name.startswith(PREFIX)
        assert place == f"memory {os.uname().release}" == scratch.place(1000)
        assert (folder / "page" / "index.html").is_file()
    assert not any(memory.iterdir()) and not any(disk.iterdir())


def test_each_job_at_once_has_an_equal_share(places: tuple[Path, Path]) -> None:
    memory, disk = places
    alone, two = Scratch(disk, 1, memory), Scratch(disk, 2, memory)
    assert 0 < two.room_per_job <= alone.room_per_job // 2 + 1
    share = two.room_per_job
    with two.filled(share, write_page) as (first, _), two.filled(share + 1, write_page) as (second, place):
        assert (first.parent, second.parent, place.split()[0]) == (memory, disk, "disk")


def test_copies_that_fill_the_memory_up_are_written_again_on_disk(places: tuple[Path, Path]) -> None:
    memory, disk = places
    tried: list[Path] = []

    def fill(folder: Path) -> None:
        tried.append(folder)
        write_page(folder)
        if folder.parent == memory:
            raise OSError(errno.ENOSPC, "No space left on device")

    with Scratch(disk, 2, memory).filled(1000, fill) as (folder, place):
        assert (folder.parent, place.split()[0]) == (disk, "disk")
        assert [path.parent for path in tried] == [memory, disk]
        assert not any(memory.iterdir())


def test_a_failed_job_leaves_nothing_and_only_a_full_memory_means_a_second_try(
    places: tuple[Path, Path],
) -> None:
    memory, disk = places
    scratch = Scratch(disk, 2, memory)
    with pytest.raises(RuntimeError), scratch.filled(1000, write_page):
        raise RuntimeError("pagefind failed")
    tried: list[Path] = []

    def refused(folder: Path) -> None:
        tried.append(folder)
        write_page(folder)
        raise PermissionError(errno.EACCES, "Permission denied")

    with pytest.raises(PermissionError), scratch.filled(1000, refused):
        pass
    assert len(tried) == 1
    assert not any(memory.iterdir()) and not any(disk.iterdir())


def test_without_a_memory_folder_or_when_told_everything_goes_on_disk(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    memory, disk = places
    assert Scratch(disk, 2, memory / "missing").place(1).startswith("disk ")
    monkeypatch.setenv(PLACE_VARIABLE, "disk")
    with Scratch(disk, 2, memory).filled(1, write_page) as (folder, place):
        assert (folder.parent, place.split()[0]) == (disk, "disk")


def test_a_folder_a_killed_build_left_is_deleted_a_day_later(places: tuple[Path, Path]) -> None:
    memory, disk = places
    old, recent, other = memory / f"{PREFIX}old", memory / f"{PREFIX}recent", memory / "someone-elses"
    for folder in (old, recent, other):
        folder.mkdir()
        write_page(folder)
    a_day_ago = time.time() - STALE_AFTER_S - 60
    for folder in (old, other):
        os.utime(folder, (a_day_ago, a_day_ago))
    Scratch(disk, 2, memory)
    assert sorted(path.name for path in memory.iterdir()) == sorted([recent.name, other.name])


def test_a_place_on_disk_names_its_file_system(places: tuple[Path, Path]) -> None:
    # A folder's order on disk is seeded for each file system: an index made on one is not the
    # bytes a clean build makes on another, where a restored cache may be taken.
    memory, disk = places
    place = Scratch(disk, 2, memory / "missing").place(1)
    assert place == f"disk {os.statvfs(disk).f_fsid}"
