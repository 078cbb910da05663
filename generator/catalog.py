"""Load every record of a portal into one typed catalogue, collecting every problem on the way.

Gather first, judge later: a broken file is reported and left out, and the rest still loads,
so one report lists all that is wrong (never just the first failing file).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from generator.models import RECORD_MODELS, Achievement, Institution, Notice, Policy
from generator.notice_rule import NoticeRule, notice_rule
from generator.paths import RECORD_FOLDERS, RecordFile, find_record_files, misplaced_params
from generator.problems import Problem
from generator.record_cache import Parsed, RecordCache
from generator.schema_problems import validate_record
from generator.yaml_source import FieldPath, SourceFile, parse_record_bytes, read_record_bytes

RecordT = TypeVar("RecordT", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Loaded(Generic[RecordT]):
    """A valid record with the file it came from, so rules can point at its lines."""

    record: RecordT
    source: SourceFile
    folders: tuple[str, ...]

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

    def table(self, kind: str) -> dict[str, Any]:
        tables: dict[str, dict[str, Any]] = {
            "policy": self.policies,
            "institution": self.institutions,
            "achievement": self.achievements,
            "notice": self.notices,
        }
        return tables[kind]

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
    """Every record under `root`; with a cache, files read before are not parsed again."""
    catalog = Catalog(root)
    if not any((root / folder).is_dir() for folder in RECORD_FOLDERS.values()):
        # A mistyped folder must not pass as a portal with nothing wrong in it.
        catalog.problems.append(Problem("portal-no-records", ".", params={"root": str(root)}))
        return catalog
    for record_file in find_record_files(root):
        _load_one(catalog, record_file, cache)
    if cache is not None:
        cache.save()
    return catalog


def _load_one(catalog: Catalog, record_file: RecordFile, cache: RecordCache | None) -> None:
    if record_file.problem:
        params = (
            misplaced_params(record_file.kind)
            if record_file.problem == "file-misplaced"
            else {
                "extension": record_file.path.suffix,
                "suggestion": record_file.detail,
                "target": record_file.detail,
            }
        )
        catalog.problems.append(Problem(record_file.problem, record_file.display, params=params))
        # The record is there, only misplaced: what refers to it is not reported as dangling.
        catalog.broken[record_file.kind].add(record_file.stem)
        return
    raw = read_record_bytes(record_file.path, record_file.display)
    if isinstance(raw, SourceFile):
        parsed = Parsed(raw, None, [])
    elif cache is None:
        parsed = _parse(record_file, raw)
    else:
        parsed = cache.parsed(
            record_file.kind, record_file.path, record_file.display, raw, lambda: _parse(record_file, raw)
        )
    source, record, problems = parsed.source, parsed.record, parsed.problems
    catalog.problems.extend(source.problems)
    if source.data is None:
        catalog.broken[record_file.kind].add(record_file.stem)
        return
    catalog.problems.extend(problems)
    if record is None:
        catalog.broken[record_file.kind].add(record_file.stem)
        if isinstance(source.data.get("id"), str):
            catalog.broken[record_file.kind].add(source.data["id"])
        return
    table = catalog.table(record_file.kind)
    record_id: str = getattr(record, "id")  # noqa: B009 - every record model has an id
    if record_id in table:
        other = table[record_id].source.path
        catalog.problems.append(source.problem("duplicate-id", ("id",), id=record_id, other=other))
        return
    table[record_id] = Loaded(record, source, record_file.folders)


def _parse(record_file: RecordFile, raw: bytes) -> Parsed:
    source = parse_record_bytes(raw, record_file.display)
    if source.data is None:
        return Parsed(source, None, [])
    model: type[BaseModel] = RECORD_MODELS[record_file.kind]
    record, problems = validate_record(model, source)
    return Parsed(source, record, problems)
