"""One error type for everything that can be wrong with the records.

A Problem is data: a stable code, where it is (file, line, column, field path) and the values
its message quotes. Wording lives in `messages.py`; reports format Problems, tests compare
`(code, file, line, field)` and never the wording.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    file: str
    line: int = 1
    column: int = 1
    field: str = ""
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        # An unknown code is a bug in the generator, not in the records: fail loudly here.
        from generator.messages import CATALOGUE

        if self.code not in CATALOGUE:
            raise KeyError(f"problem code {self.code!r} is not in the message catalogue")

    @property
    def severity(self) -> Severity:
        from generator.messages import CATALOGUE

        return CATALOGUE[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.field, self.code)

    def key(self) -> tuple[str, str, int, str]:
        """What tests compare: the code and where it points."""
        return (self.code, self.file, self.line, self.field)


def sorted_unique(problems: Iterable[Problem]) -> list[Problem]:
    """Sort by place and drop exact repeats, so a report lists each finding once."""
    seen: set[tuple[object, ...]] = set()
    unique: list[Problem] = []
    for problem in sorted(problems, key=Problem.sort_key):
        identity = (*problem.sort_key(), tuple(sorted(problem.params.items())))
        if identity not in seen:
            seen.add(identity)
            unique.append(problem)
    return unique


def field_path(loc: Iterable[str | int]) -> str:
    """('team', 1, 'share') -> 'team[1].share', the form clerks see in messages."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
