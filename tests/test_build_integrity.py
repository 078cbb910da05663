"""Builds are all or nothing, and the same records and date give the same files.

The bundled example portal is built for real (MkDocs, every post-build stage, Pagefind); only
the failure is injected. A failed build must leave the site that was there byte for byte, name
the stage that failed and leave no half-built folder behind; two builds into two folders must
give identical trees.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

import generator.search_index
from generator.errors import InvalidRecords, ToolFailed
from generator.site import build_site

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_DATE = date(2025, 9, 22)
RECORD_FOLDERS = ("policies", "institutions", "achievements", "notices")
# Pagefind 1.x writes its filter and metadata indexes from hash maps in arbitrary order: their
# bytes, and so their content-hashed names and the entry file naming them, change from build to
# build (https://github.com/Pagefind/pagefind/issues/638: fragments are stable since 1.3, "other
# files will still change"). Everything else, Pagefind's fragments and word index included, must be
# identical.
PAGEFIND_UNSTABLE = ("pagefind/filter/", "pagefind/pagefind.", "pagefind/pagefind-entry.json")


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() or path.is_symlink()
    }


def leftovers(out: Path) -> list[str]:
    """Staging or previous-site folders a build left beside its output."""
    return sorted(path.name for path in out.parent.iterdir() if path.name.startswith(f".{out.name}."))


@pytest.fixture(scope="module")
def example_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    base = tmp_path_factory.mktemp("integrity")
    started = time.perf_counter()
    first = build_site(REPO, today=EXAMPLE_DATE, out=base / "one" / "site").out
    seconds = time.perf_counter() - started
    second = build_site(REPO, today=EXAMPLE_DATE, out=base / "two" / "site").out
    return first, second, seconds


def test_two_builds_of_the_same_records_and_date_are_identical(
    example_sites: tuple[Path, Path, float],
) -> None:
    first, second, _ = example_sites
    one, two = tree_hashes(first), tree_hashes(second)
    stable_one = {name: digest for name, digest in one.items() if not name.startswith(PAGEFIND_UNSTABLE)}
    stable_two = {name: digest for name, digest in two.items() if not name.startswith(PAGEFIND_UNSTABLE)}
    assert len(stable_one) > 300
    assert stable_one == stable_two
    # What Pagefind leaves unstable is only its filter and metadata indexes: the same number of them.
    unstable = [name for name in one if name.startswith(PAGEFIND_UNSTABLE)]
    assert len(unstable) == len([name for name in two if name.startswith(PAGEFIND_UNSTABLE)])
    assert any(name.startswith("pagefind/fragment/") for name in stable_one)
    assert any(name.startswith("pagefind/index/") for name in stable_one)


def test_a_failed_search_stage_leaves_the_previous_site_untouched(
    example_sites: tuple[Path, Path, float], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, site, _ = example_sites
    before = tree_hashes(site)
    calls: list[Path] = []

    def failing_index(portal: object, site_dir: Path, site_url: str) -> None:
        calls.append(site_dir)
        # Everything else was written into the staging folder by now: the failure comes last.
        assert (site_dir / "feeds" / "notices.xml").is_file()
        assert (site_dir / "data" / "portal.json").is_file()
        raise RuntimeError("pagefind: out of disk space (injected)")

    monkeypatch.setattr(generator.search_index, "write_search_index", failing_index)
    # Another date: had this build been swapped in, statuses (and so pages and feeds) would differ.
    with pytest.raises(ToolFailed) as failure:
        build_site(REPO, today=date(2025, 10, 20), out=site)
    assert failure.value.stage == "search"
    assert "search" in str(failure.value) and "out of disk space (injected)" in str(failure.value)
    assert len(calls) == 1 and calls[0] != site  # it ran, in a folder of its own
    assert not calls[0].exists(), "the half-built folder is removed"
    assert tree_hashes(site) == before
    assert leftovers(site) == []


def test_invalid_records_leave_the_previous_site_untouched(
    example_sites: tuple[Path, Path, float], tmp_path: Path
) -> None:
    _, site, _ = example_sites
    before = tree_hashes(site)
    root = tmp_path / "records"
    for folder in RECORD_FOLDERS:
        shutil.copytree(REPO / folder, root / folder)
    notice = next((root / "notices").rglob("*.yml"))
    notice.write_text(notice.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    with pytest.raises(InvalidRecords) as failure:
        build_site(root, today=EXAMPLE_DATE, out=site)
    assert "unknown-key" in failure.value.report
    assert tree_hashes(site) == before
    assert leftovers(site) == []


def test_the_example_builds_in_reasonable_time(example_sites: tuple[Path, Path, float]) -> None:
    """A guard against a build that became pathologically slow (it takes a few seconds)."""
    assert example_sites[2] < 60
