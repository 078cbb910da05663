"""Problems as text for a terminal, as GitHub annotations, or as JSON for other tools."""

from __future__ import annotations

import json

from generator.messages import render
from generator.problems import Problem, Severity

SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告"}


def as_text(problems: list[Problem], record_count: int) -> str:
    lines: list[str] = []
    for problem in problems:
        zh, en = render(problem)
        label = SEVERITY_LABELS[problem.severity]
        where = f"{problem.file}:{problem.line}:{problem.column}"
        lines.append(f"{where} {label} {problem.code} {problem.field}".rstrip())
        lines.append(f"    {zh}")
        lines.append(f"    {en}")
    lines.append(summary(problems, record_count))
    return "\n".join(lines) + "\n"


def summary(problems: list[Problem], record_count: int) -> str:
    errors = sum(1 for problem in problems if problem.is_error)
    warnings = len(problems) - errors
    if errors:
        return (
            f"发现 {errors} 个错误、{warnings} 个警告，请按上面的提示修改后再提交。"
            f" ({errors} error(s), {warnings} warning(s); {record_count} record(s) loaded.)"
        )
    if warnings:  # not "passed": with --strict the same report fails the check
        return (
            f"没有错误：{record_count} 条记录，{warnings} 个警告，请按上面的提示处理（使用 --strict 时警告也算失败）。"
            f" (No errors: {record_count} record(s), {warnings} warning(s); --strict fails on warnings.)"
        )
    return (
        f"检查通过：{record_count} 条记录，{warnings} 个警告。"
        f" (Check passed: {record_count} record(s), {warnings} warning(s).)"
    )


def as_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: each problem shows on the line of the pull request's diff."""
    lines = []
    for problem in problems:
        zh, en = render(problem)
        command = "error" if problem.is_error else "warning"
        properties = ",".join(
            f"{name}={_escape_property(value)}"
            for name, value in (
                ("file", problem.file),
                ("line", str(problem.line)),
                ("col", str(problem.column)),
                ("title", f"{problem.code} {problem.field}".strip()),
            )
        )
        lines.append(f"::{command} {properties}::{_escape_data(zh + chr(10) + en)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_json(problems: list[Problem]) -> str:
    items = []
    for problem in problems:
        zh, en = render(problem)
        items.append(
            {
                "code": problem.code,
                "severity": problem.severity.value,
                "file": problem.file,
                "line": problem.line,
                "column": problem.column,
                "field": problem.field,
                "message": zh,
                "message_en": en,
                "params": dict(problem.params),
            }
        )
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
