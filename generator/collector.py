"""Python's cycle collector, kept out of the way of loading tens of thousands of records.

Reading a record creates thousands of small objects and no reference cycles. The collector
runs every few hundred allocations and, every so often, scans the whole (growing) heap: at
50,000 records a third of the time to load them went to scans that found nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside; whatever was enabled before is restored after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def set_aside_what_is_loaded() -> None:
    """Move every object alive now out of the collector's scans for the rest of the process
    (gc.freeze): the records and what is derived from them live until the build ends, and
    rendering would otherwise rescan them at every full collection. Reference counting still
    frees them, but reference cycles among them never: call it only where a process loads
    once (a build, a check), never on a path that runs again (the preview's rebuilds)."""
    gc.freeze()
