"""`portal check`: load every record and run every rule; the problems are the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.catalog import Catalog, load_catalog
from generator.collector import collector_paused
from generator.problems import Problem, sorted_unique
from generator.record_cache import RecordCache
from generator.rules import check_rules
from generator.timing import phase


@dataclass(frozen=True)
class CheckResult:
    catalog: Catalog
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]

    def passes(self, *, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    @property
    def record_count(self) -> int:
        return sum(1 for _ in self.catalog.all_loaded())


def check_portal(root: Path, today: date, cache_folder: Path | None = None) -> CheckResult:
    """With a cache folder, files read before are not parsed again (record_cache.py)."""
    with collector_paused():
        with phase("load"):
            cache = RecordCache.open(cache_folder) if cache_folder is not None else None
            catalog = load_catalog(root, cache)
        with phase("check"):
            problems = sorted_unique([*catalog.problems, *check_rules(catalog, today)])
        if cache is not None:
            with phase("load"):  # the record cache is written once the rules have asked for lines
                cache.save()
        return CheckResult(catalog, problems)
