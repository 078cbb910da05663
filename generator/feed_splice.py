"""Feed documents assembled from entries serialised once.

feedgen builds a whole document as one XML tree, entry by entry, and serialises it: about
0.2 ms an entry. A national portal has tens of thousands of notices, each in four feeds and in
two formats, and every build would serialise them all again, though only a few change between
two builds. So each entry is serialised once, by feedgen, in a batch document of the entries
not already known, and cut out of it; a feed is feedgen's document of the feed without entries,
with the entries' bytes put where feedgen puts them (after the feed's own elements, before its
closing tag). Pretty-printed entries are indented by their depth only, so an entry's bytes are
the same in every feed of a format: the result is byte for byte feedgen's own document
(tests/test_feeds.py compares the two).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from generator.fragments import Fragments, fragment_key

T = TypeVar("T")


@dataclass(frozen=True)
class Format:
    """How one feed format names its entries and closes its document."""

    name: str  # "rss" or "atom"
    entry_tag: bytes
    closing_tag: bytes

    def serialise(self, generator: FeedGenerator) -> bytes:
        document: bytes = (
            generator.rss_str(pretty=True) if self.name == "rss" else generator.atom_str(pretty=True)
        )
        return document

    def entries_of(self, document: bytes) -> list[bytes]:
        """Each entry of a pretty-printed document, with its indentation and its newline. The
        tag cannot occur inside an entry: feedgen escapes every text it writes."""
        tag = re.escape(self.entry_tag)
        pattern = rb"^ *<" + tag + rb">.*?</" + tag + rb">\n"
        return re.findall(pattern, document, flags=re.DOTALL | re.MULTILINE)

    def splice(self, envelope: bytes, entries: Iterable[bytes]) -> bytes:
        """The envelope (a document without entries) with the entries before its closing tag's line."""
        closing = envelope.rindex(b"</" + self.closing_tag + b">")
        line_start = envelope.rindex(b"\n", 0, closing) + 1
        return envelope[:line_start] + b"".join(entries) + envelope[line_start:]


RSS = Format("rss", b"item", b"channel")
ATOM = Format("atom", b"entry", b"feed")


@dataclass
class EntryBytes(Generic[T]):
    """The serialised entries of one format, made in batches and kept by their inputs' text."""

    format: Format
    describe: Callable[[FeedEntry, T], None]  # fills a feedgen entry from one item
    fragments: Fragments

    def of(self, items: Sequence[T], inputs: Callable[[T], str]) -> list[bytes]:
        """Each item's entry bytes, in the items' order: those known, from the fragments; the
        others from one batch document."""
        keys = [fragment_key(inputs(item)) for item in items]
        known = [self.fragments.find(key) for key in keys]
        missing = [index for index, value in enumerate(known) if value is None]
        if missing:
            made = self._batch([items[index] for index in missing])
            for index, entry in zip(missing, made, strict=True):
                known[index] = entry
        result = []
        for key, found in zip(keys, known, strict=True):
            assert found is not None
            result.append(self.fragments.keep(key, found))
        return result

    def _batch(self, items: Sequence[T]) -> list[bytes]:
        generator = batch_generator()
        for item in items:
            self.describe(generator.add_entry(order="append"), item)
        made = self.format.entries_of(self.format.serialise(generator))
        if len(made) != len(items):
            raise RuntimeError(f"feedgen wrote {len(made)} {self.format.name} entries for {len(items)}")
        return made


def batch_generator() -> FeedGenerator:
    """A feed with just the elements both formats require: the entries are all that is kept."""
    generator = FeedGenerator()
    generator.id("urn:batch")
    generator.title("batch")
    generator.description("batch")
    generator.link(href="https://batch.invalid/", rel="alternate")
    return generator
