"""Where a build spends its time and memory, phase by phase, for the benchmark and `--timings`.

Phases nest (MkDocs calls our renderer and our post-build stages from inside its own build), so
each phase reports its own time without its sub-phases'. Nothing is recorded unless a recorder
is active: `phase()` is then a no-op costing one attribute read.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class PhaseTiming:
    name: str
    wall_s: float = 0.0
    cpu_s: float = 0.0  # this process plus the programs it ran (Pagefind) during the phase
    peak_rss_mb: float = 0.0  # the highest resident memory seen by the end of the phase

    def as_dict(self) -> dict[str, float | str]:
        return {
            "name": self.name,
            "wall_s": round(self.wall_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


@dataclass
class Recorder:
    phases: dict[str, PhaseTiming] = field(default_factory=dict)
    _open: list[tuple[float, float]] = field(default_factory=list)  # nested phases' (wall, cpu)

    def order(self) -> list[PhaseTiming]:
        return list(self.phases.values())


_active: Recorder | None = None


@contextmanager
def recording() -> Iterator[Recorder]:
    global _active
    previous, _active = _active, Recorder()
    try:
        yield _active
    finally:
        _active = previous


@contextmanager
def phase(name: str) -> Iterator[None]:
    recorder = _active
    if recorder is None:
        yield
        return
    wall_start, cpu_start = time.perf_counter(), _cpu_seconds()
    recorder._open.append((0.0, 0.0))
    try:
        yield
    finally:
        nested_wall, nested_cpu = recorder._open.pop()
        wall, cpu = time.perf_counter() - wall_start, _cpu_seconds() - cpu_start
        timing = recorder.phases.setdefault(name, PhaseTiming(name))
        timing.wall_s += wall - nested_wall
        timing.cpu_s += cpu - nested_cpu
        timing.peak_rss_mb = max(timing.peak_rss_mb, peak_rss_mb())
        if recorder._open:  # tell the enclosing phase how much of its time was ours
            outer_wall, outer_cpu = recorder._open[-1]
            recorder._open[-1] = (outer_wall + wall, outer_cpu + cpu)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    """The larger of this process's peak and its largest finished child's (Pagefind)."""
    scale = 1 / 1024 / 1024 if sys.platform == "darwin" else 1 / 1024  # bytes on macOS, KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) * scale


def add_phases(phases: list[PhaseTiming]) -> None:
    """Phases measured in another process (stages.py), added as they are. They ran beside the
    phases of this one, so their wall time is not taken from any; their CPU time is taken from
    the enclosing phase, which counted it when that process ended (see _cpu_seconds)."""
    recorder = _active
    if recorder is None:
        return
    if recorder._open:
        outer_wall, outer_cpu = recorder._open[-1]
        recorder._open[-1] = (outer_wall, outer_cpu + sum(measured.cpu_s for measured in phases))
    for measured in phases:
        timing = recorder.phases.setdefault(measured.name, PhaseTiming(measured.name))
        timing.wall_s += measured.wall_s
        timing.cpu_s += measured.cpu_s
        timing.peak_rss_mb = max(timing.peak_rss_mb, measured.peak_rss_mb)
