"""The records' history, read from git: for each notice, when it was published and every later
change (date, commit, which fields changed), so that a reader can see that nothing was altered
silently; for each achievement, the days its file changed, which date its page in the sitemap.

The records are kept in git and published by pull request, so git already holds the public
record's history; this module only reads it, in five git calls whatever the number of records:
`git rev-parse` finds the work tree, `git log` lists every commit that touched a file under
notices/ (renames followed), one `git cat-file --batch` streams the versions that need
comparing, `git status` tells which files have changes not yet committed, and a second
`git log` lists the commits that touched a file under achievements/. Where there is no history
to read (a tarball, no git, a folder outside any work tree) the history is None and the pages
simply have no revision section: the build never fails for want of git.

Which fields changed between two versions is decided by value, not by text (`field_diff`, which
ends in `change_review.changed_fields`, the comparison `portal check-changes` makes): reordering
keys, requoting or re-indenting is no change, and the site and the pull-request check agree on
what is. A notice with a single version is never read at all. Dates are the commits' committer
dates, shown in China Standard Time: the day a version reached the branch the site is built from
when a pull request is squashed or rebased on merging, which the author date is not (it stays the
day, by the clerk's own clock, the change was first written).

Working-tree changes not yet committed are listed as "未提交的修改" (with the fields they change,
but no date: the page must not depend on the build machine's clock or file times). They only
appear in a local preview; the published site is built from a clean checkout.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from generator.change_review import FIELD_LABELS
from generator.clock import CHINA
from generator.field_diff import changed_top_level_fields
from generator.git_log import FileChange, Repository, file_changes, locate_repository, uncommitted_paths
from generator.git_source import stream_blobs
from generator.models import Notice
from generator.paths import RECORD_DEPTH, RECORD_FOLDERS
from generator.timing import phase

if TYPE_CHECKING:
    from generator.portal import Portal

NOTICE_FOLDER = RECORD_FOLDERS["notice"]
ACHIEVEMENT_FOLDER = RECORD_FOLDERS["achievement"]
# Commit hashes are shown and used in file names with this many hex digits: a fixed length, so a
# version's address never changes as the repository grows (git's own abbreviation lengthens).
SHORT_HASH_LENGTH = 12
VERSION_FOLDER = "versions"
VERSION_SUFFIX = ".txt"  # served as text/plain: a browser shows it instead of downloading it

# Not fields of the record: a move of the file, and a version that could not be read as YAML.
FILE_MOVED = "(file)"
UNREADABLE = "(unreadable)"
# Every top-level field of a notice, in the order of the model; the disclosed ones are labelled as
# `portal check-changes` labels them.
NOTICE_FIELDS = tuple(Notice.model_fields)
CHANGE_LABELS = {
    "id": "编号",
    "institution": "发布单位",
    **FIELD_LABELS,
    "body": "正文",
    "amendments": "更正记录",
    "outcome": "公示结果",
    FILE_MOVED: "文件位置",
    UNREADABLE: "文件内容（无法读取）",
}


@dataclass(frozen=True, slots=True)
class Revision:
    """One committed version of a notice file."""

    commit: str
    committed: datetime  # the commit's committer date, in China Standard Time
    path: str  # the file, relative to the portal folder, at this commit
    blob: str
    changed: tuple[str, ...]  # top-level fields that differ from the version before; () for the first

    @property
    def short(self) -> str:
        return self.commit[:SHORT_HASH_LENGTH]

    @property
    def when(self) -> str:
        """'2024年3月4日 09:30', China Standard Time."""
        moment = self.committed
        return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"

    @property
    def changed_labels(self) -> tuple[str, ...]:
        return field_labels(self.changed)


@dataclass(frozen=True, slots=True)
class NoticeHistory:
    notice_id: str
    revisions: tuple[Revision, ...]  # oldest first; empty for a file git does not know yet
    # False when the oldest version known lies on a shallow clone's boundary: the notice may have
    # been published earlier, so the page must not call that version its publication.
    from_publication: bool
    uncommitted: tuple[str, ...] | None  # fields changed in the working copy; None when clean

    @property
    def first(self) -> Revision | None:
        return self.revisions[0] if self.revisions else None

    @property
    def later(self) -> tuple[Revision, ...]:
        return self.revisions[1:]

    @property
    def uncommitted_labels(self) -> tuple[str, ...]:
        return field_labels(self.uncommitted or ())

    def version_file(self, revision: Revision) -> str:
        return version_path(self.notice_id, revision.commit)


@dataclass(frozen=True)
class RevisionHistory:
    git_top: Path  # the work tree the versions are read from
    notices: Mapping[str, NoticeHistory]  # by notice id
    forge_url: str | None = None  # the repository's web address (MkDocs `repo_url`), for commit links
    # The days (China Standard Time) of the commits that changed each achievement's file, by id:
    # a correction need not record an event, and the sitemap dates the page by the last one.
    achievements_committed: Mapping[str, tuple[date, ...]] = field(default_factory=dict)

    def of(self, notice_id: str) -> NoticeHistory | None:
        return self.notices.get(notice_id)

    def as_of(self, today: date) -> RevisionHistory:
        """The history up to `today` (China Standard Time), as the site shows every page: a build
        for a day gone by (the example, frozen on its reference date) does not list commits made
        after it, which read as the notice published or rewritten after it closed. A notice left
        with no commit (and no change in the working copy) has no history."""
        notices = {}
        for notice_id, history in self.notices.items():
            kept = tuple(revision for revision in history.revisions if revision.committed.date() <= today)
            if kept or history.uncommitted is not None:
                first_kept = bool(kept) and kept[0] == history.first
                notices[notice_id] = dataclasses.replace(
                    history, revisions=kept, from_publication=history.from_publication and first_kept
                )
        achievements = {
            achievement_id: tuple(day for day in days if day <= today)
            for achievement_id, days in self.achievements_committed.items()
        }
        return dataclasses.replace(self, notices=notices, achievements_committed=achievements)

    def commit_url(self, commit: str) -> str | None:
        """The commit's page on the forge: GitHub, Gitee and GitLab all answer `<repo>/commit/<hash>`."""
        return f"{self.forge_url.rstrip('/')}/commit/{commit}" if self.forge_url else None


