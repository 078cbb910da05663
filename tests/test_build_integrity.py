"""Builds are all or nothing, and the same records and date give the same files.

The bundled example portal is built for real (MkDocs, every post-build stage, Pagefind); only
the failure is injected. A failed build must leave the site that was there byte for byte, name
the stage that failed and leave no half-built folder behind; two builds into two folders must
give identical trees.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from datetime import date
from functools import partial
from pathlib import Path

import pytest

import generator.search_index
from generator.errors import InvalidRecords, StageFailed, ToolFailed
from generator.recycling import spare_folder
from generator.scratch import Scratch
from generator.site import build_site

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_DATE = date(2025, 9, 22)
RECORD_FOLDERS = ("policies", "institutions", "achievements", "notices")


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() or path.is_symlink()
    }


def leftovers(out: Path) -> list[str]:
    """Staging or previous-site folders a build left beside its output; not the spare, the site
    it replaced, which is kept for the next build on purpose (generator/recycling.py)."""
    return sorted(
        path.name
        for path in out.parent.iterdir()
        if path.name.startswith(f".{out.name}.") and path != spare_folder(out)
    )


@pytest.fixture(scope="module")
def example_sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("integrity")
    first = build_site(REPO, today=EXAMPLE_DATE, out=base / "one" / "site").out
    second = build_site(REPO, today=EXAMPLE_DATE, out=base / "two" / "site").out
    return first, second


def test_two_builds_of_the_same_records_and_date_are_identical(
    example_sites: tuple[Path, Path],
) -> None:
    """Every file, Pagefind's bundle included: its filter files and metadata come out in hash-map
    order (Pagefind issue #638) and are rewritten in one order (generator/search_canonical.py)."""
    first, second = example_sites
    one, two = tree_hashes(first), tree_hashes(second)
    assert len(one) > 300
    assert any(name.startswith("pagefind/filter/") for name in one)
    assert one == two


def test_a_site_without_shards_still_lists_them(example_sites: tuple[Path, Path]) -> None:
    """The search page asks for pagefind/shards.json on every site: a 404 would be a console error."""
    site, _ = example_sites
    assert json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8")) == {"shards": []}
    assert not (site / "pagefind" / "shards").exists()


def test_the_not_found_page_speaks_chinese_and_links_from_any_depth(example_sites: tuple[Path, Path]) -> None:
    """A server shows 404.html at whatever address was asked: its links are absolute."""
    site, _ = example_sites
    page = (site / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in page and "Not found" not in page
    for target in ("search/", "notices/", "achievements/", "institutions/"):
        assert f'href="/{target}"' in page
        assert (site / target / "index.html").is_file()


def test_the_granted_list_holds_only_grants_in_effect(example_sites: tuple[Path, Path]) -> None:
    """A grant applied for or under notice is not called granted: the achievements page counts
    what the statistics count (an agreement signed or the rights transferred)."""
    site, _ = example_sites
    page = (site / "achievements" / "index.html").read_text(encoding="utf-8")
    yearly = sorted((site / "statistics").glob("[0-9][0-9][0-9][0-9]/granted.csv"))
    granted = sum(len(path.read_text(encoding="utf-8-sig").splitlines()) - 1 for path in yearly)
    # 12 in the example: 27 carry a grant, 15 of them applied for or under notice only.
    assert granted == 12 and "其中赋权已生效 12 项" in page
    assert "另有 15 项拟赋权、尚未生效" in page
    proposed = (site / "achievements" / "hbaat-2025-011" / "index.html").read_text(encoding="utf-8")
    assert "拟赋予成果完成团队" in proposed and "</strong>，单位与团队成为共同所有权人" not in proposed


def test_a_report_links_only_to_reports_that_exist(example_sites: tuple[Path, Path]) -> None:
    site, _ = example_sites
    for page in (site / "statistics").rglob("index.html"):
        for target in re.findall(r'href="([^"#]+/)"', page.read_text(encoding="utf-8")):
            if target.startswith(("http", "/")):
                continue
            assert (page.parent / target / "index.html").resolve().is_file(), (page, target)


def test_a_notice_names_its_units_own_stricter_rule(example_sites: tuple[Path, Path]) -> None:
    site, _ = example_sites
    page = (site / "notices" / "gnit-2025-n04" / "index.html").read_text(encoding="utf-8")
    assert "本单位规定</a>（严于" in page and "公示期不少于 15 个工作日" in page


def test_the_home_page_lists_the_notices_awaiting_their_result(example_sites: tuple[Path, Path]) -> None:
    """Closed with no outcome yet: neither open, nor to come, nor concluded, and still news."""
    site, _ = example_sites
    home = (site / "index.html").read_text(encoding="utf-8")
    awaiting = home[home.index('id="awaiting"') : home.index('id="recent"')]
    for notice in ("gnit-2025-n04", "hbaat-2025-n03", "hbaat-2025-n04"):
        assert f"notices/{notice}/" in awaiting


def test_pagefind_gives_the_same_index_from_the_search_copies(
    example_sites: tuple[Path, Path], tmp_path: Path
) -> None:
    """The index is built from each page's head and indexed article alone (search_index.py):
    Pagefind, run for real on the whole pages, must give the same bundle, byte for byte."""
    site, _ = example_sites
    pages = sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not path.relative_to(site).as_posix().startswith("pagefind/")
    )
    # Pagefind's page order depends on where its copies are (scratch.py): these are written where
    # the build wrote its own, the copies of the pages it indexes (the example has no shards).
    indexed = generator.search_index._indexed_pages(site, pages)
    scratch = Scratch(tmp_path, generator.search_index.PARALLEL_RUNS)
    size = generator.search_index.copies_size(site, indexed)
    fills = {
        "whole": partial(_copy_pages, site, pages=pages),
        "copies": partial(generator.search_index._search_copies, site, pages=pages),
    }
    for name, fill in fills.items():
        with scratch.filled(size, fill) as (folder, _):
            generator.search_index._run_pagefind(folder, tmp_path / f"{name}-bundle")
            if name == "copies":
                cut = [
                    page for page in pages if (folder / page).stat().st_size < (site / page).stat().st_size
                ]
                assert len(cut) > 40, "the record pages and lists are cut to their article"
    assert tree_hashes(tmp_path / "whole-bundle") == tree_hashes(tmp_path / "copies-bundle")
    # The build puts the page's word segmenter at the head of the main bundle's worker script.
    generator.search_index.give_worker_our_words(site, tmp_path / "copies-bundle")
    published = tree_hashes(site / "pagefind")
    del published["shards.json"]  # the search page's list of shards, written beside the bundle
    assert tree_hashes(tmp_path / "copies-bundle") == published


def test_the_worker_gets_the_word_segmenter_once_or_the_search_stage_says_why(tmp_path: Path) -> None:
    """The main bundle's worker script starts with portal-words.js; without it, or before a
    `use strict` its head would undo, the stage fails and names the file."""
    site, bundle = tmp_path / "site", tmp_path / "bundle"
    (site / "assets").mkdir(parents=True)
    bundle.mkdir()
    worker = bundle / generator.search_index.WORKER_SCRIPT
    worker.write_bytes(b"const pagefind_version='1.5.2';")
    with pytest.raises(StageFailed, match=r"portal-words\.js"):
        generator.search_index.give_worker_our_words(site, bundle)
    words = (REPO / "site_templates" / "static" / generator.search_index.WORDS_SCRIPT).read_bytes()
    (site / generator.search_index.WORDS_SCRIPT).write_bytes(words)
    generator.search_index.give_worker_our_words(site, bundle)
    assert worker.read_bytes() == words + b"\nconst pagefind_version='1.5.2';"
    worker.write_bytes(b'"use strict";const pagefind_version=1;')
    with pytest.raises(StageFailed, match="use strict"):
        generator.search_index.give_worker_our_words(site, bundle)


def _copy_pages(site: Path, folder: Path, pages: list[str]) -> None:
    for page in pages:
        (folder / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / page, folder / page)


def test_a_failed_search_stage_leaves_the_previous_site_untouched(
    example_sites: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, site = example_sites
    before = tree_hashes(site)
    calls: list[Path] = []

    def failing_index(portal: object, site_dir: Path, site_url: str, cache: object = None) -> None:
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
    example_sites: tuple[Path, Path], tmp_path: Path
) -> None:
    _, site = example_sites
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
