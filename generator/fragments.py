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
        key = hashlib.sha256(inputs.encode("utf-8")).hexdigest()
        found = self.known.get(key)
        if found is None:
            found = make()
        self.used[key] = found
        return found

    def save(self) -> None:
        if self.file is not None and self.used.keys() != self.known.keys():
            write_pickled(self.file, (FORMAT, self.code), self.used)
