"""The many record pages, poured into one page the site engine rendered.

MkDocs renders a page through Markdown (which re-parses our HTML twice) and the whole theme,
about 400 pages a second here; a national portal has tens of thousands of notices and
achievements. Every such page is the same theme around a different article, at the same depth
(`notices/<id>/`), so the engine renders one shell page per folder, with a token for the title
and one for the article, and each record page is the shell with the two filled in: thousands of
pages a second, and byte-for-byte what the engine would have written around the same article.
The list pages out of the navigation (archive.py) and the statistics reports are poured the
same way, into one shell for each first folder and depth, on which the navigation's links
depend, and for what the page hides, on which its layout does.
Nothing here is MkDocs-specific: any engine that renders a page from a title and an HTML body
can render the shell.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.build_cache import BuildCache, PageEntry, link_or_copy, text_digest
from generator.forked import forked_beside, worker_count
from generator.page_facts import FactsOf, PageFacts
from generator.recycling import adopt_folders, clear_stale, place_bytes, place_link, set_aside_folder
from generator.render import (
    LIST_PAGE_HIDES,
    RECORD_PAGE_HIDES,
    Page,
    Renderer,
    front_matter_escaped,
    page_url,
)
from generator.search_copies import search_digest

SHELL_NAME = "portal-shell"
LIST_SHELL_NAME = f"{SHELL_NAME}-list"
# Tokens the theme passes through unchanged: plain letters for the title (it may be escaped or
# stripped of tags), an HTML comment for the body (the shell's body is our HTML, handed to the
# theme as it is by the plugin's on_page_content). The comment names <h1> because the theme adds
# a heading to a page whose content has none, and every article brings its own.
TITLE_TOKEN = "PortalShellTitle7c1e"
BODY_TOKEN = "<!-- portal-shell-body: the article brings its own <h1> -->"


def shell_page(folder: str) -> Page:
    """The page the engine renders once for `folder`; its URL has the records' depth."""
    return Page(f"{folder}/{SHELL_NAME}.md", TITLE_TOKEN, BODY_TOKEN, hide=RECORD_PAGE_HIDES)


# What a page poured into a list shell may hide, and its shell's name: the list pages hide the
# table of contents and show the navigation; the statistics reports hide both.
LIST_SHELL_NAMES = {LIST_PAGE_HIDES: LIST_SHELL_NAME, RECORD_PAGE_HIDES: f"{LIST_SHELL_NAME}-wide"}
ListShell = tuple[str, int, tuple[str, ...]]  # first folder, depth, what the page hides


def list_shell_page(top: str, depth: int, hide: tuple[str, ...]) -> Page:
    """The page the engine renders once for the pages out of the navigation `depth` folders deep
    under `top` that hide `hide` (archive.py's lists, the statistics reports): they lie at several
    depths, and the navigation (in the menu where it is hidden from the side) has links that
    depend on the first folder and the depth (from deals/2/, deals/ is ../)."""
    parts = [top, LIST_SHELL_NAMES[hide], *["x"] * (depth - 2)]
    return Page("/".join(parts) + ".md", TITLE_TOKEN, BODY_TOKEN, hide=hide)


def pours_into_list_shell(page: Page) -> bool:
    """Whether a page goes into a list shell: a page out of the navigation (a page in it is
    marked as the current one there), with nothing in its head but its title (no `meta`),
    hiding what a list shell hides, at least two folders deep (a shell is the second folder)."""
    return (
        page.poured
        and not page.in_nav
        and page.meta is None
        and page.hide in LIST_SHELL_NAMES
        and page.url.count("/") >= 2
    )


def list_shell_of(page: Page) -> ListShell:
    """The list shell a page goes into: its first folder, its depth, what it hides."""
    return page.url.split("/", 1)[0], page.url.count("/"), page.hide


class ShellError(RuntimeError):
    pass


