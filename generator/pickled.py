"""The cache's files: a header (the format and the code's digest) and one pickled value, read
whole or not at all, and written by rename so a build cut short never leaves half a file.

Pickle runs code when it loads: these files live in the user's cache folder, never in the
portal's repository (build_cache.py).
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

# What a missing, truncated or foreign file raises while it is read.
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError)


def read_pickled(file: Path, header: object) -> Any | None:
    """The value stored under `header`; None when the file is absent, damaged or has another header."""
    try:
        with file.open("rb") as stream:
            if pickle.load(stream) != header:
                return None
            return pickle.load(stream)
    except _UNREADABLE:
        return None


def write_pickled(file: Path, header: object, value: object) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f".{file.name}.{os.getpid()}")
    with temporary.open("wb") as stream:
        pickle.dump(header, stream, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(file)
