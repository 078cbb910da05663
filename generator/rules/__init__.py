"""The policy rules, each a function from the catalogue to the problems it finds.

Rules only read the catalogue; they never stop at the first finding. Each module holds the rules
of one subject; `RULES` runs them all in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date

from generator.catalog import Catalog
from generator.forked import forked_beside, worker_count
from generator.problems import Problem
from generator.rules import achievements, content, layout, money, notices, references
from generator.yaml_source import SourceFile

Rule = Callable[[Catalog, date], Iterable[Problem]]

RULES: tuple[Rule, ...] = (
    layout.check,
    references.check,
    achievements.check,
    notices.check,
    money.check,
    content.check,
)
# For a large portal, these run in a forked process beside the others: two halves of about the
# same time (at 50,000 records, 1.6 s and 1.7 s, the notices' with most of the files read again
# for a warning's line). The process sends back its problems, and the positions it read, which
# the record cache keeps (record_cache.py).
BESIDE: tuple[Rule, ...] = (layout.check, references.check, achievements.check, content.check)


def check_rules(catalog: Catalog, today: date) -> list[Problem]:
    if worker_count(len(catalog.achievements) + len(catalog.notices)) == 1:
        return _run(RULES, catalog, today)
    here = tuple(rule for rule in RULES if rule not in BESIDE)
    with forked_beside(lambda: _run_beside(catalog, today)) as (beside,):
        problems = _run(here, catalog, today)
        found, read_again = beside()
    sources = {source.path: source for source in _sources(catalog)}
    for read in read_again:
        if sources[read.path].reread is not None:
            sources[read.path].take_positions(read)
    return [*found, *problems]


def _run(rules: Iterable[Rule], catalog: Catalog, today: date) -> list[Problem]:
    problems: list[Problem] = []
    for rule in rules:
        problems.extend(rule(catalog, today))
    return problems


def _run_beside(catalog: Catalog, today: date) -> tuple[list[Problem], list[SourceFile]]:
    """BESIDE's problems, and each source these rules read again for its positions (without
    its data, which this process has)."""
    waiting = [source for source in _sources(catalog) if source.reread is not None]
    problems = _run(BESIDE, catalog, today)
    return problems, [replace(source, data=None, problems=[]) for source in waiting if source.reread is None]


def _sources(catalog: Catalog) -> Iterable[SourceFile]:
    return (loaded.source for _kind, loaded in catalog.all_loaded())
