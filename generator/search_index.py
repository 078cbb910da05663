"""The search index: Pagefind's extended binary (the one that segments Chinese), run over the
built site. It ships inside the `pagefind-bin-extended` wheel: nothing is downloaded at build time.

The standard binary indexes a Chinese page as a few long phrases, so a search for 公示 or 定价
finds nothing; only the extended build segments Chinese words.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from string import ascii_lowercase

from generator.build_cache import BuildCache, copy_tree, link_or_copy
from generator.errors import StageFailed
from generator.portal import NoticeView, Portal
from generator.recycling import same_tree
from generator.render import page_url
from generator.scratch import Scratch
from generator.search_canonical import canonicalise_bundle
from generator.search_copies import BODY_MARK, search_copy, search_digest

BUNDLE_FOLDER = "pagefind"
SHARD_FOLDER = "shards"  # inside the bundle: pagefind/shards/notices-2025-1/, achievements-1/, …
SHARD_MANIFEST = "shards.json"  # the shards the search page merges
# A rebuild indexes again each shard that holds a changed page: at 5,000 pages that was 11 s of
# Pagefind, at 2,500 about 5 s. On a phone over "fast 3G" the 50,000-record site's 23 shards
# gave the first results for 稀土 after 7.5 s, against 7.0–7.1 s for 13 shards of 5,000.
DEFAULT_SHARD_PAGES = 2500
# A shard of notices that still move is indexed in parts (_notice_shards): a fifth of its pages each.
UNSETTLED_PARTS = 5
SETTLED_AFTER_DAYS = 30
SHARD_PAGES_VARIABLE = "PORTAL_SEARCH_SHARD_PAGES"
WORDS_SCRIPT = "assets/portal-words.js"  # the search page's word segmenter, in the page and the worker
WORKER_SCRIPT = "pagefind-worker.js"
PARALLEL_RUNS = 2


def extended_binary() -> Path:
    try:
        import pagefind_bin_extended
    except ImportError as error:
        raise StageFailed(
            "search",
            "未安装 pagefind[extended]，请运行 pip install 'pagefind[extended]' (the extended binary is missing)",
        ) from error
    return Path(pagefind_bin_extended.get_executable())


def write_search_index(
    portal: Portal, site_dir: Path, site_url: str, cache: BuildCache | None = None
) -> None:
    """One index for a small site; for a large one, a main index of the other pages and shards
    of at most `shard_pages()` record pages each, which the search page merges in the browser
    (Pagefind's mergeIndex). Pagefind's memory grows with the pages of one run (about 160 KB a
    page), so shards keep a national portal's build within bounds. With a build cache, an index
    whose pages give Pagefind what they gave it (search_copies.py) is taken from the published site."""
    with SearchIndexing(portal, site_dir, cache) as indexing:
        indexing.start_shards()
        indexing.finish()


class SearchIndexing:
    """The search index in two steps: the record pages' shards, which read those pages alone and
    start as soon as they are written (stages.py: beside the list pages, the sitemap and the
    version texts; a rebuild's one shard to index again waited 1.5-2.5 s for those at 50,000
    records), then the main index, of every other page, once all are written (`finish`). Leaving
    without finishing (a failed build) drops the runs not started, waits for the others, and
    deletes what they wrote."""

    def __init__(
        self,
        portal: Portal,
        site_dir: Path,
        cache: BuildCache | None,
        shards: dict[str, list[str]] | None = None,
    ) -> None:
        """`shards`: record_shards(portal, shard_pages()), when made already."""
        self.site_dir, self.cache = site_dir, cache
        if shards is None:
            shards = record_shards(portal, shard_pages())
        self.shards = {f"{SHARD_FOLDER}/{name}/": pages for name, pages in shards.items()}
        self.jobs: list[IndexJob] = []
        self.runs: dict[int, Future[tuple[str, bool]]] = {}  # by job number
        self.kept: dict[int, str] = {}  # the input's digest of each bundle taken as published
        self.filled: list[ExitStack] = []  # each job's search copies, deleted on leaving them
        self._resources = ExitStack()

    def __enter__(self) -> SearchIndexing:
        folder = tempfile.TemporaryDirectory(prefix=".search-", dir=self.site_dir.parent)
        self.scratch = Path(self._resources.enter_context(folder))
        # The search copies go to memory when there is room, else here; the bundles are written
        # here, to be moved into the site (from memory they would be written to disk again).
        self.copies = Scratch(self.scratch, PARALLEL_RUNS)
        self._resources.callback(self._delete_filled)  # once the runs are over (see below)
        # Two Pagefind runs side by side keep two cores busy (one run uses about one and a
        # half); memory stays within two shards' worth. Left first (the folder after).
        pool = ThreadPoolExecutor(max_workers=PARALLEL_RUNS)
        self._resources.callback(pool.shutdown, wait=True, cancel_futures=True)
        self.pool = pool
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._resources.close()

    def start_shards(self) -> None:
        """Start indexing the shards of record pages: call it once those pages are written."""
        self._start([IndexJob(name, pages, []) for name, pages in self.shards.items()], {})

    def start_main(self) -> None:
        """Start indexing the other pages: call it once every page is written."""
        if not self.jobs:  # not started
            self.start_shards()
        if any(not job.name for job in self.jobs):  # called already
            return
        record_pages = {page for pages in self.shards.values() for page in pages}
        page_digests = _indexed_pages(self.site_dir, _html_pages(self.site_dir, record_pages))
        self._start([IndexJob("", list(page_digests), list(self.shards))], page_digests)

    def finish(self) -> None:
        """Index the other pages, once every page is written, unless started; wait for every
        run, and move the bundles into the site (the main one first: the shards go inside it)."""
        self.start_main()
        results = {number: run.result() for number, run in self.runs.items()}
        if self.cache is not None:
            for number, (digest, reused) in sorted(results.items()):
                self.cache.indexes[self.jobs[number].name] = digest
                self.cache.reused_indexes += reused
        by_name = sorted(range(len(self.jobs)), key=lambda number: self.jobs[number].name)
        for number in by_name:
            output = self.site_dir / BUNDLE_FOLDER / self.jobs[number].name
            output.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(self.scratch / f"bundle-{number}", output)
        # Written for a small site too (no shards): the search page asks for it, and a 404 would
        # show as an error in every reader's console.
        manifest = {"shards": list(self.shards)}
        (self.site_dir / BUNDLE_FOLDER / SHARD_MANIFEST).write_text(
            json.dumps(manifest) + "\n", encoding="utf-8"
        )

    def _start(self, jobs: list[IndexJob], page_digests: dict[str, str]) -> None:
        """Queue the jobs' runs: those to build first, the largest first, then those whose bundle
        is taken from the published site (moved in beside the runs: a rebuild's one shard to
        index waited 1-1.6 s when it was queued behind them)."""
        first = len(self.jobs)
        self.jobs += jobs
        sizes: dict[int, int] = {}
        for number in range(first, len(self.jobs)):
            job = self.jobs[number]
            sizes[number] = copies_size(self.site_dir, job.pages, self.cache)
            if self.cache is not None:
                expected = self._input_digest(job, page_digests, self.copies.place(sizes[number]))
                if self.cache.reusable_index(job.name, expected, _published(self.cache, job)):
                    self.kept[number] = expected
        order = sorted(sizes, key=lambda number: (number in self.kept, -len(self.jobs[number].pages), number))
        for number in order:
            filled = None
            if number not in self.kept and self._runs_waiting_or_running() < PARALLEL_RUNS:
                filled = self._fill(number, sizes[number])
            self.runs[number] = self.pool.submit(self._index, number, sizes[number], page_digests, filled)

    def _runs_waiting_or_running(self) -> int:
        return sum(1 for run in self.runs.values() if not run.done())

    def _fill(self, number: int, size: int) -> Filled:
        """The search copies of a job that a run would start on at once, written here: written in
        the run's thread, they took turns for the interpreter with this one (pouring the list
        pages, the sitemap), and a rebuild's one shard at 50,000 records waited 1.4 s for its
        copies against 0.3 s. Deleted by the run, or when indexing ends should it not run."""
        stack = ExitStack()
        self.filled.append(stack)
        fill = partial(_search_copies, self.site_dir, pages=self.jobs[number].pages)
        folder, place = stack.enter_context(self.copies.filled(size, fill))
        return folder, place, stack

    def _delete_filled(self) -> None:
        for stack in self.filled:
            stack.close()

    def _input_digest(self, job: IndexJob, page_digests: dict[str, str], place: str) -> str:
        # Where the copies are written changes the bundle's bytes (scratch.py); the main bundle's
        # worker starts with the site's word segmenter (give_worker_our_words), which a portal
        # may bring in its own theme folder.
        words = b"" if job.name else _file_bytes(self.site_dir / WORDS_SCRIPT)
        inputs = " ".join([place, *job.shard_names, hashlib.sha256(words).hexdigest()])
        return self.cache.index_digest(job.pages, page_digests, inputs) if self.cache is not None else ""

    def _index(
        self, number: int, size: int, page_digests: dict[str, str], filled: Filled | None
    ) -> tuple[str, bool]:
        """Build (or take) one bundle; return its input's digest, and whether it was taken. The
        search copies are written here unless `filled` has them."""
        job, bundle = self.jobs[number], self.scratch / f"bundle-{number}"
        if number in self.kept:
            assert self.cache is not None
            published = _published(self.cache, job)
            recycled = _recycled_shard(self.cache, job.name, published)
            if recycled is not None:
                recycled.rename(bundle)  # thousands of files in one rename
            else:
                copy_tree(published, bundle, ignore=None if job.name else _other_bundles)
            return self.kept[number], True
        if filled is None:
            filled = self._fill(number, size)
        folder, place, stack = filled
        with stack:
            _run_pagefind(folder, bundle)
        if not job.name:  # the main bundle's worker is the one the search page starts
            give_worker_our_words(self.site_dir, bundle)
        return self._input_digest(job, page_digests, place), False


# A job's search copies: their folder, its place (Scratch.place) and what deletes the folder.
Filled = tuple[Path, str, ExitStack]


@dataclass(frozen=True)
class IndexJob:
    """One Pagefind run: the main index (name "") or a shard (name "shards/<name>/")."""

    name: str
    pages: list[str]
    shard_names: list[str]  # the main index's bundle holds the shards and their list


def _published(cache: BuildCache, job: IndexJob) -> Path:
    """Where the published site holds the job's bundle."""
    return cache.site / BUNDLE_FOLDER / job.name


