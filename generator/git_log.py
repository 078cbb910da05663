"""Which commits changed which files of a folder, read from git in one call.

The history that counts is the line of commits the site was published from: first parents only,
a merge shown as the change it brought, so a pull request's work-in-progress commits never
appear as changes of the public record. Renames are detected (`-M`) so that a record keeps its
history when its file moves; blob ids are given in full so the versions can be read later with
one `git cat-file --batch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator.errors import ToolFailed
from generator.git_source import run_git

# Each commit starts with this byte: it cannot occur in a hash, a date or a -z path list.
_COMMIT_MARK = b"\x01"
# `git log` options that a user's configuration could otherwise change under us.
_PLAIN_OUTPUT = ("--no-color", "--no-show-signature", "--no-ext-diff", "--no-textconv")
_REGULAR_FILE_MODES = ("100644", "100755")


@dataclass(frozen=True, slots=True)
class Repository:
    """Where a portal folder sits in its git work tree."""

    top: Path  # the work tree's top folder
    prefix: str  # the portal folder relative to `top`, "" or ending in "/"
    head: str  # the commit checked out
    shallow_commits: frozenset[str]  # a shallow clone's boundary: history before them is cut off


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file changed by one commit, as `git log --raw` reports it."""

    commit: str
    committed: datetime  # zone-aware, in the committer's own zone
    status: str  # A (added), M (modified), D (deleted), R (renamed), T (type changed)
    path: str  # after the change, relative to the work tree's top
    old_path: str  # before the change: differs from `path` for a rename only
    blob: str  # the file's blob after the change (all zeros for a deletion)
    regular: bool  # a regular file after the change (not a symbolic link or a submodule)


def locate_repository(root: Path) -> Repository | None:
    """The git work tree holding `root`, or None when there is none to read (no git, not a work
    tree, no commit yet, or a repository git refuses to read, such as another user's)."""
    try:
        output = run_git(
            root, "rev-parse", "--show-toplevel", "--show-prefix", "--git-path", "shallow", "HEAD"
        )
    except ToolFailed:
        return None
    lines = output.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 4:
        return None
    top, prefix, shallow_file, head = lines[:4]
    shallow_path = root / shallow_file  # given relative to the folder git ran in
    boundary = shallow_path.read_text(encoding="ascii").split() if shallow_path.is_file() else []
    return Repository(Path(top), prefix, head.strip(), frozenset(boundary))


def file_changes(repository: Repository, folder: str) -> list[FileChange]:
    """Every change to a file under `folder` (relative to the portal folder), newest first."""
    output = run_git(
        repository.top,
        "log",
        "-z",
        "--first-parent",
        "-m",  # with --first-parent: a merge is shown as its diff against the branch it joined
        "-M",
        "--raw",
        "--no-abbrev",
        *_PLAIN_OUTPUT,
        "--format=%x01%H %cI",
        repository.head,
        "--",
        f"{repository.prefix}{folder}/",
    )
    changes: list[FileChange] = []
    for block in output.split(_COMMIT_MARK)[1:]:
        header, _, raw = block.partition(b"\0")
        commit, committed = header.decode("ascii").split()
        changes.extend(_parse_raw(commit, datetime.fromisoformat(committed), raw))
    return changes


def _parse_raw(commit: str, committed: datetime, raw: bytes) -> list[FileChange]:
    """`:oldmode newmode oldblob newblob status\\0path\\0[newpath\\0]` entries of one commit."""
    fields = raw.lstrip(b"\n").split(b"\0")
    changes: list[FileChange] = []
    position = 0
    while position < len(fields) and fields[position].startswith(b":"):
        _, new_mode, _, blob, status = fields[position][1:].decode("ascii").split()
        paths_taken = 2 if status[0] in "RC" else 1
        paths = [
            name.decode("utf-8", "surrogateescape")
            for name in fields[position + 1 : position + 1 + paths_taken]
        ]
        position += 1 + paths_taken
        changes.append(
            FileChange(
                commit=commit,
                committed=committed,
                status=status[0],
                path=paths[-1],
                old_path=paths[0],
                blob=blob,
                regular=new_mode in _REGULAR_FILE_MODES,
            )
        )
    return changes


def uncommitted_paths(repository: Repository, folder: str) -> set[str]:
    """Files under `folder` (paths relative to the top) whose working copy is not the committed
    one: changed, staged, or new to git. Deleted files are left out: the site cannot show them.
    Renames are not paired (`--no-renames`): a file moved but not yet committed counts as new."""
    output = run_git(
        repository.top,
        "status",
        "--porcelain=v1",  # paths relative to the top, whatever folder git runs in
        "-z",
        "--untracked-files=all",
        "--no-renames",
        "--",
        f"{repository.prefix}{folder}/",
    )
    changed: set[str] = set()
    for entry in output.split(b"\0"):
        state, path = entry[:2], entry[3:]
        if path and b"D" not in state:
            changed.add(path.decode("utf-8", "surrogateescape"))
    return changed
