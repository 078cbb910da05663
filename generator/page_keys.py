"""The text a page's key is made from: what the page shows, with each record in it written as
the digest of its file.

A notice's page shows its record, its institution's and policy's records and the records of
its achievements; written out (`repr`), that is three kilobytes and a quarter of a millisecond
a page, most of it spent writing the same institution and policy again for every notice. A
record is a function of its file's bytes and of the code that reads it (which is part of every
key: build_cache.code_digest), so the digest of the bytes stands for it. A record the catalog
did not load (none in a build) is written out whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime

# Each record's file digest, by the record's identity (id()). The record is held beside its
# digest, so its identity cannot pass to another object while the map lives.
RecordDigests = Mapping[int, tuple[object, str]]
# Values written as they are (checked first, by their exact type: most values are these), and
# each dataclass's field names, by type (see _dataclass_fields).
_WRITTEN_AS_THEY_ARE = frozenset({str, int, float, bool, type(None), date, datetime})
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def key_text(value: object, record_digests: RecordDigests) -> str:
    """`repr(value)`, but with every record (by identity) replaced by its file's digest."""
    return repr(_stand_in(value, record_digests))


def _stand_in(value: object, record_digests: RecordDigests) -> object:
    kind = type(value)
    if kind in _WRITTEN_AS_THEY_ARE:  # most values: checked first, by their exact type
        return value
    # A record is known by its identity, looked up first: isinstance(value, BaseModel) took
    # 2 µs a value (pydantic's metaclass). A record not in the map falls through, written whole.
    known = record_digests.get(id(value))
    if known is not None and known[0] is value:
        return (kind.__name__, known[1])
    names = _dataclass_fields(kind)
    if names is not None:
        return (kind.__name__, *(_stand_in(getattr(value, name), record_digests) for name in names))
    if isinstance(value, tuple | list):
        return tuple(_stand_in(item, record_digests) for item in value)
    if isinstance(value, dict):
        return tuple((key, _stand_in(item, record_digests)) for key, item in value.items())
    return value


def _dataclass_fields(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names, looked up once a type: `fields()` for every value of every page
    was a fifth of the keys' time."""
    try:
        return _FIELDS[kind]
    except KeyError:
        names = tuple(item.name for item in fields(kind)) if is_dataclass(kind) else None
        _FIELDS[kind] = names
        return names