def _recycled_shard(cache: BuildCache, name: str, published: Path) -> Path | None:
    """The shard in the site two builds back, when its files are the published shard's own
    (recycling.py). Not the main bundle, which holds the shards: it is small, and copied."""
    if not name or cache.recycled is None:
        return None
    candidate = cache.recycled / BUNDLE_FOLDER / name
    return candidate if same_tree(candidate, cache.recycled, published) else None


def _other_bundles(folder: str, names: list[str]) -> list[str]:
    """Copying the main bundle: leave out the shards inside it, which are copied or built on their own."""
    if Path(folder).name != BUNDLE_FOLDER:
        return []
    return [name for name in names if name in (SHARD_FOLDER, SHARD_MANIFEST)]


def shard_pages() -> int:
    return int(os.environ.get(SHARD_PAGES_VARIABLE, "") or DEFAULT_SHARD_PAGES)


def record_shards(portal: Portal, size: int) -> dict[str, list[str]]:
    """The record pages (site-relative paths) in shards of at most `size`, by name, or none when
    they fit in one. Pages that change together share a shard, so a rebuild indexes few shards
    again (build_cache.py): notices by the year they start, in date order (_notice_shards);
    achievements by institution (_achievement_shards)."""
    if portal.record_count <= size:
        return {}
    return _notice_shards(portal, size) | _achievement_shards(portal, size)