@dataclass(frozen=True)
class Shell:
    """A folder's shell page, cut at the body token."""

    url: str  # the shell's own, which each page's replaces
    before: str
    after: str

    @classmethod
    def load(cls, site_dir: Path, url: str) -> Shell:
        shell_file = site_dir / url / "index.html"
        text = shell_file.read_text(encoding="utf-8")
        if text.count(BODY_TOKEN) != 1:
            raise ShellError(f"{shell_file}: the theme did not keep the body token exactly once")
        before, after = text.split(BODY_TOKEN)
        return cls(url, before, after)

    @property
    def digest(self) -> str:
        return text_digest(self.before, self.after)

    def fill(self, page: Page) -> bytes:
        """The page's bytes: the shell with its title and article."""
        # Escaped as the front matter is: MkDocs' own page would hold these bytes.
        # The address first: a title is the clerk's text, whatever it holds.
        title = front_matter_escaped(page.title)
        head = self.before.replace(self.url, page.url).replace(TITLE_TOKEN, title)
        tail = self.after.replace(self.url, page.url).replace(TITLE_TOKEN, title)
        return (head + page.body_html.strip() + tail).encode("utf-8")


def pour_record_pages(
    renderer: Renderer, site_dir: Path, folders: Sequence[str], cache: BuildCache | None, facts: FactsOf
) -> dict[str, list[str]]:
    """Render every record page into its folder's shell; remove the shells; return the URLs by
    folder, sorted (the same whatever the number of processes). With a build cache, a page the
    published site already has, unchanged, is kept where the spare has it already
    (recycling.py) or linked from the published site (build_cache.py); `facts` tells which
    (page_facts.py).

    The pages to render are rendered beside this process, in as many forked processes as there
    are cores when they are enough to pay for them, while this one links. A rebuild after one
    change renders a few pages (the record's, and those that show its title), and forks nothing."""
    if not folders:
        return {}
    known = facts()  # before the spare's folders move: the facts were found out where they were
    recycled = cache.recycled if cache is not None else None
    # The folders of the site two builds back, in place of fresh ones: most pages are there already.
    engine_written = adopt_folders(site_dir, recycled, folders) if recycled is not None else {}
    shells = {folder: Shell.load(site_dir, shell_page(folder).url) for folder in folders}
    shell_digests = {folder: shell.digest for folder, shell in shells.items()}
    set_aside = set_aside_folder(recycled) if recycled is not None else None
    job = _Job(renderer, shells, site_dir, cache, shell_digests, set_aside=set_aside)
    wanted, linkable = job.sort(list(renderer.record_page_uris()), known.pages, known.adopted(site_dir))
    workers = worker_count(len(wanted))  # one below a few hundred pages (forked.py)
    parts = [wanted[index::workers] for index in range(workers)] if workers > 1 else []
    with forked_beside(*(partial(job.render, part) for part in parts)) as waits:
        placed, missed = job.link(linkable)
        placed += job.render(([] if parts else wanted) + missed)
        placed += [page for wait in waits for page in wait()]
    urls: dict[str, list[str]] = {folder: [] for folder in folders}
    for folder, url, entry, reused in placed:
        urls[folder].append(url)
        if cache is not None:
            cache.pages[url] = entry
            cache.reused_pages += reused
    for folder in folders:
        if recycled is not None:
            written = {url.removeprefix(f"{folder}/").split("/", 1)[0] for url in urls[folder]}
            clear_stale(site_dir / folder, written | engine_written[folder])
        shutil.rmtree(site_dir / shell_page(folder).url)
        urls[folder].sort()
    return urls


# A record page to render: its source and its key (None: the process that renders it makes it).
_Item = tuple[str, str | None]
# A record page the published site has as this build would render it: its source, its entry,
# and whether the spare's file in its place is that file already.
_Linkable = tuple[str, PageEntry, bool]
_Placed = tuple[str, str, PageEntry, bool]  # folder, URL, cache entry, whether it was reused


