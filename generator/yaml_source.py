"""Read one record file into plain data and the position of every field.

Why not `yaml.safe_load`: PyYAML's resolver is YAML 1.1, so `no` becomes False and `17:00`
becomes 1020; it silently keeps the last of two duplicate keys; it expands aliases without
bound; and it forgets where each value stood. Records need YAML 1.2 scalars, duplicate keys
refused, no aliases, and a line for every field. We drive PyYAML's C event parser (fast,
iterative, so deep nesting cannot overflow a stack) and build the data ourselves.

Two readers share the scalar rules. `_Builder` keeps every field's line and names every
problem; `_data_only` keeps the data alone, two to three times faster, and gives up on anything
`_Builder` would report. A check of tens of thousands of files reads them with the second and
asks the first only for a file whose problems need lines.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from generator.messages import hint, no_hint
from generator.problems import Problem, field_path

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 12  # the deepest record path is notice.reward.recipients[i].name: 4 levels

Location = tuple[int, int]  # 1-based line and column
FieldPath = tuple[str | int, ...]

# Both readings take events alone: libyaml's parser, without the constructor and resolver a
# loader would set up. It is ~10x faster than the pure-Python one, the fallback where PyYAML was
# built without libyaml.
try:
    _Parser: Any = yaml._yaml.CParser
    _LIBYAML = True
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser, _LIBYAML = yaml.SafeLoader, False

# YAML 1.2 core schema, applied to plain (unquoted) scalars only: its words, and its numbers
# (tried in this order: `0o17` is octal, not the integer 0 followed by text).
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
_NUMBER = re.compile(
    r"(?P<int>[-+]?[0-9]+)|(?P<oct>0o[0-7]+)|(?P<hex>0x[0-9a-fA-F]+)"
    r"|(?P<float>[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)"
)
# The tags a record may carry: none, the non-specific `!`, or the standard one of its kind.
_STR_TAG = "tag:yaml.org,2002:str"
_TEXT_TAGS = (None, "!", _STR_TAG)
_MAPPING_TAGS = (None, "!", "tag:yaml.org,2002:map")
_SEQUENCE_TAGS = (None, "!", "tag:yaml.org,2002:seq")
# What YAML does not allow in a file (its "printable" set), and so not in a value either: a double-
# quoted escape (`"\x02"`) would otherwise carry it past the reader into pages, feeds and calendars.
_NOT_PRINTABLE = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(slots=True)
class SourceFile:
    """A record file as read: its data (None when unreadable), where each field stood, and
    what went wrong while reading."""

    path: str
    data: dict[str, Any] | None = None
    positions: dict[FieldPath, Location] = field(default_factory=dict)
    key_positions: dict[FieldPath, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""
    # How a plain scalar that did not become text was written (`0797` became 797): a message
    # that asks for quotes must quote what the clerk wrote, leading zeros included.
    written: dict[FieldPath, str] = field(default_factory=dict)
    # A source taken from the record cache comes without its positions and text, which most
    # records never need: they are read again from the file the first time a line is asked for.
    reread: Callable[[], SourceFile] | None = field(default=None, repr=False, compare=False)

    def without_positions(self) -> SourceFile:
        return replace(self, positions={}, key_positions={}, text="", written={}, reread=None)

    def complete_positions(self) -> bool:
        """Read the positions again if this source came without them; False if it had them."""
        if self.reread is None:
            return False
        full, self.reread = self.reread(), None
        self.take_positions(full)
        return True

    def take_positions(self, full: SourceFile) -> None:
        """The positions, text and written forms of the same file read with them."""
        self.positions, self.key_positions = full.positions, full.key_positions
        self.text, self.written = full.text, full.written
        self.reread = None

    def where(self, path: FieldPath) -> Location:
        """The position of a field's value; for a missing field, its nearest present parent.

        A value that starts below its key (a block of `team:` members, a `grant:` mapping) is
        placed at its key: that is the line a clerk looks for, and the one to delete or fix."""
        self.complete_positions()
        probe = tuple(path)
        while probe:
            if probe in self.positions:
                value = self.positions[probe]
                key = self.key_positions.get(probe)
                return key if key is not None and key[0] != value[0] else value
            if probe in self.key_positions:
                return self.key_positions[probe]
            probe = probe[:-1]
        return (1, 1)

    def where_key(self, path: FieldPath) -> Location:
        self.complete_positions()
        return self.key_positions.get(tuple(path)) or self.where(path)

    def line_containing(self, path: FieldPath, needle: str, occurrence: int = 0) -> Location | None:
        """Where `needle` appears (its `occurrence`-th time, from 0) at or after a field's value:
        the line inside a multi-line text (block, folded or quoted), which the value's own
        position cannot tell."""
        self.complete_positions()
        if not self.text or not needle:
            return None
        first_line, first_column = self.where(path)
        for number, line in enumerate(self.text.splitlines()[first_line - 1 :], start=first_line):
            found = line.find(needle, first_column - 1 if number == first_line else 0)
            while found >= 0:
                if occurrence == 0:
                    return number, found + 1
                occurrence -= 1
                found = line.find(needle, found + len(needle))
        return None

    def problem(self, code: str, at: FieldPath = (), /, **params: object) -> Problem:
        line, column = self.where(at)
        return Problem(code, self.path, line, column, field_path(at), _text_params(params))


def _text_params(params: dict[str, object]) -> dict[str, str]:
    return {name: str(value) for name, value in params.items()}


def read_record_file(file: Path, display_path: str) -> SourceFile:
    raw = read_record_bytes(file, display_path)
    return raw if isinstance(raw, SourceFile) else parse_record_bytes(raw, display_path)


def read_record_bytes(file: Path | str, display_path: str) -> bytes | SourceFile:
    """The file's bytes, or a source holding the problem that kept them from being read."""
    try:
        # A bare descriptor: open() wraps one in a buffered reader. Reading a file took 11 µs
        # that way, 8 µs this way: 0.15 s of CPU at 50,000 records on every check and build.
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            size = os.fstat(descriptor).st_size
            # A file over the cap is refused by its size: never read into memory, however large.
            # Read to one byte past its size, not to one past the cap: a buffer of the cap for
            # each file would be a second more for 50,000 files. A file that grew while read is
            # read on, up to one byte past the cap.
            raw = _read_up_to(descriptor, size + 1) if size <= MAX_FILE_BYTES else b""
            if len(raw) > size:
                raw += _read_up_to(descriptor, MAX_FILE_BYTES + 1 - len(raw))
        finally:
            os.close(descriptor)
    except OSError as error:
        # os.read names no file (a folder named like a record fails there): the reason does.
        reason = str(error) if error.filename is not None else f"{error}: {display_path}"
        return SourceFile(
            display_path, problems=[Problem("file-unreadable", display_path, params={"reason": reason})]
        )
    size = max(size, len(raw))
    if size > MAX_FILE_BYTES:
        return SourceFile(display_path, problems=[_too_large(display_path, size)])
    return raw


