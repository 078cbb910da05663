"""What a rebuild finds out about each record page before pouring it, beside the site engine.

To tell whether a record page can be reused (page_shell.py), the pour needs the digest of what
the page shows, whether its published file is still the one its entry describes, and whether
the spare (recycling.py) holds that very file in a folder as its build left it. Found out in the
pour, after the engine, that took 2.9 of the 4.1 s the pour took in a rebuild at 50,000 records
(keying the pages, and three `stat` calls a page), while a core was idle from the check to the
engine's list pages; found out in a forked process beside the engine, the pour took 1.1–1.4 s
and the rebuild 15.3–17.0 s against 17.3–17.7 s. Only a page's key needs the engine: it is the
digest of the code's digest, its shell's and the digest found out here.

The files are judged when the facts are found out: a published file written into later (no
build does) would go unseen, as it would between a `stat` and a link. A spare folder taken away
meanwhile (another build discarding it) is seen: the pour keeps a page in place only in a
record folder that is, once adopted, the very folder the facts were found in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

from generator.build_cache import BuildCache, text_digest
from generator.forked import forked_beside, or_here, worker_count
from generator.portal import Portal
from generator.recycling import real_folder_reached_directly, same_file
from generator.render import Renderer, page_url
from generator.search_index import record_shards, shard_pages
from generator.sitemap import record_page_days

# A record page's facts: the digest of what it shows (Renderer.record_page_inputs), whether its
# published file is still the one its entry describes, and whether the spare holds that very
# file in a folder as its build left it.
PageFacts = tuple[str, bool, bool]
Identity = tuple[int, int]  # a folder's device and inode
T = TypeVar("T")


@dataclass(frozen=True)
class RecordPageFacts:
    pages: dict[str, PageFacts] = field(default_factory=dict)  # by source, e.g. notices/x.md
    # The spare's record folders they were found in, which the pour adopts.
    folders: dict[str, Identity] = field(default_factory=dict)
    # The search shards the pages go in (search_index.record_shards), when found out here: made
    # after the pour, they held back the rebuild's one shard to index by a quarter of a second.
    search_shards: dict[str, list[str]] | None = None
    # The day each record page last changed, for the sitemap (sitemap.record_page_days), when
    # found out here: made in the build's own process, they took 1.4 s of a slow hour's rebuild.
    page_days: dict[str, date | None] | None = None

    def adopted(self, site_dir: Path) -> set[str]:
        """The record folders of `site_dir` that are those the facts were found in: only there is
        a page in place. One taken away before it was adopted leaves a fresh folder."""
        return {
            folder for folder, identity in self.folders.items() if _identity(site_dir / folder) == identity
        }


FactsOf = Callable[[], RecordPageFacts]


@contextmanager
def record_page_facts(
    renderer: Renderer, cache: BuildCache | None, folders: Sequence[str]
) -> Iterator[FactsOf]:
    """The facts of every record page, found out in a forked process for a large portal (here,
    when asked, for a small one); none without the previous build's pages, when every page is
    rendered. Should that process die, they are found out here when asked. Asked again, they
    are not found out again (the spare's folders have moved since)."""
    if cache is None or not cache.previous_pages:
        yield functools.cache(RecordPageFacts)
        return
    find = partial(_find, renderer, cache, folders)
    if worker_count(len(cache.previous_pages)) == 1:
        yield functools.cache(find)
        return
    with forked_beside(find) as (wait,):
        # Should the process die, the spare is where it was: the facts are found out here.
        yield functools.cache(partial(or_here, wait, find))


def _find(renderer: Renderer, cache: BuildCache, folders: Sequence[str]) -> RecordPageFacts:
    spare = cache.recycled
    taken: dict[str, Identity] = {}
    if spare is not None:
        # The spare's record folders adopt_folders can take: a real folder each, through no link.
        for folder in folders:
            identity = _identity(spare / folder)
            if identity is not None and real_folder_reached_directly(spare / folder, spare):
                taken[folder] = identity
    pages = {
        src_uri: _page_facts(renderer, cache, src_uri, spare if src_uri.split("/", 1)[0] in taken else None)
        for src_uri in renderer.record_page_uris()
    }
    return RecordPageFacts(
        pages, taken, _or_none(_search_shards, renderer.portal), _or_none(record_page_days, renderer.portal)
    )


def _search_shards(portal: Portal) -> dict[str, list[str]]:
    return record_shards(portal, shard_pages())


def _or_none(make: Callable[[Portal], T], portal: Portal) -> T | None:
    """What `make` gives, or None when it cannot be made (a search shard size that is not a
    number): the stage that needs it makes it then, and fails, saying why, in its own name."""
    try:
        return make(portal)
    except Exception:  # whatever it is, that stage meets it again and reports it
        return None


def _page_facts(renderer: Renderer, cache: BuildCache, src_uri: str, spare: Path | None) -> PageFacts:
    """One page's facts; `spare` is the spare site, when its folder of the page can be taken."""
    shown = text_digest(renderer.record_page_inputs(src_uri))
    url = page_url(src_uri)
    published = cache.published_page(url)
    if published is None:
        return shown, False, False
    # Paths as str: fifty thousand pages, two lookups each, and making a Path costs as much as one.
    # The folder without its final slash, which would have a link to a folder followed.
    in_place = (
        spare is not None
        and cache.folder_as_left(url, f"{spare}/{url.rstrip('/')}")
        and same_file(published, f"{spare}/{url}index.html")
    )
    return shown, True, in_place


def _identity(folder: Path) -> Identity | None:
    try:
        status = folder.lstat()
    except OSError:
        return None
    return status.st_dev, status.st_ino
