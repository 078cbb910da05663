"""A rebuild takes from the published site what would come out the same, and gives the bytes a
clean build gives (generator/build_cache.py).

The example portal is built for real, with the search index forced into shards of 20 record
pages so that shards can be kept or rebuilt. Each case builds twice into one folder with a
change in between, builds the same records once more from nothing, and compares every file.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import pytest

import generator.page_facts
import generator.page_shell
import generator.recycling
import generator.scratch
from generator.build_cache import FRAGMENT_FOLDER, MANIFEST, TEMPLATE_FOLDER, BuildCache, PageEntry
from generator.calendars import in_calendar
from generator.errors import ToolFailed
from generator.fragments import Fragments
from generator.page_facts import record_page_facts
from generator.recycling import spare_folder, take_spare
from generator.render import RECORD_PAGE_FOLDERS, Renderer
from generator.scratch import PLACE_VARIABLE, Scratch
from generator.search_index import PARALLEL_RUNS, SHARD_PAGES_VARIABLE
from generator.site import BuildResult, build_site, prepare
from tests.test_build_integrity import RECORD_FOLDERS, REPO, leftovers, tree_hashes

EXAMPLE_DATE = date(2025, 9, 22)
NOTICE = "notices/jhust/2024/jhust-2024-n01.yml"
ACHIEVEMENT = "gnas-2024-001"
ACHIEVEMENTS = 43
NOTICES = 34


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "portal"
    for folder in RECORD_FOLDERS:
        shutil.copytree(REPO / folder, root / folder)
    monkeypatch.setenv(SHARD_PAGES_VARIABLE, "20")
    return root


def build(root: Path, out: Path, today: date = EXAMPLE_DATE, *, incremental: bool = True) -> BuildResult:
    return build_site(root, today=today, out=out, incremental=incremental, cache_folder=out.parent / "cache")


def assert_same_as_clean_build(root: Path, site: Path, today: date = EXAMPLE_DATE) -> None:
    clean = build(root, site.parent.parent / "clean" / "site", today, incremental=False).out
    built, expected = tree_hashes(site), tree_hashes(clean)
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []
    assert folders_in(site) == folders_in(clean)  # an empty folder has no bytes to compare


def folders_in(site: Path) -> list[str]:
    """Every folder, and every link (which a clean build never writes)."""
    return sorted(
        path.relative_to(site).as_posix() + ("@" if path.is_symlink() else "/")
        for path in site.rglob("*")
        if path.is_symlink() or path.is_dir()
    )


def counts_subfolders(tmp_path: Path) -> bool:
    """Whether this file system counts a folder's subfolders in its link count (ext4 does; btrfs
    does not, and there every recycled folder is listed)."""
    probe = tmp_path / "probe"
    (probe / "sub").mkdir(parents=True)
    return probe.stat().st_nlink == 3


def edit(root: Path, relative: str, old: str, new: str) -> None:
    file = root / relative
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_with_nothing_changed_takes_every_page_and_index(portal: Path, tmp_path: Path) -> None:
    out = tmp_path / "incremental" / "site"
    first = build(portal, out)
    assert first.cache is not None and first.cache.reused_pages == 0
    second = build(portal, out)
    assert second.cache is not None
    assert second.cache.reused_pages == NOTICES + ACHIEVEMENTS
    assert second.cache.reused_indexes == len(second.cache.indexes) > 2  # the main index and the shards
    assert_same_as_clean_build(portal, out)


def test_a_rebuild_compiles_no_template_again(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    compiled = list((tmp_path / "incremental" / "cache" / TEMPLATE_FOLDER).iterdir())
    assert len(compiled) > 30  # ours and the theme's
    compiling: list[str | None] = []
    original = jinja2.Environment.compile

    def noting(
        environment: jinja2.Environment, source: str, name: str | None = None, *rest: object
    ) -> object:
        compiling.append(name)
        return original(environment, source, name, *rest)  # type: ignore[call-overload]

    # The build's own process: the forked stages' compiling is not seen here.
    monkeypatch.setattr(jinja2.Environment, "compile", noting)
    edit(portal, NOTICE, "title: ", "title: 更正：")
    build(portal, out)
    assert compiling == []
    assert_same_as_clean_build(portal, out)
    assert compiling  # the clean build, without a cache, compiled them


def test_a_template_is_compiled_again_when_its_text_or_the_code_changed(tmp_path: Path) -> None:
    def compiled(source: str, code: str) -> bool:
        """Whether Jinja compiled the template, rather than took it from the store."""
        environment = jinja2.Environment(loader=jinja2.DictLoader({"page.html": source}))
        environment.bytecode_cache = BuildCache(
            tmp_path / "cache", tmp_path / "site", code
        ).compiled_templates()
        calls: list[object] = []
        original = environment.compile

        def noting(*arguments: Any, **options: Any) -> Any:
            calls.append(arguments)
            return original(*arguments, **options)

        environment.compile = noting  # type: ignore[method-assign]
        assert "公示" in environment.get_template("page.html").render(word="公示")
        return bool(calls)

    assert compiled("{{ word }}", "code-1")
    assert not compiled("{{ word }}", "code-1")
    assert compiled("<b>{{ word }}</b>", "code-1")  # its text changed
    assert compiled("<b>{{ word }}</b>", "code-2")  # an option, a filter or Jinja changed
    assert not compiled("<b>{{ word }}</b>", "code-2")
    assert len(list((tmp_path / "cache" / TEMPLATE_FOLDER).iterdir())) == 1


def test_copies_indexed_elsewhere_index_every_shard_again_and_give_a_clean_builds_bytes(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind numbers pages in the order it lists them, which in memory and on disk differ
    (scratch.py): an index made from copies in memory is not kept by a build that makes its
    copies on disk, whose clean build would give other bytes."""
    monkeypatch.delenv(PLACE_VARIABLE, raising=False)
    if Scratch(tmp_path, PARALLEL_RUNS).place(10_000_000).startswith("disk"):  # no room in memory here
        monkeypatch.setattr(generator.scratch, "MEMORY_FOLDER", tmp_path)
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    monkeypatch.setenv(PLACE_VARIABLE, "disk")
    result = build(portal, out)
    assert result.cache is not None
    assert result.cache.reused_pages == NOTICES + ACHIEVEMENTS
    assert result.cache.reused_indexes == 0
    assert_same_as_clean_build(portal, out)
    again = build(portal, out)
    assert again.cache is not None and again.cache.reused_indexes == len(result.cache.indexes)


