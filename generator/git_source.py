"""The records as they stood at a git revision, copied into a folder the ordinary loader can read.

`git ls-tree` lists the record files under the portal folder at the revision, and one
`git cat-file --batch` process streams every blob, so a portal of thousands of records costs two
git calls, not one per file. Only the record folders are copied; symbolic links are left out
(the loader would refuse them anyway, and a link must never point outside the copy).
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath
from tempfile import TemporaryDirectory

from generator.errors import ToolFailed
from generator.paths import RECORD_FOLDERS, YAML_SUFFIXES

_BLOB_MODES = ("100644", "100755")


def run_git(root: Path, *arguments: str, stdin: bytes | None = None) -> bytes:
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
        run_git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ToolFailed as failure:
        raise ToolFailed(
            "git",
            failure.command,
            f"找不到 git 版本 {ref}。在 GitHub Actions 中请用 actions/checkout 的 fetch-depth: 0 取得完整历史。"
            f"\n(unknown revision {ref}: fetch the full history, e.g. fetch-depth: 0)\n{failure.output}",
        ) from failure
    # Without --full-tree, ls-tree lists what lies under the current folder, relative to it.
    listing = run_git(root, "ls-tree", "-r", "-z", ref, "--", *RECORD_FOLDERS.values())
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
    output = run_git(root, "cat-file", "--batch", stdin="".join(f"{blob}\n" for blob in unique).encode())
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


def stream_blobs(root: Path, blob_ids: list[str]) -> Iterator[tuple[str, bytes]]:
    """Each blob's contents in the order asked, from one `git cat-file --batch` read while it writes.

    Unlike `read_blobs`, the whole answer never sits in memory: a history of tens of thousands of
    versions is handed over one version at a time. A thread feeds the ids, because git stops
    reading its input once its output pipe is full and we are not yet reading.
    """
    if not blob_ids:
        return
    command = ["git", "-C", str(root), "cat-file", "--batch"]
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError as error:  # git itself is missing
        raise ToolFailed("git", " ".join(command), str(error)) from error
    assert process.stdin is not None and process.stdout is not None
    requests, answers = process.stdin, process.stdout

    def feed() -> None:
        try:
            for blob in blob_ids:
                requests.write(f"{blob}\n".encode("ascii"))
        except OSError:  # git ended early: we stopped reading and killed it
            pass
        finally:
            with suppress(OSError):
                requests.close()  # git answers the last request, then ends

    feeder = threading.Thread(target=feed, name="git-cat-file-feed", daemon=True)
    feeder.start()
    try:
        for blob in blob_ids:
            header = answers.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                answer = b" ".join(header).decode("utf-8", "replace") or "no answer"
                raise ToolFailed("git", " ".join(command), f"{blob}: {answer}")
            content = answers.read(int(header[2]))
            if len(content) != int(header[2]):
                raise ToolFailed("git", " ".join(command), f"{blob}: the answer ended early")
            answers.read(1)  # the newline after the content
            yield blob, content
        process.wait()
    finally:
        if process.poll() is None:  # the reader stopped early, or an answer was wrong
            process.kill()
            process.wait()
        feeder.join()
        answers.close()
