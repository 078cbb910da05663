"""What a stage made from one record, kept by the text of what it was made from.

A calendar event, for one, costs half a millisecond to serialise; tens of thousands of
notices make that seconds on every build, though only a few notices change between two
builds. The key is the text of everything the fragment shows (a repr, like the record pages'
keys): equal texts give equal bytes. Only the fragments a build used are written back.
Pickled: the store lives in the build cache, outside the repository (build_cache.py).

A store is kept in buckets by key, so a rebuild after one change rewrites one bucket of each
store, not the store: at 50,000 records the stores held 320 MB (the exports' entries alone
135 MB), all written again whenever one entry changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.pickled import read_pickled, write_pickled

FORMAT = 2
BUCKETS = 16


def fragment_key(inputs: str) -> str:
    return hashlib.sha256(inputs.encode("utf-8")).hexdigest()


@dataclass
class Fragments:
    folder: Path | None  # None: keep nothing (a build without a cache)
    code: str = ""
    known: dict[str, bytes] = field(default_factory=dict)
    used: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def open(cls, folder: Path, code: str) -> Fragments:
        """The fragments kept in `folder`; none from a bucket absent, damaged or from other code."""
        known: dict[str, bytes] = {}
        for bucket in range(BUCKETS):
            known |= read_pickled(_bucket_file(folder, bucket), (FORMAT, code)) or {}
        return cls(folder, code, known)

    @property
    def keeps(self) -> bool:
        """Whether anything is kept: without a store, a caller need not make the inputs' text."""
        return self.folder is not None

    def get(self, inputs: str, make: Callable[[], bytes]) -> bytes:
        key = fragment_key(inputs)
        found = self.known.get(key)
        return self.keep(key, make() if found is None else found)

    def find(self, key: str) -> bytes | None:
        return self.known.get(key)

    def keep(self, key: str, value: bytes) -> bytes:
        """Note that this build used the fragment, so that it is saved."""
        self.used[key] = value
        return value

    def save(self) -> None:
        """Rewrite the buckets whose keys changed: one a fragment was made for, or lost one."""
        if self.folder is None or self.used.keys() == self.known.keys():
            return
        changed = {_bucket(key) for key in self.used.keys() ^ self.known.keys()}
        buckets: dict[int, dict[str, bytes]] = {bucket: {} for bucket in changed}
        for key, value in self.used.items():
            entries = buckets.get(_bucket(key))
            if entries is not None:
                entries[key] = value
        for bucket, entries in sorted(buckets.items()):
            write_pickled(_bucket_file(self.folder, bucket), (FORMAT, self.code), entries)
        # The store as one file, which code before the buckets wrote: read by no build now.
        self.folder.with_name(self.folder.name + ".pickle").unlink(missing_ok=True)


def _bucket(key: str) -> int:
    return int(key[0], 16) % BUCKETS  # a key is a SHA-256 in hex (fragment_key)


def _bucket_file(folder: Path, bucket: int) -> Path:
    return folder / f"{bucket:02d}.pickle"
