"""What a stage made from one record, kept by the text of what it was made from.

A calendar event, for one, costs half a millisecond to serialise; tens of thousands of
notices make that seconds on every build, though only a few notices change between two
builds. The key is the text of everything the fragment shows (a repr, like the record pages'
keys): equal texts give equal bytes. Only the fragments a build used are written back.
Pickled: the store lives in the build cache, outside the repository (build_cache.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.pickled import read_pickled, write_pickled

FORMAT = 1


def fragment_key(inputs: str) -> str:
    return hashlib.sha256(inputs.encode("utf-8")).hexdigest()


@dataclass
class Fragments:
    file: Path | None  # None: keep nothing (a build without a cache)
    code: str = ""
    known: dict[str, bytes] = field(default_factory=dict)
    used: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def open(cls, file: Path, code: str) -> Fragments:
        """The fragments kept in `file`; none when it is absent, damaged or from other code."""
        return cls(file, code, read_pickled(file, (FORMAT, code)) or {})

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
        if self.file is not None and self.used.keys() != self.known.keys():
            write_pickled(self.file, (FORMAT, self.code), self.used)
