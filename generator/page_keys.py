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

from pydantic import BaseModel

# Each record's file digest, by the record's identity (id()). The record is held beside its
# digest, so its identity cannot pass to another object while the map lives.
RecordDigests = Mapping[int, tuple[object, str]]


def key_text(value: object, record_digests: RecordDigests) -> str:
    """`repr(value)`, but with every record (by identity) replaced by its file's digest."""
    return repr(_stand_in(value, record_digests))


def _stand_in(value: object, record_digests: RecordDigests) -> object:
    if isinstance(value, BaseModel):
        known = record_digests.get(id(value))
        return (type(value).__name__, known[1]) if known is not None and known[0] is value else value
    if is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            *(_stand_in(getattr(value, item.name), record_digests) for item in fields(value)),
        )
    if isinstance(value, tuple | list):
        return tuple(_stand_in(item, record_digests) for item in value)
    if isinstance(value, dict):
        return tuple((key, _stand_in(item, record_digests)) for key, item in value.items())
    return value