def _notice_shards(portal: Portal, size: int) -> dict[str, list[str]]:
    """A year's notices in date order, `size` to a shard, so that a new notice joins the last.
    A shard whose notices are all settled (ended SETTLED_AFTER_DAYS before today) is indexed
    whole; one that still moves is cut into parts of a fifth, in the same order: a notice
    changes while it runs and in the weeks after (an amendment, its outcome, each day's status),
    and a pull request or a night's statuses then index a fifth of a shard again, not the whole
    (2,500 pages took 6.4 s of Pagefind on a slow hour, a rebuild's largest share). A shard that
    settles is indexed whole once, in place of its parts."""
    shards: dict[str, list[str]] = {}
    by_year: dict[int, list[NoticeView]] = defaultdict(list)
    for view in sorted(portal.notices.values(), key=lambda view: (view.record.period.start, view.id)):
        by_year[view.record.period.start.year].append(view)
    settled_by = portal.today - timedelta(days=SETTLED_AFTER_DAYS)
    part = -(-size // UNSETTLED_PARTS)  # so that a shard makes at most UNSETTLED_PARTS
    for year, views in sorted(by_year.items()):
        for number, first in enumerate(range(0, len(views), size), start=1):
            chunk = views[first : first + size]
            if all(view.record.period.end <= settled_by for view in chunk):
                shards[f"notices-{year}-{number}"] = _notice_pages(chunk)
                continue
            for index, start in enumerate(range(0, len(chunk), part)):
                shards[f"notices-{year}-{number}{ascii_lowercase[index]}"] = _notice_pages(
                    chunk[start : start + part]
                )
    return shards


def _notice_pages(views: list[NoticeView]) -> list[str]:
    return sorted(_page_file(f"notices/{view.id}.md") for view in views)


def _achievement_shards(portal: Portal, size: int) -> dict[str, list[str]]:
    """Whole institutions in id order, filled evenly into as many shards as `size` asks for: a
    notice names achievements of its own institution only, so a changed notice (whose title
    their pages show) makes one shard of them be indexed again, not one for each."""
    by_institution: dict[str, list[str]] = defaultdict(list)
    for achievement_id, achievement in portal.achievements.items():
        by_institution[achievement.record.institution].append(_page_file(f"achievements/{achievement_id}.md"))
    count = max(1, -(-len(portal.achievements) // size))
    even_share = -(-len(portal.achievements) // count)
    shards: dict[str, list[str]] = {}
    buckets: list[list[str]] = [[]]
    for institution in sorted(by_institution):
        pages = sorted(by_institution[institution])
        if buckets[-1] and len(buckets[-1]) + len(pages) > even_share:
            buckets.append([])
        for first in range(0, len(pages), size):  # an institution larger than a shard fills several
            if len(buckets[-1]) >= size:
                buckets.append([])
            buckets[-1] += pages[first : first + size]
    for number, pages in enumerate(buckets, start=1):
        if pages:
            shards[f"achievements-{number}"] = sorted(pages)
    return shards


def _page_file(src_uri: str) -> str:
    return page_url(src_uri) + "index.html"


def _html_pages(site_dir: Path, record_pages: set[str]) -> list[str]:
    """Every HTML page of the site but the search bundle's and the record pages (a folder
    each, holding only its page: they are not walked into), as site-relative paths, sorted."""
    pages = []
    for folder, subfolders, files in os.walk(site_dir):
        relative = os.path.relpath(folder, site_dir)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        subfolders[:] = [
            name
            for name in subfolders
            if f"{prefix}{name}/index.html" not in record_pages and (prefix or name != BUNDLE_FOLDER)
        ]
        pages += [prefix + name for name in files if name.endswith(".html")]
    return sorted(page for page in pages if page not in record_pages)


def _indexed_pages(site_dir: Path, pages: list[str]) -> dict[str, str]:
    """The pages Pagefind would index, with the digest of what it reads of each (read once, for
    the build cache): once one page marks its content with data-pagefind-body, it indexes only
    pages that do. Leaving the others out (the long archive lists, the statistics) gives it the
    same index from less reading, and keeps a rebuild's main index when only those lists changed."""
    digests, marked = {}, {}
    for page in pages:
        content = (site_dir / page).read_bytes()
        digests[page] = search_digest(content)
        if BODY_MARK in content:
            marked[page] = digests[page]
    return marked or digests


def copies_size(site_dir: Path, pages: Iterable[str], cache: BuildCache | None = None) -> int:
    """About what the search copies of these pages take: their pages' size (they hold less). A
    record page's size is in its build cache entry: fifty thousand files are not looked up."""
    entries = cache.pages if cache is not None else {}
    total = 0
    for page in pages:
        entry = entries.get(page.removesuffix("index.html"))
        total += entry.size if entry is not None else (site_dir / page).stat().st_size
    return total


def _search_copies(site_dir: Path, folder: Path, pages: Iterable[str]) -> None:
    """A folder holding these pages as Pagefind reads them (search_copies.py): a sixth of its
    time went into reading the theme's header, navigation and footer. A page whose article
    cannot be cut out cleanly is linked whole."""
    for page in pages:
        source, target = site_dir / page, folder / page
        target.parent.mkdir(parents=True, exist_ok=True)
        copy = search_copy(source.read_bytes())
        if copy is None:
            link_or_copy(source, target)
        else:
            target.write_bytes(copy)


def give_worker_our_words(site_dir: Path, bundle: Path) -> None:
    """Put the search page's word segmenter at the head of Pagefind's worker script, where
    Pagefind searches: it cuts each query with Intl.Segmenter, and the browser's own cuts 赋权
    into 赋/权, a word the index holds whole (portal-words.js)."""
    words, worker = site_dir / WORDS_SCRIPT, bundle / WORKER_SCRIPT
    if not words.is_file() or not worker.is_file():
        raise StageFailed(
            "search",
            f"缺少 {WORDS_SCRIPT} 或 Pagefind 的 {WORKER_SCRIPT}，搜索无法按输入的词切分。请检查主题文件夹"
            f" site_templates/static/assets/。(missing {words if not words.is_file() else worker})",
        )
    script = worker.read_bytes()
    if script.lstrip().startswith((b'"use strict"', b"'use strict'")):  # the prefix would undo it
        raise StageFailed(
            "search", f"{worker} 以 use strict 开头，无法在其前加入分词脚本 (a Pagefind release to check)"
        )
    worker.write_bytes(words.read_bytes() + b"\n" + script)


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""  # give_worker_our_words says what is missing


def _run_pagefind(site: Path, output: Path) -> None:
    """Pagefind reads a configuration file (pagefind.yml, .toml, .json) in its working folder
    and PAGEFIND_ variables in its environment: neither is in an index's key, so it runs in the
    scratch folder, beside its output, without them; everything it is told is in the command."""
    command = [str(extended_binary()), "--site", str(site), "--output-path", str(output), "--quiet"]
    environment = {
        name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND_")
    }
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
        cwd=output.parent,
        env=environment,
    )
    if result.returncode != 0:
        raise StageFailed("search", f"{' '.join(command)}\n{result.stdout}\n{result.stderr}")
    canonicalise_bundle(output)
