"""Read one record file into plain data and the position of every field.

Why not `yaml.safe_load`: PyYAML's resolver is YAML 1.1, so `no` becomes False and `17:00`
becomes 1020; it silently keeps the last of two duplicate keys; it expands aliases without
bound; and it forgets where each value stood. Records need YAML 1.2 scalars, duplicate keys
refused, no aliases, and a line for every field. We drive PyYAML's C event parser (fast,
iterative, so deep nesting cannot overflow a stack) and build the data ourselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.problems import Problem, field_path

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 12  # the deepest record path is notice.reward.recipients[i].name: 4 levels

Location = tuple[int, int]  # 1-based line and column
FieldPath = tuple[str | int, ...]

try:  # the C parser is ~10x faster; fall back to pure Python where libyaml is missing
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# YAML 1.2 core schema, applied to plain (unquoted) scalars only.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(slots=True)
class SourceFile:
    """A record file as read: its data (None when unreadable), where each field stood, and
    what went wrong while reading."""

    path: str
    data: dict[str, Any] | None = None
    positions: dict[FieldPath, Location] = field(default_factory=dict)
    key_positions: dict[FieldPath, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, path: FieldPath) -> Location:
        """The position of a field's value; for a missing field, its nearest present parent."""
        probe = tuple(path)
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            if probe in self.key_positions:
                return self.key_positions[probe]
            probe = probe[:-1]
        return (1, 1)

    def where_key(self, path: FieldPath) -> Location:
        return self.key_positions.get(tuple(path)) or self.where(path)

    def problem(self, code: str, at: FieldPath = (), /, **params: object) -> Problem:
        line, column = self.where(at)
        return Problem(code, self.path, line, column, field_path(at), _text_params(params))


def _text_params(params: dict[str, object]) -> dict[str, str]:
    return {name: str(value) for name, value in params.items()}


def read_record_file(file: Path, display_path: str) -> SourceFile:
    source = SourceFile(display_path)
    try:
        raw = file.read_bytes()
    except OSError as error:
        source.problems.append(Problem("file-unreadable", display_path, params={"reason": str(error)}))
        return source
    return parse_record_bytes(raw, display_path)


def parse_record_bytes(raw: bytes, display_path: str) -> SourceFile:
    source = SourceFile(display_path)
    if len(raw) > MAX_FILE_BYTES:
        source.problems.append(
            Problem(
                "file-too-large",
                display_path,
                params={"size": f"{len(raw):,}", "limit": f"{MAX_FILE_BYTES:,}"},
            )
        )
        return source
    text = _decode(raw, source)
    if text is None:
        return source
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        source.problems.append(Problem("file-empty", display_path))
        return source
    _Builder(text, source).build()
    return source


def _decode(raw: bytes, source: SourceFile) -> str | None:
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


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _resolve_plain(value: str) -> Any:
    if _NULL.match(value):
        return None
    if _TRUE.match(value):
        return True
    if _FALSE.match(value):
        return False
    if _INT.match(value):
        return int(value)
    if _OCT.match(value):
        return int(value[2:], 8)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    return value


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

    def build(self) -> None:
        loader = _Loader(self.text)
        try:
            while True:
                event = loader.get_event()
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
            loader.dispose()
        self._finish()

    def _finish(self) -> None:
        if self.root is _Unset or self.root is None:
            self.source.problems.append(Problem("file-empty", self.source.path))
        elif not isinstance(self.root, dict):
            kind = "list" if isinstance(self.root, list) else "scalar"
            self.source.problems.append(
                Problem("yaml-not-mapping", self.source.path, 1, 1, params={"kind": kind})
            )
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
            self._check_tag(event, "tag:yaml.org,2002:map")
            mapping: dict[str, Any] = {}
            path = self._place(mapping, event)
            self._push(_Frame(mapping, path), event)
        elif isinstance(event, yaml.SequenceStartEvent):
            self._check_tag(event, "tag:yaml.org,2002:seq")
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
        if tag not in (None, "!", _STR_TAG):
            line, column = _location(event.start_mark)
            self.source.problems.append(
                Problem(
                    "yaml-tag", self.source.path, line, column, field_path(self._next_path()), {"tag": tag}
                )
            )
            raise _Stop
        if not event.style and tag is None:  # plain: resolve by YAML 1.2 core rules
            return _resolve_plain(event.value)
        return event.value

    def _check_tag(self, event: Any, standard: str) -> None:
        if event.tag not in (None, "!", standard):
            line, column = _location(event.start_mark)
            self.source.problems.append(
                Problem(
                    "yaml-tag",
                    self.source.path,
                    line,
                    column,
                    field_path(self._next_path()),
                    {"tag": event.tag},
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
            return path
        if frame.pending_key is None:  # this value is a key
            if isinstance(value, dict | list):
                self.source.problems.append(
                    Problem("yaml-complex-key", self.source.path, at[0], at[1], field_path(frame.path))
                )
                raise _Stop
            key = "" if value is None else str(value) if not isinstance(value, bool) else event.value
            if key in frame.seen_keys:
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
        frame.pending_key = None
        return path

    def _syntax_problem(self, error: yaml.MarkedYAMLError) -> None:
        mark = error.problem_mark or error.context_mark
        line, column = _location(mark) if mark is not None else (1, 1)
        lines = self.text.splitlines()
        text_line = lines[line - 1] if 0 < line <= len(lines) else ""
        detail = (error.problem or "").strip()
        if "\t" in text_line[: max(column, 1)] or "'\\t'" in detail:
            code = "yaml-tab"
        elif "mapping values are not allowed" in detail:
            code = "yaml-colon-in-value"
        else:
            code = "yaml-syntax"
        self.source.problems.append(
            Problem(
                code, self.source.path, line, column, params={"detail": detail, "text": text_line.strip()}
            )
        )

    def _reader_problem(self, error: yaml.YAMLError) -> None:
        position = getattr(error, "position", 0) or 0
        line = self.text.count("\n", 0, position) + 1
        character = getattr(error, "character", "")
        code_point = f"U+{ord(character):04X}" if isinstance(character, str) and character else str(character)
        self.source.problems.append(
            Problem("file-control-character", self.source.path, line, params={"character": code_point})
        )


class _UnsetType:
    pass


_Unset: Any = _UnsetType()
