"""What runs over the built site after MkDocs: each stage has a name, so a failure says which
stage failed, and the build is swapped in only when every stage succeeded."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.build_cache import BuildCache
from generator.errors import StageFailed
from generator.forked import forked_beside, worker_count
from generator.portal import Portal
from generator.timing import PhaseTiming, add_phases, phase, recording

StageFunction = Callable[[Portal, Path, str], None]


@dataclass(frozen=True)
class Stage:
    name: str
    run: StageFunction


def post_build_stages(cache: BuildCache | None = None) -> list[Stage]:
    """The stages in order. Imported lazily so that `portal check` loads none of them.
    The search index is last: it reads only the pages, which MkDocs and the renderer wrote and
    the other stages do not touch; with a build cache it copies what it would build the same
    from the published site."""
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


# The data stages in two processes beside the search index. When a rebuild has little for Pagefind
# to index again, they are the longer part: at 50,000 records, 13 s in one process, the exports
# 5–7 s of it.
DATA_STAGE_GROUPS = (("exports", "statistics", "versions"),)  # and the others in a second


def run_post_build_stages(
    portal: Portal, site_dir: Path, site_url: str, cache: BuildCache | None = None
) -> None:
    """The stages in order; for a large portal, the data stages in forked processes beside the
    search index, which is most of a build's time: none of them writes a page Pagefind reads
    (feeds, calendars, data files, version texts), and each writes only its own files."""
    stages = post_build_stages(cache)
    search = next(stage for stage in stages if stage.name == "search")
    data_stages = [stage for stage in stages if stage is not search]
    if worker_count(portal.record_count) == 1:
        for stage in stages:
            _run_stage(stage, portal, site_dir, site_url)
        return
    groups = [[stage for stage in data_stages if stage.name in names] for names in DATA_STAGE_GROUPS]
    groups.append([stage for stage in data_stages if not any(stage in group for group in groups)])
    tasks = [partial(_run_measured, group, portal, site_dir, site_url) for group in groups if group]
    try:
        with forked_beside(*tasks) as data_phases:
            _run_stage(search, portal, site_dir, site_url)
            with phase("waiting for the data stages"):
                measured = [timing for wait in data_phases for timing in wait()]
    except BrokenProcessPool as error:  # killed (out of memory?) before it could say why
        names = "、".join(stage.name for stage in data_stages)
        raise StageFailed(
            names, f"生成数据文件的进程意外终止 (the process writing them was stopped): {error}"
        ) from error
    order = {stage.name: index for index, stage in enumerate(data_stages)}
    add_phases(sorted(measured, key=lambda timing: order.get(timing.name, len(order))))


def _run_measured(stages: list[Stage], portal: Portal, site_dir: Path, site_url: str) -> list[PhaseTiming]:
    """Run the stages; return how long each took (a forked process reports them this way)."""
    with recording() as recorder:
        for stage in stages:
            _run_stage(stage, portal, site_dir, site_url)
    return recorder.order()


def _run_stage(stage: Stage, portal: Portal, site_dir: Path, site_url: str) -> None:
    try:
        with phase(stage.name):
            stage.run(portal, site_dir, site_url)
    except StageFailed:
        raise
    except Exception as error:  # a stage's own failure, reported with the stage's name
        raise StageFailed(stage.name, str(error)) from error
