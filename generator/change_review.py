"""`portal check-changes`: what a pull request may not do to the published record.

The working tree is compared with the records at a base revision (the pull request's target
branch). A notice whose period has started is part of the public record: it is withdrawn or
concluded, never deleted or renamed; its start stays and its end moves only later; what it
discloses changes only with a dated amendment, and a change of substance restarts its period;
amendments and outcomes, once written, stay as written. Records keep their institution, and an
achievement a notice refers to stays.

Both sides are loaded with the ordinary loader; why a file does not load is `portal check`'s to
say. A started notice whose new version does not load is named once here (its changes cannot be
reviewed, so the review does not pass); other broken files are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from generator.catalog import Catalog, Loaded, load_catalog
from generator.day_counting import UNIT_LABELS, UnknownWorkingDays
from generator.git_source import records_at
from generator.models import Notice
from generator.problems import Problem, sorted_unique
from generator.yaml_source import FieldPath

# What a notice discloses: a change to any of these needs a dated amendment. (The body is
# explanatory text and may be reworded; an attachment is a disclosed document, so it counts.)
DISCLOSED = ("kind", "title", "period", "achievements", "deal", "reward", "objections", "attachments")
# The substance of a notice: a change to these also restarts the period from the amendment's date.
FACTS = ("kind", "achievements", "deal", "reward")
FIELD_LABELS = {
    "kind": "公示类型",
    "attachments": "附件",
    "title": "标题",
    "period": "公示期",
    "achievements": "涉及成果",
    "deal": "交易信息",
    "reward": "奖励分配",
    "objections": "异议受理渠道",
}


@dataclass(frozen=True)
class ChangeResult:
    catalog: Catalog  # the working tree's records
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    def passes(self) -> bool:
        return not self.errors

    @property
    def record_count(self) -> int:
        return sum(1 for _ in self.catalog.all_loaded())


def check_changes(root: Path, base_ref: str, today: date) -> ChangeResult:
    """Compare the records in `root` (a folder inside a git work tree) with those at `base_ref`."""
    with records_at(root, base_ref) as base_folder:
        base = load_catalog(base_folder)
    head = load_catalog(root)
    return ChangeResult(head, sorted_unique(compare_catalogs(base, head, today)))


def compare_catalogs(base: Catalog, head: Catalog, today: date) -> list[Problem]:
    problems: list[Problem] = []
    problems.extend(_removed_notices(base, head, today))
    problems.extend(_moved_records(base, head))
    problems.extend(_removed_achievements(base, head, today))
    for notice_id, before in base.notices.items():
        after = head.notices.get(notice_id)
        if after is None:
            problems.extend(_unreadable(before, head, notice_id, today))
            continue
        problems.extend(_kept_history(before.record, after))
        if before.record.period.start <= today:
            period_problems = list(_kept_period(before.record, after, today))
            problems.extend(period_problems)
            # A period that may not change so is reported once: an amendment would not mend it.
            skipped = {"period"} if period_problems else set()
            problems.extend(_disclosure_changes(before.record, after, head, today, skipped))
    return problems


def _unreadable(before: Loaded[Notice], head: Catalog, notice_id: str, today: date) -> Iterator[Problem]:
    """A started notice still there but not readable now (`portal check` says why): its changes
    cannot be reviewed, so the review does not pass on it."""
    if before.record.period.start <= today and notice_id in head.broken["notice"]:
        path = before.source.path
        first = next((problem for problem in sorted_unique(head.problems) if problem.file == path), None)
        line, column = (first.line, first.column) if first is not None else (1, 1)
        yield Problem(
            "started-notice-unreadable",
            path,
            line,
            column,
            "",
            {"id": notice_id, "line": str(line), "code": first.code if first is not None else ""},
        )


def _removed_notices(base: Catalog, head: Catalog, today: date) -> Iterator[Problem]:
    new_notices = [loaded for notice_id, loaded in head.notices.items() if notice_id not in base.notices]
    for notice_id, before in base.notices.items():
        record = before.record
        if record.period.start > today or head.known("notice", notice_id):
            continue
        successor = next((loaded for loaded in new_notices if _same_notice(record, loaded.record)), None)
        if successor is not None:
            yield successor.problem(
                "started-notice-renamed",
                ("id",),
                old=notice_id,
                new=successor.record.id,
                old_path=before.source.path,
                start=record.period.start,
            )
        else:
            yield Problem(
                "started-notice-deleted",
                before.source.path,
                field="",
                params={
                    "id": notice_id,
                    "start": record.period.start.isoformat(),
                    "today": today.isoformat(),
                },
            )


def _same_notice(old: Notice, new: Notice) -> bool:
    """A new notice that carries on an old one under another id (renamed, or moved with a new id)."""
    if _dump(old, exclude={"id"}) == _dump(new, exclude={"id"}):
        return True
    return old.title == new.title and old.period.start == new.period.start


def _moved_records(base: Catalog, head: Catalog) -> Iterator[Problem]:
    tables: list[tuple[dict[str, Loaded[Any]], dict[str, Loaded[Any]]]] = [
        (base.achievements, head.achievements),
        (base.notices, head.notices),
    ]
    for before_table, after_table in tables:
        for record_id, before in before_table.items():
            after = after_table.get(record_id)
            if after is None:
                continue
            old, new = before.record.institution, after.record.institution
            if old != new:
                yield after.problem(
                    "record-moved-institution", ("institution",), id=record_id, old=old, new=new
                )


def _removed_achievements(base: Catalog, head: Catalog, today: date) -> Iterator[Problem]:
    for achievement_id, before in base.achievements.items():
        if head.known("achievement", achievement_id):
            continue
        referring = {
            notice_id
            for notice_id, loaded in head.notices.items()
            if achievement_id in loaded.record.achievements
        } | {
            notice_id
            for notice_id, loaded in base.notices.items()
            if achievement_id in loaded.record.achievements and loaded.record.period.start <= today
        }
        if referring:
            yield Problem(
                "referenced-achievement-deleted",
                before.source.path,
                params={
                    "id": achievement_id,
                    "notices": "、".join(sorted(referring)),
                    "notices_en": ", ".join(sorted(referring)),
                },
            )


def _kept_period(before: Notice, after: Loaded[Notice], today: date) -> Iterator[Problem]:
    """A started notice's period is what the public was told: its start stays, and its end may
    move later (with an amendment, see _disclosure_changes) but never earlier, for objections
    may come until that day. An amendment does not make either change acceptable."""
    now = after.record
    if now.period.start != before.period.start:
        yield after.problem(
            "started-notice-start-moved",
            ("period", "start"),
            id=now.id,
            start=before.period.start,
            new_start=now.period.start,
        )
    if now.period.end < before.period.end:
        yield after.problem(
            "started-notice-shortened",
            ("period", "end"),
            id=now.id,
            end=before.period.end,
            new_end=now.period.end,
            today=today,
        )


def _kept_history(before: Notice, after: Loaded[Notice]) -> Iterator[Problem]:
    """Amendments and the outcome, once published, are kept exactly as written."""
    now = after.record
    deleted = _deleted_amendments(before, now)
    if deleted:
        for index in deleted:
            amendment = before.amendments[index]
            yield after.problem(
                "amendment-deleted",
                ("amendments",),
                date=amendment.date,
                summary=amendment.summary,
                index=index + 1,
            )
        yield from _kept_outcome(before, after)
        return
    for index, amendment in enumerate(before.amendments):
        if index >= len(now.amendments):
            yield after.problem(
                "amendment-deleted",
                ("amendments",),
                date=amendment.date,
                summary=amendment.summary,
                index=index + 1,
            )
            continue
        changed = _first_difference(_dump(amendment), _dump(now.amendments[index]))
        if changed is not None:
            yield after.problem(
                "amendment-rewritten",
                ("amendments", index, *changed),
                date=amendment.date,
                index=index + 1,
            )
    yield from _kept_outcome(before, after)


def _deleted_amendments(before: Notice, now: Notice) -> list[int]:
    """The indexes of the published amendments left out, when the others are all still there in
    their order: the clerk deleted those (reported as such, not as the later ones rewritten)."""
    if len(now.amendments) >= len(before.amendments):
        return []
    kept = [_dump(amendment) for amendment in now.amendments]
    deleted: list[int] = []
    for index, amendment in enumerate(before.amendments):
        if kept and kept[0] == _dump(amendment):
            kept.pop(0)
        else:
            deleted.append(index)
    return deleted if not kept else []


def _kept_outcome(before: Notice, after: Loaded[Notice]) -> Iterator[Problem]:
    now = after.record
    if before.outcome is None:
        return
    if now.outcome is None:
        yield after.problem(
            "outcome-deleted", ("outcome",), result=before.outcome.result, date=before.outcome.date
        )
        return
    changed = _first_difference(_dump(before.outcome), _dump(now.outcome))
    if changed is not None:
        yield after.problem("outcome-rewritten", ("outcome", *changed), date=before.outcome.date)


def _disclosure_changes(
    before: Notice, after: Loaded[Notice], head: Catalog, today: date, skipped: set[str]
) -> Iterator[Problem]:
    now = after.record
    changed = changed_fields(_dump(before), _dump(now), [name for name in DISCLOSED if name not in skipped])
    if not changed:
        return
    newest_before = before.amendments[-1].date if before.amendments else None
    window_start = newest_before + timedelta(days=1) if newest_before else before.period.start
    added = [
        (index, amendment)
        for index, amendment in enumerate(now.amendments)
        if index >= len(before.amendments) and window_start <= amendment.date <= today
    ]
    if not added:
        for name, path in changed.items():
            yield after.problem(
                "started-notice-changed-unamended",
                path,
                id=now.id,
                what=FIELD_LABELS[name],
                window_start=window_start,
                today=today,
            )
        return
    facts = [name for name in changed if name in FACTS]
    if not facts:
        return
    index, amendment = added[-1]
    if not amendment.restart:
        yield after.problem(
            "amendment-restart-missing",
            ("amendments", index, "restart"),
            date=amendment.date,
            what="、".join(FIELD_LABELS[name] for name in facts),
            what_en=", ".join(facts),
        )
        return
    rule = head.rule_for(now)
    if rule is None:
        return
    try:
        days = rule.days(amendment.date, now.period.end)
        if days < rule.minimum_days:
            unit, unit_en = UNIT_LABELS[rule.counting]
            yield after.problem(
                "amendment-restart-too-short",
                ("period", "end"),
                date=amendment.date,
                end=now.period.end,
                days=days,
                minimum=rule.minimum_days,
                unit=unit,
                unit_en=unit_en,
                earliest_end=rule.earliest_end(amendment.date),
            )
    except UnknownWorkingDays:
        return  # `portal check` reports the year whose holidays are not known


def changed_fields(
    old: Mapping[str, Any], new: Mapping[str, Any], names: Iterable[str]
) -> dict[str, FieldPath]:
    """Which of the top-level fields `names` differ between two versions of a record (plain data:
    a model dump, or a file as read), each with the path of its first difference. The revision
    history of a notice page uses it too, so the site and the pull-request check agree on what
    counts as a change."""
    changed: dict[str, FieldPath] = {}
    for name in names:
        difference = _first_difference(old.get(name), new.get(name))
        if difference is not None:
            changed[name] = (name, *difference)
    return changed


def _dump(model: Any, exclude: set[str] | None = None) -> dict[str, Any]:
    dumped: dict[str, Any] = model.model_dump(mode="json", exclude=exclude)
    return dumped


def _first_difference(old: Any, new: Any) -> FieldPath | None:
    """The path (relative to the values) of the first place where two dumped values differ."""
    if old == new:
        return None
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(key for key in new if key not in old)]:
            inner = _first_difference(old.get(key), new.get(key))
            if inner is not None:
                return (key, *inner)
        return ()
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (left, right) in enumerate(zip(old, new, strict=True)):
            inner = _first_difference(left, right)
            if inner is not None:
                return (index, *inner)
    return ()