def _read_up_to(descriptor: int, count: int) -> bytes:
    """Up to `count` bytes, fewer only at the end of the file (os.read may return less)."""
    parts = []
    while count > 0:
        part = os.read(descriptor, count)
        if not part:
            break
        parts.append(part)
        count -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _too_large(display_path: str, size: int) -> Problem:
    return Problem(
        "file-too-large", display_path, params={"size": f"{size:,}", "limit": f"{MAX_FILE_BYTES:,}"}
    )


def parse_record_bytes(raw: bytes, display_path: str, *, positions: bool = True) -> SourceFile:
    """The file's data, with where each field stood. Without `positions`, a well-formed file
    gives its data alone, read two to three times faster (`_data_only`), and the caller is to
    give the source a way to read them again (SourceFile.reread) should a problem need a line;
    a file with anything to report is read whole either way."""
    source = SourceFile(display_path)
    if len(raw) > MAX_FILE_BYTES:
        source.problems.append(_too_large(display_path, len(raw)))
        return source
    text = _decode(raw, source)
    if text is None:
        return source
    first_sign = text.lstrip()[:1]
    if not first_sign or (
        first_sign == "#"
        and all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())
    ):
        source.text = text
        source.problems.append(Problem("file-empty", display_path))
        return source
    if not positions:
        source.data = _data_only(text)
        if source.data is not None:
            return source
    source.text = text
    _Builder(text, source).build()
    return source


