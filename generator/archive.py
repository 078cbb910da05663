"""Long lists cut into numbered pages: the notices of a year or of a kind, the granted
achievements, the negotiated-price deals.

A national portal has tens of thousands of notices; one page listing them all weighs tens of
megabytes, which no phone opens. The list pages in the navigation show the newest entries and
link here; each archive page holds `PAGE_SIZE` entries and links its neighbours.

    archive/notices/<year>/            the notices that start in <year>, newest first
    archive/notices/<kind>/            the notices of one kind (ownership, negotiated_price, …)
    archive/notices/open/, scheduled/  the notices open now, and those about to start
    archive/achievements/granted/, others/
    archive/institutions/<id>/notices/, achievements/   one unit's records (its page shows the newest 50)
    deals/                             the negotiated-price deals (in the navigation)
    <any of those>/<n>/                its n-th page, from 2
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

PAGE_SIZE = 200
ARCHIVE_FOLDER = "archive"


@dataclass(frozen=True)
class ArchivePage:
    """One page of a list: where it lives, which entries it holds, and its neighbours."""

    folder: str  # the list's first page, e.g. archive/notices/2025
    number: int  # from 1
    count: int  # how many pages the list has
    items: Sequence[Any]
    first_index: int  # the position (from 1) of its first entry in the whole list
    total: int

    @property
    def src_uri(self) -> str:
        return f"{self.folder}/index.md" if self.number == 1 else f"{self.folder}/{self.number}/index.md"

    def page_folder(self, number: int) -> str:
        """The site-relative folder of the list's page `number`, ending in a slash."""
        return f"{self.folder}/" if number == 1 else f"{self.folder}/{number}/"


def paginate(folder: str, items: Sequence[Any], size: int = PAGE_SIZE) -> list[ArchivePage]:
    """The pages of a list; an empty list still has its first page (saying it is empty)."""
    count = max(1, -(-len(items) // size))
    return [
        ArchivePage(folder, number, count, items[(number - 1) * size : number * size], (number - 1) * size + 1, len(items))
        for number in range(1, count + 1)
    ]  # fmt: skip


def notices_folder(key: str | int) -> str:
    return f"{ARCHIVE_FOLDER}/notices/{key}"


def achievements_folder(key: str) -> str:
    return f"{ARCHIVE_FOLDER}/achievements/{key}"


def institution_folder(institution_id: str, what: str) -> str:
    return f"{ARCHIVE_FOLDER}/institutions/{institution_id}/{what}"