def version_path(notice_id: str, commit: str) -> str:
    """Where a version of a notice is written in the site, e.g. notices/x/versions/1a2b3c4d5e6f.txt."""
    return f"{NOTICE_FOLDER}/{notice_id}/{VERSION_FOLDER}/{commit[:SHORT_HASH_LENGTH]}{VERSION_SUFFIX}"


def field_labels(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(CHANGE_LABELS.get(name, name) for name in names)


def attach_revision_history(portal: Portal, root: Path, forge_url: str | None = None) -> Portal:
    """The portal with the notices' revision history of the records in `root`, when git has one,
    as of the portal's day (`as_of`)."""
    with phase("revision history"):
        history = read_revision_history(root, forge_url)
        return dataclasses.replace(portal, revisions=history.as_of(portal.today) if history else None)


def read_revision_history(root: Path, forge_url: str | None = None) -> RevisionHistory | None:
    """The history of every notice file under `root`, or None when `root` is not in a git work tree."""
    repository = locate_repository(root)
    if repository is None:
        return None
    by_file = follow_renames(file_changes(repository, NOTICE_FOLDER))
    working = {
        path
        for path in uncommitted_paths(repository, NOTICE_FOLDER)
        if _is_record(repository, path, "notice")
    }
    files = sorted({path for path in by_file if _is_record(repository, path, "notice")} | working)
    needed = {path: _versions_to_read(by_file.get(path, []), path in working) for path in files}
    versions = _versions(repository, [blob for path in files for blob in needed[path]])
    notices: dict[str, NoticeHistory] = {}
    with closing(versions):  # ends the git process even if reading stops half-way
        for path in files:
            read = [next(versions) for _ in needed[path]]
            history = _notice_history(repository, path, by_file.get(path, []), path in working, read)
            notices[history.notice_id] = history
    return RevisionHistory(repository.top, notices, forge_url or None, _achievements_committed(repository))


def _achievements_committed(repository: Repository) -> dict[str, tuple[date, ...]]:
    """The days of the commits that changed each achievement file (renames followed), in order.
    A file that appears on a shallow clone's boundary was added before it, on a day unknown."""
    by_file = follow_renames(file_changes(repository, ACHIEVEMENT_FOLDER))
    return {
        PurePosixPath(path).stem: tuple(
            sorted(
                {
                    change.committed.astimezone(CHINA).date()
                    for change in changes
                    if not (change.status == "A" and change.commit in repository.shallow_commits)
                }
            )
        )
        for path, changes in by_file.items()
        if _is_record(repository, path, "achievement")
    }


def _notice_history(
    repository: Repository,
    path: str,
    changes: list[FileChange],
    uncommitted: bool,
    read: list[bytes],  # the versions `_versions_to_read` asked for
) -> NoticeHistory:
    compared: list[bytes | None] = [*read] if len(changes) > 1 else [None] * len(changes)
    working_changes: tuple[str, ...] | None = None
    if uncommitted:
        working_changes = _changes(read[-1], _read_file(repository.top / path)) if changes else ()
    first = changes[0] if changes else None
    # A file that first appears on a shallow clone's boundary was added before it, we cannot say when.
    from_publication = (
        first is not None and first.status == "A" and first.commit not in repository.shallow_commits
    )
    notice_id = PurePosixPath(path).stem
    return NoticeHistory(
        notice_id, tuple(_revisions(repository, changes, compared)), from_publication, working_changes
    )


def follow_renames(changes: list[FileChange]) -> dict[str, list[FileChange]]:
    """Group the changes (newest first, as `git log` gives them) by the file's latest path, oldest
    first, following renames back: a notice moved to another folder keeps its history.

    Walking back in time, `owner` says whose history an older change at a path belongs to: the
    latest file of that name, the file it was renamed into, or nobody (None) once the walk has
    passed the file's deletion or creation (an older file of the same name is another record).
    """
    owner: dict[str, str | None] = {}
    by_file: dict[str, list[FileChange]] = {}
    commits: dict[str, list[FileChange]] = {}
    for change in changes:  # one commit's changes are read together: renames may cross within it
        commits.setdefault(change.commit, []).append(change)
    for commit_changes in commits.values():
        owners = [owner.get(change.path, change.path) for change in commit_changes]
        for change, key in zip(commit_changes, owners, strict=True):
            if change.status == "D" or key is None:  # deleted later, or another record's past
                owner[change.path] = None
                if change.status == "R":
                    owner[change.old_path] = None
                continue
            if change.regular:
                by_file.setdefault(key, []).append(change)
            if change.status in ("A", "R"):
                owner[change.path] = None
            if change.status == "R":
                owner[change.old_path] = key
    return {key: list(reversed(file_changes)) for key, file_changes in by_file.items()}


def _is_record(repository: Repository, path: str, kind: str) -> bool:
    """A record file's place below the portal folder: notices/<institution>/<year>/<id>.yml,
    achievements/<institution>/<id>.yml."""
    if not path.startswith(repository.prefix) or not path.endswith(".yml"):
        return False
    parts = PurePosixPath(path.removeprefix(repository.prefix)).parts
    return len(parts) == RECORD_DEPTH[kind] + 2 and parts[0] == RECORD_FOLDERS[kind]


def _versions_to_read(changes: list[FileChange], uncommitted: bool) -> list[str]:
    """Every version when there is a change to describe; the last one alone when only the
    working copy is to be compared with it; none for a notice with a single version."""
    if len(changes) > 1:
        return [change.blob for change in changes]
    if changes and uncommitted:
        return [changes[-1].blob]
    return []


def _versions(repository: Repository, blobs: list[str]) -> Generator[bytes, None, None]:
    """Each blob's contents, in the order asked, from one `git cat-file --batch`."""
    for _, content in stream_blobs(repository.top, blobs):
        yield content


def _revisions(
    repository: Repository, changes: list[FileChange], contents: list[bytes | None]
) -> Iterator[Revision]:
    for index, change in enumerate(changes):
        changed: tuple[str, ...] = ()
        if index > 0:
            changed = _changes(contents[index - 1], contents[index])
            if change.status == "R":
                changed += (FILE_MOVED,)
        yield Revision(
            commit=change.commit,
            committed=change.committed.astimezone(CHINA),
            path=change.path.removeprefix(repository.prefix),
            blob=change.blob,
            changed=changed,
        )


def _changes(before: bytes | None, after: bytes | None) -> tuple[str, ...]:
    """The top-level fields that differ, in the order of the notice model, then any other keys."""
    if before is None or after is None:
        return (UNREADABLE,)
    changed = changed_top_level_fields(before, after, NOTICE_FIELDS)
    return (UNREADABLE,) if changed is None else changed


def _read_file(file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError:
        return None
