"""Work split across forked processes, which inherit the portal instead of receiving it pickled.

Rendering is pure Python, so threads would take turns; processes use every core. A forked
process starts with the parent's memory as it is, so the portal, loaded once, is shared (copy
on write) and only each task's result travels back, pickled. Below a size, starting processes
costs more than it saves, and tasks simply run one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
# Below this many records, one process does it all. At 300 and 1,000 records a build took a fifth
# to a quarter less time forked (3.7 s against 4.7 at 300; 6.1–8.1 s against 10.0–10.4 at 1,000,
# on a busy machine); at the example's 77 the difference was within the noise.
PARALLEL_FROM_RECORDS = 200
MAX_WORKERS = 4

_tasks: Sequence[Callable[[], Any]] | None = None


def worker_count(records: int) -> int:
    return min(os.cpu_count() or 1, MAX_WORKERS) if records >= PARALLEL_FROM_RECORDS else 1


def run_forked(tasks: Sequence[Callable[[], T]], workers: int) -> list[T]:
    """Each task's result, in the tasks' order, computed in up to `workers` forked processes.
    A task's exception is raised here; so is BrokenProcessPool, should a process die."""
    return list(each_forked(tasks, workers))


def each_forked(tasks: Sequence[Callable[[], T]], workers: int) -> Iterator[T]:
    """As run_forked, giving each result as soon as it and those before it are done, so that the
    caller takes in one while the processes compute the next."""
    if workers <= 1 or len(tasks) <= 1:
        yield from (task() for task in tasks)
        return
    global _tasks  # what a forked process finds in the memory it inherits
    _tasks = tasks
    try:
        with _pool(min(workers, len(tasks))) as pool:
            results = pool.map(_run_task, range(len(tasks)))  # the processes are forked here
            _tasks = None
            yield from results
    finally:
        _tasks = None


@contextmanager
def forked_beside(*tasks: Callable[[], T]) -> Iterator[list[Callable[[], T]]]:
    """Start each task in a forked process of its own, to run while the body of the `with` does
    other work; the body calls what it is given for a task to wait for its result (the task's
    exception is raised there). Leaving the body early waits for the tasks, whose results are
    dropped."""
    global _tasks
    _tasks = tasks
    try:
        with _pool(len(tasks)) as pool:
            # Every process is forked at the first submit, before the pool starts a thread.
            pending = [pool.submit(_run_task, index) for index in range(len(tasks))]
            _tasks = None
            yield [future.result for future in pending]
    finally:
        _tasks = None


def _pool(workers: int) -> ProcessPoolExecutor:
    # With "fork", the executor starts all its processes at the first submit: each inherits _tasks.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


def _run_task(index: int) -> Any:
    assert _tasks is not None
    return _tasks[index]()
