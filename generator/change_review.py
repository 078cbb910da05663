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
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from generator.catalog import Catalog, Loaded, load_catalog
from generator.day_counting import UNIT_LABELS, UnknownWorkingDays
from generator.derive import NOT_CARRIED_OUT
from generator.git_source import records_at
from generator.models import Achievement, Notice
from generator.models.notice import Amendment
from generator.problems import Problem, sorted_unique
from generator.yaml_source import FieldPath

# What a notice discloses: a change to any of these needs a dated amendment. The body counts:
# it states the shares, the people and the numbers (the example notices' tables), and a reader
# who objected to one wording must find the change dated. An attachment is a disclosed document.
DISCLOSED = ("kind", "title", "period", "achievements", "deal", "reward", "objections", "attachments", "body")
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
    "body": "正文",
}
# What a notice shows of each achievement it names (its page lists them): changed while the
# notice runs, the notice needs an amendment; the grant and the team are its substance, and
# restart it.
ACHIEVEMENT_SHOWN = {
    "title": "成果名称",
    "type": "成果类型",
    "rights": "知识产权",
    "team": "成果完成人",
    "grant": "赋权方式与比例",
}
ACHIEVEMENT_FACTS = ("grant", "team")


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
        return self.catalog.valid_count


def check_changes(root: Path, base_ref: str, today: date) -> ChangeResult:
    """Compare the records in `root` (a folder inside a git work tree) with those at `base_ref`."""
    with records_at(root, base_ref) as base_folder:
        base = load_catalog(base_folder)
    head = load_catalog(root)
    return ChangeResult(head, sorted_unique(compare_catalogs(base, head, today)))


def compare_catalogs(base: Catalog, head: Catalog, today: date) -> list[Problem]:
    head = _as_written(head)
    problems: list[Problem] = []
    problems.extend(_removed_notices(base, head, today))
    problems.extend(_moved_records(base, head))
    problems.extend(_removed_achievements(base, head, today))
    problems.extend(_backdated_notices(base, head, today))
    problems.extend(_noticed_achievements_changed(base, head, today))
    for notice_id, before in base.notices.items():
        after = head.notices.get(notice_id)
        if after is None:
            problems.extend(_unreadable(before, head, notice_id, today))
            continue
        problems.extend(_kept_history(before.record, after))
        problems.extend(_backdated_withdrawal(before.record, after, today))
        if before.record.period.start <= today:
            problems.extend(_backdated_restarts(before.record, after, head, today))
            period_problems = list(_kept_period(before.record, after, today))
            problems.extend(period_problems)
            # A period that may not change so is reported once: an amendment would not mend it.
            skipped = {"period"} if period_problems else set()
            if today > before.record.period.end:
                # An amendment is dated within the period (portal check): once it is over, the
                # text's wording may be mended, in the page's revision history for all to see;
                # the clerk is reminded that only its wording may change.
                skipped.add("body")
                problems.extend(_body_after_the_period(before.record, after))
            problems.extend(_disclosure_changes(before.record, after, head, today, skipped))
    return problems


def _as_written(catalog: Catalog) -> Catalog:
    """The catalog without the records read with values their clerk plainly meant (catalog.py):
    broken, as far as the review goes, for it compares what is written."""
    if not any(catalog.mended.values()):
        return catalog
    tables = {
        kind: {key: loaded for key, loaded in catalog.table(kind).items() if key not in catalog.mended[kind]}
        for kind in ("policy", "institution", "achievement", "notice")
    }
    broken = {kind: ids | catalog.mended[kind] for kind, ids in catalog.broken.items()}
    return replace(
        catalog,
        policies=tables["policy"],
        institutions=tables["institution"],
        achievements=tables["achievement"],
        notices=tables["notice"],
        broken=broken,
        mended={kind: set() for kind in catalog.mended},
    )


def _backdated_notices(base: Catalog, head: Catalog, today: date) -> Iterator[Problem]:
    """A notice this change publishes, or one not yet started, runs from the day it is published
    at the earliest: a start before today would show a notice that never ran, its period over
    before anyone could read it. (A unit's notices of before the portal, already run on its own
    website, are not written as new ones: see README, How an institution publishes.)"""
    gone = [
        loaded.record
        for notice_id, loaded in base.notices.items()
        if loaded.record.period.start <= today and not head.known("notice", notice_id)
    ]
    for notice_id, after in head.notices.items():
        before = base.notices.get(notice_id)
        if before is not None and before.record.period.start <= today:
            continue  # started before this change: _kept_period keeps its start
        period = after.record.period
        if period.start >= today or any(_same_notice(old, after.record) for old in gone):
            continue  # a started notice renamed is reported as that (_removed_notices)
        yield after.problem(
            "notice-start-in-past",
            ("period", "start"),
            id=notice_id,
            start=period.start,
            today=today,
            **_end_advice(head, after.record, today),
        )


