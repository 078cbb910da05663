"""What a rebuild takes from the build before it, so that one changed record does not mean
rendering and indexing fifty thousand pages again.

Every record page has a key: the digest of the code and templates, of its folder's shell, and
of everything the page shows (Renderer.record_page_inputs). A page whose key is the one the
previous build wrote down for it, and whose file in the published site is still the file that
build wrote (same size and modification time), is linked from the published site instead of
being rendered again. The search index is built in shards of record pages; a shard whose pages
give Pagefind what they gave it (search_copies.py) is taken from the published site instead of
being indexed again.
Anything in doubt (no manifest, another version of the code, a file touched by hand) is simply
built again: the output is byte for byte a clean build's (tests/test_incremental_build.py).

The manifest also notes, for the published site and for the spare (the site it replaced,
recycling.py), each record page folder's modification time as its build left it, and names
each tree by its root folder's modification time: renames keep it, and so does a POSIX tar
(GitHub's cache), where inode numbers would change.

The cache lives outside the portal's repository, under the user's cache folder: it holds
pickled records (record_cache.py), and a pull request must never be able to plant one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
import orjson

from generator.fragments import Fragments

CACHE_VARIABLE = "PORTAL_CACHE_DIR"
FRAGMENT_FOLDER = "fragments"
TEMPLATE_FOLDER = "templates"  # the templates as compiled by the last build (Jinja's bytecode)
MANIFEST = "build.json"
MANIFEST_FORMAT = 4
PROJECT_FOLDER = Path(__file__).resolve().parent.parent
# The code a page's bytes depend on: ours, and the libraries that turn records into HTML.
CODE_FOLDERS = ("generator", "site_templates")
LIBRARIES = (
    "pyyaml",  # records are named by their files' digests in the keys (page_keys.py)
    "lxml",  # feedgen writes through it; feed entries are kept as its bytes
    "orjson",
    "jinja2",
    "markupsafe",
    "markdown",
    "pymdown-extensions",
    "nh3",
    "pydantic",
    "mkdocs",
    "mkdocs-material",
    "pagefind-bin-extended",
    "feedgen",
    "chinese-calendar",
)


def default_cache_folder(path: Path) -> Path:
    """One folder per path (the output folder for the pages, the portal's folder for its records),
    under PORTAL_CACHE_DIR or the user's cache folder."""
    base = os.environ.get(CACHE_VARIABLE) or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    name = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(base) / "portal" / name


def fragments_of(cache: BuildCache | None, name: str) -> Fragments:
    """A stage's fragments (fragments.py), or a store that keeps nothing when there is no cache."""
    return cache.fragments(name) if cache is not None else Fragments(None)


@cache
def code_digest(folders: tuple[str, ...] = CODE_FOLDERS, libraries: tuple[str, ...] = LIBRARIES) -> str:
    """Changes whenever a page could come out different for the same records (by default; the
    record cache asks about the code that reads records only). Computed once a process."""
    digest = hashlib.sha256()
    for folder in folders:
        base = PROJECT_FOLDER / folder
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(PROJECT_FOLDER).as_posix().encode("utf-8") + b"\0")
                digest.update(path.read_bytes() + b"\0")
    digest.update(f"python={sys.version}\0".encode())  # every key is a repr
    for library in libraries:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version}\0".encode())
    return digest.hexdigest()


def text_digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def bundle_surface(bundle: Path) -> str:
    """What a search bundle's folder shows of its files: each file's name, size and modification
    time, each folder's name and modification time (which moves when a file in it is added,
    deleted or renamed); the shards inside the main bundle are bundles of their own. A dozen
    entries, looked up at every build: a file inside fragment/, index/ or filter/ written in
    place is not seen (the fifty thousand of a national portal's bundles would take a third of a
    second to look up at every build), one replaced, added or deleted is."""
    try:
        with os.scandir(bundle) as entries:
            listed = sorted(
                f"{entry.name}\0{'/' if entry.is_dir(follow_symlinks=False) else entry.stat().st_size}"
                f"\0{entry.stat(follow_symlinks=False).st_mtime_ns}"
                for entry in entries
                if entry.name != "shards"
            )
    except OSError:
        return ""
    return text_digest(*listed)


@dataclass(frozen=True, slots=True)
class PageEntry:
    """A record page as a build wrote it: its key, how to tell that the file is still the one
    written (size and modification time), and the digest of what the search index reads of it
    (search_copies.py), which a search index is keyed on."""

    key: str
    size: int
    mtime_ns: int
    searched: str

    @classmethod
    def of_file(cls, key: str, path: Path, searched: str) -> PageEntry:
        status = path.stat()
        return cls(key, status.st_size, status.st_mtime_ns, searched)