@dataclass(frozen=True)
class _Job:
    renderer: Renderer
    shells: dict[str, Shell]
    site_dir: Path
    cache: BuildCache | None
    shell_digests: dict[str, str]
    # Where files replaced in folders taken from the spare go; None when the folders are fresh (recycling.py).
    set_aside: Path | None = None

    def sort(
        self, src_uris: list[str], facts: dict[str, PageFacts], adopted: set[str]
    ) -> tuple[list[_Item], list[_Linkable]]:
        """The pages to render, and those the published site has as this build would render them
        (their key in its entry, their file as the entry says), to be linked or, in a folder
        `adopted` from the spare as the facts found it, kept. Without the previous build's
        entries nothing is keyed here: the processes that render key their pages."""
        cache = self.cache
        if cache is None or not cache.previous_pages:
            return [(src_uri, None) for src_uri in src_uris], []
        wanted: list[_Item] = []
        linkable: list[_Linkable] = []
        for src_uri in src_uris:
            folder = src_uri.split("/", 1)[0]
            shown, published, in_place = facts[src_uri]  # found out for every record page
            key = self._key(src_uri, shown)
            entry = cache.previous_pages.get(page_url(src_uri))
            if published and entry is not None and entry.key == key:
                linkable.append((src_uri, entry, in_place and folder in adopted))
            else:
                wanted.append((src_uri, key))
        return wanted, linkable

    def key(self, src_uri: str) -> str:
        """The page's key in the build cache; none without a cache."""
        if self.cache is None:
            return ""
        return self._key(src_uri, text_digest(self.renderer.record_page_inputs(src_uri)))

    def _key(self, src_uri: str, shown: str) -> str:
        assert self.cache is not None
        return text_digest(self.cache.code, self.shell_digests[src_uri.split("/", 1)[0]], shown)

    def link(self, pages: list[_Linkable]) -> tuple[list[_Placed], list[_Item]]:
        """Place the pages the published site has; return them, and those whose published file
        has changed since the facts were found out, to be rendered."""
        cache = self.cache
        placed: list[_Placed] = []
        missed: list[_Item] = []
        if cache is None:  # no page is linked without the previous build's entries
            return placed, missed
        for src_uri, entry, in_place in pages:
            folder, url = self._place(src_uri)
            if in_place:  # the spare's file, in its folder as left: the published file already
                placed.append((folder, url, entry, True))
                continue
            target = self._target(url)
            published = cache.published_page(url)
            if published is None:  # changed since the facts were found out
                missed.append((src_uri, entry.key))
                continue
            path = cache.site / url / "index.html"
            if self.set_aside is not None:
                as_left = self._as_left(url, target)
                linked = place_link(path, published, target, folder_as_left=as_left, set_aside=self.set_aside)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                linked = link_or_copy(path, target)
            # A link is the published file, whose size and time its entry has; a copy has its own.
            reused = entry if linked else PageEntry.of_file(entry.key, target, entry.searched)
            placed.append((folder, url, reused, True))
        return placed, missed

    def render(self, items: list[_Item]) -> list[_Placed]:
        placed = []
        for src_uri, known_key in items:
            folder, url = self._place(src_uri)
            target = self._target(url)
            key = self.key(src_uri) if known_key is None else known_key
            data = self.shells[folder].fill(self.renderer.record_page(src_uri))
            if self.set_aside is not None:
                as_left = self._as_left(url, target)
                place_bytes(target, data, folder_as_left=as_left, set_aside=self.set_aside)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            placed.append((folder, url, PageEntry.of_file(key, target, search_digest(data)), False))
        return placed

    @staticmethod
    def _place(src_uri: str) -> tuple[str, str]:
        """The page's folder and URL."""
        return src_uri.split("/", 1)[0], page_url(src_uri)

    def _target(self, url: str) -> Path:
        # Asked only of a page to write or link: a Path for each of a rebuild's fifty thousand
        # pages, most of them in place already, took 0.3 s of the pour.
        return self.site_dir / url / "index.html"

    def _as_left(self, url: str, target: Path) -> bool:
        # In a folder from the spare, nothing is written into a file there (recycling.py).
        return self.cache is not None and self.cache.folder_as_left(url, target.parent)


def pour_list_pages(site_dir: Path, pages: Sequence[Page]) -> dict[str, list[str]]:
    """Put each list page out of the navigation, and each statistics report, into its shell
    (list_shell_page): Material took 6 ms a page around our HTML, and a national portal has a
    thousand lists (its lists, each institution's lists, 200 entries a page) and 155 reports.
    Their bodies were rendered with the other engine pages (the lists' kept from build to build,
    Renderer.archive). Returns their URLs by shell URL."""
    by_shell: dict[ListShell, list[Page]] = {}
    urls: dict[str, list[str]] = {}  # by shell: the sitemap lists them in its place (sitemap.py)
    for page in pages:
        by_shell.setdefault(list_shell_of(page), []).append(page)
    for (top, depth, hide), poured in sorted(by_shell.items()):
        shell = Shell.load(site_dir, list_shell_page(top, depth, hide).url)
        for page in poured:
            target = site_dir / page.url / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(shell.fill(page))
        urls[shell.url] = sorted(page.url for page in poured)
    for top, hide in sorted({(top, hide) for top, _, hide in by_shell}):
        shutil.rmtree(site_dir / top / LIST_SHELL_NAMES[hide])
    return urls
