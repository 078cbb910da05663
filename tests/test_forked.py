"""Work split across forked processes (forked.py) gives what one process gives: the same
problems, lines and all, and the same site, byte for byte. A portal forks only from hundreds
of records; here the example portal is made to fork by asking for two workers."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import generator.exports
import generator.feeds
import generator.mkdocs_plugin
import generator.revision_files
import generator.search_index
from generator import catalog, page_facts, page_shell, record_cache, render, rules, stages
from generator.build_cache import BuildCache
from generator.catalog import load_catalog
from generator.check import check_portal
from generator.errors import InvalidRecords, ToolFailed
from generator.forked import forked_beside
from generator.portal import Portal
from generator.problems import Problem
from generator.record_cache import RecordCache
from generator.search_index import SHARD_PAGES_VARIABLE, SearchIndexing, record_shards
from generator.site import build_site

PROJECT = Path(__file__).resolve().parent.parent
TODAY = date(2025, 9, 22)
MODULES_THAT_FORK = (catalog, page_facts, page_shell, render, rules, stages)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    for folder in ("policies", "institutions", "achievements", "notices"):
        shutil.copytree(PROJECT / folder, root / folder)
    return root


def break_some_records(root: Path) -> None:
    notices = sorted((root / "notices").rglob("*.yml"))
    first = notices[0].read_text(encoding="utf-8")
    notices[0].write_text(first.replace("title:", "titel:", 1), encoding="utf-8")
    notices[1].write_text(notices[1].read_text(encoding="utf-8") + "kind: [\n", encoding="utf-8")
    achievements = sorted((root / "achievements").rglob("*.yml"))
    text = achievements[0].read_text(encoding="utf-8")
    achievements[0].write_text(text.replace("type:", "type: not_a_type\n_old_type:", 1), encoding="utf-8")
    # Values a message must quote as they were written, which only the positions keep.
    for achievement, title in ((achievements[1], "0797"), (achievements[2], "{草案: 1}")):
        text = achievement.read_text(encoding="utf-8")
        achievement.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1), encoding="utf-8")


def shares_not_100(root: Path) -> None:
    """A team whose shares add up to 101: a warning of a rule run beside (rules/__init__.py)."""
    team = sorted((root / "achievements").rglob("*.yml"))[3]
    text = team.read_text(encoding="utf-8")
    assert "share: 15}" in text
    team.write_text(text.replace("share: 15}", "share: 16}", 1), encoding="utf-8")


def files_read_again(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files read again for their positions from now on (record_cache.py)."""
    read_again: list[str] = []
    read = record_cache._read_again

    def counted(file: Path | str, display_path: str, digest: str) -> object:
        read_again.append(display_path)
        return read(file, display_path, digest)

    monkeypatch.setattr(record_cache, "_read_again", counted)
    return read_again