@dataclass
class BuildCache:
    """The previous build's manifest, read at the start; this build's, written once it is published."""

    folder: Path
    site: Path  # the published site: read only, until the new one is swapped in
    code: str = field(default_factory=code_digest)
    previous_pages: dict[str, PageEntry] = field(default_factory=dict)
    previous_indexes: dict[str, str] = field(default_factory=dict)
    # Each search bundle's files as the build left them (bundle_surface): a bundle edited by hand
    # since, a file added or deleted, is built again, not taken.
    previous_index_surfaces: dict[str, str] = field(default_factory=dict)
    pages: dict[str, PageEntry] = field(default_factory=dict)
    indexes: dict[str, str] = field(default_factory=dict)
    index_surfaces: dict[str, str] = field(default_factory=dict)
    reused_pages: int = 0
    reused_indexes: int = 0
    # Each record page's folder as a build left it (modification time), so that a folder taken
    # from the spare (recycling.py) is known to hold nothing else without being listed: for the
    # published site, the spare (the site it replaced), and this build; and each tree's name
    # (its root folder's modification time).
    previous_folders: dict[str, int] = field(default_factory=dict)
    previous_tree: int | None = None
    spare_folders: dict[str, int] = field(default_factory=dict)
    spare_tree: int | None = None
    folders: dict[str, int] = field(default_factory=dict)
    folders_noted_in: Path | None = None  # the site whose record folders `folders` holds
    tree: int | None = None
    # The spare, taken by this build for its folders (recycling.py); whether the site this build
    # replaced became the next spare.
    recycled: Path | None = None
    kept_spare: bool = False

    @classmethod
    def open(cls, folder: Path, site: Path) -> BuildCache:
        cache = cls(folder, site.resolve())
        try:
            manifest = _manifest_of((folder / MANIFEST).read_bytes())
        except (OSError, ValueError):
            return cache  # no previous build, or a manifest cut short: build everything
        if (
            not isinstance(manifest, dict)
            or manifest.get("format") != MANIFEST_FORMAT
            or manifest.get("code") != cache.code
            or manifest.get("site") != str(cache.site)
        ):
            return cache
        try:
            cache.previous_pages = {url: PageEntry(*entry) for url, entry in manifest["pages"].items()}
            cache.previous_indexes = {name: str(digest) for name, digest in manifest["indexes"].items()}
            surfaces = manifest.get("index_surfaces", {})
            cache.previous_index_surfaces = {name: str(digest) for name, digest in surfaces.items()}
            if manifest["tree"] == _tree_of(cache.site):  # else another build replaced the site since
                cache.previous_tree, cache.previous_folders = manifest["tree"], _folders(manifest["folders"])
            spare = manifest.get("spare") or {}
            cache.spare_tree, cache.spare_folders = spare.get("tree"), _folders(spare.get("folders", {}))
        except (KeyError, TypeError, AttributeError, ValueError):
            cache.previous_pages, cache.previous_indexes = {}, {}
            cache.forget_folders()
        return cache

    def compiled_templates(self) -> jinja2.BytecodeCache:
        """The templates, ours and the theme's, as the last build compiled them: compiling them
        took 0.23 s of a build's own process and more in its forked stages, about 0.4 s of the
        example portal's 1.35 s rebuild."""
        folder = self.folder / TEMPLATE_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        return CompiledTemplates(folder, self.code)

    def forget_folders(self) -> None:
        self.previous_tree, self.previous_folders, self.spare_tree, self.spare_folders = None, {}, None, {}

    def take(self, spare: Path | None) -> Path | None:
        """Take the spare (recycling.take_spare) when it is the tree the manifest describes;
        return it otherwise, to be deleted. A spare not described (left by another version, or
        by a build without this cache) would have every folder listed and every file looked up,
        cold: slower than making the folders afresh."""
        if spare is None or _tree_of(spare) != self.spare_tree:
            self.spare_folders = {}
            return spare
        self.recycled = spare
        return None

    @property
    def keeps_spare(self) -> bool:
        """Whether the site this build replaces can be the next one's spare: this manifest describes it."""
        return self.previous_tree is not None

    def folder_as_left(self, url: str, folder: Path | str) -> bool:
        """Whether the spare's folder of the page at `url` is as its build left it: a real folder
        (not a link), the same modification time, and no subfolder (on ext4 and most Linux file
        systems a folder's link count is 2 plus its subfolders; where it is not, every folder is
        listed). A notice's `versions/` is a subfolder: its folder is listed every build."""
        try:
            status = os.lstat(folder)  # a str is looked up as it is, no Path made
        except OSError:
            return False
        return (
            stat.S_ISDIR(status.st_mode)
            and status.st_nlink == 2
            and self.spare_folders.get(url) == status.st_mtime_ns
        )

    def note_folders(self, site_dir: Path, bundles: Path | None = None) -> None:
        """Once every stage has written: the site's name (its root folder's modification time),
        each search bundle's surface (under `bundles`, the site's search folder) and, unless
        noted already, each record page's folder's modification time."""
        self.tree = _tree_of(site_dir)
        if bundles is not None:
            self.index_surfaces = {name: bundle_surface(bundles / name) for name in self.indexes}
        if self.folders_noted_in != site_dir:
            self.note_record_folders(site_dir)

    def note_record_folders(self, site_dir: Path) -> None:
        """Each record page's folder's modification time, once nothing writes in those folders any
        more (the pages poured, the notices' version texts written): a large portal's build notes
        them while Pagefind runs, not after it (stages.py)."""
        # Fifty thousand of them: str paths (see published_page).
        self.folders = {url: os.stat(f"{site_dir}/{url}").st_mtime_ns for url in self.pages}  # noqa: PTH116
        self.folders_noted_in = site_dir

    def published_page(self, url: str) -> os.stat_result | None:
        """The status of the published file of the page at `url`, when it is still the file
        its entry describes (its size and modification time)."""
        entry = self.previous_pages.get(url)
        if entry is None:
            return None
        try:
            # Fifty thousand of them in a rebuild: a str, not a Path (a third of the time).
            status = os.stat(f"{self.site}/{url}index.html")  # noqa: PTH116 - a str, as said above
        except OSError:
            return None
        if status.st_size != entry.size or status.st_mtime_ns != entry.mtime_ns:
            return None
        return status

    def index_digest(self, pages: Iterable[str], page_digests: Mapping[str, str], inputs: str) -> str:
        """The digest of a search index's input: each page's path and the digest of what Pagefind
        reads of it (the record pages' from this build's entries, the others' from
        `page_digests`), and the other `inputs`: where its pages' copies were written
        (scratch.py) and the shards the main index lists. The tool's version is in the code digest."""
        digest = hashlib.sha256(inputs.encode("utf-8") + b"\0")
        for page in pages:
            known = self.pages.get(page.removesuffix("index.html"))
            sha = known.searched if known else page_digests[page]
            digest.update(f"{page}\0{sha}\0".encode())
        return digest.hexdigest()

    def reusable_index(self, name: str, digest: str, published: Path) -> bool:
        return (
            self.previous_indexes.get(name) == digest
            and published.is_dir()
            and self.previous_index_surfaces.get(name) == bundle_surface(published)
        )

    def fragments(self, name: str) -> Fragments:
        """A stage's store of what it made from single records (fragments.py)."""
        return Fragments.open(self.folder / FRAGMENT_FOLDER / name, self.code)

    def save(self) -> None:
        """Written only once the new site is in place: the manifest describes the published site
        (and the spare, the site it replaced)."""
        manifest = {
            "format": MANIFEST_FORMAT,
            "code": self.code,
            "site": str(self.site),
            # Field by field: dataclasses.astuple deep-copies, seconds for fifty thousand pages.
            "pages": {
                url: (entry.key, entry.size, entry.mtime_ns, entry.searched)
                for url, entry in sorted(self.pages.items())
            },
            "indexes": dict(sorted(self.indexes.items())),
            "index_surfaces": dict(sorted(self.index_surfaces.items())),
            "tree": self.tree,
            "folders": dict(sorted(self.folders.items())),
        }
        if self.kept_spare and self.previous_tree is not None:  # the published site is the spare now
            manifest["spare"] = {"tree": self.previous_tree, "folders": self.previous_folders}
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{MANIFEST}.{os.getpid()}"
        temporary.write_bytes(_manifest_bytes(manifest))
        temporary.replace(self.folder / MANIFEST)


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's store of compiled templates, one file a template (by its name and path), used
    only for the source and the code it was compiled from: a template compiles differently under
    other environment options, filters or Jinja, none of which is in its text. Jinja writes each
    file through a temporary one and a rename (from 3.1.2), so forked stages may write together."""

    def __init__(self, folder: Path, code: str) -> None:
        super().__init__(str(folder))
        self.code = code

    def get_source_checksum(self, source: str) -> str:
        return super().get_source_checksum(f"{self.code}\0{source}")


def _manifest_of(data: bytes) -> Any:
    """What _manifest_bytes wrote; ValueError when it is not JSON (cut short, damaged)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:  # or escaped by the standard library (see _manifest_bytes)
        return json.loads(data)


