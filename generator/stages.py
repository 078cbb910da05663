"""What runs over the built site after MkDocs: each stage has a name, so a failure says which
stage failed, and the build is swapped in only when every stage succeeded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.build_cache import BuildCache
from generator.portal import Portal

StageFunction = Callable[[Portal, Path, str], None]


@dataclass(frozen=True)
class Stage:
    name: str
    run: StageFunction


def post_build_stages(cache: BuildCache | None = None) -> list[Stage]:
    """The stages in order. Imported lazily so that `portal check` loads none of them.
    The search index runs last: it indexes every page the other stages wrote; with a build
    cache it copies what it would build the same from the published site."""
    from generator.calendars import write_calendars
    from generator.changes import write_changes
    from generator.exports import write_exports
    from generator.feeds import write_feeds
    from generator.revision_files import write_version_files
    from generator.search_index import write_search_index
    from generator.statistics_exports import write_statistics

    return [
        Stage("feeds", partial(write_feeds, cache=cache)),
        Stage("changes", partial(write_changes, cache=cache)),
        Stage("calendars", partial(write_calendars, cache=cache)),
        Stage("exports", write_exports),
        Stage("statistics", write_statistics),
        Stage("versions", write_version_files),
        Stage("search", partial(write_search_index, cache=cache)),
    ]


def run_post_build_stages(
    portal: Portal, site_dir: Path, site_url: str, cache: BuildCache | None = None
) -> None:
    from generator.errors import StageFailed
    from generator.timing import phase

    for stage in post_build_stages(cache):
        try:
            with phase(stage.name):
                stage.run(portal, site_dir, site_url)
        except StageFailed:
            raise
        except Exception as error:  # a stage's own failure, reported with the stage's name
            raise StageFailed(stage.name, str(error)) from error
