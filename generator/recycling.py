"""The site a build replaces is kept beside the new one, and the next build reuses its folders.

A national portal has fifty thousand record pages, each in a folder of its own
(`notices/<id>/index.html`), and Pagefind shards of thousands of files. A build into a fresh
folder makes every one of those folders again and links every unchanged file, and the replaced
site's hundred thousand files are deleted after: tens of seconds of disk work for a rebuild in
which one record changed. So the replaced site is kept as the spare (`.<site>.spare`), and the
next build starts its record folders and search shards from it:
- a record page whose file in the spare is the very file (the same inode) the build would link
  from the published site is kept as it is; any other is replaced, never written into, because
  its file may be the published site's too (build_cache.link_or_copy);
- record folders the build does not write, and files it does not write inside a record folder,
  are deleted;
- a search shard is taken whole when every file of it is the published shard's own file.
Only what the inode proves identical is kept, so the site is the bytes a clean build gives
(tests/test_incremental_build.py). A build that fails consumes the spare and never touches the
published site.

A file replaced in a recycled folder is set aside, not deleted: moved into the spare's remains
(`set_aside_folder`), which the build deletes once the new site is in place, in the background
for `portal build`. A rebuild the day after statuses moved replaces some seven thousand pages
whose file in the spare is the last link to it: deleting one (which frees its blocks) and
linking the new took 0.12–0.14 ms a page in two processes, moving it aside 0.04–0.05 ms; in
three alternating pairs of daily rebuilds at 50,000 records, pouring the record pages took
8.2–8.7 s against 8.4–11.2 s.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.build_cache import link_or_copy

PAGE_FILE = "index.html"
SET_ASIDE = ".set-aside-"  # a dot: apart from the site's own folders, none of which has one
_set_aside_names = itertools.count()


def spare_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


def take_spare(out: Path) -> Path | None:
    """Claim the spare for this build (a rename, so only one build gets it); None if there is none."""
    spare = spare_folder(out)
    taken = out.parent / f".{out.name}.recycled-{os.getpid()}"
    remove(taken)
    try:
        spare.rename(taken)
    except OSError:
        return None
    return taken


def keep_as_spare(previous: Path, out: Path) -> bool:
    """Make the replaced site the next build's spare; False when one is there already (it was
    not taken, as in a build without the cache), and the caller deletes `previous`."""
    try:
        previous.rename(spare_folder(out))
    except OSError:
        return False
    return True


def adopt_folders(site_dir: Path, recycled: Path, folders: Iterable[str]) -> dict[str, set[str]]:
    """Put the spare's record folders in place of those the site engine started, and move into
    them what the engine wrote there (the list page, the shell). Returns, for each folder, the
    names the engine wrote, which are not records and are not to be cleared as stale."""
    written: dict[str, set[str]] = {}
    for folder in folders:
        started, kept = site_dir / folder, recycled / folder
        written[folder] = {entry.name for entry in started.iterdir()} if started.is_dir() else set()
        if not kept.is_dir() or kept.is_symlink():
            continue
        for name in written[folder]:
            remove(kept / name)
            (started / name).rename(kept / name)
        if started.is_dir():
            started.rmdir()
        kept.rename(started)
    return written


def set_aside_folder(recycled: Path) -> Path:
    """Where the files replaced in the recycled folders go: inside what is left of the spare
    once its folders are adopted, which the build deletes with it. A folder made afresh, so that
    nothing found in the spare under that name (a link into the published site) is used."""
    return Path(tempfile.mkdtemp(prefix=SET_ASIDE, dir=recycled))


def place_link(
    source: Path, source_status: os.stat_result, target: Path, *, folder_as_left: bool, set_aside: Path
) -> bool:
    """Make `target`, in a recycled folder, the file `source` is (`source_status`: its status):
    kept when it already is, else replaced (the file there is moved into `set_aside`). Whether
    it is that file, not a copy of it."""
    with _page_folder(target.parent, folder_as_left):
        if same_file(source_status, target):
            return True
        _set_aside(target, set_aside)
        return link_or_copy(source, target)


def place_bytes(target: Path, data: bytes, *, folder_as_left: bool, set_aside: Path) -> None:
    """Write a page into a recycled folder: a new file, never into the one there, which may be
    the published site's too (it is moved into `set_aside`)."""
    with _page_folder(target.parent, folder_as_left):
        _set_aside(target, set_aside)
        target.write_bytes(data)


def _set_aside(path: Path, folder: Path) -> None:
    """Move what is at `path` into `folder`, under a name no other process of the build takes;
    what cannot be moved is deleted."""
    try:
        path.rename(folder / f"{os.getpid()}-{next(_set_aside_names)}")
    except OSError:  # nothing there, or no `folder` (another build deleted the remains): delete
        remove(path)


@contextmanager
def _page_folder(folder: Path, as_left: bool) -> Iterator[None]:
    """Around putting a page into a recycled record folder: a folder not as its build left it
    (BuildCache.folder_as_left) is first made a real folder (a link in the spare could lead into
    the published site), and after holds nothing but the page."""
    if not as_left:
        _real_folder(folder)
    yield
    if not as_left:
        clear_strays(folder)


def same_file(wanted: os.stat_result, target: Path | str) -> bool:
    """Whether `target` is the file of status `wanted` (the same inode), not a link to it."""
    try:
        kept = os.lstat(target)  # a link to the right file is not the file a clean build writes
    except OSError:
        return False
    return (kept.st_ino, kept.st_dev) == (wanted.st_ino, wanted.st_dev)


def _real_folder(folder: Path) -> None:
    """A folder of its own at `folder`: not a link, not a file."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        remove(folder)
    folder.mkdir(parents=True, exist_ok=True)


def clear_strays(page_folder: Path) -> None:
    """Delete what a recycled record folder holds besides its page: a clean build has nothing else."""
    for entry in page_folder.iterdir():
        if entry.name != PAGE_FILE:
            remove(entry)


def clear_stale(folder: Path, keep: set[str]) -> None:
    """Delete the entries of a recycled folder that this build did not write."""
    for entry in [entry for entry in folder.iterdir() if entry.name not in keep]:
        remove(entry)


def same_tree(candidate: Path, root: Path, reference: Path) -> bool:
    """Whether `candidate`, a folder under `root` reached through no link, holds exactly the
    files and folders of `reference`, each file the same (inode). The inodes come from the
    folder listings: no file is looked up, which in a shard of thousands of files not read since
    two builds back took seconds."""
    if not real_folder_reached_directly(candidate, root):
        return False
    found = _entries_under(candidate)
    return found is not None and found == _entries_under(reference)


def real_folder_reached_directly(folder: Path, root: Path) -> bool:
    """A real folder, and no link on the way to it from `root` (one could lead into the published site)."""
    try:
        return folder.is_dir() and folder.resolve() == root.resolve() / folder.relative_to(root)
    except (OSError, ValueError):
        return False


def _entries_under(folder: Path) -> dict[str, int] | None:
    """Each file's path and inode, and each folder's path (ending in "/"); None if there is a link."""
    found: dict[str, int] = {}
    pending = [("", str(folder))]
    while pending:
        prefix, path = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_symlink():
                    return None
                if entry.is_dir():
                    found[f"{prefix}{entry.name}/"] = 0
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                else:
                    found[prefix + entry.name] = entry.inode()
    return found


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
