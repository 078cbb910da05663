"""Load every record of a portal into one typed catalogue, collecting every problem on the way.

Gather first, judge later: a broken file is reported and left out, and the rest still loads,
so one report lists all that is wrong (never just the first failing file).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from generator.forked import each_forked, worker_count
from generator.messages import hint
from generator.models import RECORD_MODELS, Achievement, Institution, Notice, Policy
from generator.models.common import SLUG
from generator.notice_rule import NoticeRule, notice_rule
from generator.paths import (
    RECORD_FOLDERS,
    RecordFile,
    find_record_files,
    misnamed_record_folders,
    misplaced_params,
    record_path,
)
from generator.problems import Problem
from generator.record_cache import RecordCache, file_digest, rereader
from generator.schema_problems import validate_record
from generator.yaml_source import FieldPath, SourceFile, parse_record_bytes, read_record_bytes

RecordT = TypeVar("RecordT", bound=BaseModel)
PARTS_PER_WORKER = 4
# This process waits for the first part before it takes in any: at 50,000 records a part of
# 6,000 files kept it waiting 0.2 s, while the processes had read many more.
MAX_PART_FILES = 1000


@dataclass(frozen=True, slots=True)
class Parsed:
    """What reading one file gave: its source, its record (None when invalid), the schema's problems."""

    source: SourceFile
    record: Any
    problems: list[Problem]


# What a process reading files sends back for one: its source (None for a file not where a
# record belongs, or one the record cache holds), the digest of its bytes, whether the cache
# holds it, and for a well-formed file read without positions its data alone (the source is
# made here: a quarter of the bytes to pickle). A plain tuple: it pickles and unpickles in 0.031
# ms a file against 0.051 ms for a dataclass, and 50,000 files cross the pipe at a check.
_Reading = tuple[SourceFile | None, str, bool, dict[str, Any] | None]
_NOTHING_READ: _Reading = (None, "", False, None)


def _source_of_data(record_file: RecordFile, digest: str, data: dict[str, Any]) -> SourceFile:
    source = SourceFile(record_file.display, data)
    source.reread = rereader(record_file.location, record_file.display, digest)
    return source


@dataclass(frozen=True, slots=True)
class Loaded(Generic[RecordT]):
    """A valid record with the file it came from, so rules can point at its lines."""

    record: RecordT
    source: SourceFile
    folders: tuple[str, ...]
    digest: str = ""  # of the file's bytes: stands for the record in a page's key (page_keys.py)

    def problem(self, code: str, at: FieldPath = (), /, **params: object) -> Problem:
        return self.source.problem(code, at, **params)


@dataclass
class Catalog:
    root: Path
    policies: dict[str, Loaded[Policy]] = field(default_factory=dict)
    institutions: dict[str, Loaded[Institution]] = field(default_factory=dict)
    achievements: dict[str, Loaded[Achievement]] = field(default_factory=dict)
    notices: dict[str, Loaded[Notice]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Ids of records that exist but did not validate: references to them are not reported
    # again, so one broken file gives one problem, not one per record that mentions it.
    broken: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in RECORD_MODELS})
    # Ids of records read with the values their clerk plainly meant (schema_problems._as_meant):
    # in the tables, for the rules to run on, but not valid: not counted as such, and not
    # reviewed against the published record (change_review.py) until they read as written.
    mended: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in RECORD_MODELS})

    def table(self, kind: str) -> dict[str, Any]:
        tables: dict[str, dict[str, Any]] = {
            "policy": self.policies,
            "institution": self.institutions,
            "achievement": self.achievements,
            "notice": self.notices,
        }
        return tables[kind]

    @property
    def valid_count(self) -> int:
        """The records loaded, less those read only with values their clerk meant."""
        return sum(1 for _ in self.all_loaded()) - sum(len(ids) for ids in self.mended.values())

    def known(self, kind: str, record_id: str) -> bool:
        return record_id in self.table(kind) or record_id in self.broken[kind]

    def rule_for(self, notice: Notice) -> NoticeRule | None:
        """The notice rule of the notice's institution and its policy; None while either is missing
        or invalid (that is reported on its own)."""
        institution = self.institutions.get(notice.institution)
        if institution is None:
            return None
        policy = self.policies.get(institution.record.policy)
        if policy is None:
            return None
        return notice_rule(policy.record, institution.record)

    def all_loaded(self) -> Iterator[tuple[str, Loaded[Any]]]:
        for kind in RECORD_MODELS:
            for loaded in self.table(kind).values():
                yield kind, loaded