def _decode(raw: bytes, source: SourceFile) -> str | None:
    # UTF-16 text (its ASCII a null byte each, or its byte-order mark) looked for only in the
    # files that have one or the other: every file of the portal is read here.
    if (b"\x00" in raw or raw.startswith(_UTF16_MARKS)) and _utf16(raw):
        source.problems.append(Problem("file-utf16", source.path, 1))
        return None
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        source.problems.append(
            Problem("file-binary", source.path, _line_of(raw, offset), params={"offset": str(offset)})
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark (Notepad adds one): harmless
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = _line_of(raw, error.start)
        code = "file-not-utf8"
        try:
            raw.decode("gb18030")
            code = "file-gbk"  # what Chinese Windows editors save by default
        except UnicodeDecodeError:
            pass
        source.problems.append(Problem(code, source.path, line, params={"offset": str(error.start)}))
        return None


_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def _utf16(raw: bytes) -> bool:
    """Saved as "Unicode" by Notepad (UTF-16, with its byte-order mark), or as UTF-16 without
    one: text in which every other byte of its ASCII is a null byte, which is no binary file."""
    if raw.startswith(_UTF16_MARKS):
        return True
    head = raw[:200]
    if len(head) < 4:
        return False
    for high_bytes, low_bytes, encoding in (
        (head[1::2], head[0::2], "utf-16-le"),
        (head[0::2], head[1::2], "utf-16-be"),
    ):
        # YAML's keys and signs are ASCII: half the characters at least, each with a null byte.
        if high_bytes.count(0) >= len(high_bytes) / 2 and low_bytes.count(0) <= len(low_bytes) / 10:
            try:
                raw.decode(encoding)
            except UnicodeDecodeError:
                return False
            return True
    return False


def _written_tag(tag: str) -> str:
    """`tag:yaml.org,2002:int` as the clerk wrote it: `!!int`."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


# Only a plain scalar that starts with one of these can be anything but text: most values
# (Chinese text) skip the patterns below.
_NON_TEXT_START = frozenset("~nNtTfF0123456789+-.")


def _resolve_plain(value: str) -> Any:
    if value and value[0] not in _NON_TEXT_START:
        return value
    if value in _WORDS:
        return _WORDS[value]
    number = _NUMBER.fullmatch(value)  # most plain scalars that start like a number are dates
    if number is None:
        return value
    try:
        if number.lastgroup == "int":
            return int(value)
        if number.lastgroup == "oct":
            return int(value[2:], 8)
        if number.lastgroup == "hex":
            return int(value[2:], 16)
    except ValueError:  # more digits than Python turns into an integer (4,300): text, as written
        return value
    return float(value)


def _key_name(value: Any, written: str) -> str:
    """What a key is called: `1:` and `true:` are the keys "1" and "true", `~:` is ""."""
    if value is None:
        return ""
    return written if isinstance(value, bool) else str(value)


_NO_KEY: Any = object()  # a mapping waiting for its next key, not for a value
# The record's Markdown texts (a notice's body, an achievement's summary): written over several
# lines without `|`, YAML joins the lines, and the page loses its paragraphs, lists and tables.
MARKDOWN_KEYS = frozenset({"body", "summary"})
_SCALAR, _MAPPING_START, _SEQUENCE_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAPPING_END, _SEQUENCE_END = yaml.MappingEndEvent, yaml.SequenceEndEvent


def _data_only(text: str) -> dict[str, Any] | None:
    """The data of a well-formed record, or None for anything `_Builder` reports (an alias, a
    tag, a duplicate or complex key, too deep, an unprintable character, more than one document,
    a syntax error, a root that is not a mapping) or does not build alike: that file is read
    again by `_Builder`, which says what is wrong and where.

    Same data as `_Builder`, without positions: a check reads tens of thousands of files, each
    once, and keeping every field's line was two thirds of its time, for the few records that
    have a problem to report."""
    parser = _Parser(text)
    next_event = parser.get_event
    # The innermost open container is `container`, with `key`, the key it waits to give a value
    # (_NO_KEY while it waits for a key, None for a list); `stack` holds the pair of each one
    # around it, outermost first (None, None for the document). This loop runs for every event
    # of every file: names bound once, the commonest case first.
    stack: list[Any] = []
    container: Any = None
    key: Any = None
    root: Any = None
    documents = 0
    try:
        while True:
            event = next_event()
            kind = type(event)
            if kind is _SCALAR:
                value = event.value
                if event.tag is None and not event.style:
                    value = _resolve_plain(value)
                elif event.tag not in _TEXT_TAGS or (event.style == '"' and _NOT_PRINTABLE.search(value)):
                    return None
                opens = False
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                if event.tag not in (_MAPPING_TAGS if kind is _MAPPING_START else _SEQUENCE_TAGS):
                    return None
                if len(stack) >= 2 * MAX_DEPTH:  # two entries for each open container
                    return None
                value = {} if kind is _MAPPING_START else []
                opens = True
            elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                key = stack.pop()
                container = stack.pop()
                continue
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return None
                continue
            elif kind is yaml.StreamEndEvent or event is None:
                break
            elif kind is yaml.AliasEvent:
                return None
            else:  # the stream's start, a document's end
                continue
            if container is None:
                root = value
            elif key is None:
                container.append(value)
            elif key is not _NO_KEY:
                if key in MARKDOWN_KEYS and len(stack) == 2 and _joined_lines(event, text):
                    return None  # _Builder says how to write it
                container[key] = value
                key = _NO_KEY
            elif opens:  # a mapping or a list as a key
                return None
            else:
                key = _key_name(value, event.value)
                if key in container:
                    return None
                continue
            if opens:
                stack += (container, key)
                container, key = value, (_NO_KEY if kind is _MAPPING_START else None)
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return root if isinstance(root, dict) else None


# A line that starts a Markdown block of its own: a list's item, a table's row, a heading, a quote.
_MARKDOWN_BLOCK = re.compile(r"\s*(?:[-*+]\s|[0-9]+[.)]\s|\||#|>)")
# What a Chinese text is written in: a line break between two of these reads as a space.
_CHINESE_CHARACTER = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’]")
_YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what the parser counts lines by


def _joined_lines(event: Any, text: str) -> bool:
    """Whether YAML joined two lines of a value into one and the text lost by it: a line break
    between two lines of text reads as a space in a plain, quoted or folded (`>`) value (only a
    literal block, `|`, keeps it), which ends a Markdown list, table or heading, and puts a space
    between two Chinese characters. A tool writing YAML breaks long lines at spaces only, and
    keeps a line break as a blank line: what it writes reads back as it was."""
    start, end = event.start_mark, event.end_mark
    if type(event) is not _SCALAR or event.style == "|" or start is None or end is None:
        return False
    last = end.line if end.column > 0 else end.line - 1
    if last <= start.line:
        return False
    lines = _YAML_LINE_BREAK.split(text[start.index : end.index])  # the value as written (index: characters)
    if event.style == ">":
        lines = lines[1:]  # the line of `>` itself
    for line, below in itertools.pairwise(lines):
        escaped = event.style == '"' and line.rstrip().endswith("\\")  # `\` at a line's end: no space
        if not line.strip() or not below.strip() or escaped:
            continue
        if _MARKDOWN_BLOCK.match(below) or (
            _CHINESE_CHARACTER.match(line.rstrip()[-1]) and _CHINESE_CHARACTER.match(below.lstrip()[0])
        ):
            return True
    return False


def _location(mark: Any) -> Location:
    return (mark.line + 1, mark.column + 1)


class _Frame:
    __slots__ = ("container", "path", "pending_key", "pending_key_at", "seen_keys")

    def __init__(self, container: dict[str, Any] | list[Any], path: FieldPath) -> None:
        self.container = container
        self.path = path
        self.pending_key: str | None = None
        self.pending_key_at: Location = (1, 1)
        self.seen_keys: dict[str, Location] = {}


class _Stop(Exception):
    """Reading cannot go on; the problem has been recorded."""


class _Builder:
    """Turns the parser's event stream into dicts, lists and scalars, recording positions."""

    def __init__(self, text: str, source: SourceFile) -> None:
        self.text = text
        self.source = source
        self.stack: list[_Frame] = []
        self.root: Any = _Unset
        self.documents = 0
        self.duplicates = False

    def build(self) -> None:
        parser = _Parser(self.text)
        try:
            while True:
                event = parser.get_event()
                if event is None or isinstance(event, yaml.StreamEndEvent):
                    break
                self._take(event)
        except _Stop:
            return
        except yaml.MarkedYAMLError as error:
            self._syntax_problem(error)
            return
        except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
            self._reader_problem(error)
            return
        finally:
            parser.dispose()
        self._finish()

    def _finish(self) -> None:
        if self.root is _Unset or self.root is None:
            self.source.problems.append(Problem("file-empty", self.source.path))
        elif not isinstance(self.root, dict):
            mistake = _key_colon_mistake(self.text.splitlines(), 1, self.text.count("\n") + 1)
            if mistake is not None:  # `id：gnas` on every line reads as one long text
                self.source.problems.append(mistake.problem(self.source.path))
                return
            kind = "list" if isinstance(self.root, list) else "scalar"
            self.source.problems.append(
                Problem("yaml-not-mapping", self.source.path, 1, 1, params={"kind": kind})
            )
        elif self.duplicates:
            # Refused, not guessed: which of the two values the clerk meant is unknown, and
            # checking the record with either would report mistakes that are not there.
            return
        else:
            self.source.data = self.root

    def _take(self, event: Any) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                line, column = _location(event.start_mark)
                self.source.problems.append(
                    Problem("yaml-multiple-documents", self.source.path, line, column)
                )
                raise _Stop
        elif isinstance(event, yaml.ScalarEvent):
            self._place(self._scalar(event), event)
        elif isinstance(event, yaml.MappingStartEvent):
            self._check_tag(event, _MAPPING_TAGS)
            mapping: dict[str, Any] = {}
            path = self._place(mapping, event)
            self._push(_Frame(mapping, path), event)
        elif isinstance(event, yaml.SequenceStartEvent):
            self._check_tag(event, _SEQUENCE_TAGS)
            sequence: list[Any] = []
            path = self._place(sequence, event)
            self._push(_Frame(sequence, path), event)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self.stack.pop()
        elif isinstance(event, yaml.AliasEvent):
            # Aliases are refused outright: records have no use for them and expanding them
            # is how a 1 KB file becomes gigabytes (the "billion laughs").
            line, column = _location(event.start_mark)
            self.source.problems.append(
                Problem("yaml-alias", self.source.path, line, column, field_path(self._next_path()))
            )
            raise _Stop

    def _push(self, frame: _Frame, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            line, column = _location(event.start_mark)
            self.source.problems.append(
                Problem("yaml-too-deep", self.source.path, line, column, params={"limit": str(MAX_DEPTH)})
            )
            raise _Stop
        self.stack.append(frame)

    def _next_path(self) -> FieldPath:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        if frame.pending_key is not None:
            return (*frame.path, frame.pending_key)
        return frame.path

    def _scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag not in _TEXT_TAGS:
            line, column = _location(event.start_mark)
            self.source.problems.append(
                Problem(
                    "yaml-tag",
                    self.source.path,
                    line,
                    column,
                    field_path(self._next_path()),
                    {"tag": _written_tag(tag)},
                )
            )
            raise _Stop
        if not event.style and tag is None:  # plain: resolve by YAML 1.2 core rules
            return _resolve_plain(event.value)
        unprintable = _NOT_PRINTABLE.search(event.value) if event.style == '"' else None
        if unprintable is not None:
            line, column = _location(event.start_mark)
            character = f"U+{ord(unprintable.group(0)):04X}"
            self.source.problems.append(
                Problem(
                    "text-control-character",
                    self.source.path,
                    line,
                    column,
                    field_path(self._next_path()),
                    {"character": character},
                )
            )
            raise _Stop
        return event.value

    def _check_tag(self, event: Any, allowed: tuple[str | None, ...]) -> None:
        if event.tag not in allowed:
            line, column = _location(event.start_mark)
            self.source.problems.append(
                Problem(
                    "yaml-tag",
                    self.source.path,
                    line,
                    column,
                    field_path(self._next_path()),
                    {"tag": _written_tag(event.tag)},
                )
            )
            raise _Stop

    def _place(self, value: Any, event: Any) -> FieldPath:
        """Put a value where the parser is, and return its field path."""
        at = _location(event.start_mark)
        if not self.stack:
            self.root = value
            return ()
        frame = self.stack[-1]
        container = frame.container
        if isinstance(container, list):
            path: FieldPath = (*frame.path, len(container))
            container.append(value)
            self.source.positions[path] = at
            self._remember_written(path, value, event)
            return path
        if frame.pending_key is None:  # this value is a key
            if isinstance(value, dict | list):
                self.source.problems.append(
                    Problem("yaml-complex-key", self.source.path, at[0], at[1], field_path(frame.path))
                )
                raise _Stop
            key = _key_name(value, event.value)
            if key in frame.seen_keys:
                self.duplicates = True
                first_line, _ = frame.seen_keys[key]
                self.source.problems.append(
                    Problem(
                        "yaml-duplicate-key",
                        self.source.path,
                        at[0],
                        at[1],
                        field_path((*frame.path, key)),
                        {"key": key, "first_line": str(first_line)},
                    )
                )
            frame.seen_keys[key] = at
            frame.pending_key = key
            frame.pending_key_at = at
            return frame.path
        key = frame.pending_key
        path = (*frame.path, key)
        container[key] = value
        self.source.positions[path] = at
        self.source.key_positions[path] = frame.pending_key_at
        self._remember_written(path, value, event)
        frame.pending_key = None
        if key in MARKDOWN_KEYS and not frame.path and _joined_lines(event, self.text):
            line, column = frame.pending_key_at
            quoted = event.style in ('"', "'")
            quotes = {
                "quotes": "，去掉两端的引号" if quoted else "",
                "quotes_en": ", without its quotes" if quoted else "",
            }
            self.source.problems.append(
                Problem("markdown-lines-joined", self.source.path, line, column, key, quotes)
            )
        return path

    def _remember_written(self, path: FieldPath, value: Any, event: Any) -> None:
        if isinstance(event, yaml.ScalarEvent) and value is not None and not isinstance(value, str):
            self.source.written[path] = event.value

    def _syntax_problem(self, error: yaml.MarkedYAMLError) -> None:
        """Name the line the clerk has to change, which is not always where the parser gave up:
        an unclosed quote is found at the end of the file, a key written `title：` (a Chinese
        colon) or `title:text` (no space) one line below."""
        lines = self.text.splitlines()
        problem_at = _location(error.problem_mark) if error.problem_mark is not None else (1, 1)
        context_at = _location(error.context_mark) if error.context_mark is not None else None
        detail = (error.problem or "").strip()
        context = (error.context or "").strip()
        written = _written_mistake(lines, problem_at[0], detail)
        if written is not None:
            code, line, column, params = written
            self.source.problems.append(Problem(code, self.source.path, line, column, params=params))
            return
        first_line = context_at[0] if context_at else problem_at[0] - 1
        mistake = _key_colon_mistake(lines, first_line, problem_at[0])
        if mistake is not None:
            self.source.problems.append(mistake.problem(self.source.path))
            return
        if _text_left_unindented(lines, problem_at[0]):
            self._stray_line(lines, problem_at[0], 1)
            return
        line, column = problem_at
        text_line = lines[line - 1] if 0 < line <= len(lines) else ""
        first_sign = len(text_line) - len(text_line.lstrip()) + 1
        quoting = _needs_quotes(text_line, column, detail)
        if quoting is not None:
            value_column, params = quoting
            self.source.problems.append(
                Problem("yaml-needs-quotes", self.source.path, line, value_column, params=params)
            )
            return
        if "nesting depth" in detail:
            # libyaml's scanner looks ahead through `[[[[…` and gives up (at 1,000 levels)
            # before our own depth limit sees a single event.
            self.source.problems.append(
                Problem("yaml-too-deep", self.source.path, line, column, params={"limit": str(MAX_DEPTH)})
            )
            return
        if "\t" in text_line[: max(column, 1)] or "'\\t'" in detail:
            code = "yaml-tab"
        elif "mapping values are not allowed" in detail:
            # `title: a: b` has a second ': ' after its key; a line whose first colon is the
            # one refused is a key indented unlike its neighbours.
            before = text_line[: column - 1]
            code = (
                "yaml-colon-in-value"
                if ": " in before or before.rstrip().endswith(":")
                else "yaml-indentation"
            )
        elif ("expected key" in detail or "expected <block end>" in detail) and column == first_sign:
            code = "yaml-indentation"  # the parser stopped at the line's first sign: its indentation
        elif context_at and "simple key" in context:
            # A line that is neither `key: value`, nor a list item, nor indented into the text
            # above: the parser reads on until it gives up, lines below (past the end, for the
            # last paragraph of a body). The line to change is where it started reading.
            self._stray_line(lines, *context_at)
            return
        else:
            code = "yaml-syntax"
            if context_at and ("quoted scalar" in context or "flow" in context):
                line, column = context_at  # where the quote or bracket was opened
                text_line = lines[line - 1] if 0 < line <= len(lines) else ""
        params = {"detail": detail, "detail_zh": _detail_in_chinese(detail), "text": text_line.strip()}
        if code == "yaml-indentation":
            column = first_sign
            params.update(no_hint("fix"))
            outdented = _outdented_above(lines, line)
            if outdented is not None:  # the line above lost its indentation, not this one
                next_line, (line, spaces, sibling) = text_line.strip(), outdented
                text_line = lines[line - 1]
                column = _indent(text_line) + 1
                params["text"] = text_line.strip()
                params.update(hint("outdented", spaces=spaces, sibling=sibling, next=next_line))
        self.source.problems.append(Problem(code, self.source.path, line, column, params=params))

    def _stray_line(self, lines: list[str], line: int, column: int) -> None:
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        params = {"text": text.strip(), **_stray_hint(lines, line)}
        self.source.problems.append(Problem("yaml-stray-line", self.source.path, line, column, params=params))

    def _reader_problem(self, error: yaml.YAMLError) -> None:
        position = getattr(error, "position", 0) or 0
        if _LIBYAML:  # libyaml counts UTF-8 bytes, not characters
            line = self.text.encode("utf-8").count(b"\n", 0, position) + 1
        else:  # pragma: no cover - the pure-Python reader counts characters
            line = self.text.count("\n", 0, position) + 1
        character = getattr(error, "character", "")
        if isinstance(character, str) and character:
            character = ord(character)
        code_point = f"U+{character:04X}" if isinstance(character, int) else str(character)
        self.source.problems.append(
            Problem("file-control-character", self.source.path, line, params={"character": code_point})
        )


# A key followed by a Chinese colon, or by an ASCII colon with no space: `title：……`, `title:……`.
_KEY_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*(：|:(?=[^\s/]))")


@dataclass(frozen=True, slots=True)
class _KeyColon:
    line: int
    column: int
    key: str
    written: str

    def problem(self, path: str) -> Problem:
        if "：" in self.written:
            why = ("中文输入法下的冒号“：”YAML 不认", "a Chinese colon '：' is not a YAML colon")
        else:
            why = ("冒号后少了空格，YAML 就读不出字段名", "without the space YAML does not read a key")
        return Problem(
            "yaml-key-colon",
            path,
            self.line,
            self.column,
            self.key,
            {"key": self.key, "written": self.written, "why": why[0], "why_en": why[1]},
        )


# What the parser's messages say, for the clerk who reads Chinese (the English gloss keeps them).
_PARSER_DETAILS = (
    ("expected ',' or '}'", "花括号 { } 里两项之间少了英文逗号，或者没有用 } 收尾"),
    ("expected ',' or ']'", "方括号 [ ] 里两项之间少了英文逗号，或者没有用 ] 收尾"),
    ("unexpected end of stream", "文件结束时还有引号或括号没有闭合"),
    ("could not find expected ':'", "这一行缺少“字段名: ”中的冒号"),
    ("expected '-' indicator", "列表各项开头的“- ”没有上下对齐"),
    ("expected key", "这一行的缩进与上下行不一致，或者括号多了一个"),
    ("expected <block end>", "这一行的缩进与上下行不一致，或者括号多了一个"),
    (
        "unknown escape character",
        "双引号里的反斜杠 \\ 后面跟了 YAML 不认识的字符：请改用单引号，或写成两个反斜杠",
    ),
    ("cannot start any token", "这个值以 YAML 的特殊符号（如 @、`、%）开头，请给整个值加英文引号"),
    ("expected alphabetic or numeric character", "以 & 或 * 开头的值请加英文引号"),
)


def _detail_in_chinese(detail: str) -> str:
    return next((chinese for english, chinese in _PARSER_DETAILS if english in detail), "YAML 读不懂这一行")


def _key_colon_mistake(lines: list[str], first: int, last: int) -> _KeyColon | None:
    for number in range(max(first, 1), min(last, len(lines)) + 1):
        match = _KEY_COLON.match(lines[number - 1])
        if match:
            written = lines[number - 1][match.start(2) :].strip()
            written = written if len(written) <= 30 else written[:29] + "…"
            return _KeyColon(number, match.start(3) + 1, match.group(2), written)
    return None


# A block scalar's header (`body: |`, `- >-`): the lines below it, indented deeper, are text.
_BLOCK_HEADER = re.compile(r"^( *)(?:-\s+)?(?:[^#\s][^#]*?:\s+)?[|>][-+0-9]*\s*(?:#.*)?$")
# The key of a line (of a block's header, say): `body: |` gives body.
_BLOCK_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):")
# A field's name and its value without the colon between them: `phone "0797-8888888"`.
_KEY_WITHOUT_COLON = re.compile(r"^\s*(?:-\s+)?([a-z_][a-z0-9_]*)\s+\S")
# A key and a text on its line, `title: 关于…`: not a block's header, a list or a mapping.
_KEY_AND_TEXT = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):\s+[^\s\[{|>&*!#'\"]")
# A value opened with a quote: `title: "…`, `- '…`.
_QUOTED_START = re.compile(r"^\s*(?:-\s+)?(?:([A-Za-z_][A-Za-z0-9_]*):\s+)?([\"'])")
_FULL_WIDTH_SPACE = "\u3000"
_KEY_THEN_WIDE_SPACE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*:\u3000")
_WIDE_BRACKETS = re.compile(r"^\s*(?:-\s+|[A-Za-z_][A-Za-z0-9_]*:\s+)([｛［])")
_COMMA_BEFORE_KEY = re.compile(r"，\s*(?=[A-Za-z_][A-Za-z0-9_]*\s*:)")
_NARROW_BRACKETS = str.maketrans("｛｝［］", "{}[]")
_DASH_WITHOUT_SPACE = re.compile(r"^\s*-[^\s-]")


def _written_mistake(lines: list[str], last: int, detail: str) -> tuple[str, int, int, dict[str, str]] | None:
    """A mistake of writing, in the lines up to the one the parser gave up on, that explains the
    error better than the parser can: a full-width space where YAML needs a space, a quote not
    closed on its line (the parser reads on to the next quote, often many lines below, and
    reports that line), full-width brackets, a list's dash without its space, a Chinese comma
    between the items of a `{…}` or `[…]`. Lines of a block of text (`body: |`) are skipped. A
    line is blamed only if, mended, the file reads past the line the parser gave up on: a quoted
    value that goes on to the next line, or `［试点］` in a title, may be what was meant."""
    block_indent: int | None = None
    for number in range(1, min(last, len(lines)) + 1):
        line = lines[number - 1]
        indent = _indent(line)
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        found = _mistake_in_line(line, detail if number == last else "")
        if found is not None and any(
            _reads_past(lines, number, mended, last) for mended in _mendings(line, found)
        ):
            code, column, params, _ = found
            return code, number, column, params
        if _BLOCK_HEADER.match(line):
            block_indent = indent
    return None


def _mendings(line: str, found: tuple[str, int, dict[str, str], str]) -> list[str]:
    """The line mended as the mistake found suggests; a full-width space in the indentation
    may also have been typed beside the spaces it seems to stand for: dropped, or one space."""
    if found[0] != "yaml-full-width-space":
        return [found[3]]
    lead = len(line) - len(line.lstrip(" " + _FULL_WIDTH_SPACE))
    rest = line[lead:].replace(_FULL_WIDTH_SPACE, " ")
    return [found[3], *(line[:lead].replace(_FULL_WIDTH_SPACE, width) + rest for width in ("", " "))]


def _reads_past(lines: list[str], number: int, mended: str, last: int) -> bool:
    """Whether the file, with line `number` mended, reads without an error before line `last`."""
    text = "\n".join([*lines[: number - 1], mended, *lines[number:]])
    parser = _Parser(text)
    try:
        while parser.get_event() is not None:
            pass
    except yaml.MarkedYAMLError as error:
        return error.problem_mark is not None and error.problem_mark.line + 1 > last
    except yaml.YAMLError:
        return False
    except StopIteration:  # pragma: no cover - the pure-Python parser ends so
        return True
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    return True


def _mistake_in_line(line: str, detail: str) -> tuple[str, int, dict[str, str], str] | None:
    """A mistake of writing on this line: its code, column, params and the line mended."""
    stripped = line.lstrip(" ")
    if stripped.startswith(_FULL_WIDTH_SPACE) or _KEY_THEN_WIDE_SPACE.match(line):
        column = line.index(_FULL_WIDTH_SPACE) + 1
        # A full-width space is two columns wide: as indentation it stood for two spaces.
        lead = len(line) - len(line.lstrip(" " + _FULL_WIDTH_SPACE))
        mended = line[:lead].replace(_FULL_WIDTH_SPACE, "  ") + line[lead:].replace(_FULL_WIDTH_SPACE, " ")
        return "yaml-full-width-space", column, {"text": line.strip()}, mended
    if stripped.startswith("#"):
        return None
    quoted = _QUOTED_START.match(line)
    if quoted is not None and not _closed_on_line(line, quoted.end(2) - 1):
        quote, ending = quoted.group(2), line.rstrip()[-1:]
        if ending in "”’":
            mended = line.rstrip()[:-1] + quote
            return "yaml-unclosed-quote-chinese", quoted.end(2), {"quote": quote, "ending": ending}, mended
        return "yaml-unclosed-quote", quoted.end(2), {"quote": quote, "ending": ending}, line.rstrip() + quote
    wide = _WIDE_BRACKETS.match(line)
    if wide is not None:
        fixed = line.strip().translate(_NARROW_BRACKETS)
        mended = line.translate(_NARROW_BRACKETS)
        return "yaml-full-width-bracket", wide.start(1) + 1, {"text": line.strip(), "fix": fixed}, mended
    dash_then_flow = _DASH_WITHOUT_SPACE.match(line) and line.lstrip()[1:2] in ("{", "[")
    if ("expected '-' indicator" in detail and _DASH_WITHOUT_SPACE.match(line)) or dash_then_flow:
        dash = line.index("-")
        mended = line[: dash + 1] + " " + line[dash + 1 :]
        return "yaml-dash-space", dash + 1, {"fix": mended.strip()}, mended
    before_key = _COMMA_BEFORE_KEY.search(line)
    if ("expected ',' or '}'" in detail or "expected ',' or ']'" in detail) and before_key is not None:
        # Only a comma before the next `key:` separates items: the others are the text's own.
        mended = _COMMA_BEFORE_KEY.sub(", ", line)
        return "yaml-flow-chinese-comma", before_key.start() + 1, {"fix": mended.strip()}, mended
    return None


_KEY_OR_ITEM = re.compile(r"^\s*(?:-(?:\s|$)|[A-Za-z_][A-Za-z0-9_]*\s*:(?:\s|$))")


def _text_left_unindented(lines: list[str], number: int) -> bool:
    """Whether line `number` is a paragraph of the block of text above it (`body: |`) written
    without its indentation: no key, no list item, and a block's header above it. A paragraph
    opening with Markdown (`**公示期**`, a table's `|`) is read as YAML's own signs, and the
    parser's complaint says nothing of indentation."""
    if not 0 < number <= len(lines) or _KEY_OR_ITEM.match(lines[number - 1]):
        return False
    return _block_above(lines, number) is not None


def _stray_hint(lines: list[str], number: int) -> dict[str, str]:
    """What a line that YAML cannot read most likely is, from what is above it: the next item of
    a list (the line above is one), a paragraph of a block of text (a block's header is above),
    a key without its colon, the rest of the value on the line above (a title broken in two),
    or, not telling, each of the first three."""
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    above = next((text for text in reversed(lines[: number - 1]) if text.strip()), "")
    if above.lstrip().startswith("- ") and _indent(above) >= _indent(line):
        return hint("stray-item")
    header = _block_above(lines, number)
    key = _BLOCK_KEY.match(header) if header is not None else None
    if key is not None:
        return hint("stray-text", key=key.group(1))
    key_without_colon = _KEY_WITHOUT_COLON.match(line)
    if key_without_colon is not None:  # `phone "0797-…"`
        return hint("stray-key", key=key_without_colon.group(1))
    directly_above = lines[number - 2] if number >= 2 else ""
    continued = _KEY_AND_TEXT.match(directly_above)
    if continued is not None and not _BLOCK_HEADER.match(directly_above) and ":" not in line:
        return hint("stray-continued", key=continued.group(1))  # a title broken over two lines
    return hint("stray-any")


def _block_above(lines: list[str], number: int) -> str | None:
    """The header of the block of text (`body: |`) that line `number` would be a paragraph of:
    the first line above it, past blank and deeper ones, if that is a block's header."""
    indent = _indent(lines[number - 1]) if 0 < number <= len(lines) else 0
    for text in reversed(lines[: number - 1]):
        if text.strip() and _indent(text) <= indent:
            return text if _BLOCK_HEADER.match(text) else None
    return None


def _outdented_above(lines: list[str], number: int) -> tuple[int, int, str] | None:
    """When the parser stops at line `number` for its indentation, the line to change is often
    the one above: a field of a group (`  person: 张老师` under `objections:`) that lost its
    indentation ends the group there, and the group's next field looks indented too far. The
    line above is that field when it is a `key: value` less indented than `number`, and the
    field above it starts where `number` does. Gives the line, the spaces it lacks, and the key
    it belongs beside."""
    above = _previous_content_line(lines, number)
    if above is None or _KEY_AND_TEXT.match(lines[above - 1]) is None:
        return None
    sibling_line = _previous_content_line(lines, above)
    if sibling_line is None:
        return None
    indent, lost_at, sibling = _indent(lines[number - 1]), _indent(lines[above - 1]), lines[sibling_line - 1]
    key = _BLOCK_KEY.match(sibling)
    if (
        key is None
        or _BLOCK_KEY.match(lines[number - 1]) is None
        or _indent(sibling) != indent
        or lost_at >= indent
        or sibling.lstrip().startswith("-")
    ):
        return None
    return above, indent - lost_at, key.group(1)


def _previous_content_line(lines: list[str], number: int) -> int | None:
    """The number of the last line above `number` that is neither blank nor a comment."""
    for above in range(number - 1, 0, -1):
        text = lines[above - 1].strip()
        if text and not text.startswith("#"):
            return above
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _closed_on_line(line: str, opening: int) -> bool:
    """Whether the quote at `opening` is closed later on the line (a double quote may be escaped
    with a backslash; a single quote is doubled to stand for itself)."""
    quote = line[opening]
    position = opening + 1
    while position < len(line):
        sign = line[position]
        if quote == '"' and sign == "\\":
            position += 2
            continue
        if sign == quote:
            if quote == "'" and line[position + 1 : position + 2] == "'":
                position += 2
                continue
            return True
        position += 1
    return False


_BLOCK_VALUE = re.compile(r"^(\s*(?:-\s+)?(?:[A-Za-z_][A-Za-z0-9_]*:\s+)?)([\"'\[{].*?)\s*$")


def _needs_quotes(line: str, column: int, detail: str) -> tuple[int, dict[str, str]] | None:
    """A value that starts with a sign YAML reserves: `@gnas-tto`, `[草案] 关于`, `"关于"（草案）`.
    The fix is the same line with the value in quotes."""
    if "cannot start any token" in detail and line[column - 1 : column] in ("@", "`", "%"):
        start = column - 1
        in_flow = "[" in line[:start] or "{" in line[:start]
        end = len(line)
        if in_flow:
            stops = [line.find(sign, start) for sign in ",]}"]
            end = min((stop for stop in stops if stop >= 0), default=end)
        value = line[start:end].strip()
        fixed = line[:start] + _quoted(value) + line[start + len(value) :]
        return column, {"value": value, "first": value[0], "fix": fixed.strip()}
    if "did not find expected key" in detail or "expected '-' indicator" in detail:
        match = _BLOCK_VALUE.match(line)
        if match is None:
            return None
        value = match.group(2)
        if value[0] in "[{":  # `[60, 95] 备注` is a list with text after it; `[草案] 关于` is text
            closing = value.find("]" if value[0] == "[" else "}")
            if closing < 0 or any(sign in value[: closing + 1] for sign in ":,"):
                return None
        fixed = match.group(1) + _quoted(value)
        return match.start(2) + 1, {"value": value, "first": value[0], "fix": fixed.strip()}
    return None


def _quoted(value: str) -> str:
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


class _UnsetType:
    pass


_Unset: Any = _UnsetType()
