"""iCalendar text (RFC 5545), written directly: a calendar's events are a few fixed properties,
and the icalendar package took half a millisecond to serialise one (9.8 s of CPU for the 18,200
events of a 50,000-record portal). The bytes are the ones icalendar 7 writes for the same properties
(tests/test_ical.py compares them): its escapes, its folds and its order of properties.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

# A folded line holds at most this many octets of the content line (a continuation line has one
# space more), and is never cut inside a UTF-8 character.
FOLD_OCTETS = 74
_CONTINUATION = 0b10_000000  # the top bits of a UTF-8 continuation byte
_ESCAPE_STARTS = b"\\^"  # a fold never leaves one of these last on a line (an escape's first half)


def text(value: str) -> str:
    """A TEXT value, escaped as RFC 5545 section 3.3.11 says. Line ends become \\n, whichever
    they were, and so does a written \\N, as icalendar has it; the order of the replacements keeps
    each from escaping another's work. A value's leading U+FEFF (a byte-order mark pasted in,
    invisible) is dropped, as icalendar drops it: it reads its own output back as UTF-8 with a
    signature."""
    return (
        value.removeprefix("\ufeff")
        .replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def day(value: date) -> str:
    """A DATE value (for a property named with ;VALUE=DATE)."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def utc_time(value: datetime) -> str:
    """A DATE-TIME value in UTC, to the second. A time without a zone is refused: its moment
    would depend on the machine's zone."""
    if value.tzinfo is None:
        raise ValueError(f"a time without a zone: {value}")
    moment = value.astimezone(UTC)
    return f"{day(moment)}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"


def folded(line: str) -> bytes:
    """A content line as UTF-8, folded into lines of at most FOLD_OCTETS octets with CRLF and a
    space, and ended with CRLF."""
    data = line.encode("utf-8")
    if len(data) <= FOLD_OCTETS:
        return data + b"\r\n"
    parts = []
    start = 0
    while len(data) - start > FOLD_OCTETS:
        cut = start + FOLD_OCTETS
        while data[cut] & 0b11_000000 == _CONTINUATION:
            cut -= 1  # back to the first byte of the character that does not fit
        if data[cut - 1] in _ESCAPE_STARTS:
            cut -= 1  # \; and the like stay whole on the next line, as clients expect
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def component(name: str, properties: Sequence[tuple[str, str]], inside: Sequence[bytes] = ()) -> bytes:
    """BEGIN:name, each property (its name, with any parameters, and its value, escaped already)
    in the order given, the components `inside` (serialised already), END:name."""
    lines = [f"BEGIN:{name}\r\n".encode(), *(folded(f"{key}:{value}") for key, value in properties)]
    return b"".join([*lines, *inside, f"END:{name}\r\n".encode()])
