"""The records as they stood at a git revision, copied into a folder the ordinary loader can read.

`git ls-tree` lists the record files under the portal folder at the revision, and one
`git cat-file --batch` process streams every blob, so a portal of thousands of records costs two
git calls, not one per file. Only the record folders are copied; symbolic links are left out
(the loader would refuse them anyway, and a link must never point outside the copy).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from tempfile import TemporaryDirectory

from generator.errors import ToolFailed
from generator.paths import RECORD_FOLDERS, YAML_SUFFIXES

_BLOB_MODES = ("100644", "100755")


def _git(root: Path, *arguments: str, stdin: bytes | None = None) -> bytes:
    command = ["git", "-C", str(root), *arguments]
    try:
        completed = subprocess.run(command, input=stdin, capture_output=True, check=False)
    except OSError as error:  # git itself is missing
        raise ToolFailed("git", " ".join(command), str(error)) from error
    if completed.returncode != 0:
        output = completed.stderr.decode("utf-8", "replace") or completed.stdout.decode("utf-8", "replace")
        raise ToolFailed("git", " ".join(command), output)
    return completed.stdout


def record_blobs(root: Path, ref: str) -> dict[str, str]:
    """Record files at `ref` under the portal folder `root`: path relative to root -> blob id."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ToolFailed as failure:
        raise ToolFailed(
            "git",
            failure.command,
            f"找不到 git 版本 {ref}。在 GitHub Actions 中请用 actions/checkout 的 fetch-depth: 0 取得完整历史。"
            f"\n(unknown revision {ref}: fetch the full history, e.g. fetch-depth: 0)\n{failure.output}",
        ) from failure
    # Without --full-tree, ls-tree lists what lies under the current folder, relative to it.
    listing = _git(root, "ls-tree", "-r", "-z", ref, "--", *RECORD_FOLDERS.values())
    blobs: dict[str, str] = {}
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, blob = meta.decode("ascii").split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode not in _BLOB_MODES or not path.lower().endswith(YAML_SUFFIXES):
            continue
        blobs[path] = blob
    return blobs


def read_blobs(root: Path, blob_ids: list[str]) -> dict[str, bytes]:
    """The contents of many blobs from one `git cat-file --batch`."""
    if not blob_ids:
        return {}
    unique = sorted(set(blob_ids))
    output = _git(root, "cat-file", "--batch", stdin="".join(f"{blob}\n" for blob in unique).encode())
    contents: dict[str, bytes] = {}
    position = 0
    for _ in unique:
        header_end = output.index(b"\n", position)
        name, _, size = output[position:header_end].decode("ascii").split()
        start = header_end + 1
        contents[name] = output[start : start + int(size)]
        position = start + int(size) + 1  # the content is followed by a newline
    return contents


@contextmanager
def records_at(root: Path, ref: str) -> Iterator[Path]:
    """A temporary portal folder holding the record files of `root` as they were at `ref`."""
    blobs = record_blobs(root, ref)
    contents = read_blobs(root, list(blobs.values()))
    with TemporaryDirectory(prefix="portal-base-") as folder:
        base = Path(folder)
        for relative, blob in blobs.items():
            parts = PurePosixPath(relative).parts
            if ".." in parts or PurePosixPath(relative).is_absolute():
                continue
            target = base.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(contents[blob])
        yield base
