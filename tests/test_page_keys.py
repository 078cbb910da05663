"""A page's key names each record by its file's digest (generator/page_keys.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.page_keys import key_text
from generator.site import prepare
from tests.conftest import NOTICE, TODAY, replace


def test_records_are_named_by_their_files_digest_and_the_rest_is_written_out(portal: Path) -> None:
    built, _ = prepare(portal, TODAY, strict=False, frozen=False)
    view = next(iter(built.notices.values()))
    text = key_text((view, "https://example.cn/"), built.record_digests)
    assert "Notice'" in text and "https://example.cn/" in text and view.status in text
    assert view.record.title not in text, "the record is named by its digest, not written out"
    assert view.record.title in key_text(view, {}), "a record the catalog did not load is written out"


def test_a_changed_file_or_day_changes_the_key(portal: Path) -> None:
    def key(today: date) -> str:
        built, _ = prepare(portal, today, strict=False, frozen=False)
        view = next(iter(built.notices.values()))
        return key_text(view, built.record_digests)

    # Without its outcome the notice is open until 2024-03-18, and its days left move each day.
    replace(
        portal, NOTICE, "outcome: {result: no_objection, date: 2024-03-19, note: 公示期内未收到异议。}\n", ""
    )
    open_day = date(2024, 3, 10)
    before = key(open_day)
    assert key(open_day) == before
    assert key(date(2024, 3, 16)) != before  # the days left move
    replace(portal, NOTICE, "title:", "title: 更正：")
    assert key(open_day) != before