def test_one_changed_notice_renders_its_pages_again_and_gives_a_clean_builds_bytes(
    portal: Path, tmp_path: Path
) -> None:
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    edit(portal, NOTICE, "title: ", "title: 修订后的标题：")
    result = build(portal, out)
    assert result.cache is not None
    # The notice's page, and the pages of the achievements that link to it by title.
    assert NOTICES + ACHIEVEMENTS - 4 <= result.cache.reused_pages < NOTICES + ACHIEVEMENTS
    assert 0 < result.cache.reused_indexes < len(result.cache.indexes)
    # The achievements' pages and the institution's show the new title, but not to the search
    # index (search_copies.py): their indexes are kept; the notice's shard is indexed again.
    indexed_again = {
        name
        for name, digest in result.cache.indexes.items()
        if result.cache.previous_indexes.get(name) != digest
    }
    assert len(indexed_again) == 1
    assert all(name.startswith("shards/notices-") for name in indexed_again)
    assert any(name.startswith("shards/achievements-") for name in result.cache.indexes)
    page = (out / "notices" / "jhust-2024-n01" / "index.html").read_text(encoding="utf-8")
    assert "修订后的标题" in page
    # The notice ended more than a year before: it has left the calendars (calendars.py), and so
    # has its event from the calendars' store.
    assert "修订后的标题" not in (out / "calendar" / "notices.ics").read_text(encoding="utf-8")
    events = Fragments.open(out.parent / "cache" / FRAGMENT_FOLDER / "calendar-events", result.cache.code)
    in_calendars = [view for view in result.portal.notices.values() if in_calendar(view, EXAMPLE_DATE)]
    assert len(events.known) == len(in_calendars) == NOTICES - 6
    assert_same_as_clean_build(portal, out)


