"""The site's large JSON documents (data/portal.json, data/changes.json), written by orjson.

The standard library indents JSON in pure Python (its C encoder cannot indent): three seconds
for 10,000 records. orjson writes the same text, UTF-8 with a two-space indent and `": "` after
each key, a hundred times faster (tests/test_exports.py compares the two on the example
portal). Two differences remain: a number below 1e-4 is written without an exponent
(`0.00001`, not `1e-05`: the same number), and an integer orjson cannot hold (2**64 or more)
makes it give up; the standard library then writes the document (one that holds orjson.Fragment,
text written before, it cannot write: exports.py writes such a document afresh).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# Between the lines of an item of a list that is a value of the document's top object
# (data/portal.json's notices, data/changes.json's changes): two levels in.
LIST_ITEM_INDENT = b"\n    "


def json_document(value: Any, *, sort_keys: bool = False) -> bytes:
    """`json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\\n"`, as UTF-8."""
    options = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    if sort_keys:
        options |= orjson.OPT_SORT_KEYS
    try:
        return orjson.dumps(value, option=options)
    except orjson.JSONEncodeError:
        text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"
        return text.encode("utf-8")


def list_item_bytes(value: Any, *, sort_keys: bool = False) -> bytes:
    """`value` as json_document writes it as an item of a list that is a value of the document's
    top object, to be put there whole (orjson.Fragment): JSON strings hold no raw newline, so
    indenting each line is indenting the item."""
    return json_document(value, sort_keys=sort_keys).rstrip(b"\n").replace(b"\n", LIST_ITEM_INDENT)
