"""Files read before are not parsed again, and the check says exactly what it says without the
cache (generator/record_cache.py)."""

from __future__ import annotations

import pickle
from pathlib import Path

from generator.catalog import load_catalog
from generator.check import check_portal
from generator.record_cache import FOLDER, INDEX, RecordCache
from tests.conftest import NOTICE, TODAY, replace, write


def problems(root: Path, cache: Path | None = None) -> list[tuple[str, str, int, str]]:
    return [(p.code, p.file, p.line, p.field) for p in check_portal(root, TODAY, cache).problems]


def test_a_second_check_reads_from_the_cache_and_says_the_same(portal: Path, tmp_path: Path) -> None:
    write(portal, "achievements/gnas/gnas-2024-009.yml", "id: gnas-2024-009\ntitle: [unclosed\n")
    replace(portal, NOTICE, "title:", "titel:")
    expected = problems(portal)
    assert {code for code, *_ in expected} >= {"unknown-key", "yaml-syntax"}
    cache = tmp_path / "cache"
    assert problems(portal, cache) == expected
    again = RecordCache.open(cache)
    load_catalog(portal, again)
    assert again.misses == 0
    assert problems(portal, cache) == expected


def test_a_changed_file_is_read_again(portal: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert problems(portal, cache) == []
    replace(portal, NOTICE, "title:", "titel:")
    reading = RecordCache.open(cache)
    catalog = load_catalog(portal, reading)
    assert reading.misses == 1
    assert [p.code for p in catalog.problems] == ["unknown-key"]
    replace(portal, NOTICE, "titel:", "title:")
    assert problems(portal, cache) == []


def test_a_damaged_cache_or_one_from_other_code_is_ignored(portal: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    replace(portal, NOTICE, "title:", "titel:")
    expected = problems(portal, cache)
    buckets = sorted((cache / FOLDER).glob("[0-9]*.pickle"))
    assert len(buckets) > 1
    buckets[0].write_bytes(b"not a pickle")
    with buckets[-1].open("wb") as stream:
        pickle.dump((1, "other code"), stream)
        pickle.dump({}, stream)
    reading = RecordCache.open(cache)
    load_catalog(portal, reading)
    assert reading.misses >= 2  # the index still names their files: they are read again
    assert problems(portal, cache) == expected
    (cache / FOLDER / INDEX).write_bytes(b"not a pickle")
    reading = RecordCache.open(cache)
    load_catalog(portal, reading)
    assert reading.misses == 0  # without an index, the buckets say what the cache holds
    assert problems(portal, cache) == expected


def test_an_index_that_lost_a_key_is_written_again(portal: Path, tmp_path: Path) -> None:
    """A save cut short between its buckets and its index leaves a file the buckets hold and the
    index does not name: read afresh once, then named again (a save where nothing moved keeps
    the index as it is)."""
    cache = tmp_path / "cache"
    check_portal(portal, TODAY, cache)
    index_file = cache / FOLDER / INDEX
    fmt, index = _pickled(index_file)
    lost = next(key for key in index if key[1] == NOTICE)
    with index_file.open("wb") as stream:
        pickle.dump(fmt, stream)
        pickle.dump(index - {lost}, stream)
    reading = RecordCache.open(cache)
    load_catalog(portal, reading)
    assert reading.misses == 1
    reading.save()
    assert _pickled(index_file)[1] == index
    again = RecordCache.open(cache)
    load_catalog(portal, again)
    assert again.misses == 0
    written = index_file.stat().st_mtime_ns
    again.save()
    assert index_file.stat().st_mtime_ns == written


def _pickled(file: Path) -> tuple[object, set[tuple[str, str, str]]]:
    with file.open("rb") as stream:
        return pickle.load(stream), pickle.load(stream)


def test_a_rule_finds_its_line_in_a_record_taken_from_the_cache(portal: Path, tmp_path: Path) -> None:
    """Positions are not kept in the cache: the file is read again when a problem needs its line."""
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-08")  # shorter than the 15 days required
    expected = problems(portal)
    assert any(line == 5 and field.startswith("period") for _, _, line, field in expected)
    cache = tmp_path / "cache"
    problems(portal, cache)
    reading = RecordCache.open(cache)
    load_catalog(portal, reading)
    assert reading.misses == 0
    assert problems(portal, cache) == expected


def test_a_record_whose_line_a_rule_asked_for_is_kept_with_its_positions(
    portal: Path, tmp_path: Path
) -> None:
    """A warning is asked for at every check: its file is read again once, not at every check."""
    replace(portal, NOTICE, "end: 2024-03-18", "end: 2024-03-08")
    expected = problems(portal)
    cache = tmp_path / "cache"
    assert problems(portal, cache) == expected  # parsed: kept without positions
    assert problems(portal, cache) == expected  # read again for the problem's line: kept with them
    reading = RecordCache.open(cache)
    catalog = load_catalog(portal, reading)
    notice = next(loaded for loaded in catalog.notices.values() if loaded.source.path == NOTICE)
    assert notice.source.text and notice.source.reread is None
    others = [loaded for _, loaded in catalog.all_loaded() if loaded.source.path != NOTICE]
    assert others and all(not loaded.source.text and loaded.source.reread for loaded in others)
    assert problems(portal, cache) == expected


def test_a_file_changed_since_it_was_read_is_not_kept_with_its_positions(portal: Path) -> None:
    """Positions read again from a file edited during the check are used, never kept (save)."""
    from generator.record_cache import file_digest, rereader

    path = portal / NOTICE
    fresh = rereader(path, NOTICE, file_digest(path.read_bytes()))()
    stale = rereader(path, NOTICE, file_digest(b"the bytes it had when it was read"))()
    assert fresh.text and fresh.positions
    assert not stale.text and stale.positions == fresh.positions
