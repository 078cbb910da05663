"""The policy rules, each a function from the catalogue to the problems it finds.

Rules only read the catalogue; they never stop at the first finding. Each module holds the rules
of one subject; `RULES` runs them all in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from generator.catalog import Catalog
from generator.problems import Problem
from generator.rules import achievements, content, layout, money, notices, references

Rule = Callable[[Catalog, date], Iterable[Problem]]

RULES: tuple[Rule, ...] = (
    layout.check,
    references.check,
    achievements.check,
    notices.check,
    money.check,
    content.check,
)


def check_rules(catalog: Catalog, today: date) -> list[Problem]:
    problems: list[Problem] = []
    for rule in RULES:
        problems.extend(rule(catalog, today))
    return problems
