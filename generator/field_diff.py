"""Which top-level fields differ between two versions of a record file, without reading all of both.

Parsing a notice costs a fraction of a millisecond; a portal's history has tens of thousands of
versions, and a typical change touches one or two fields. So each version is first cut into its
top-level entries as text (`title: …` up to the next line that starts in column 0): an entry
whose text is the same in both versions has the same value and is not parsed at all; only the
entries whose text differs are parsed, both sides, and compared by value with
`change_review.changed_fields`, so re-indenting or requoting a field is still no change.

Whatever this cut does not plainly understand (a document marker, a flow mapping at the top, a
key repeated, text that is not UTF-8, an entry that does not parse alone) makes it read both
whole files with the ordinary reader instead: the fast path only ever skips work, never
changes the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from generator.change_review import changed_fields
from generator.yaml_source import parse_record_bytes

# A top-level key in column 0, as records write them: `title:` followed by a space or the line end.
_TOP_LEVEL_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?:[ ]|\r?$)")
# A line that starts in column 0 and is neither blank nor a comment: a key, or something else.
_COLUMN_0_LINE = re.compile(r"^[^ \r\n#].*", re.MULTILINE)
# What can open or close a quoted text or a flow collection, or start a comment.
_SIGNIFICANT = re.compile(r"""[][{}"'\\#]""")


def changed_top_level_fields(before: bytes, after: bytes, order: Sequence[str]) -> tuple[str, ...] | None:
    """The top-level fields whose values differ: those named in `order` first, in that order,
    then any others sorted. None when either version cannot be read as a record."""
    old, new = _entries(before), _entries(after)
    if old is not None and new is not None:
        differing = sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
        old_data, new_data = _parse_entries(old, differing), _parse_entries(new, differing)
        if old_data is not None and new_data is not None:
            return _ordered(changed_fields(old_data, new_data, differing), order)
    old_data, new_data = parse_record_bytes(before, "").data, parse_record_bytes(after, "").data
    if old_data is None or new_data is None:
        return None
    return _ordered(changed_fields(old_data, new_data, old_data.keys() | new_data.keys()), order)


@lru_cache(maxsize=8)  # a version is compared with the one before it, then with the one after
def _entries(raw: bytes) -> dict[str, str] | None:
    """The file's top-level entries as text, by key, each with the comments, blank and indented
    lines that follow it; None when the file is not plainly a block mapping of distinct keys."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not text.endswith("\n"):
        text += "\n"  # so that every entry ends with a line end and entries can be joined
    starts = list(_COLUMN_0_LINE.finditer(text))
    before_first = text[: starts[0].start()] if starts else text
    if any(line.strip() and not line.lstrip().startswith("#") for line in before_first.splitlines()):
        return None  # indented text before the first key
    entries: dict[str, str] = {}
    for number, start in enumerate(starts):
        key = _TOP_LEVEL_KEY.match(start[0])
        if key is None or key[1] in entries or not _ends_on_its_line(start[0][key.end() :].strip()):
            return None
        end = starts[number + 1].start() if number + 1 < len(starts) else len(text)
        entries[key[1]] = text[start.start() : end]
    return entries


def _ends_on_its_line(value: str) -> bool:
    """Whether the value written after a key cannot go on in column 0 below.

    A quoted text or a flow collection (`{…}`, `[…]`) that is still open at the line's end may
    continue on lines that start in column 0 and look like keys (`title: 'a` + `b: c'` is one
    title), which would cut the file wrongly; so may whatever follows an anchor, alias or tag.
    Plain and block values cannot: their next lines are indented, or the file does not parse.
    Only the characters that can open or close something are looked at.
    """
    if not value or value[0] not in "\"'[{&*!%@`":
        return True
    if value[0] in "&*!%@`":
        return False
    depth, quote, skip_to = 0, "", 0
    for found in _SIGNIFICANT.finditer(value):
        index, char = found.start(), found[0]
        if index < skip_to:
            continue
        if quote == '"':
            if char == "\\":
                skip_to = index + 2  # an escaped character, perhaps a quote
            elif char == '"':
                quote = ""
        elif quote == "'":
            if value.startswith("''", index):
                skip_to = index + 2  # a quote written twice is a quote inside the text
            elif char == "'":
                quote = ""
        elif char in "\"'":
            if index == 0 or value[index - 1] in " \t,[{:":
                quote = char  # a quote opens a text only where a value starts
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "#" and value[index - 1] in " \t":
            return False  # a comment while the value is still open
        if depth <= 0 and not quote:
            rest = value[index + 1 :].strip()
            return not rest or rest.startswith("#")
    return False


def _parse_entries(entries: dict[str, str], keys: list[str]) -> dict[str, Any] | None:
    """The values of `keys` (absent ones left out), read as one small document."""
    present = [entries[key] for key in keys if key in entries]
    if not present:
        return {}
    data = parse_record_bytes("".join(present).encode("utf-8"), "").data
    if data is None or set(data) != {key for key in keys if key in entries}:
        return None  # an entry that does not stand alone: read the whole files instead
    return data


def _ordered(changed: dict[str, Any], order: Sequence[str]) -> tuple[str, ...]:
    known = [name for name in order if name in changed]
    return (*known, *sorted(name for name in changed if name not in order))
