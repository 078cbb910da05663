"""Work split across forked processes, which inherit the portal instead of receiving it pickled.

Rendering is pure Python, so threads would take turns; processes use every core. A forked
process starts with the parent's memory as it is, so the portal, loaded once, is shared (copy
on write) and only each task's result travels back, pickled. Below a size, starting processes
costs more than it saves, and tasks simply run one after the other.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar, cast

T = TypeVar("T")
# Below this many records, one process does it all. At 300 and 1,000 records a build took a fifth
# to a quarter less time forked (3.7 s against 4.7 at 300; 6.1–8.1 s against 10.0–10.4 at 1,000,
# on a busy machine); at the example's 77 the difference was within the noise.
PARALLEL_FROM_RECORDS = 200
MAX_WORKERS = 4

_tasks: Sequence[Callable[[], Any]] | None = None


def worker_count(records: int) -> int:
    return min(os.cpu_count() or 1, MAX_WORKERS) if records >= PARALLEL_FROM_RECORDS else 1


def each_forked(tasks: Sequence[Callable[[], T]], workers: int) -> Iterator[T]:
    """Each task's result, in the tasks' order, computed in up to `workers` forked processes and
    given as soon as it and those before it are done, so that the caller takes in one while the
    processes compute the next. A task's exception is raised here; so is BrokenProcessPool,
    should a process die."""
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
    exception is raised there; BrokenProcessPool when its process died without a word). Leaving
    the body early waits for the tasks, whose results are dropped.

    Plain processes, each with a pipe, and no thread in this process: the body may fork again
    (a build pours its pages in forked processes while the data stages run), and forking while a
    thread runs can leave a child waiting on a lock nobody will release."""
    context = multiprocessing.get_context("fork")
    started: list[tuple[BaseProcess, Connection]] = []
    results: dict[int, tuple[str, Any]] = {}
    try:
        for task in tasks:
            receiving, sending = context.Pipe(duplex=False)
            process: BaseProcess = context.Process(target=_send_result, args=(task, sending))
            process.start()
            sending.close()  # the child's end: this process only receives
            started.append((process, receiving))

        def waiter(index: int) -> Callable[[], T]:
            def wait() -> T:
                if index not in results:
                    results[index] = _receive(*started[index])
                outcome, value = results[index]
                if outcome == "raised":
                    raise value
                return cast(T, value)

            return wait

        yield [waiter(index) for index in range(len(tasks))]
    finally:
        for index, (process, receiving) in enumerate(started):
            if index not in results:
                _receive(process, receiving)  # read, so that its sending is not left blocked
            receiving.close()
            process.join()


def or_here(wait: Callable[[], T], task: Callable[[], T]) -> T:
    """What `wait` gives for a task run by forked_beside; should its process have died without a
    word (killed for memory, say), the task run here instead. For tasks that only save time."""
    try:
        return wait()
    except BrokenProcessPool:
        return task()


def _send_result(task: Callable[[], Any], sending: Connection) -> None:
    _without_cycle_collection()
    try:
        outcome: tuple[str, Any] = ("returned", task())
    except BaseException as error:  # any failure travels back, to be raised there
        outcome = ("raised", error)
    try:
        sending.send(outcome)
    except Exception as error:  # an unpicklable result or exception: say what it was
        sending.send(
            ("raised", RuntimeError(f"{type(error).__name__}: {error}; the task gave {outcome[1]!r:.500}"))
        )
    finally:
        sending.close()


def _receive(process: BaseProcess, receiving: Connection) -> tuple[str, Any]:
    try:
        return cast(tuple[str, Any], receiving.recv())
    except EOFError:
        process.join()
        broken = BrokenProcessPool(f"a forked process ended without a result (exit code {process.exitcode})")
        return ("raised", broken)


def _pool(workers: int) -> ProcessPoolExecutor:
    # With "fork", the executor starts all its processes at the first submit: each inherits _tasks.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))


def _run_task(index: int) -> Any:
    assert _tasks is not None
    _without_cycle_collection()
    return _tasks[index]()


def _without_cycle_collection() -> None:
    """A forked process does one task and ends: its cycles are left to its end, whoever forked
    it (a build pauses the collector throughout, collector.py; `mkdocs build` run by hand does
    not). A full collection there went through every object made since the records were loaded
    (those are frozen), writing into each, so the pages holding them were copied from the
    parent's memory: in a rebuild at 50,000 records, four collections, 0.5 s of CPU, and the
    copies on top."""
    gc.disable()
