"""A store of fragments (generator/fragments.py) rewrites only the buckets whose keys changed."""

from __future__ import annotations

from pathlib import Path

from generator.fragments import Fragments, _bucket, fragment_key


def inodes(folder: Path) -> dict[str, int]:
    return {file.name: file.stat().st_ino for file in folder.glob("*.pickle")}


def test_a_store_rewrites_only_the_buckets_whose_keys_changed(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    legacy = tmp_path / "events.pickle"  # the store as one file, as code before the buckets kept it
    legacy.write_bytes(b"old")
    first = Fragments.open(folder, "code")
    texts = [f"record {number}" for number in range(200)]
    for text in texts:
        first.get(text, text.encode)
    first.save()
    assert not legacy.exists()
    before = inodes(folder)
    assert len(before) == 16  # two hundred keys fill every bucket

    second = Fragments.open(folder, "code")
    assert set(second.known) == {fragment_key(text) for text in texts}
    assert second.get("record 7", lambda: b"not made again") == b"record 7"
    for text in texts[1:]:  # the first left out, one made anew
        second.get(text, lambda: b"not made again")
    second.get("record new", b"record new".__bytes__)
    second.save()

    changed = {name for name, inode in inodes(folder).items() if before[name] != inode}
    expected = {f"{_bucket(fragment_key(text)):02d}.pickle" for text in ("record 0", "record new")}
    assert changed == expected
    assert Fragments.open(folder, "code").known == second.used
    assert Fragments.open(folder, "other code").known == {}


def test_a_store_whose_keys_did_not_change_is_not_written(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    store = Fragments.open(folder, "code")
    store.get("one", b"1".__bytes__)
    store.save()
    before = inodes(folder)
    again = Fragments.open(folder, "code")
    again.get("one", lambda: b"not made again")
    again.save()
    assert inodes(folder) == before