@pytest.mark.parametrize("change", ["retitle an achievement", "delete a notice"])
def test_a_changed_record_makes_again_only_the_statistics_reports_it_changed(
    portal: Path, tmp_path: Path, change: str
) -> None:
    """A report page and its CSV files are kept by all the page shows (statistics_keys.py): a
    record changed makes again the reports whose articles changed (those of its unit, its
    policy and the portal, for the years it is counted in), and no other. A notice deleted
    changes the counts of notices by status, which the shell around the reports shows, not
    their articles: they are not in the reports' keys."""
    out = tmp_path / "incremental" / "site"
    first = build(portal, out)
    assert first.cache is not None
    stores = [out.parent / "cache" / FRAGMENT_FOLDER / f"statistics-{kind}" for kind in ("reports", "files")]
    before = [set(Fragments.open(store, first.cache.code).known) for store in stores]
    articles_before = report_articles(out)
    if change == "retitle an achievement":
        edit(portal, f"achievements/gnas/{ACHIEVEMENT}.yml", "title: ", "title: 改名后的")
    else:
        (portal / "notices/jhust/2025/jhust-2025-n06.yml").unlink()  # nothing refers to it
    result = build(portal, out)
    if change == "delete a notice":
        assert result.portal.status_counts() != first.portal.status_counts()
    rendered_again, files_again = (
        set(Fragments.open(store, first.cache.code).known) - known
        for store, known in zip(stores, before, strict=True)
    )
    articles = report_articles(out)
    assert articles.keys() == articles_before.keys()
    changed = [page for page, article in articles.items() if article != articles_before[page]]
    assert 0 < len(rendered_again) == len(changed) < len(articles)
    assert len(files_again) == 2 * len(rendered_again)  # report.csv and granted.csv
    if change == "retitle an achievement":
        assert "改名后的" in articles["institutions/gnas/2024/index.html"]
    assert_same_as_clean_build(portal, out)


def report_articles(site: Path) -> dict[str, str]:
    """Each yearly report page's article (the shell around it shows the site's counts); not the
    pages that list a unit's or a policy's years, which are made at every build."""
    return {
        page.relative_to(site / "statistics").as_posix(): page.read_text(encoding="utf-8").split(
            "<article", 1
        )[1]
        for page in (site / "statistics").glob("*/**/index.html")
        if page.parent.name.isdigit()
    }


def test_a_renamed_institution_gives_its_records_changes_again_and_a_clean_builds_bytes(
    portal: Path, tmp_path: Path
) -> None:
    """A record's changes are kept by its file and its institution's name (changes.py): the
    name is in every change's summary, though no byte of the record's own file moved."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    edit(portal, "institutions/jhust.yml", "name: ", "name: 更名后的")
    build(portal, out)
    changes = (out / "data" / "changes.json").read_text(encoding="utf-8")
    assert "更名后的" in changes
    assert_same_as_clean_build(portal, out)


def test_the_next_day_renders_again_only_the_pages_whose_status_moved(portal: Path, tmp_path: Path) -> None:
    """A notice's page gives its last day (or first), not the days left: while its status holds
    it is the same page from day to day, kept; the lists count the days."""
    out = tmp_path / "incremental" / "site"
    first = build(portal, out)
    assert first.cache is not None
    stores = [out.parent / "cache" / FRAGMENT_FOLDER / name for name in ("archive-pages", "unit-pages")]
    kept = [set(Fragments.open(store, first.cache.code).known) for store in stores]
    next_day = build(portal, out, date(2025, 9, 23))  # six notices still open, none moved
    assert next_day.cache is not None and next_day.cache.reused_pages == NOTICES + ACHIEVEMENTS
    # The lists' and the units' bodies, whose tables give no days, are kept as they are.
    assert [set(Fragments.open(store, first.cache.code).known) for store in stores] == kept
    assert all(kept)
    view = next_day.portal.notices["gnit-2025-n05"]
    assert first.portal.notices[view.id].status == view.status == "open"
    end = view.record.period.end
    page = (out / "notices" / view.id / "index.html").read_text(encoding="utf-8")
    assert f"{end.year}年{end.month}月{end.day}日 {view.record.period.end_time or '24:00'} 截止" in page
    assert "剩余" not in page
    listed = (out / "index.html").read_text(encoding="utf-8")  # the home page counts the days
    assert f"剩余 {view.days_left} 天" in listed
    assert_same_as_clean_build(portal, out, date(2025, 9, 23))

    later = date(2025, 9, 30)
    result = build(portal, out, later)
    assert result.cache is not None
    before, after = next_day.portal, result.portal
    moved = [key for key, view in after.notices.items() if view.status != before.notices[key].status]
    labelled = [
        key
        for key, view in after.achievements.items()
        if view.stage_label != before.achievements[key].stage_label
    ]
    assert len(moved) == 4
    assert result.cache.reused_pages == NOTICES + ACHIEVEMENTS - len(moved) - len(labelled)
    assert_same_as_clean_build(portal, out, later)


def test_a_new_day_and_a_removed_record_give_a_clean_builds_bytes(portal: Path, tmp_path: Path) -> None:
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    (portal / "notices/gnas/2025/gnas-2025-n06.yml").unlink()  # nothing refers to it
    later = date(2025, 10, 9)
    build(portal, out, later)
    assert not (out / "notices" / "gnas-2025-n06").exists()
    assert_same_as_clean_build(portal, out, later)


def test_a_published_page_touched_by_hand_is_rendered_again(portal: Path, tmp_path: Path) -> None:
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    touched = out / "notices" / "jhust-2024-n01" / "index.html"
    touched.unlink()  # not written in place: the published files may be hard links
    touched.write_text("<p>changed on the server</p>", encoding="utf-8")
    result = build(portal, out)
    assert result.cache is not None and result.cache.reused_pages == NOTICES + ACHIEVEMENTS - 1
    assert_same_as_clean_build(portal, out)


def test_a_published_search_bundle_touched_by_hand_is_built_again(portal: Path, tmp_path: Path) -> None:
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    bundle = out / "pagefind"
    style = bundle / "pagefind-ui.css"
    content = style.read_bytes()
    style.unlink()  # the published files may be hard links: replaced, not written into
    style.write_bytes(content + b"/* edited on the server */")
    next(bundle.glob("fragment/*.pf_fragment")).unlink()
    result = build(portal, out)
    assert (
        result.cache is not None and result.cache.reused_indexes == len(result.cache.indexes) - 1
    )  # the main one
    assert_same_as_clean_build(portal, out)


def test_pagefind_settings_where_the_build_runs_do_not_reach_the_index(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind reads pagefind.yml in its working folder and PAGEFIND_ variables: neither is in
    an index's key, so neither may change what it writes."""
    here = tmp_path / "here"
    here.mkdir()
    (here / "pagefind.yml").write_text('exclude_selectors:\n  - ".portal-body"\n', encoding="utf-8")
    monkeypatch.chdir(here)
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "en")
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    monkeypatch.delenv("PAGEFIND_FORCE_LANGUAGE")
    assert_same_as_clean_build(portal, out)


