"""What the build writes besides the pages: each stage has a name, so a failure says which stage
failed, and the build is swapped in only when every stage succeeded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
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
        Stage("exports", partial(write_exports, cache=cache)),
        Stage("statistics", partial(write_statistics, cache=cache)),
        Stage("versions", write_version_files),
        Stage("search", partial(write_search_index, cache=cache)),
    ]


# The stages that need only the portal: for a large portal they start as soon as the pages do, in
# a forked process, beside MkDocs (which keeps one core busy) and the record pages. Started with
# the search index instead, a rebuild at 50,000 records waited 8 s for them after Pagefind was
# done. They ran in two processes while they took 13 s; kept per record (fragments.py), they take
# about 3 s of CPU at a rebuild, and one process less to fork (whose writes into the memory it
# shares cost a page copy each: 100,000 of them) made the rebuild 0.6 s faster. The other stages
# read what the pages made: `versions` writes into the notices' page folders, which pouring the
# record pages clears of strays (recycling.py), and `search` reads every page. A data stage must
# never write into a record page's folder either: the folders are noted for the build after next
# while the data stages may still run (BuildCache.note_record_folders, in `finish` below).
DATA_STAGES = ("feeds", "changes", "calendars", "exports", "statistics")


@dataclass(frozen=True)
class AroundPages:
    """What the writer of the pages calls: once the record pages are written (`records_written`,
    which starts what reads those alone), and once every page is (`finish`)."""

    # Given the record pages' search shards (search_index.record_shards) when they are made already.
    records_written: Callable[[dict[str, list[str]] | None], None]
    finish: Callable[[], None]


@contextmanager
def stages_around_pages(
    portal: Portal, site_dir: Path, site_url: str, cache: BuildCache | None = None
) -> Iterator[AroundPages]:
    """The post-build stages, around the writing of the pages: the body of the `with` writes the
    pages and calls what it is given. A small portal runs every stage at `finish`, in order; a
    large one starts the data stages at once, in a process of their own (none of them reads or
    writes a page: feeds, calendars, data files), and once the record pages are written, the
    version texts, in another, and the search index's record shards.
    A stage's failure is raised by the call; should the body fail, the processes and Pagefind
    runs are waited for and their results dropped."""
    stages = post_build_stages(cache)
    if worker_count(portal.record_count) == 1:
        yield AroundPages(_nothing_yet, partial(_run_in_order, stages, portal, site_dir, site_url))
        return
    from generator.search_index import SearchIndexing

    early = [stage for stage in stages if stage.name in DATA_STAGES]
    search = next(stage for stage in stages if stage.name == "search")
    late = [stage for stage in stages if stage not in early and stage is not search]
    with (
        ExitStack() as after_records,
        forked_beside(partial(_run_measured, early, portal, site_dir, site_url)) as data_phases,
    ):
        late_phases: list[Callable[[], list[PhaseTiming]]] = []
        indexing: list[SearchIndexing] = []

        def records_written(shards: dict[str, list[str]] | None = None) -> None:
            """Fork for the version texts first: the search index's runs are threads, and a
            process forked while a thread runs can inherit a lock it will wait on forever."""
            if late_phases:  # called already
                return
            late_phases.extend(
                after_records.enter_context(
                    forked_beside(partial(_run_measured, late, portal, site_dir, site_url))
                )
            )

            def start_indexing() -> None:
                indexing.append(after_records.enter_context(SearchIndexing(portal, site_dir, cache, shards)))
                indexing[0].start_shards()

            _run_step(search.name, start_indexing)

        def finish() -> None:
            records_written()
            _run_step(search.name, indexing[0].start_main)
            with phase("waiting for the data stages"):
                measured = _results(late_phases, late)
            if cache is not None:
                # While Pagefind runs (a rebuild's last second at 50,000 records): the version
                # texts written, nothing writes in the record pages' folders any more.
                with phase("swap"):  # where site.py notes them for a small portal
                    cache.note_record_folders(site_dir)
            _run_step(search.name, indexing[0].finish)
            with phase("waiting for the data stages"):
                measured += _results(data_phases, early)
            order = {stage.name: index for index, stage in enumerate(stages)}
            add_phases(sorted(measured, key=lambda timing: order.get(timing.name, len(order))))

        yield AroundPages(records_written, finish)


def _nothing_yet(shards: dict[str, list[str]] | None = None) -> None:
    """A small portal's stages all run at `finish`, in order."""


def _results(waits: list[Callable[[], list[PhaseTiming]]], stages: list[Stage]) -> list[PhaseTiming]:
    try:
        return [timing for wait in waits for timing in wait()]
    except BrokenProcessPool as error:  # killed (out of memory?) before it could say why
        names = "、".join(stage.name for stage in stages)
        raise StageFailed(
            names, f"生成数据文件的进程意外终止 (the process writing them was stopped): {error}"
        ) from error


def _run_in_order(stages: list[Stage], portal: Portal, site_dir: Path, site_url: str) -> None:
    for stage in stages:
        _run_stage(stage, portal, site_dir, site_url)


def _run_measured(stages: list[Stage], portal: Portal, site_dir: Path, site_url: str) -> list[PhaseTiming]:
    """Run the stages; return how long each took (a forked process reports them this way)."""
    with recording() as recorder:
        for stage in stages:
            _run_stage(stage, portal, site_dir, site_url)
    return recorder.order()


def _run_stage(stage: Stage, portal: Portal, site_dir: Path, site_url: str) -> None:
    _run_step(stage.name, partial(stage.run, portal, site_dir, site_url))


def _run_step(name: str, step: Callable[[], None]) -> None:
    try:
        with phase(name):
            step()
    except StageFailed:
        raise
    except Exception as error:  # a stage's own failure, reported with the stage's name
        raise StageFailed(name, str(error)) from error
