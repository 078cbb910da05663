"""What the portal derives for a day and shows of each record (generator/portal.py)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

from generator.notice_rule import NoticeRule
from generator.page_keys import key_text
from generator.portal import Portal, as_shown, shown_text
from generator.site import prepare
from tests.conftest import ACHIEVEMENT, NOTICE, TODAY, replace

OUTCOME = "outcome: {result: no_objection, date: 2024-03-19, note: 公示期内未收到异议。}\n"
OPEN_DAY = date(2024, 3, 10)  # the minimal notice runs 2024-03-04 to 2024-03-18
REPO = Path(__file__).resolve().parent.parent  # the bundled example portal


def _portal(root: Path, today: date) -> Portal:
    return prepare(root, today, strict=False, frozen=False)[0]


def test_a_noticed_achievement_is_labelled_by_its_notices_status(portal: Path) -> None:
    achievement_id = Path(ACHIEVEMENT).stem
    assert _portal(portal, TODAY).achievements[achievement_id].stage_label == "已公示（公示期内无异议）"
    replace(portal, NOTICE, "result: no_objection", "result: objection_upheld")
    assert _portal(portal, TODAY).achievements[achievement_id].stage_label == "已公示（异议成立）"
    replace(portal, NOTICE, OUTCOME.replace("no_objection", "objection_upheld"), "")
    assert _portal(portal, OPEN_DAY).achievements[achievement_id].stage_label == "公示中"
    assert _portal(portal, TODAY).achievements[achievement_id].stage_label == "公示期满，待公布结果"


def test_the_notice_its_noticed_event_names_labels_it_not_a_later_one(deal_portal: Path) -> None:
    """The deal notice (scheduled, 2024-04-01) names the achievement too, and starts later: the
    label still follows the grant notice its history says it was noticed by."""
    built = _portal(deal_portal, TODAY)
    achievement = built.achievements[Path(ACHIEVEMENT).stem]
    assert [notice.id for notice in achievement.notices] == ["gnas-2024-n01", "gnas-2024-n02"]
    assert built.notices["gnas-2024-n02"].status == "scheduled"
    assert achievement.stage_label == "已公示（公示期内无异议）"


def test_an_achievement_a_grant_notice_names_is_under_notice_though_its_history_forgot(
    portal: Path,
) -> None:
    """Its history lacks the noticed event (the check warns): its stage is still the notice's."""
    replace(portal, ACHIEVEMENT, "  - {date: 2024-03-04, event: noticed, notice: gnas-2024-n01}\n", "")
    replace(portal, NOTICE, OUTCOME, "")
    achievement = _portal(portal, OPEN_DAY).achievements[Path(ACHIEVEMENT).stem]
    assert (achievement.stage, achievement.noticed_by, achievement.stage_label) == (
        "noticed",
        Path(NOTICE).stem,
        "公示中",
    )


def test_what_is_shown_is_digested_once_and_moves_only_with_what_a_page_shows(portal: Path) -> None:
    notice_id, achievement_id = Path(NOTICE).stem, Path(ACHIEVEMENT).stem

    def digests(today: date) -> tuple[str, str]:
        built = _portal(portal, today)
        built.digest_what_is_shown()
        notice, achievement = built.notices[notice_id], built.achievements[achievement_id]
        assert built.shown_digest(notice) == built.shown_digest(notice)
        return built.shown_digest(notice), built.shown_digest(achievement)

    concluded = digests(TODAY)
    assert digests(date(2024, 6, 1)) == concluded  # a concluded notice shows nothing of the day
    replace(portal, NOTICE, OUTCOME, "")
    open_notice, open_achievement = digests(OPEN_DAY)
    assert digests(OPEN_DAY) == (open_notice, open_achievement)
    moved_notice, moved_achievement = digests(date(2024, 3, 11))
    assert moved_notice != open_notice, "an open notice shows its days left"
    assert moved_achievement == open_achievement, "its achievement shows the status, still open"
    assert digests(TODAY)[1] != open_achievement, "the notice closed: the achievement's stage says so"