def test_a_manifest_for_a_site_whose_path_is_not_utf8_is_written_and_read_back(tmp_path: Path) -> None:
    """orjson refuses a lone surrogate (a path of bytes that are not UTF-8); the standard
    library writes and reads it, after the site is in place."""
    site = tmp_path / os.fsdecode(b"site-\xff")
    site.mkdir()
    cache = BuildCache(tmp_path / "cache", site.resolve())
    cache.pages["notices/x/"] = PageEntry("key", 1, 2, "searched")
    cache.save()
    assert BuildCache.open(tmp_path / "cache", site).previous_pages == cache.pages


def test_a_manifest_from_other_code_or_cut_short_reuses_nothing(portal: Path, tmp_path: Path) -> None:
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    manifest = out.parent / "cache" / MANIFEST
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"code":"', '"code":"0', 1), encoding="utf-8"
    )
    assert BuildCache.open(manifest.parent, out).previous_pages == {}
    manifest.write_text(manifest.read_text(encoding="utf-8")[:100], encoding="utf-8")
    result = build(portal, out)
    assert result.cache is not None and result.cache.reused_pages == 0
    assert_same_as_clean_build(portal, out)


def test_a_failed_build_keeps_the_manifest_of_the_site_still_published(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    manifest = out.parent / "cache" / MANIFEST
    before = manifest.read_bytes()
    edit(portal, NOTICE, "title: ", "title: 另一个标题：")
    monkeypatch.setenv(SHARD_PAGES_VARIABLE, "not a number")  # the search stage fails
    with pytest.raises(ToolFailed):
        build(portal, out)
    assert manifest.read_bytes() == before


def test_the_unfinished_site_of_a_killed_build_is_deleted_and_a_running_builds_is_not(
    portal: Path, tmp_path: Path
) -> None:
    out = tmp_path / "killed" / "site"
    killed = out.parent / ".site.building-4194305"  # above Linux's largest process id: no such process
    running = out.parent / f".site.building-{os.getppid()}"
    for staging in (killed, running):
        (staging / "notices").mkdir(parents=True)
        (staging / "notices" / "index.html").write_text("unfinished", encoding="utf-8")
    build(portal, out)
    assert not killed.exists()
    assert (running / "notices" / "index.html").is_file()


def test_the_command_leaves_the_old_site_to_a_process_of_its_own(portal: Path, tmp_path: Path) -> None:
    """`portal build` returns once the new site is in place; the replaced one is deleted after."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    stale = out.parent / ".site.previous-1"  # a deletion cut short by an earlier build
    shutil.copytree(out / "notices", stale)
    # A spare no manifest describes (another version left it, or a copy): deleted, not taken.
    shutil.copytree(out / "notices", spare_folder(out) / "notices")
    edit(portal, NOTICE, "title: ", "title: 修订后的标题：")
    result = build_site(
        portal, today=EXAMPLE_DATE, out=out, cache_folder=out.parent / "cache", wait_for_old_site=False
    )
    assert result.cache is not None and result.cache.recycled is None
    assert "修订后的标题" in (out / "notices" / "jhust-2024-n01" / "index.html").read_text(encoding="utf-8")
    deadline = time.monotonic() + 60
    while leftovers(out) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert leftovers(out) == []
    assert spare_folder(out).is_dir()  # the replaced site, kept for the next build's folders
    assert_same_as_clean_build(portal, out)


@pytest.mark.parametrize("render_workers", [1, 2])
def test_a_third_build_takes_the_folders_of_the_site_two_builds_back(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, render_workers: int
) -> None:
    """The replaced site is the next build's spare (recycling.py): its record folders and search
    shards are taken as they are, and what a clean build would not have is cleared from them.
    With two workers, the changed pages are rendered in forked processes while this one links
    the others (page_shell.py): the folders it lists here are those of the pages it linked."""
    monkeypatch.setattr(generator.page_shell, "worker_count", lambda pages: render_workers)
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    build(portal, out)
    spare = spare_folder(out)
    kept_page = spare / "achievements" / ACHIEVEMENT / "index.html"
    shards = sorted((spare / "pagefind" / "shards").iterdir())
    folder_inodes = {kept_page.parent.stat().st_ino, *(shard.stat().st_ino for shard in shards)}
    # What a clean build would not write: a stray file in a record folder, a folder in another
    # one whose time is then put back, a record folder of a record since removed, a page
    # replaced by hand, a file beside the pages, a file of a search shard.
    (spare / "achievements" / "gnas-2024-002" / "notes.txt").write_text("left here", encoding="utf-8")
    # In the folder of the notice that changes, whose page is rendered (beside, with two workers).
    (spare / "notices" / "jhust-2024-n01" / "notes.txt").write_text("left here", encoding="utf-8")
    hidden = spare / "achievements" / "gnas-2024-003"
    status = hidden.stat()
    (hidden / "versions").mkdir()
    (hidden / "versions" / "0123abc.txt").write_text("an old version", encoding="utf-8")
    os.utime(hidden, ns=(status.st_atime_ns, status.st_mtime_ns))
    shutil.copytree(spare / "notices" / "jhust-2024-n01", spare / "notices" / "removed-2024-n01")
    replaced = spare / "notices" / "gnas-2025-n01" / "index.html"
    replaced.unlink()
    replaced.write_text("<p>changed</p>", encoding="utf-8")
    (spare / "notices" / "stray.html").write_text("<p>stray</p>", encoding="utf-8")
    altered_shard = spare / "pagefind" / "shards" / "achievements-2"  # none of its pages changes
    fragment = next((altered_shard / "fragment").iterdir())
    fragment.unlink()
    fragment.write_bytes(b"altered")
    edit(portal, NOTICE, "title: ", "title: 修订后的标题：")
    (portal / "notices/gnas/2025/gnas-2025-n06.yml").unlink()
    (spare / "pagefind" / "shards" / "achievements-3" / "empty").mkdir()
    listed: list[str] = []
    clear = generator.recycling.clear_strays

    def clear_strays(folder: Path) -> None:
        listed.append(folder.name)
        clear(folder)

    monkeypatch.setattr(generator.recycling, "clear_strays", clear_strays)
    result = build(portal, out)
    assert result.cache is not None and result.cache.reused_pages > NOTICES + ACHIEVEMENTS - 6
    # Only the folders changed since their build are listed; the others are known by their time.
    if counts_subfolders(tmp_path):
        rendered_here = ["jhust-2024-n01"] if render_workers == 1 else []
        assert sorted(listed) == sorted(["gnas-2024-002", "gnas-2024-003", "gnas-2025-n01", *rendered_here])
    else:
        assert len(listed) > NOTICES
    # Taken: the record folder, and the one shard whose pages are unchanged and left untouched.
    assert (out / "achievements" / ACHIEVEMENT).stat().st_ino in folder_inodes
    assert (out / "pagefind" / "shards" / "notices-2025-1a").stat().st_ino in folder_inodes
    assert (out / "pagefind" / "shards" / altered_shard.name).stat().st_ino not in folder_inodes
    assert (out / "pagefind" / "shards" / "achievements-3").stat().st_ino not in folder_inodes
    assert not (out / "notices" / "removed-2024-n01").exists()
    assert leftovers(out) == []
    assert_same_as_clean_build(portal, out)


def test_what_the_pour_needs_of_each_page_is_found_out_alike_beside_the_engine_and_here(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild finds out, in a forked process beside the site engine, whether each record
    page can be reused and whether the spare holds it in place already (page_facts.py): the
    same facts as this process finds. A page whose folder in the spare is not as its build left
    it is to be linked again, not kept: one with a stray file, and one that is a link to the
    very folder its build left (its time and its file the same)."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    build(portal, out)
    spare = spare_folder(out)
    (spare / "achievements" / "gnas-2024-002" / "notes.txt").write_text("left", encoding="utf-8")
    linked = spare / "achievements" / "gnas-2024-003"
    linked.rename(tmp_path / "elsewhere")
    linked.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    prepared, _ = prepare(portal, EXAMPLE_DATE, strict=False, frozen=False)
    cache = BuildCache.open(out.parent / "cache", out)
    cache.take(take_spare(out))
    renderer = Renderer(prepared, "https://notice-portal.example.cn/", portal, cache)
    found = {}
    for workers in (1, 2):
        monkeypatch.setattr(generator.page_facts, "worker_count", lambda pages, workers=workers: workers)
        with record_page_facts(renderer, cache, RECORD_PAGE_FOLDERS) as facts:
            found[workers] = facts()
    assert found[1] == found[2]
    assert sorted(found[1].folders) == ["achievements", "notices"]
    pages = found[1].pages
    assert len(pages) == NOTICES + ACHIEVEMENTS
    assert pages[f"achievements/{ACHIEVEMENT}.md"][1:] == (True, True)  # published, and in place
    assert pages["achievements/gnas-2024-002.md"][1:] == (True, False)
    assert pages["achievements/gnas-2024-003.md"][1:] == (True, False)


def test_a_link_planted_in_the_spare_for_a_record_folder_gives_way_to_a_folder(
    portal: Path, tmp_path: Path
) -> None:
    """A record folder of the spare replaced by a link to itself, moved away as it was (its
    time, no subfolder, the published file in it): a clean build has a folder there."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    build(portal, out)
    linked = spare_folder(out) / "achievements" / "gnas-2024-003"
    linked.rename(tmp_path / "elsewhere")
    linked.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    build(portal, out)
    assert not (out / "achievements" / "gnas-2024-003").is_symlink()
    assert_same_as_clean_build(portal, out)


def test_a_spare_folder_taken_away_after_the_facts_were_found_out_is_not_trusted(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between finding out the facts and pouring, the spare's folder of the achievements is
    deleted (another build discarding what it takes for a dead build's remains): the pages the
    facts found in place there are linked from the published site, none is left out."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    build(portal, out)
    find = generator.page_facts._find

    def find_then_lose_a_folder(renderer: Renderer, cache: BuildCache, folders: list[str]) -> object:
        facts = find(renderer, cache, folders)
        assert cache.recycled is not None
        assert facts.pages[f"achievements/{ACHIEVEMENT}.md"][2], "found in place"
        shutil.rmtree(cache.recycled / "achievements")
        return facts

    monkeypatch.setattr(generator.page_facts, "_find", find_then_lose_a_folder)
    result = build(portal, out)
    assert result.cache is not None and result.cache.reused_pages == NOTICES + ACHIEVEMENTS
    assert_same_as_clean_build(portal, out)


def test_the_facts_are_found_out_here_when_their_process_dies(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process finding out the facts is killed (out of memory, say): they only save time,
    so the pour finds them out itself, and the rebuild gives a clean build's bytes."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    build(portal, out)
    builder = os.getpid()
    find = generator.page_facts._find

    def dying_find(renderer: Renderer, cache: BuildCache, folders: list[str]) -> object:
        if os.getpid() != builder:
            os._exit(9)
        return find(renderer, cache, folders)

    monkeypatch.setattr(generator.page_facts, "worker_count", lambda pages: 2)
    monkeypatch.setattr(generator.page_facts, "_find", dying_find)
    edit(portal, NOTICE, "title: ", "title: 修订后的标题：")
    result = build(portal, out)
    assert result.cache is not None and result.cache.reused_pages > NOTICES + ACHIEVEMENTS - 6
    assert_same_as_clean_build(portal, out)


def test_a_file_replaced_in_a_recycled_folder_is_set_aside_not_deleted(tmp_path: Path) -> None:
    """A page rendered again, or linked from the published site, replaces the spare's file: that
    file is moved into the spare's remains (deleted with them once the site is in place), never
    written into, and a file that already is the published one stays."""
    recycled, published = tmp_path / "recycled", tmp_path / "published"
    for name in ("rendered", "linked", "kept"):
        (recycled / "notices" / name).mkdir(parents=True)
        (recycled / "notices" / name / "index.html").write_text(f"old {name}", encoding="utf-8")
    (published / "linked").mkdir(parents=True)
    (published / "linked" / "index.html").write_text("published", encoding="utf-8")
    (published / "kept").mkdir()
    os.link(recycled / "notices" / "kept" / "index.html", published / "kept" / "index.html")
    inodes = {
        name: (recycled / "notices" / name / "index.html").stat().st_ino for name in ("rendered", "linked")
    }
    (recycled / generator.recycling.SET_ASIDE).symlink_to(published)  # a name it must not trust
    set_aside = generator.recycling.set_aside_folder(recycled)
    assert not set_aside.is_symlink() and set_aside.parent == recycled

    target = recycled / "notices" / "rendered" / "index.html"
    generator.recycling.place_bytes(target, b"new", folder_as_left=True, set_aside=set_aside)
    assert target.read_bytes() == b"new"
    for name in ("linked", "kept"):
        source = published / name / "index.html"
        target = recycled / "notices" / name / "index.html"
        assert generator.recycling.place_link(
            source, source.stat(), target, folder_as_left=True, set_aside=set_aside
        )
        assert target.stat().st_ino == source.stat().st_ino
    assert (published / "linked" / "index.html").read_text(encoding="utf-8") == "published"
    moved = {path.stat().st_ino: path.read_text(encoding="utf-8") for path in set_aside.iterdir()}
    assert moved == {inodes["rendered"]: "old rendered", inodes["linked"]: "old linked"}
    assert sorted(path.name for path in published.iterdir()) == ["kept", "linked"]


def test_a_replaced_file_with_nowhere_to_go_is_deleted_not_written_into(tmp_path: Path) -> None:
    """Should the set-aside folder be gone (another build deleted the spare's remains), the
    spare's file, a link to the published one, is still removed before the page is written."""
    recycled, published = tmp_path / "recycled", tmp_path / "published"
    (recycled / "notices" / "page").mkdir(parents=True)
    published.mkdir()
    (published / "index.html").write_text("published", encoding="utf-8")
    other = tmp_path / "other.html"  # the file a reused page is linked from
    other.write_text("other", encoding="utf-8")
    target = recycled / "notices" / "page" / "index.html"
    set_aside = generator.recycling.set_aside_folder(recycled)
    set_aside.rmdir()
    for place in (
        lambda: generator.recycling.place_bytes(target, b"new", folder_as_left=True, set_aside=set_aside),
        lambda: generator.recycling.place_link(
            other, other.stat(), target, folder_as_left=True, set_aside=set_aside
        ),
    ):
        target.unlink(missing_ok=True)
        os.link(published / "index.html", target)  # the spare's file is the published one
        place()
        assert (published / "index.html").read_text(encoding="utf-8") == "published"
        assert target.stat().st_ino != (published / "index.html").stat().st_ino


def test_a_failed_build_never_writes_into_the_published_files_it_shares_with_the_spare(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spare's unchanged pages are the published site's own files (hard links): a page
    rendered again replaces the spare's file, and the published site keeps its bytes."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    build(portal, out)
    published = tree_hashes(out)
    edit(portal, NOTICE, "title: ", "title: 修订后的标题：")
    monkeypatch.setenv(SHARD_PAGES_VARIABLE, "not a number")  # the search stage fails, after the pages
    with pytest.raises(ToolFailed):
        build(portal, out)
    assert tree_hashes(out) == published
    assert leftovers(out) == []
    monkeypatch.delenv(SHARD_PAGES_VARIABLE)
    build(portal, out)  # its spare was consumed by the failed build: fresh folders
    assert_same_as_clean_build(portal, out)


def test_links_planted_in_the_spare_lead_nowhere(portal: Path, tmp_path: Path) -> None:
    """A link in the spare to the published site's folders must not let the build change the
    published site (by clearing a folder through it, or moving a shard out of it), nor end in the
    new site."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    build(portal, out)
    spare = spare_folder(out)
    named = spare.stat()  # the spare is known by its root folder's time, put back below
    shutil.rmtree(spare / "pagefind")
    (spare / "pagefind").symlink_to(out / "pagefind", target_is_directory=True)
    os.utime(spare, ns=(named.st_atime_ns, named.st_mtime_ns))
    record_folder = spare / "achievements" / ACHIEVEMENT
    shutil.rmtree(record_folder)
    record_folder.symlink_to(out / "achievements" / ACHIEVEMENT, target_is_directory=True)
    (out / "achievements" / ACHIEVEMENT / "versions").mkdir()  # what a clearing through the link would delete
    published = tree_hashes(out)
    edit(portal, NOTICE, "title: ", "title: 修订后的标题：")
    result = build(portal, out)
    assert result.cache is not None and result.cache.recycled is not None
    assert tree_hashes(spare) == published  # the site it replaced, as it was
    assert (spare / "achievements" / ACHIEVEMENT / "versions").is_dir()
    assert_same_as_clean_build(portal, out)


def test_a_manifest_that_no_longer_describes_the_site_recycles_nothing_wrong(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build without the cache in between, and a build cut short between the swap and the
    manifest: the manifest then describes a site that is gone, and the next build must still
    give a clean build's bytes."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    build(portal, out)
    build(portal, out, incremental=False)
    edit(portal, NOTICE, "title: ", "title: 修订后的标题：")
    build(portal, out)
    assert_same_as_clean_build(portal, out)

    def cut_short(self: BuildCache) -> None:
        raise KeyboardInterrupt

    edit(portal, NOTICE, "title: 修订后的标题：", "title: 再次修订：")
    with monkeypatch.context() as patched:
        patched.setattr(BuildCache, "save", cut_short)
        with pytest.raises(KeyboardInterrupt):
            build(portal, out)
    edit(portal, NOTICE, "title: 再次修订：", "title: 第三次修订：")
    build(portal, out)
    assert_same_as_clean_build(portal, out)


def test_a_site_and_spare_restored_from_a_tar_archive_are_still_recycled(
    portal: Path, tmp_path: Path
) -> None:
    """GitHub's cache saves and restores the site and the spare as a POSIX tar: every inode is
    new, but the times and the hard links between them come back, and the spare is still taken."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)
    build(portal, out)
    archive = tmp_path / "cache.tar"
    names = [out.name, spare_folder(out).name]
    subprocess.run(["tar", "--posix", "-cf", str(archive), "-C", str(out.parent), *names], check=True)
    for name in names:
        shutil.rmtree(out.parent / name)
    subprocess.run(["tar", "-xf", str(archive), "-C", str(out.parent)], check=True)
    edit(portal, NOTICE, "title: ", "title: 修订后的标题：")
    result = build(portal, out)
    assert result.cache is not None and result.cache.recycled is not None
    assert result.cache.reused_pages > NOTICES + ACHIEVEMENTS - 6
    assert_same_as_clean_build(portal, out)


def test_where_files_cannot_be_linked_pages_are_copied_and_still_kept(
    portal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of a published page has a time of its own: the next build must know it by that,
    or it would render every page again."""
    out = tmp_path / "incremental" / "site"
    build(portal, out)

    def no_links(source: object, target: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, "no hard links on this file system")

    monkeypatch.setattr(os, "link", no_links)
    for _ in range(2):  # from the published site, then from the spare too
        result = build(portal, out)
        assert result.cache is not None and result.cache.reused_pages == NOTICES + ACHIEVEMENTS
    page = out / "notices" / "jhust-2024-n01" / "index.html"
    assert page.stat().st_nlink == 1
    assert_same_as_clean_build(portal, out)
