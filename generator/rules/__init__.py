"""The policy rules, each a function from the catalogue to the problems it finds.

Rules only read the catalogue; they never stop at the first finding. Each module holds the rules
of one subject; `RULES` runs them all in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import partial

from generator.catalog import Catalog
from generator.forked import forked_beside, or_here, worker_count
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
# For a large portal the rules run in two halves of about the same time (at 50,000 records,
# 1.6 s and 1.7 s, the notices' with most of the files read again for a warning's line): these
# in a forked process, and the others here or, in a build, in a second one (rules_running). A
# process sends back its problems, and the positions it read, which the record cache keeps
# (record_cache.py).
BESIDE: tuple[Rule, ...] = (layout.check, references.check, achievements.check, content.check)


@contextmanager
def rules_running(
    catalog: Catalog, today: date, *, all_beside: bool = False
) -> Iterator[Callable[[], list[Problem]]]:
    """The rules' problems, from what the body of the `with` is given. For a large portal, BESIDE
    run in a forked process while the body goes on, and the others when it asks; `all_beside`,
    both halves in forked processes, and the body does other work meanwhile (a build derives its
    portal, on the chance that the check passes). Positions a forked process read again for a
    problem's line come back to the sources here, for the record cache to keep. A half whose
    process died runs here."""
    if worker_count(len(catalog.achievements) + len(catalog.notices)) == 1:
        yield partial(_run, RULES, catalog, today)
        return
    here = tuple(rule for rule in RULES if rule not in BESIDE)
    halves = (BESIDE, here) if all_beside else (BESIDE,)
    with forked_beside(*(partial(_run_beside, half, catalog, today) for half in halves)) as waits:

        def problems() -> list[Problem]:
            found_here = [] if all_beside else _run(here, catalog, today)
            found: list[Problem] = []
            read_again: list[SourceFile] = []
            for half, wait in zip(halves, waits, strict=True):
                # Run here instead should its process die: its sources then take their positions here.
                found_beside, read = or_here(wait, partial(_run_here, half, catalog, today))
                found += found_beside
                read_again += read
            _take_positions(catalog, read_again)
            return [*found, *found_here]

        yield problems


def _take_positions(catalog: Catalog, read_again: list[SourceFile]) -> None:
    if not read_again:
        return
    sources = {source.path: source for source in _sources(catalog)}
    for read in read_again:
        if sources[read.path].reread is not None:
            sources[read.path].take_positions(read)


def _run(rules: Iterable[Rule], catalog: Catalog, today: date) -> list[Problem]:
    problems: list[Problem] = []
    for rule in rules:
        problems.extend(rule(catalog, today))
    return problems


def _run_here(rules: Iterable[Rule], catalog: Catalog, today: date) -> tuple[list[Problem], list[SourceFile]]:
    """As _run_beside, in the process holding the sources: they take their positions themselves."""
    return _run(rules, catalog, today), []


def _run_beside(
    rules: Iterable[Rule], catalog: Catalog, today: date
) -> tuple[list[Problem], list[SourceFile]]:
    """The rules' problems, and each source they read again for its positions (without its
    data, which the process that forked this one has)."""
    waiting = [source for source in _sources(catalog) if source.reread is not None]
    problems = _run(rules, catalog, today)
    return problems, [replace(source, data=None, problems=[]) for source in waiting if source.reread is None]


def _sources(catalog: Catalog) -> Iterable[SourceFile]:
    return (loaded.source for _kind, loaded in catalog.all_loaded())