def _manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """orjson's: the standard library's encoder took 0.45 s for fifty thousand pages, on every
    build. A text orjson refuses (a path with a lone surrogate, from bytes that are not UTF-8)
    the standard library escapes: the site is in place already, and its manifest is written."""
    try:
        return orjson.dumps(manifest)
    except orjson.JSONEncodeError:
        return json.dumps(manifest, separators=(",", ":")).encode("utf-8")


def _tree_of(site: Path) -> int | None:
    """A built site's name: its root folder's modification time, which nothing changes once the
    build has ended (renames in one folder, tar, and the next builds that read it keep it)."""
    try:
        return site.stat().st_mtime_ns
    except OSError:
        return None


def _folders(entries: Mapping[str, int]) -> dict[str, int]:
    return {str(url): int(mtime_ns) for url, mtime_ns in entries.items()}


def link_or_copy(source: Path, target: Path) -> bool:
    """A hard link where the file system allows it (nothing ever writes into a published file),
    else a copy. Whether it is a link: the very file, its size and modification time with it."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        return False
    return True


def copy_tree(
    source: Path, target: Path, ignore: Callable[[str, list[str]], Iterable[str]] | None = None
) -> None:
    shutil.copytree(source, target, copy_function=_link_or_copy_names, ignore=ignore, dirs_exist_ok=True)


def _link_or_copy_names(source: str, target: str) -> None:
    link_or_copy(Path(source), Path(target))
