"""How a large portal's record pages are cut into search shards (search_index.record_shards):
pages that change together share a shard, and a shard of notices that still move is cut into
parts, so that a rebuild indexes few pages again."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from generator.portal import Portal
from generator.search_index import SETTLED_AFTER_DAYS, UNSETTLED_PARTS, record_shards
from generator.site import prepare

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_DATE = date(2025, 9, 22)
SIZE = 8  # the example's 34 notices: 10 in 2024, 24 in 2025
PART = -(-SIZE // UNSETTLED_PARTS)


def _portal(today: date) -> Portal:
    return prepare(REPO, today, strict=False, frozen=False)[0]


def _page(notice_id: str) -> str:
    return f"notices/{notice_id}/index.html"


def _notice_shards(portal: Portal) -> dict[str, list[str]]:
    return {name: pages for name, pages in record_shards(portal, SIZE).items() if name.startswith("notices-")}


def test_a_years_notices_go_in_date_order_whole_when_settled_and_in_parts_while_they_move() -> None:
    portal = _portal(EXAMPLE_DATE)
    shards = _notice_shards(portal)
    placed = [page for pages in shards.values() for page in pages]
    assert sorted(placed) == sorted(_page(notice_id) for notice_id in portal.notices)  # each once
    settled_by = EXAMPLE_DATE - timedelta(days=SETTLED_AFTER_DAYS)
    ordered = sorted(portal.notices.values(), key=lambda view: (view.record.period.start, view.id))
    kinds = set()
    for year in {view.record.period.start.year for view in ordered}:
        views = [view for view in ordered if view.record.period.start.year == year]
        for number, first in enumerate(range(0, len(views), SIZE), start=1):
            chunk = views[first : first + SIZE]
            if all(view.record.period.end <= settled_by for view in chunk):
                kinds.add("whole")
                assert shards[f"notices-{year}-{number}"] == sorted(_page(view.id) for view in chunk)
                continue
            kinds.add("parts")
            parts = [chunk[start : start + PART] for start in range(0, len(chunk), PART)]
            assert len(parts) <= UNSETTLED_PARTS
            for letter, part in zip("abcde", parts, strict=False):
                assert shards[f"notices-{year}-{number}{letter}"] == sorted(_page(view.id) for view in part)
    assert kinds == {"whole", "parts"}  # the example has both at its date


def test_as_days_pass_only_the_parts_of_a_shard_that_settles_are_put_together() -> None:
    """A shard keeps its pages from day to day; the day its last notice has settled, its parts
    make one shard of the same pages, and no other shard changes."""
    before = _notice_shards(_portal(EXAMPLE_DATE))
    settled = 0
    for days in (1, 15, 40, 90, 400):
        after = _notice_shards(_portal(EXAMPLE_DATE + timedelta(days=days)))
        gone, new = before.keys() - after.keys(), after.keys() - before.keys()
        assert all(before[name] == after[name] for name in before.keys() & after.keys())
        for name in new:  # one whole shard, in place of its parts
            parts = [part for part in gone if part[:-1] == name]
            assert parts and sorted(page for part in parts for page in before[part]) == after[name]
            settled += 1
        assert all(part[:-1] in new for part in gone)
        before = after
    assert settled >= 2
    assert all(not name[-1].isalpha() for name in before)  # a year and more later, all have settled
