"""Rules of free text and files: Markdown without raw HTML or unsafe links, attachments that exist
inside the institution's folder with the stated SHA-256."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from generator.catalog import Catalog, Loaded
from generator.messages import hint, no_hint
from generator.models import Notice
from generator.paths import attachment_folder
from generator.problems import Problem
from generator.yaml_source import FieldPath

_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
# An HTML tag as CommonMark reads one: `<` right before the name, closed by `>`; `a < b` and
# `x<y 且 z>w` are text. `<script` and its kin count even unclosed: they open an HTML block.
_TAG = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][^<>]*)?\s*/?>"
    r"|<(?:script|style|pre|textarea|iframe)\b"
    r"|<!--|<!\[CDATA\[|<\?[A-Za-z]",
    re.IGNORECASE,
)
_LINK = re.compile(
    r"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$|<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>", re.M
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}


def check(catalog: Catalog, today: date) -> Iterator[Problem]:
    for achievement in catalog.achievements.values():
        yield from _title_spaces(achievement)
        if achievement.record.summary:
            yield from markdown_problems(achievement.record.summary, achievement, ("summary",))
    for notice in catalog.notices.values():
        yield from _title_spaces(notice)
        if notice.record.body:
            yield from markdown_problems(notice.record.body, notice, ("body",))
            yield from _stated_period(notice)
        yield from _attachments(catalog.root, notice)


# A space between two Chinese characters: what YAML makes of a title written over two lines (a
# line break inside a quoted or plain value is read as a space), shown on the page and in its tab.
_SPACE_IN_CHINESE = re.compile(r"[\u3400-\u9fff（）《》“”，、：；]\s+[\u3400-\u9fff（）《》“”，、：；]")


# Longer than this, a title is cut short in a browser's tab, a feed reader and the search results.
TITLE_MAX_CHARACTERS = 100


def _title_spaces(loaded: Loaded[Any]) -> Iterator[Problem]:
    title = loaded.record.title
    if len(title) > TITLE_MAX_CHARACTERS:
        yield loaded.problem("title-too-long", ("title",), length=len(title), limit=TITLE_MAX_CHARACTERS)
    found = _SPACE_IN_CHINESE.search(title)
    if found is not None:
        yield loaded.problem("title-space-between-characters", ("title",), text=found.group(0))


# The period as a notice's text states it, right after 公示期 or 公示时间 (and a colon, 为 or 自):
# 2025年9月12日至2025年9月27日, 2025-09-12 至 2025-09-27, with 到, — or ～ between; the end's year
# may be left out (then it is the start's, or the next one's across a new year); a time may
# follow either day. Copied from an older notice, or left when period changed, it tells the
# public other dates than the ones the site counts.
_DAY = r"(?:([0-9]{4})\s*年\s*)?([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日|([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
_TIME = r"(?:\s*[0-9]{1,2}\s*[:：]\s*[0-9]{2})?"
_STATED_PERIOD = re.compile(
    rf"公示(?:期|时间)[\s*：:为自从是]{{0,8}}(?:{_DAY}){_TIME}\s*(?:至|到|—+|–|～|~)\s*(?:{_DAY}){_TIME}"
)


def _stated_period(loaded: Loaded[Notice]) -> Iterator[Problem]:
    body = loaded.record.body or ""
    match = _STATED_PERIOD.search(body)
    if match is None:
        return
    groups = match.groups()
    start = _stated_day(groups[:6], None)
    end = _stated_day(groups[6:], start)
    if start is None or end is None:
        return  # not a date: the text says something else
    period = loaded.record.period
    if (start, end) != (period.start, period.end):
        yield _within(
            loaded,
            ("body",),
            body,
            match.group(0),
            match.start(),
            "body-period-differs",
            written_start=start,
            written_end=end,
            start=period.start,
            end=period.end,
        )


def _stated_day(groups: tuple[str | None, ...], start: date | None) -> date | None:
    """A day as _DAY matched it; one without its year takes the start's (or the next year's,
    when it would come before the start), and a start without one cannot be read."""
    year, month, day, iso_year, iso_month, iso_day = groups
    if iso_year:
        year, month, day = iso_year, iso_month, iso_day
    try:
        if year:
            return date(int(year), int(month or 0), int(day or 0))
        if start is None:
            return None
        stated = date(start.year, int(month or 0), int(day or 0))
        return stated if stated >= start else stated.replace(year=start.year + 1)
    except ValueError:
        return None


def markdown_problems(text: str, loaded: Loaded[Any], path: FieldPath) -> Iterator[Problem]:
    visible = _CODE.sub(lambda match: " " * len(match.group(0)), text)  # code shows tags as text: fine
    # One problem per line of text, naming every tag on it: `<b>x</b>` is one thing to remove.
    tags_by_line: dict[int, list[re.Match[str]]] = {}
    for match in _TAG.finditer(visible):
        tags_by_line.setdefault(visible.count("\n", 0, match.start()), []).append(match)
    for matches in tags_by_line.values():
        tags = "、".join(dict.fromkeys(match.group(0)[:40] for match in matches))
        first = matches[0]
        yield _within(loaded, path, visible, first.group(0), first.start(), "markdown-raw-html", tag=tags)
    for match in _LINK.finditer(visible):
        index = next(number for number, group in enumerate(match.groups(), start=1) if group)
        target = match.group(index)
        # As a browser reads it: character references decoded, tabs, line breaks and controls dropped
        # (`java&#115;cript:` and `jav&#x09;ascript:` are javascript: too).
        scheme = _SCHEME.match(_URL_IGNORED.sub("", html.unescape(target)))
        if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
            yield _within(
                loaded, path, visible, target, match.start(index), "markdown-link-scheme", value=target[:80]
            )


def _within(
    loaded: Loaded[Any], path: FieldPath, text: str, found_text: str, offset: int, code: str, **params: object
) -> Problem:
    """Point at the line inside a multi-line text (block, folded or quoted), not at its first line:
    find the same occurrence of what was found in the text in the file's own lines."""
    problem = loaded.problem(code, path, **params)
    needle = found_text.splitlines()[0] if found_text else ""
    found = loaded.source.line_containing(path, needle, text.count(needle, 0, offset))
    if found is None:
        return problem
    return Problem(problem.code, problem.file, found[0], found[1], problem.field, problem.params)


def _attachment_meant(folder: Path, relative: PurePosixPath, institution: str) -> dict[str, str]:
    """The file a missing attachment's path most likely meant: written from the repository's root
    (notices/gnas/attachments/x.pdf, which is from notices/gnas/ already), or in other capitals
    (x.PDF for x.pdf: Windows and macOS do not tell them apart, the site's server does)."""
    prefix = ("notices", institution)
    if relative.parts[:2] == prefix and len(relative.parts) > 2:
        within = PurePosixPath(*relative.parts[2:])
        if folder.joinpath(*within.parts).is_file():
            return hint("attachment-from-root", file=within.as_posix())
    parent = folder.joinpath(*relative.parts[:-1])
    if parent.is_dir():
        wanted = relative.name.lower()
        same = sorted(entry.name for entry in parent.iterdir() if entry.name.lower() == wanted)
        if same:
            return hint("attachment-case", file=(relative.parent / same[0]).as_posix())
    return no_hint("fix")


def _attachments(root: Path, loaded: Loaded[Notice]) -> Iterator[Problem]:
    if not loaded.record.attachments:  # most notices: no folder to make a Path for
        return
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
            yield loaded.problem(
                "attachment-missing", where, path=shown, **_attachment_meant(folder, relative, institution)
            )
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
