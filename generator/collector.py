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


@contextmanager
def loading_once() -> Iterator[None]:
    """No cycle collection inside, and what is alive at the end set aside (gc.freeze) before
    collection resumes: the records and what is derived from them live until the process ends,
    and the first collection after loading would otherwise scan them all (nearly a second at
    50,000 records), and rendering rescan them at every full collection. Reference counting
    still frees them, but reference cycles among them never: use it only where a process loads
    once (a build, a check), never on a path that runs again (the preview's rebuilds)."""
    with collector_paused():
        yield
        gc.freeze()
