"""Scratch folders go to memory when what they will hold fits in a job's share of the room
there, and beside the site otherwise; each is gone once its job ends, failed or not."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.scratch import PLACE_VARIABLE, PREFIX, STALE_AFTER_S, Scratch


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    memory, beside = tmp_path / "memory", tmp_path / "beside"
    memory.mkdir()
    beside.mkdir()
    return memory, beside


def test_a_job_that_fits_writes_in_memory_and_leaves_nothing(places: tuple[Path, Path]) -> None:
    memory, beside = places
    scratch = Scratch(beside, 2, memory)
    assert scratch.place(1000) == "memory"
    with scratch.folder(1000) as folder:
        assert folder.parent == memory and folder.name.startswith(PREFIX)
        (folder / "page").mkdir()
        (folder / "page" / "index.html").write_text("<html></html>", encoding="utf-8")
    assert not any(memory.iterdir()) and not any(beside.iterdir())


def test_each_job_at_once_has_an_equal_share_of_half_the_room(places: tuple[Path, Path]) -> None:
    memory, beside = places
    alone, two = Scratch(beside, 1, memory), Scratch(beside, 2, memory)
    assert 0 < two.room_per_job <= alone.room_per_job // 2 + 1
    share = two.room_per_job
    with two.folder(share) as first, two.folder(share) as second:
        assert first.parent == second.parent == memory
    with two.folder(share + 1) as third:
        assert third.parent == beside and two.place(share + 1) == "disk"


def test_a_failed_job_leaves_nothing(places: tuple[Path, Path]) -> None:
    memory, beside = places
    scratch = Scratch(beside, 2, memory)
    with pytest.raises(RuntimeError), scratch.folder(1000) as folder:
        (folder / "copy.html").write_text("x", encoding="utf-8")
        raise RuntimeError("pagefind failed")
    assert not any(memory.iterdir())


def test_without_a_memory_folder_or_when_told_everything_goes_beside(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    memory, beside = places
    assert Scratch(beside, 2, memory / "missing").room_per_job == 0
    monkeypatch.setenv(PLACE_VARIABLE, "disk")
    scratch = Scratch(beside, 2, memory)
    with scratch.folder(1) as folder:
        assert folder.parent == beside


def test_a_folder_a_killed_build_left_is_deleted_a_day_later(places: tuple[Path, Path]) -> None:
    memory, beside = places
    old, recent, other = memory / f"{PREFIX}old", memory / f"{PREFIX}recent", memory / "someone-elses"
    for folder in (old, recent, other):
        (folder / "page").mkdir(parents=True)
        (folder / "page" / "index.html").write_text("<html></html>", encoding="utf-8")
    a_day_ago = time.time() - STALE_AFTER_S - 60
    for folder in (old, other):
        os.utime(folder, (a_day_ago, a_day_ago))
    Scratch(beside, 2, memory)
    assert sorted(path.name for path in memory.iterdir()) == sorted([recent.name, other.name])
