"""`portal check`: load every record and run every rule; the problems are the result."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.catalog import Catalog, load_catalog
from generator.collector import collector_paused
from generator.problems import Problem, sorted_unique
from generator.record_cache import RecordCache
from generator.rules import rules_running
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
        return self.catalog.valid_count


def check_portal(root: Path, today: date, cache_folder: Path | None = None) -> CheckResult:
    """With a cache folder, files read before are not parsed again (record_cache.py)."""
    with checking_portal(root, today, cache_folder) as pending:
        return pending.result()


@dataclass(frozen=True)
class PendingCheck:
    """The records, loaded, and the check's result when asked for (see checking_portal)."""

    catalog: Catalog
    result: Callable[[], CheckResult]


@contextmanager
def checking_portal(
    root: Path, today: date, cache_folder: Path | None = None, *, all_beside: bool = False
) -> Iterator[PendingCheck]:
    """Load every record; the body of the `with` gets them, and the check's result when it asks.
    `all_beside`: for a large portal the rules run in forked processes from the start of the body,
    which does other work meanwhile (rules/__init__.py). With a cache folder, files read before
    are not parsed again (record_cache.py)."""
    with collector_paused(), ExitStack() as rules:
        with phase("load"):
            cache = RecordCache.open(cache_folder) if cache_folder is not None else None
            catalog = load_catalog(root, cache)
        with phase("check"):  # forking the processes, when it does
            rule_problems = rules.enter_context(rules_running(catalog, today, all_beside=all_beside))

        @functools.cache  # the rules run once, however often the body asks
        def result() -> CheckResult:
            with phase("check"):
                problems = sorted_unique([*catalog.problems, *rule_problems()])
                rules.close()  # the forked processes end here: their time counts in this phase
            if cache is not None:
                with phase("load"):  # the record cache is written once the rules have asked for lines
                    cache.save()
            return CheckResult(catalog, problems)

        yield PendingCheck(catalog, result)
