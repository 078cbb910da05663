"""The notice period a unit must meet: its policy's, or the unit's own when stricter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.day_counting import DayCounting, count_days, earliest_end
from generator.models import Institution, Policy


@dataclass(frozen=True, slots=True)
class NoticeRule:
    minimum_days: int
    counting: DayCounting
    source: str  # who set it: the policy id, or the institution id when the unit is stricter

    def days(self, start: date, end: date) -> int:
        return count_days(start, end, self.counting)

    def earliest_end(self, start: date) -> date:
        return earliest_end(start, self.minimum_days, self.counting)


def notice_rule(policy: Policy, institution: Institution) -> NoticeRule:
    minimum = policy.notice_min_days
    counting: DayCounting = policy.day_counting
    stricter = False
    if institution.notice_min_days is not None and institution.notice_min_days > minimum:
        minimum, stricter = institution.notice_min_days, True
    if institution.day_counting == "working" and counting == "calendar":
        counting, stricter = "working", True
    return NoticeRule(minimum, counting, institution.id if stricter else policy.id)