def assert_next_check_reads_no_file_again(
    example: Path, cache: Path, expected: list[Problem], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check in one process, from the record cache: the same problems, and no file read again
    for its positions (the cache kept those the last run read)."""
    split_in(1, monkeypatch)
    read_again = files_read_again(monkeypatch)
    assert check_portal(example, TODAY, cache).problems == expected
    assert read_again == []


def split_in(workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in MODULES_THAT_FORK:
        monkeypatch.setattr(module, "worker_count", lambda records: workers)


def test_a_forked_check_finds_the_same_problems(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    break_some_records(example)
    split_in(1, monkeypatch)
    alone = check_portal(example, TODAY).problems
    split_in(2, monkeypatch)
    forked = check_portal(example, TODAY).problems
    assert {problem.code for problem in alone} >= {"unknown-key", "yaml-syntax"}
    assert any(not problem.is_error for problem in alone), "a rule's warning needs its line read again"
    quoted = {value for problem in alone for value in problem.params.values()}
    assert {"0797", "{草案: 1}"} <= quoted, "values are quoted as written"
    assert forked == alone


def test_a_forked_check_with_the_record_cache_finds_the_same_problems(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forked processes read the files and ask the cache; this one makes the records: the first
    check (nothing cached) and the second (all cached) say what one process says."""
    break_some_records(example)
    split_in(1, monkeypatch)
    alone = check_portal(example, TODAY).problems
    split_in(2, monkeypatch)
    cache = tmp_path / "cache"
    assert check_portal(example, TODAY, cache).problems == alone
    assert check_portal(example, TODAY, cache).problems == alone
    reading = RecordCache.open(cache)
    load_catalog(example, reading)
    assert reading.misses == 0


def test_lines_read_for_rules_run_beside_are_kept_in_the_record_cache(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half the rules run in a forked process (rules/__init__.py): the positions it reads for its
    problems' lines come back, and the record cache keeps them, so the next check reads no file."""
    break_some_records(example)
    shares_not_100(example)  # a rule run beside
    split_in(2, monkeypatch)
    cache = tmp_path / "cache"
    first = check_portal(example, TODAY, cache).problems
    assert any(problem.code == "shares-not-100" and problem.line > 1 for problem in first)
    assert_next_check_reads_no_file_again(example, cache, first, monkeypatch)


def test_lines_read_by_the_rules_beside_a_build_are_kept_in_the_record_cache(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build runs both halves of the rules in forked processes while it derives the portal
    (site.py): the positions both read for their problems' lines come back all the same."""
    break_some_records(example)
    shares_not_100(example)
    split_in(1, monkeypatch)
    alone = check_portal(example, TODAY).problems
    assert {"shares-not-100", "unknown-key"} <= {problem.code for problem in alone}
    assert any(not problem.is_error for problem in alone), "a rule's warning needs its line read again"
    with pytest.raises(InvalidRecords) as in_one_process:
        build_site(example, today=TODAY, out=tmp_path / "site", incremental=False)
    split_in(2, monkeypatch)
    cache = tmp_path / "cache"
    with pytest.raises(InvalidRecords) as forked:
        build_site(example, today=TODAY, out=tmp_path / "site", cache_folder=cache)
    assert forked.value.report == in_one_process.value.report
    assert_next_check_reads_no_file_again(example, cache, alone, monkeypatch)


def test_a_rules_process_that_dies_leaves_its_half_of_the_rules_to_this_one(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed before it could send its problems (out of memory, say), a process running half the
    rules has that half run here: the check and a build say what one process says."""
    break_some_records(example)
    split_in(1, monkeypatch)
    alone = check_portal(example, TODAY).problems
    with pytest.raises(InvalidRecords) as in_one_process:
        build_site(example, today=TODAY, out=tmp_path / "site", incremental=False)
    split_in(2, monkeypatch)
    monkeypatch.setattr(rules, "_run_beside", lambda *arguments: os._exit(1))
    assert check_portal(example, TODAY).problems == alone
    with pytest.raises(InvalidRecords) as forked:
        build_site(example, today=TODAY, out=tmp_path / "site", incremental=False)
    assert forked.value.report == in_one_process.value.report


def test_records_that_cannot_make_a_portal_fail_the_build_with_the_check(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The portal is derived while the rules run, before anyone knows whether the records pass:
    records that cannot make one (a notice of an unknown institution) fail the build with the
    check's report, as one process says it, and not with what deriving them raised."""
    notice = sorted((example / "notices").rglob("*.yml"))[0]
    text = notice.read_text(encoding="utf-8")
    notice.write_text(
        re.sub(r"(?m)^institution: .*$", "institution: nowhere", text, count=1), encoding="utf-8"
    )
    reports = []
    for workers in (1, 2):
        split_in(workers, monkeypatch)
        with pytest.raises(InvalidRecords) as failure:
            build_site(example, today=TODAY, out=tmp_path / "site", incremental=False)
        reports.append(failure.value.report)
        assert not (tmp_path / "site").exists()
    assert "nowhere" in reports[0] and "Traceback" not in reports[0]
    assert reports[1] == reports[0]


def test_a_forked_process_and_a_build_leave_cycles_to_their_end(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cycle collection in a forked process (forked.py), nor in a build (collector.py): a
    full collection there goes through everything made since the records were loaded. The
    collector is running again once the build has returned."""
    assert gc.isenabled()
    with forked_beside(gc.isenabled) as (collecting,):
        assert collecting() is False
    seen: list[bool] = []
    write_sitemap = generator.mkdocs_plugin.write_sitemap

    def noted_sitemap(*arguments: Any) -> None:
        seen.append(gc.isenabled())
        write_sitemap(*arguments)

    monkeypatch.setattr(generator.mkdocs_plugin, "write_sitemap", noted_sitemap)
    build_site(example, today=TODAY, out=tmp_path / "site", incremental=False)
    assert seen == [False]
    assert gc.isenabled()


def test_a_forked_build_gives_the_same_site(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    split_in(1, monkeypatch)
    alone = build_site(example, today=TODAY, out=tmp_path / "alone", incremental=False).out
    split_in(2, monkeypatch)
    forked = build_site(example, today=TODAY, out=tmp_path / "forked", incremental=False).out
    assert_same_files(alone, forked)


def assert_same_files(alone: Path, forked: Path) -> None:
    files = sorted(path.relative_to(alone) for path in alone.rglob("*") if path.is_file())
    assert len(files) > 100
    assert files == sorted(path.relative_to(forked) for path in forked.rglob("*") if path.is_file())
    for relative in files:
        assert (alone / relative).read_bytes() == (forked / relative).read_bytes(), relative


def test_record_shards_indexed_as_soon_as_their_pages_are_written_give_the_same_site(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large portal's record shards are indexed from when the record pages are written, beside
    the list pages and the sitemap (stages.py): the same bytes as one process indexing them last."""
    monkeypatch.setenv(SHARD_PAGES_VARIABLE, "40")
    events: list[str] = []
    start_shards, write_sitemap = SearchIndexing.start_shards, generator.mkdocs_plugin.write_sitemap

    def noted_start(indexing: SearchIndexing) -> None:
        events.append("shards")
        start_shards(indexing)

    def noted_sitemap(*arguments: Any) -> None:
        events.append("sitemap")
        write_sitemap(*arguments)

    monkeypatch.setattr(SearchIndexing, "start_shards", noted_start)
    monkeypatch.setattr(generator.mkdocs_plugin, "write_sitemap", noted_sitemap)
    split_in(1, monkeypatch)
    alone = build_site(example, today=TODAY, out=tmp_path / "alone", incremental=False).out
    split_in(2, monkeypatch)
    forked = build_site(example, today=TODAY, out=tmp_path / "forked", incremental=False).out
    # In one process, the shards are indexed last; forked, from before the sitemap is written.
    assert events == ["sitemap", "shards", "shards", "sitemap"]
    assert len(list((forked / "pagefind" / "shards").iterdir())) >= 3
    assert_same_files(alone, forked)


def test_a_forked_rebuild_notes_its_record_folders_while_pagefind_runs_and_gives_a_clean_builds_bytes(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large portal's build notes its record pages' folders (what the build after next takes
    them from the spare by) while Pagefind indexes, once the version texts are written
    (stages.py): as the site is published, folder for folder."""
    monkeypatch.setenv(SHARD_PAGES_VARIABLE, "40")
    split_in(2, monkeypatch)
    events: list[str] = []
    note_record_folders, finish = BuildCache.note_record_folders, SearchIndexing.finish

    def noted_folders(cache: BuildCache, site_dir: Path) -> None:
        events.append("folders")
        note_record_folders(cache, site_dir)

    def noted_finish(indexing: SearchIndexing) -> None:
        events.append("runs waited for")
        finish(indexing)

    write_version_files = generator.revision_files.write_version_files

    def versions_written_late(portal: Portal, site_dir: Path, site_url: str) -> None:
        """As the version texts of a portal with a history: a folder written into a notice's."""
        write_version_files(portal, site_dir, site_url)
        time.sleep(0.05)  # past the file system's clock tick
        (site_dir / "notices" / "gnas-2024-n01" / "versions").mkdir()

    shards_given: list[dict[str, list[str]] | None] = []
    make_indexing = SearchIndexing.__init__

    def noted_indexing(indexing: SearchIndexing, portal: Portal, *arguments: Any) -> None:
        shards_given.append(arguments[-1])
        if arguments[-1] is not None:
            assert arguments[-1] == record_shards(portal, 40)
        make_indexing(indexing, portal, *arguments)

    monkeypatch.setattr(BuildCache, "note_record_folders", noted_folders)
    monkeypatch.setattr(SearchIndexing, "finish", noted_finish)
    monkeypatch.setattr(SearchIndexing, "__init__", noted_indexing)
    monkeypatch.setattr(generator.revision_files, "write_version_files", versions_written_late)
    out, cache = tmp_path / "site", tmp_path / "cache"
    build_site(example, today=TODAY, out=out, cache_folder=cache)
    result = build_site(example, today=date(2025, 10, 20), out=out, cache_folder=cache)
    assert events == ["folders", "runs waited for"] * 2
    # The rebuild's search shards were made with its pages' facts, beside the engine (page_facts.py).
    assert shards_given[0] is None and shards_given[1] is not None and len(shards_given[1]) >= 3
    assert result.cache is not None and "notices/gnas-2024-n01/" in result.cache.folders
    assert result.cache.folders == {url: (out / url).stat().st_mtime_ns for url in result.cache.pages}
    split_in(1, monkeypatch)
    clean = build_site(example, today=date(2025, 10, 20), out=tmp_path / "clean", incremental=False).out
    assert_same_files(clean, out)


def test_a_build_failing_while_record_shards_are_indexed_leaves_nothing_behind(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record shards' Pagefind runs start before the sitemap is written: when writing it
    fails, the runs are waited for and their folders deleted, and the published site stays."""
    monkeypatch.setenv(SHARD_PAGES_VARIABLE, "40")
    split_in(2, monkeypatch)
    cache = tmp_path / "cache"
    site = build_site(example, today=TODAY, out=tmp_path / "site", cache_folder=cache).out
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    runs: list[Path] = []
    run_pagefind = generator.search_index._run_pagefind

    def noted_run(copies: Path, output: Path) -> None:
        runs.append(output)
        run_pagefind(copies, output)

    def failing_sitemap(*arguments: object, **options: object) -> None:
        time.sleep(0.5)  # the shards' runs are under way
        raise RuntimeError("sitemap: disk full (injected)")

    monkeypatch.setattr(generator.search_index, "_run_pagefind", noted_run)
    monkeypatch.setattr(generator.mkdocs_plugin, "write_sitemap", failing_sitemap)
    with pytest.raises(RuntimeError, match="injected"):
        build_site(example, today=date(2025, 10, 20), out=site, cache_folder=cache)
    assert runs, "the record shards had started"
    assert multiprocessing.active_children() == []
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "portal", "site"]


def test_a_data_stage_failing_in_its_own_process_fails_the_build(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data stages run in forked processes beside the pages (stages.py): a failure
    there is the build's, by the stage's name, and the published site stays as it was."""
    split_in(2, monkeypatch)
    site = build_site(example, today=TODAY, out=tmp_path / "site", incremental=False).out
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}

    def failing_feeds(*arguments: object, **options: object) -> None:
        raise RuntimeError("feeds: disk full (injected)")

    monkeypatch.setattr(generator.feeds, "write_feeds", failing_feeds)
    with pytest.raises(ToolFailed) as failure:
        build_site(example, today=date(2025, 10, 20), out=site, incremental=False)
    assert failure.value.stage == "feeds" and "disk full (injected)" in str(failure.value)
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["portal", "site"]


@pytest.mark.parametrize("incremental", [False, True])
def test_a_build_failing_while_the_data_stages_run_leaves_nothing_behind(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, incremental: bool
) -> None:
    """The data stages start with the pages (stages.py) and write into the unfinished site, and
    a rebuild finds out the record pages' facts beside them (page_facts.py): when the record
    pages fail meanwhile, the build waits for them before the unfinished site is removed, so
    nothing is left beside the published site, which stays as it was."""
    split_in(2, monkeypatch)
    cache = tmp_path / "cache" if incremental else None
    site = build_site(
        example, today=TODAY, out=tmp_path / "site", incremental=incremental, cache_folder=cache
    ).out
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}

    def failing_pour(*arguments: object, **options: object) -> None:
        raise RuntimeError("record pages: disk full (injected)")

    def slow_exports(portal: object, site_dir: Path, site_url: str, cache: object = None) -> None:
        time.sleep(1)  # still writing when the record pages fail
        write_exports(portal, site_dir, site_url, cache=cache)

    write_exports = generator.exports.write_exports
    monkeypatch.setattr(generator.mkdocs_plugin, "pour_record_pages", failing_pour)
    monkeypatch.setattr(generator.exports, "write_exports", slow_exports)
    with pytest.raises(RuntimeError, match="injected"):
        build_site(example, today=date(2025, 10, 20), out=site, incremental=incremental, cache_folder=cache)
    assert multiprocessing.active_children() == [], "the processes beside the pages were waited for"
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "portal", "site"][not incremental :]
