"""Rules of free text and files: Markdown without raw HTML or unsafe links, attachments that exist
inside the institution's folder with the stated SHA-256."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from generator.catalog import Catalog, Loaded
from generator.models import Notice
from generator.paths import attachment_folder
from generator.problems import Problem
from generator.yaml_source import FieldPath

_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
_TAG = re.compile(r"<\s*(/?\s*[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^>]*>?|<!--|<!\[CDATA\[|<\?")
_LINK = re.compile(
    r"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$|<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>", re.M
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}


def check(catalog: Catalog, today: date) -> Iterator[Problem]:
    for achievement in catalog.achievements.values():
        if achievement.record.summary:
            yield from markdown_problems(achievement.record.summary, achievement, ("summary",))
    for notice in catalog.notices.values():
        if notice.record.body:
            yield from markdown_problems(notice.record.body, notice, ("body",))
        yield from _attachments(catalog.root, notice)


def markdown_problems(text: str, loaded: Loaded[Any], path: FieldPath) -> Iterator[Problem]:
    visible = _CODE.sub(lambda match: " " * len(match.group(0)), text)  # code shows tags as text: fine
    for match in _TAG.finditer(visible):
        yield _within(loaded, path, text, match.start(), "markdown-raw-html", tag=match.group(0)[:40])
    for match in _LINK.finditer(visible):
        target = next(group for group in match.groups() if group)
        scheme = _SCHEME.match(target)
        if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
            yield _within(loaded, path, text, match.start(), "markdown-link-scheme", value=target[:80])


def _within(
    loaded: Loaded[Any], path: FieldPath, text: str, offset: int, code: str, **params: object
) -> Problem:
    """Point at the line inside a multi-line block, not just at the field's first line."""
    problem = loaded.problem(code, path, **params)
    if "\n" not in text:
        return problem
    line = problem.line + 1 + text.count("\n", 0, offset)  # a block scalar starts on the next line
    return Problem(problem.code, problem.file, line, 1, problem.field, problem.params)


def _attachments(root: Path, loaded: Loaded[Notice]) -> Iterator[Problem]:
    institution = loaded.record.institution
    folder = attachment_folder(root, institution)
    for index, attachment in enumerate(loaded.record.attachments):
        where = ("attachments", index, "file")
        relative = PurePosixPath(attachment.file.strip())
        unsafe = (
            relative.is_absolute()
            or ".." in relative.parts
            or "\\" in attachment.file
            or ":" in attachment.file
            or not relative.parts
        )
        if unsafe:
            yield loaded.problem(
                "attachment-path-invalid",
                where,
                value=attachment.file,
                institution=institution,
                example=loaded.record.id,
            )
            continue
        path = folder.joinpath(*relative.parts)
        shown = f"notices/{institution}/{relative.as_posix()}"
        try:
            inside = path.resolve().is_relative_to(folder.resolve())
        except OSError:
            inside = False
        if not inside or path.is_symlink():
            yield loaded.problem(
                "attachment-path-invalid",
                where,
                value=attachment.file,
                institution=institution,
                example=loaded.record.id,
            )
            continue
        if not path.is_file():
            yield loaded.problem("attachment-missing", where, path=shown)
            continue
        actual = file_sha256(path)
        if actual != attachment.sha256:
            yield loaded.problem(
                "attachment-sha256-mismatch",
                ("attachments", index, "sha256"),
                path=shown,
                actual=actual,
                expected=attachment.sha256,
            )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