def test_an_achievement_page_tells_its_notices_status_and_the_search_index_only_its_stage(
    portal: Path, tmp_path: Path
) -> None:
    """Its page says 公示中, then 公示期满; what Pagefind reads of it stays the same, so a notice
    closing does not have its achievements' shard indexed again (build_cache.py)."""
    from generator.search_copies import search_digest
    from generator.site import build_site

    replace(portal, NOTICE, OUTCOME, "")
    pages = []
    for today in (OPEN_DAY, TODAY):
        site = build_site(portal, today=today, out=tmp_path / f"site-{today}", incremental=False).out
        pages.append((site / "achievements" / Path(ACHIEVEMENT).stem / "index.html").read_bytes())
    assert "公示中</span></dd>".encode() in pages[0]
    assert "公示期满，待公布结果</span></dd>".encode() in pages[1]
    assert search_digest(pages[0]) == search_digest(pages[1])


def test_the_status_script_labels_a_noticed_stage_as_the_build_does() -> None:
    """portal-status.js keeps the label true between builds with a copy of NOTICED_LABELS."""
    import re

    from generator.derive import NOTICED_LABELS
    from generator.render import TEMPLATE_FOLDER

    script = (TEMPLATE_FOLDER / "static" / "assets" / "portal-status.js").read_text(encoding="utf-8")
    block = re.search(r"var STAGE_LABELS = \{(.*?)\};", script, re.DOTALL)
    assert block is not None
    assert dict(re.findall(r'(\w+): "([^"]+)"', block.group(1))) == NOTICED_LABELS


def _variant(value: object, records: dict[type, list[object]]) -> object:
    """Another value of a view's field: another record of its kind, another rule, another day."""
    if type(value) in records:
        return next(record for record in records[type(value)] if record is not value)
    if isinstance(value, NoticeRule):  # each of its own fields moves the text too (below)
        return dataclasses.replace(value, minimum_days=value.minimum_days + 5)
    if isinstance(value, bool | None):
        return "other"
    if isinstance(value, int):
        return value + 3
    if isinstance(value, date):
        return value + timedelta(days=1)
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, tuple):
        return value[:-1] if value else (next(iter(records.values()))[0],)
    raise AssertionError(f"no other value for {value!r}: say how it moves here")


def test_every_field_of_a_view_moves_its_digest() -> None:
    """shown_text writes a view field by field: a field added to a view and left out of it would
    keep a page whose content moved. Each field changed alone changes the text (the bundled
    example, on a day with notices open and to come)."""
    built = _portal(REPO, date(2025, 10, 1))
    notice = next(view for view in built.notices.values() if view.status == "open" and view.achievements)
    scheduled = next(view for view in built.notices.values() if view.status == "scheduled")
    achievement = next(view for view in built.achievements.values() if view.notices and view.noticed_by)
    records: dict[type, list[object]] = {
        type(notice.record): [view.record for view in built.notices.values()],
        type(achievement.record): [view.record for view in built.achievements.values()],
        type(notice.institution): [unit.record for unit in built.institutions.values()],
        type(notice.policy): list(built.policies.values()),
    }
    for view in (notice, scheduled, achievement):
        text = shown_text(view, built.record_digests)
        assert text == shown_text(view, built.record_digests)
        for item in dataclasses.fields(view):
            if (view is notice and item.name == "days_until_start") or (
                view is scheduled and item.name == "days_left"
            ):
                continue  # open, a notice shows the days it has left; to come, the days until it starts
            changed = dataclasses.replace(view, **{item.name: _variant(getattr(view, item.name), records)})
            assert shown_text(changed, built.record_digests) != text, item.name
    rule_text = shown_text(notice, built.record_digests)
    for item in dataclasses.fields(NoticeRule):
        value = getattr(notice.rule, item.name)
        other = {"calendar": "working", "working": "calendar"}.get(value) or _variant(value, records)
        rule = dataclasses.replace(notice.rule, **{item.name: other})
        assert shown_text(dataclasses.replace(notice, rule=rule), built.record_digests) != rule_text, (
            item.name
        )
    fewer_days = dataclasses.replace(notice, days_left=notice.days_left + 1)
    assert shown_text(fewer_days, built.record_digests, days=False) == shown_text(
        notice, built.record_digests, days=False
    )


def test_a_view_with_a_record_the_catalogue_did_not_load_is_written_whole(portal: Path) -> None:
    built = _portal(portal, TODAY)
    notice = built.notices[Path(NOTICE).stem]
    assert shown_text(notice, {}) == key_text(as_shown(notice), {})
    assert shown_text(notice, built.record_digests) != shown_text(notice, {})