def _noticed_achievements_changed(base: Catalog, head: Catalog, today: date) -> Iterator[Problem]:
    """An achievement named by a notice that has started and has no outcome yet is part of what
    that notice discloses: its change needs the notice's amendment, one that restarts the
    period when the grant or the team changed (the amendment's own checks then apply)."""
    for achievement_id, before in base.achievements.items():
        after = head.achievements.get(achievement_id)
        if after is None or (after.digest and after.digest == before.digest):
            continue  # gone (_removed_achievements), or the same bytes: nothing to dump and compare
        changed = changed_fields(_shown(before.record), _shown(after.record), ACHIEVEMENT_SHOWN)
        if not changed:
            continue
        for notice_id, notice_before in sorted(base.notices.items()):
            old = notice_before.record
            if achievement_id not in old.achievements or not old.period.start <= today <= old.period.end:
                continue  # only while it runs: an amendment is dated within the period (portal check)
            notice_after = head.notices.get(notice_id)
            if notice_after is None or old.outcome is not None:
                continue  # reported as deleted; or withdrawn already
            outcome = notice_after.record.outcome
            if outcome is not None and outcome.result in NOT_CARRIED_OUT:
                continue  # withdrawn with this change: what it proposed no longer stands
            added = _added_amendments(old, notice_after.record, today)
            facts = [name for name in changed if name in ACHIEVEMENT_FACTS]
            if added and (not facts or added[-1][1].restart):
                continue
            name, path = next(iter(changed.items()))
            yield after.problem(
                "noticed-achievement-changed-unamended",
                path,
                id=achievement_id,
                notice=notice_id,
                notice_path=notice_after.source.path,
                what=ACHIEVEMENT_SHOWN[name],
                restart=", restart: true" if facts else "",
                today=today,
            )


def _shown(achievement: Achievement) -> dict[str, Any]:
    """What a notice's page shows of an achievement it names, as plain data: of its rights, the
    kind and number (not the day each was registered)."""
    dumped = _dump(achievement)
    dumped["rights"] = [
        {"kind": right["kind"], "number": right["number"]} for right in dumped.get("rights") or []
    ]
    return dumped


def _added_amendments(before: Notice, now: Notice, today: date) -> list[tuple[int, Amendment]]:
    """The amendments this change adds to a started notice, dated within the window it allows:
    after the newest one published (or from the start) and no later than today."""
    newest_before = before.amendments[-1].date if before.amendments else None
    # The newest published amendment's day included: a second correction may follow the same day.
    window_start = newest_before or before.period.start
    return [
        (index, amendment)
        for index, amendment in enumerate(now.amendments)
        if index >= len(before.amendments) and window_start <= amendment.date <= today
    ]


def _body_after_the_period(before: Notice, after: Loaded[Notice]) -> Iterator[Problem]:
    if before.body != after.record.body:
        yield after.problem("body-changed-after-period", ("body",), id=before.id, end=before.period.end)


def _backdated_restarts(
    before: Notice, after: Loaded[Notice], head: Catalog, today: date
) -> Iterator[Problem]:
    """A restarting amendment this change adds runs the period again from when the public can
    read it, this change's day: dated earlier, the new period would be short by those days
    (whatever the amendment corrects, the notice's own fields or an achievement it names)."""
    for index, amendment in _added_amendments(before, after.record, today):
        if amendment.restart and amendment.date < today:
            yield after.problem(
                "amendment-restart-backdated",
                ("amendments", index, "date"),
                date=amendment.date,
                today=today,
                **_end_advice(head, after.record, today),
            )


def _end_advice(head: Catalog, notice: Notice, start: date) -> dict[str, str]:
    """The end a period from `start` needs, as the tail of a message's sentence."""
    earliest = _earliest_end(head, notice, start)
    if earliest is None:
        return {"end_advice": "，并相应顺延 period.end", "end_advice_en": ", and move period.end on"}
    return {
        "end_advice": f"，并把 period.end 改为 {earliest} 或之后",
        "end_advice_en": f", and period.end to {earliest} or later",
    }


def _earliest_end(head: Catalog, notice: Notice, start: date) -> date | None:
    """The first end a period from `start` may have under the notice's rule; None while the rule
    or the year's holidays are unknown (`portal check` says which)."""
    rule = head.rule_for(notice)
    if rule is None:
        return None
    try:
        return rule.earliest_end(start)
    except UnknownWorkingDays:
        return None


def _backdated_withdrawal(before: Notice, after: Loaded[Notice], today: date) -> Iterator[Problem]:
    """A withdrawal takes effect when it is published: until then the site showed the notice as
    running. Dated earlier, it would rewrite what the public saw."""
    outcome = after.record.outcome
    if (
        before.outcome is None
        and outcome is not None
        and outcome.result == "withdrawn"
        and outcome.date < today
    ):
        yield after.problem(
            "withdrawal-backdated", ("outcome", "date"), id=before.id, date=outcome.date, today=today
        )


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
    elif now.period.end == before.period.end and _closing_time(now) < _closing_time(before):
        yield after.problem(
            "started-notice-closes-earlier",
            ("period", "end_time"),
            id=now.id,
            end=now.period.end,
            time=_closing_time(before),
            new_time=_closing_time(now),
            fix=f'end_time: "{before.period.end_time}"' if before.period.end_time else "删去 end_time",
            fix_en=f'end_time: "{before.period.end_time}"' if before.period.end_time else "remove end_time",
            today=today,
        )


def _closing_time(notice: Notice) -> str:
    """When the last day closes, as HH:MM (24:00 when no end_time is written): comparable as text."""
    return notice.period.end_time or "24:00"


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
    window_start = before.amendments[-1].date if before.amendments else before.period.start
    added = _added_amendments(before, now, today)
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
    if amendment.date < today:
        return  # _backdated_restarts says so, and from which day the period must run
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
