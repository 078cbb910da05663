"""A record's place in the repository agrees with what it says: id = file name, institution =
folder, a notice's year folder = the year it starts. Ownership of folders (CODEOWNERS) relies on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from generator.catalog import Catalog, Loaded
from generator.messages import hint
from generator.models import Achievement, Notice
from generator.models.common import SLUG
from generator.problems import Problem


def check(catalog: Catalog, today: date) -> Iterator[Problem]:
    for _kind, loaded in catalog.all_loaded():
        stem = loaded.source.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if loaded.record.id != stem:
            yield loaded.problem(
                "id-not-file-name", ("id",), id=loaded.record.id, stem=stem, **_rename(loaded.record.id, stem)
            )
    owned: list[Loaded[Achievement] | Loaded[Notice]] = [
        *catalog.achievements.values(),
        *catalog.notices.values(),
    ]
    for loaded in owned:
        folder = loaded.folders[0]
        if loaded.record.institution != folder:
            # A unit that does not exist is a misspelling of the folder's, not a folder to move to.
            known = catalog.known("institution", loaded.record.institution)
            yield loaded.problem(
                "institution-not-folder",
                ("institution",),
                institution=loaded.record.institution,
                folder=folder,
                **hint(
                    "institution-or-move" if known else "institution-misspelt",
                    institution=loaded.record.institution,
                    folder=folder,
                ),
            )
    for notice in catalog.notices.values():
        start = notice.record.period.start
        year_folder = notice.folders[1]
        if year_folder != str(start.year):
            institution = notice.folders[0]
            yield notice.problem(
                "notice-year-folder",
                ("period", "start"),
                start=start.isoformat(),
                expected=f"notices/{institution}/{start.year}/",
                actual=f"notices/{institution}/{year_folder}/",
            )


def _rename(record_id: str, stem: str) -> dict[str, str]:
    """Which of the two to change: a file name that cannot be an id (公示.yml, a space before
    .yml) is renamed; otherwise either may be."""
    if stem.strip() == record_id:
        return hint("file-name-space", id=record_id)
    if not SLUG.fullmatch(stem):
        return hint("file-name-not-id", id=record_id)
    return hint("id-or-file-name", id=record_id, stem=stem)
