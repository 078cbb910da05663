"""`portal build`: check, derive, then let MkDocs build through our plugin (`portal serve` runs
it for each preview: preview.py).

The site is built into a fresh folder beside the output and swapped in only when every stage
succeeded, so a failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.build_cache import BuildCache, default_cache_folder
from generator.catalog import Catalog
from generator.check import CheckResult, PendingCheck, checking_portal
from generator.collector import loading_once, paused_throughout
from generator.errors import InvalidRecords, StageFailed, ToolFailed
from generator.mkdocs_plugin import hand_over
from generator.portal import Portal, build_portal
from generator.recycling import keep_as_spare, remove, take_spare
from generator.report import as_text
from generator.search_index import BUNDLE_FOLDER
from generator.timing import phase

CONFIG_FILE = "mkdocs.yml"
# A portal repository may bring its own mkdocs.yml; otherwise the project's own is used.
PROJECT_FOLDER = Path(__file__).resolve().parent.parent


def config_file_for(root: Path) -> Path:
    own = root / CONFIG_FILE
    return own if own.is_file() else PROJECT_FOLDER / CONFIG_FILE


@dataclass(frozen=True)
class BuildResult:
    out: Path
    portal: Portal
    warnings: int
    cache: BuildCache | None = None
    # The records as loaded, kept as long as the result: freeing the catalogue and the record
    # cache (a million objects at 50,000 records) took 0.7 s of a rebuild, between the check and
    # the pages. `portal build` ends without freeing them at all (cli.run).
    loaded: PendingCheck | None = field(default=None, repr=False, compare=False)

    def summary(self) -> str:
        text = (
            f"网站已生成：{self.out}（{len(self.portal.notices)} 项公示，{len(self.portal.achievements)} 项成果，"
            f"按 {self.portal.today} 计算状态，{self.warnings} 个警告）。"
        )
        if self.cache is not None and (self.cache.reused_pages or self.cache.reused_indexes):
            text += (
                f"沿用上次生成的 {self.cache.reused_pages} 个页面和 {self.cache.reused_indexes} 个搜索索引"
                f"（内容未变）。"
            )
        return text


def prepare(
    root: Path, today: date, *, strict: bool, frozen: bool, cache_folder: Path | None = None
) -> tuple[Portal, int]:
    """The portal for `today`, and the number of warnings; InvalidRecords when the check fails."""
    portal, warnings, _, _ = _prepared(root, today, strict, frozen, cache_folder, build_cache=None)
    return portal, warnings


def _prepared(
    root: Path,
    today: date,
    strict: bool,
    frozen: bool,
    records_cache: Path | None,
    build_cache: tuple[Path, Path] | None,
) -> tuple[Portal, int, BuildCache | None, PendingCheck]:
    """As prepare, and with `build_cache` (its folder, and the site it describes) the build cache
    opened. For a large portal the rules run in forked processes while this one derives the
    portal, on the chance that the records pass, opens the cache and digests what the pages
    show (check.py, Portal.digest_what_is_shown): about a second and a half of a national
    portal's rebuild. Also returns the records as loaded (the catalogue and the record cache),
    for a caller that keeps them alive (build_site)."""
    with loading_once(), checking_portal(root, today, records_cache, all_beside=True) as checking:
        derived = _derived_unless_broken(checking.catalog, today, frozen)
        cache = BuildCache.open(*build_cache) if build_cache is not None else None
        result = checking.result()
    warnings = _passed(result, strict)
    if isinstance(derived, Exception):  # the records pass, yet did not derive: a bug to report
        raise derived
    return derived, warnings, cache, checking


def _passed(result: CheckResult, strict: bool) -> int:
    """The number of warnings of a check that passed; a report of its problems, raised, if not."""
    if not result.passes(strict=strict):
        raise InvalidRecords(as_text(result.problems, result.record_count))
    return len(result.warnings)


def _derived_unless_broken(catalog: Catalog, today: date, frozen: bool) -> Portal | Exception:
    """The portal, derived while the rules run, or what deriving it raised: records that do not
    pass the check may not make one, and the check then says why. Kept only if they pass."""
    with phase("derive"):
        try:
            portal = build_portal(catalog, today, frozen=frozen)
            portal.digest_what_is_shown()  # before the build forks the processes that ask for them
        except Exception as error:  # raised by the caller should the records pass
            return error
    return portal


@paused_throughout
def build_site(
    root: Path,
    *,
    today: date,
    out: Path | None = None,
    strict: bool = False,
    frozen: bool = False,
    incremental: bool = True,
    cache_folder: Path | None = None,
    wait_for_old_site: bool = True,
    site_url: str | None = None,
) -> BuildResult:
    """Build into a staging folder and swap it in. `incremental` takes from the published site
    what would come out the same (build_cache.py); the result is the same bytes either way.
    Without `wait_for_old_site` the replaced site is deleted by a process of its own, after
    this returns (see `swap_in`). `site_url` stands for mkdocs.yml's (the preview's address)."""
    root = root.resolve()
    out = (out or root / "site").resolve()
    records_cache = (cache_folder or default_cache_folder(root)) if incremental else None
    build_cache = (cache_folder or default_cache_folder(out), out) if incremental else None
    portal, warnings, cache, loaded = _prepared(root, today, strict, frozen, records_cache, build_cache)
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    remove(staging)
    # An old site whose deletion was cut short, the remains of a spare a build was cut short in,
    # or the unfinished site of a build killed before it could delete it.
    stale_folders = [*out.parent.glob(f".{out.name}.previous-*"), *out.parent.glob(f".{out.name}.recycled-*")]
    for stale in [*stale_folders, *_abandoned_stagings(out)]:
        _discard(stale, wait=wait_for_old_site)
    if cache is not None:
        not_taken = cache.take(take_spare(out))  # the site two builds back, for its folders (recycling.py)
        if not_taken is not None:
            _discard(not_taken, wait=wait_for_old_site)
    try:
        _mkdocs_build(root, portal, staging, cache, site_url)
        with phase("swap"):
            if cache is not None:
                cache.note_folders(staging, staging / BUNDLE_FOLDER)
            kept = swap_in(
                staging, out, wait=wait_for_old_site, spare=cache is not None and cache.keeps_spare
            )
            if cache is not None:
                cache.kept_spare = kept
    finally:
        remove(staging)
        if cache is not None and cache.recycled is not None:
            _discard(cache.recycled, wait=wait_for_old_site)  # what this build did not take from it
    if cache is not None:
        cache.save()
    return BuildResult(out, portal, warnings, cache, loaded)


def _abandoned_stagings(out: Path) -> list[Path]:
    """The staging folders of builds whose process is gone. A build deletes its own as it stops,
    even on Ctrl+C; one killed outright (a second Ctrl+C, the machine shut down) cannot."""
    abandoned = []
    for staging in out.parent.glob(f".{out.name}.building-*"):
        pid = staging.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _running(int(pid)):
            abandoned.append(staging)
    return abandoned


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal: only asks whether the process is there
    except ProcessLookupError:
        return False
    except PermissionError:  # there, and another user's
        return True
    return True


def _mkdocs_build(
    root: Path, portal: Portal, site_dir: Path, cache: BuildCache | None, site_url: str | None = None
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _quiet_mkdocs()
    config_file = config_file_for(root)
    hand_over(config_file, root, portal, cache)
    command = f"mkdocs build --strict --config-file {config_file.name} --site-dir {site_dir.name}"
    try:
        # A site_url of None is dropped by load_config: mkdocs.yml's stands.
        config = load_config(
            config_file=str(config_file), site_dir=str(site_dir), strict=True, site_url=site_url
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            with phase("mkdocs"):
                build(config)
        finally:
            config.plugins.on_shutdown()
    except StageFailed as failure:
        raise ToolFailed(failure.stage, command, failure.detail) from failure
    except MkDocsException as error:
        raise ToolFailed("mkdocs", command, str(error)) from error


def swap_in(staging: Path, out: Path, *, wait: bool = True, spare: bool = False) -> bool:
    """Replace `out` by `staging` with renames, so readers never see a half-written site. The
    old site is kept as the next build's `spare` (recycling.py) or deleted; without `wait`, by a
    process of its own: the new site is in place already, and deleting a national portal's
    hundred thousand files takes twenty to fifty seconds that nobody needs to wait for. Returns
    whether the old site was kept as the spare."""
    previous = out.parent / f".{out.name}.previous-{os.getpid()}"
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    if not previous.exists():
        return False
    if spare and keep_as_spare(previous, out):
        return True
    _discard(previous, wait=wait)
    return False


def _discard(path: Path, *, wait: bool) -> None:
    """Delete an old site; errors are ignored (another process may be deleting it too): the next
    build deletes what is left."""
    if not wait:
        remove_in_background(path)
    elif path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def remove_in_background(path: Path) -> None:
    """Delete a folder from a detached process; the next build deletes it if that was cut short."""
    if not path.exists():
        return
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen(
            [sys.executable, "-c", code, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        _discard(path, wait=True)


def _quiet_mkdocs() -> None:
    """MkDocs logs each build step at INFO; keep warnings, which strict mode turns into errors."""
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
