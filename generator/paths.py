"""Where records live in a portal repository, and which files are records.

policies/<id>.yml
institutions/<id>.yml
achievements/<institution>/<id>.yml
notices/<institution>/<year>/<id>.yml       (attachments anywhere else under notices/<institution>/)
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.messages import hint, no_hint

RECORD_FOLDERS = {
    "policy": "policies",
    "institution": "institutions",
    "achievement": "achievements",
    "notice": "notices",
}
# How many folders deep a record sits below its kind's folder.
RECORD_DEPTH = {"policy": 0, "institution": 0, "achievement": 1, "notice": 2}
YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True, slots=True)
class RecordFile:
    kind: str
    location: str  # the file's path as found: a Path for each of 50,000 files costs half a second
    display: str  # relative to the portal root, with forward slashes
    folders: tuple[str, ...]  # the folders between the kind's folder and the file
    problem: str | None = None  # a layout code when the file is not where a record belongs
    detail: str = ""

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def stem(self) -> str:
        return self.path.name.rsplit(".", 1)[0]


def find_record_files(root: Path) -> Iterator[RecordFile]:
    """Every YAML file under the record folders, sorted, with layout problems flagged.

    Symbolic links are reported, never followed: a link could point outside the repository.
    """
    for kind, folder in RECORD_FOLDERS.items():
        base = root / folder
        if not base.is_dir():
            continue
        # Plain strings and the directory entries' own file types: a national portal has tens of
        # thousands of files, and a Path and a stat for each cost seconds.
        for parts, entry in sorted(_walk(base), key=lambda item: item[0]):
            name, folders = parts[-1], parts[:-1]
            display = "/".join((folder, *parts))
            linked = entry.is_symlink()
            # A linked folder is reported too: the records in it would be silently left out.
            if not name.lower().endswith(YAML_SUFFIXES) and not (linked and entry.is_dir()):
                meant = _meant_as_record(kind, entry.path, name, folders)
                if meant is not None:
                    code = "file-no-extension" if "." not in name else "file-extension"
                    yield RecordFile(kind, entry.path, display, folders, code, meant)
                continue
            location = entry.path
            if linked:
                yield RecordFile(
                    kind, location, display, folders, "file-symlink", str(Path(location).readlink())
                )
            elif not name.endswith(".yml"):  # .yaml, .YML: one spelling, so links and owners match
                yield RecordFile(kind, location, display, folders, "file-extension", Path(name).stem + ".yml")
            elif len(folders) != RECORD_DEPTH[kind] or (kind == "notice" and not _is_year(folders[1])):
                yield RecordFile(kind, location, display, folders, "file-misplaced", _expected(kind))
            else:
                yield RecordFile(kind, location, display, folders)


def _meant_as_record(kind: str, location: str, name: str, folders: tuple[str, ...]) -> str | None:
    """The name a file that is not YAML was most likely meant to have, when it looks like a
    record saved under another name (it would be left out without a word): `x.yml.txt` and
    `x.yaml.bak` anywhere; where a record belongs (for a notice, a year's folder), `x.txt`
    (Notepad's default) or `x` with no extension that starts like a record (`id:`). Other files
    are left alone: attachments (notices/<unit>/attachments/), a README, the tools' hidden files."""
    lowered = name.lower()
    if name.startswith("."):
        return None
    for suffix in YAML_SUFFIXES:
        found = lowered.find(suffix + ".")
        if found > 0:
            return name[:found].strip() + ".yml"
    where_records_are = len(folders) == RECORD_DEPTH[kind] and (kind != "notice" or _is_year(folders[1]))
    if (
        where_records_are
        and ("." not in name or lowered.endswith(".txt"))
        and _starts_like_a_record(location)
    ):
        return name.rsplit(".", 1)[0].strip() + ".yml"
    return None


def _is_year(folder: str) -> bool:
    return folder.isdigit() and len(folder) == 4


_RECORD_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*id\s*(?::|\xef\xbc\x9a)", re.MULTILINE)


def _starts_like_a_record(location: str) -> bool:
    """Whether a file's first kilobytes hold an `id:` line (a full-width colon counts)."""
    try:
        with Path(location).open("rb") as file:
            return _RECORD_START.search(file.read(4096)) is not None
    except OSError:
        return False


def misnamed_record_folders(root: Path) -> Iterator[tuple[str, str, set[str]]]:
    """Folders at the top of the portal that look like a record folder misspelt (`notice/`,
    `Notices/`, `公示/`) and hold YAML files: each with the folder meant and the names of its
    YAML files (their records would be left out without a word). Hidden folders (.github) are
    not looked at."""
    known = set(RECORD_FOLDERS.values())
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in known or not entry.is_dir(follow_symlinks=False):
            continue
        meant = _folder_meant(entry.name)
        if meant is None:
            continue
        stems = {
            name.rsplit(".", 1)[0]
            for _, _, names in os.walk(entry.path)
            for name in names
            if name.lower().endswith(YAML_SUFFIXES)
        }
        if stems:
            yield entry.name, meant, stems


# What a clerk may call a record folder, by the folder it is.
_FOLDER_WORDS = {"公示": "notices", "成果": "achievements", "单位": "institutions", "政策": "policies"}


def _folder_meant(name: str) -> str | None:
    lowered = name.strip().lower()
    for folder in RECORD_FOLDERS.values():
        if lowered in (folder, folder[:-1], folder.removesuffix("ies") + "y"):
            return folder
    return next(
        (
            folder
            for word, folder in _FOLDER_WORDS.items()
            if name.strip() in (word, word + "记录", word + "文件")
        ),
        None,
    )


def _walk(base: Path) -> Iterator[tuple[tuple[str, ...], os.DirEntry[str]]]:
    """Every file under `base` (links not followed), with its path's parts below `base`."""
    stack: list[tuple[tuple[str, ...], str]] = [((), str(base))]
    while stack:
        parts, folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(((*parts, entry.name), entry.path))
                else:
                    yield (*parts, entry.name), entry


_EXPECTED = {
    "policy": ("政策文件应直接放在 policies/ 下：policies/<编号>.yml。", "Policies go in policies/<id>.yml."),
    "institution": (
        "单位文件应直接放在 institutions/ 下：institutions/<编号>.yml。",
        "Institutions go in institutions/<id>.yml.",
    ),
    "achievement": (
        "成果文件应放在 achievements/<单位编号>/<成果编号>.yml。",
        "Achievements go in achievements/<institution>/<id>.yml.",
    ),
    "notice": (
        "公示文件应放在 notices/<单位编号>/<开始年份>/<公示编号>.yml，例如 notices/gnas/2024/gnas-2024-n01.yml。",
        "Notices go in notices/<institution>/<start year>/<id>.yml.",
    ),
}


def _expected(kind: str) -> str:
    return kind


def misplaced_params(kind: str, stem: str, folders: tuple[str, ...]) -> dict[str, str]:
    zh, en = _EXPECTED[kind]
    target = _place_for(kind, stem, folders)
    return {"expected": zh, "expected_en": en} | (
        hint("move-to", "move", target=target) if target else no_hint("move")
    )


_ID_PARTS = re.compile(r"^([a-z0-9]+)-([0-9]{4})-[a-z0-9-]+$")


def record_path(kind: str, record_id: str, institution: str = "", year: str = "") -> str:
    """Where a record's file goes, relative to the portal (see the module's docstring)."""
    folders = {"achievement": [institution], "notice": [institution, year]}.get(kind, [])
    return "/".join([RECORD_FOLDERS[kind], *folders, f"{record_id}.yml"])


def _place_for(kind: str, stem: str, folders: tuple[str, ...]) -> str | None:
    """Where a misplaced record goes, from its file name (gnas-2025-n03: unit gnas, year 2025)
    and the unit's folder it is in, when they tell."""
    parts = _ID_PARTS.match(stem)
    unit = folders[0] if folders else parts.group(1) if parts else ""
    if (kind in ("achievement", "notice") and not unit) or (kind == "notice" and parts is None):
        return None
    return record_path(kind, stem, unit, parts.group(2) if parts else "")


def attachment_folder(root: Path, institution: str) -> Path:
    """Attachment paths in a notice are relative to its institution's notices folder."""
    return root / RECORD_FOLDERS["notice"] / institution
