"""Work split across forked processes, which inherit the portal instead of receiving it pickled.

Rendering is pure Python, so threads would take turns; processes use every core. A forked
process starts with the parent's memory as it is, so the portal, loaded once, is shared (copy
on write) and only each task's result travels back, pickled. Below a size, starting processes
costs more than it saves, and tasks simply run one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
# Below this many records, one process does it all.
PARALLEL_FROM_RECORDS = 500
MAX_WORKERS = 4

_tasks: Sequence[Callable[[], Any]] | None = None


def worker_count(records: int) -> int:
    return min(os.cpu_count() or 1, MAX_WORKERS) if records >= PARALLEL_FROM_RECORDS else 1


def run_forked(tasks: Sequence[Callable[[], T]], workers: int) -> list[T]:
    """Each task's result, in the tasks' order, computed in up to `workers` forked processes."""
    if workers <= 1 or len(tasks) <= 1:
        return [task() for task in tasks]
    global _tasks  # what a forked worker finds in the memory it inherits
    _tasks = tasks
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, len(tasks))) as pool:
            results: list[T] = pool.map(_run_task, range(len(tasks)), chunksize=1)
            return results
    finally:
        _tasks = None


def _run_task(index: int) -> Any:
    assert _tasks is not None
    return _tasks[index]()