def load_catalog(root: Path, cache: RecordCache | None = None) -> Catalog:
    """Every record under `root`; with a cache, files read before are not parsed again (the
    caller saves the cache once the rules have run: see RecordCache.save)."""
    catalog = Catalog(root)
    for folder, meant, stems in misnamed_record_folders(root):
        catalog.problems.append(
            Problem("folder-misnamed", folder + "/", params={"folder": folder + "/", "meant": meant})
        )
        # Its records are there, only not read: what refers to them is not reported as dangling.
        catalog.broken[_KIND_OF_FOLDER[meant]].update(stems)
    if not any((root / folder).is_dir() for folder in RECORD_FOLDERS.values()):
        # A mistyped folder must not pass as a portal with nothing wrong in it.
        catalog.problems.append(Problem("portal-no-records", ".", params={"root": str(root)}))
        return catalog
    files = list(find_record_files(root))
    for record_file, (parsed, digest) in zip(files, _read_all(files, cache), strict=True):
        _add(catalog, record_file, parsed, digest)
    return catalog


def _read_all(files: list[RecordFile], cache: RecordCache | None) -> list[tuple[Parsed | None, str]]:
    """What reading each file gives (None for a file not where a record belongs), with the
    digest of its bytes. For a large portal the files are read, digested and parsed in as many
    processes as there are cores (forked.py), which send back plain data: this process only
    makes the records, as validating them costs less than unpickling them would."""
    workers = worker_count(len(files))
    # More parts than workers: this process takes in one part's results while the workers read
    # the next.
    size = min(-(-len(files) // (workers * PARTS_PER_WORKER)), MAX_PART_FILES) if files else 0
    parts = each_forked(
        [
            partial(_read_part, files[first : first + size], cache, workers > 1)
            for first in range(0, len(files), size or 1)
        ],
        workers,
    )
    results: list[tuple[Parsed | None, str]] = []
    for record_file, reading in zip(files, (one for part in parts for one in part), strict=True):
        source, digest, cached, data = reading
        if data is not None:
            source = _source_of_data(record_file, digest, data)
        if cache is not None and digest:
            key = RecordCache.key(record_file.kind, record_file.display, digest)
            if cached:
                source = cache.find(key, record_file.location)
                if source is None:  # its bucket was damaged since the index was written
                    source = _read_here(record_file)
                    cache.keep(key, source)
            elif source is not None:
                cache.keep(key, source)
        results.append((_validated(record_file.kind, source) if source is not None else None, digest))
    return results


def _read_part(part: list[RecordFile], cache: RecordCache | None, forked: bool) -> list[_Reading]:
    """Read, digest and parse files, unless the cache has them. A forked process reads them
    without positions and sends back a well-formed file's data alone (a file with a problem:
    its source, its problems placed): a schema problem or a rule that needs a line has the file
    read again (_validated, SourceFile.where)."""
    readings: list[_Reading] = []
    for record_file in part:
        if record_file.problem:
            readings.append(_NOTHING_READ)
            continue
        raw = read_record_bytes(record_file.location, record_file.display)
        if isinstance(raw, SourceFile):
            readings.append((raw, "", False, None))
            continue
        digest = file_digest(raw)
        if cache is not None and cache.has(RecordCache.key(record_file.kind, record_file.display, digest)):
            readings.append((None, digest, True, None))
            continue
        source = parse_record_bytes(raw, record_file.display, positions=not forked)
        if not forked:
            readings.append((source, digest, False, None))
        elif source.problems:
            readings.append((source.without_positions(), digest, False, None))
        else:
            readings.append((None, digest, False, source.data))
    return readings


def _read_here(record_file: RecordFile) -> SourceFile:
    """A file the cache was to have, read in this process, with its positions."""
    raw = read_record_bytes(record_file.location, record_file.display)
    return raw if isinstance(raw, SourceFile) else parse_record_bytes(raw, record_file.display)


def _validated(kind: str, source: SourceFile) -> Parsed:
    """The record a file's data makes, or the schema's problems with it (placed: a source read
    without positions has them read again, see validate_record)."""
    if source.data is None:
        return Parsed(source, None, [])
    moved = _in_the_other_folder(kind, source)
    if moved is not None:  # one problem that says where it goes, not a dozen about its fields
        return Parsed(source, None, [moved])
    model: type[BaseModel] = RECORD_MODELS[kind]
    record, problems = validate_record(model, source)
    return Parsed(source, record, problems)


_OTHER_KIND = {"achievement": "notice", "notice": "achievement"}
_KIND_OF_FOLDER = {folder: kind for kind, folder in RECORD_FOLDERS.items()}


def _in_the_other_folder(kind: str, source: SourceFile) -> Problem | None:
    """A notice saved among the achievements (it has a period and a kind), or an achievement
    among the notices (a team and no period): the folder is wrong, not its fields."""
    data = source.data
    if not isinstance(data, dict):
        return None
    if kind == "achievement" and "period" in data and "kind" in data:
        period = data["period"]
        start = period.get("start") if isinstance(period, dict) else None
        year = str(start)[:4] if start is not None and str(start)[:4].isdigit() else "<开始年份>"
        target = record_path("notice", *_id_and_institution(source), year)
        return source.problem("record-in-wrong-folder", (), what="公示", what_en="a notice", target=target)
    if kind == "notice" and "team" in data and "period" not in data:
        target = record_path("achievement", *_id_and_institution(source))
        return source.problem(
            "record-in-wrong-folder", (), what="成果", what_en="an achievement", target=target
        )
    return None


def _id_and_institution(source: SourceFile) -> tuple[str, str]:
    """What a misplaced record's new path is made of: asked only for one (a Path for each of
    50,000 records took a tenth of a second of every load)."""
    assert source.data is not None
    record_id = _text_or(source.data.get("id"), Path(source.path).stem)
    return record_id, _text_or(source.data.get("institution"), "<单位编号>")


def _text_or(value: object, otherwise: str) -> str:
    return value if isinstance(value, str) else otherwise


def _add(catalog: Catalog, record_file: RecordFile, parsed: Parsed | None, digest: str) -> None:
    if parsed is None:
        _add_misplaced(catalog, record_file)
        return
    source, record, problems = parsed.source, parsed.record, parsed.problems
    catalog.problems.extend(source.problems)
    if source.data is None:
        catalog.broken[record_file.kind].add(record_file.stem)
        return
    catalog.problems.extend(problems)
    if record is None:
        # A record in the other kind's folder is that kind's: what refers to it is not dangling.
        moved = any(problem.code == "record-in-wrong-folder" for problem in problems)
        kind = _OTHER_KIND[record_file.kind] if moved else record_file.kind
        catalog.broken[kind].add(record_file.stem)
        if isinstance(source.data.get("id"), str):
            catalog.broken[kind].add(source.data["id"])
        return
    table = catalog.table(record_file.kind)
    record_id: str = getattr(record, "id")  # noqa: B009 - every record model has an id
    if record_id in table:
        earlier = table[record_id]
        earlier_stem = Path(earlier.source.path).stem
        if earlier_stem != record_id and record_file.stem == record_id:
            # The earlier file is the copy (it sorted first): it is told to take its name's id,
            # not this one, which would break the published record and what refers to it.
            table[record_id] = Loaded(record, source, record_file.folders, digest)
            catalog.mended[record_file.kind].discard(record_id)
            if any(problem.is_error for problem in problems):
                catalog.mended[record_file.kind].add(record_id)
            source, other, stem = earlier.source, source.path, earlier_stem
        else:
            other, stem = earlier.source.path, record_file.stem
        # A file copied from another and renamed, its id left as it was: the file's name says the id meant.
        meant = stem if stem != record_id else ""
        fix = (
            hint("id-as-file-name", id=meant)
            if meant and meant not in table and SLUG.fullmatch(meant)
            else hint("id-choose-another")
        )
        catalog.problems.append(source.problem("duplicate-id", ("id",), id=record_id, other=other, **fix))
        return
    table[record_id] = Loaded(record, source, record_file.folders, digest)
    if any(problem.is_error for problem in problems):
        catalog.mended[record_file.kind].add(record_id)


def _add_misplaced(catalog: Catalog, record_file: RecordFile) -> None:
    assert record_file.problem is not None
    params = (
        misplaced_params(record_file.kind, record_file.stem, record_file.folders)
        if record_file.problem == "file-misplaced"
        else {
            "extension": record_file.path.suffix,
            "suggestion": record_file.detail,
            "target": record_file.detail,
        }
    )
    catalog.problems.append(Problem(record_file.problem, record_file.display, params=params))
    # The record is there, only misplaced: what refers to it is not reported as dangling.
    renamed = record_file.problem in ("file-extension", "file-no-extension")
    catalog.broken[record_file.kind].add(
        record_file.detail.removesuffix(".yml") if renamed else record_file.stem
    )
