"""Record files read once, kept by the digest of their bytes.

Reading a record file (the YAML 1.2 reader, see yaml_source.py) costs about 0.2 ms: ten
seconds for a national portal of 50,000 files, on every build. A file whose bytes, path and
kind are those of a file read before gives back what that reading gave: its data and the
problems of its YAML, without the positions of its fields (read again from the file when a
problem needs a line; kept from then on, see save). Only the schema and the rules run again:
making the records from their data costs less than unpickling them would.
Entries are kept in buckets by path, so one changed file rewrites one bucket, not the whole
cache; a bucket written by other code is ignored. An index of the keys the buckets hold is read
first: the processes that read the files need to know only which files the cache has, and this
one unpickles the buckets (a second at 50,000 records) while they read and digest them.

Entries are pickled, so the cache lives in the user's cache folder, never in the portal's
repository (build_cache.py): a pull request must not be able to plant one.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from generator.build_cache import code_digest
from generator.pickled import read_pickled, write_pickled
from generator.problems import Problem
from generator.yaml_source import FieldPath, Location, SourceFile, parse_record_bytes, read_record_bytes

FOLDER = "records"
BUCKETS = 64
FORMAT = 4
INDEX = "index.pickle"

Key = tuple[str, str, str]  # kind, path as displayed, SHA-256 of the bytes


@dataclass
class RecordCache:
    folder: Path
    # Parsing depends on our Python code and the two libraries that read and validate YAML, not
    # on the templates or the site's libraries: editing a template keeps the records cached.
    code: str = field(default_factory=lambda: code_digest(("generator",), ("pyyaml", "pydantic")))
    index: set[Key] = field(default_factory=set)  # the keys of the buckets, as read
    known: dict[int, dict[Key, Entry]] = field(default_factory=dict)  # by bucket, once read
    used: dict[int, dict[Key, Entry]] = field(default_factory=dict)  # by bucket, this run
    misses: int = 0
    # The sources given out without positions: those that had them read again are kept with them.
    handed_out: list[tuple[Key, SourceFile]] = field(default_factory=list)
    buckets_read: bool = False

    @classmethod
    def open(cls, folder: Path) -> RecordCache:
        """The cache's index; its buckets are read when a record is first asked for (find). Without
        an index (a cache written by earlier code, or damaged), the buckets are read now."""
        cache = cls(folder / FOLDER)
        index = read_pickled(cache.folder / INDEX, (FORMAT, cache.code))
        if isinstance(index, set):
            cache.index = index
        else:
            cache.read_buckets()
            cache.index = {key for entries in cache.known.values() for key in entries}
        return cache

    def read_buckets(self) -> None:
        if self.buckets_read:
            return
        self.buckets_read = True
        for bucket in range(BUCKETS):
            # An absent, damaged or foreign bucket is left out: its files are read again.
            entries = read_pickled(self.folder / f"{bucket:02d}.pickle", (FORMAT, self.code))
            if entries is not None:
                self.known[bucket] = entries

    @staticmethod
    def key(kind: str, display_path: str, digest: str) -> Key:
        return (kind, display_path, digest)

    def has(self, key: Key) -> bool:
        return key in self.index

    def find(self, key: Key, file: Path | str) -> SourceFile | None:
        """What reading the file of `key` gave before, or None (the index had it, its bucket
        did not: damaged since). A source from the cache comes without positions and text (most
        records never need them, and they are most of the bytes): it reads them again from
        `file` when first asked."""
        self.read_buckets()
        found = self.known.get(_bucket(key), {}).get(key)
        if found is None:
            return None
        self.used.setdefault(_bucket(key), {})[key] = found
        source = _source(found)
        if not source.text:  # else kept with its positions: a rule asked for a line last time
            source.reread = rereader(file, source.path, key[2])
            self.handed_out.append((key, source))
        return source

    def keep(self, key: Key, source: SourceFile) -> None:
        self.misses += 1
        if source.reread is not None:  # read without positions: see save()
            self.handed_out.append((key, source))
        self.used.setdefault(_bucket(key), {})[key] = _entry(source, positions=False)

    def save(self) -> None:
        """Rewrite the buckets whose entries changed: a file read afresh, or one gone, or a
        source whose positions a rule asked for (a record with a warning is asked again at every
        check: it is kept with them from now on, and not read twice)."""
        self.read_buckets()
        changed = set()
        for key, source in self.handed_out:
            if source.text:
                self.used[_bucket(key)][key] = _entry(source)
                changed.add(_bucket(key))
        self.handed_out.clear()
        written = False
        for bucket in range(BUCKETS):
            entries = self.used.get(bucket, {})
            if bucket not in changed and entries.keys() == self.known.get(bucket, {}).keys():
                continue
            write_pickled(self.folder / f"{bucket:02d}.pickle", (FORMAT, self.code), entries)
            self.known[bucket] = entries
            written = True
        if not written and not self.misses:
            # Every file was found in the index and no bucket moved: the index stands. Making it
            # again to compare (50,000 keys) cost 0.2 s of a rebuild where nothing changed.
            return
        # Written after the buckets: a key in the index whose bucket lost it is read again (find).
        index = {key for entries in self.used.values() for key in entries}
        if index != self.index:
            write_pickled(self.folder / INDEX, (FORMAT, self.code), index)
            self.index = index


# A source as the cache keeps it: its fields in a tuple, which unpickles several times faster
# than the dataclass (50,000 of them are read at every check).
Entry = tuple[
    str, Any, dict[FieldPath, Location], dict[FieldPath, Location], list[Problem], str, dict[FieldPath, str]
]


def _entry(source: SourceFile, *, positions: bool = True) -> Entry:
    """The source's fields; without `positions`, its data and problems alone (made directly: a
    copy of the source without them, for each of 50,000 files, cost 0.2 s)."""
    if not positions:
        return (source.path, source.data, {}, {}, source.problems, "", {})
    return (
        source.path,
        source.data,
        source.positions,
        source.key_positions,
        source.problems,
        source.text,
        source.written,
    )


def _source(entry: Entry) -> SourceFile:
    path, data, positions, key_positions, problems, text, written = entry
    return SourceFile(
        path,
        data,
        positions=positions,
        key_positions=key_positions,
        problems=problems,
        text=text,
        written=written,
    )


def file_digest(raw: bytes) -> str:
    """What a record is a function of (with the code that reads it): the bytes of its file."""
    return hashlib.sha256(raw).hexdigest()


def _bucket(key: Key) -> int:
    return zlib.crc32(key[1].encode("utf-8")) % BUCKETS


def rereader(file: Path | str, display_path: str, digest: str) -> Callable[[], SourceFile]:
    """How a source kept without positions gets them back: by reading its file again."""
    return partial(_read_again, file, display_path, digest)


def _read_again(file: Path | str, display_path: str, digest: str) -> SourceFile:
    """The file read again for its positions. Should it have changed since it was read (an
    edit during the check), its positions are this run's best guess only: it comes back without
    its text, which keeps them out of the cache (save)."""
    raw = read_record_bytes(file, display_path)
    if isinstance(raw, SourceFile):
        return raw
    source = parse_record_bytes(raw, display_path)
    if file_digest(raw) != digest:
        source.text = ""
    return source
