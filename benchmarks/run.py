"""Build synthetic portals and report, phase by phase, wall time, CPU time and peak memory.

    python benchmarks/run.py --records 1000 --records 10000 --json benchmarks/out/results.json

For each N it writes a synthetic portal (benchmarks/synthetic.py), then runs, each in a fresh
Python process (so one N's memory does not inflate the next), and prints a table for each:
- `check`: `portal check` from nothing (no record cache);
- `build`: a full `portal build` from nothing (an empty build cache);
- `check-cached`: `portal check` again, reading the records the build cached (record_cache.py);
- `rebuild`: the same build after one notice's title changed (incremental, build_cache.py);
- `next-day`: the same build for the next day, when statuses and days left move;
- `rebuild-again`: on that day, another notice's title changed. From the third build on, a build
  starts from the folders of the site two builds back (generator/recycling.py), as every build
  of a portal in use does; `rebuild` is the first after a build from nothing, which has none.
Phases: load (read and parse YAML), check (the rules), derive (the view
model), render (our Jinja2 pages), mkdocs (MkDocs and the theme, without our parts), feeds,
changes, calendars, exports ("feeds and data"), search (Pagefind). `peak_rss_mb` is the
highest resident memory of the process or of a program it ran (Pagefind) by the phase's end.
Before and after each N it times a fixed piece of Python work (`machine_cpu_s`): the machine's
speed moves with the hour, and runs are compared through it.
From 200 records on, the feeds-and-data phases run in a process of their own beside the pages and
the search phase (generator/stages.py): their wall times overlap those, and `total` is the wall
time of the whole. The search index's record shards are indexed from when the record pages are
written, beside the rest of `render`: a phase has the CPU time and peak memory of the Pagefind
runs that ended during it, so at 50,000 records part of Pagefind's is in `render`.
So do a build's rules, in two processes of their own while it derives the portal (site.py): its
`check` phase has their CPU time, and for wall time only what the build waited for them.
`total` is measured inside the process, from the command's start to its return; the process's
whole life (`process_wall_s`, measured from outside) adds Python's start, the generator's
imports (about a second) and its end.
A build deletes the site it replaced after it returns, in the background; the benchmark waits
for that before the next command (`old_site_removed_after_s`), and has the kernel write out to
the disk what is still to be written (os.sync), so one command does not slow the next.
Not part of the test suite: it takes minutes at 50,000 records.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
if str(REPOSITORY) not in sys.path:
    sys.path.insert(0, str(REPOSITORY))

from benchmarks.synthetic import EXAMPLE_DATE, write_portal  # noqa: E402

FEEDS_AND_DATA = ("feeds", "changes", "calendars", "exports")
NEXT_DAY = ("next-day", "rebuild-again")
COMMANDS = ("check", "build", "check-cached", "rebuild", "next-day", "rebuild-again")


def measure(command: str, portal: Path, out: Path) -> dict[str, Any]:
    """Run one command in a child Python and return its phases (see `_child`)."""
    # What the generator or the last command wrote is written out to the disk first: the kernel
    # does it later otherwise, with CPU time the next command would be measured with (the
    # 50,080-record build from nothing took 99.8 s with 182 s of CPU right after the portal was
    # written, against 76-83 s with 137-144 s when the same portal had long been on the disk).
    os.sync()
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, __file__, "--child", command, "--portal", str(portal), "--site", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{command} failed on {portal}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    measured: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    measured["process_wall_s"] = round(time.perf_counter() - started, 3)
    measured["old_site_removed_after_s"] = _wait_for_old_site(out)
    return measured


def _wait_for_old_site(site: Path, timeout_s: float = 600) -> float:
    """A build deletes the site it replaced in a process of its own, after it returns (see
    generator/site.py, swap_in). Waiting for that here keeps the deletion, seconds of disk work
    at 50,000 records, out of the next command's figures. Returns the seconds waited."""
    started = time.perf_counter()
    while any(site.parent.glob(f".{site.name}.previous-*")) or any(
        site.parent.glob(f".{site.name}.recycled-*")
    ):
        if time.perf_counter() - started > timeout_s:
            # The next build deletes what is left (site.py); only the figures may suffer.
            print(f"warning: an old copy of {site} was not deleted within {timeout_s:.0f} s", file=sys.stderr)
            break
        time.sleep(0.2)
    return round(time.perf_counter() - started, 1)


def _child(command: str, portal: Path, site: Path) -> None:
    from datetime import date, timedelta

    from generator.check import check_portal
    from generator.cli import end_process
    from generator.collector import loading_once
    from generator.site import build_site
    from generator.timing import peak_rss_mb, recording

    today = date.fromisoformat(EXAMPLE_DATE) + timedelta(days=1 if command in NEXT_DAY else 0)
    cache: dict[str, int] = {}
    started = time.perf_counter()
    with recording() as recorder:
        if command.startswith("check"):
            with loading_once():  # as `portal check` does
                result = check_portal(
                    portal, today, cache_folder(site) if command == "check-cached" else None
                )
            if not result.passes():
                raise SystemExit(f"the synthetic portal does not pass the check: {len(result.errors)} errors")
            records = result.record_count
        else:
            # As `portal build` does: the replaced site is deleted after the command returns.
            build = build_site(
                portal, today=today, out=site, cache_folder=cache_folder(site), wait_for_old_site=False
            )
            records = len(build.portal.notices) + len(build.portal.achievements)
            if build.cache is not None:
                cache = {
                    "reused_pages": build.cache.reused_pages,
                    "reused_indexes": build.cache.reused_indexes,
                }
    wall = time.perf_counter() - started
    phases = [timing.as_dict() for timing in recorder.order()]
    cpu = sum(float(timing["cpu_s"]) for timing in phases)
    total = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "peak_rss_mb": round(peak_rss_mb(), 1)}
    print(
        json.dumps({"command": command, "records": records, "phases": phases, "total": total, "cache": cache})
    )
    end_process(0)  # as `portal` ends, without freeing what it built


def cache_folder(site: Path) -> Path:
    return site.parent / f"{site.name}.cache"


def change_one_notice(portal: Path, *, last: bool = False) -> None:
    """What a pull request does: one notice's title is corrected (the first, or the `last`)."""
    notice = (max if last else min)((portal / "notices").rglob("*.yml"))
    text = notice.read_text(encoding="utf-8")
    notice.write_text(
        re.sub(r"^title: ", "title: 更正：", text, count=1, flags=re.MULTILINE), encoding="utf-8"
    )


def machine_cpu_s() -> float:
    """CPU seconds for a fixed piece of pure-Python work (the kind a build does: dicts, strings,
    JSON), the least of three tries. The same work took a third more CPU time at some hours than
    at others on the same machine, and so did every phase of a build: a run's figures are to be
    read beside this one, and two runs compared through it."""
    tries = []
    for _ in range(3):
        started = time.process_time()
        table = {f"record-{number}": (number, str(number) * 3, [number] * 4) for number in range(100_000)}
        json.loads(json.dumps(sorted(table.items())))
        tries.append(time.process_time() - started)
    return round(min(tries), 3)


def run(sizes: list[int], work: Path) -> list[dict[str, Any]]:
    results = []
    for size in sizes:
        speed_before = machine_cpu_s()
        portal = work / f"portal-{size}"
        started = time.perf_counter()
        achievements, notices = write_portal(portal, size)
        generated = time.perf_counter() - started
        entry: dict[str, Any] = {
            "records": achievements + notices,
            "achievements": achievements,
            "notices": notices,
            "generate_s": round(generated, 3),
        }
        site = work / f"site-{size}"
        shutil.rmtree(cache_folder(site), ignore_errors=True)  # `build` starts from nothing
        for command in COMMANDS:
            if command in ("rebuild", "rebuild-again"):
                change_one_notice(portal, last=command == "rebuild-again")
            entry[command] = measure(command, portal, site)
            _print_run(size, command, entry[command])
        entry["machine_cpu_s"] = {"before": speed_before, "after": machine_cpu_s()}
        print(
            f"\n(the machine: a fixed piece of Python work took {speed_before:.3f} s of CPU before these "
            f"commands and {entry['machine_cpu_s']['after']:.3f} s after; more means a slower hour)"
        )
        results.append(entry)
    add_scaling(results)
    _print_scaling(results)
    return results


def add_scaling(results: list[dict[str, Any]]) -> None:
    """For each command at each N: the wall time per record, and from the second N on, the
    time each record added since the N before (the difference of the totals over the difference
    of the records). A fixed cost (starting MkDocs and Pagefind, a thousand pages of lists)
    makes the first fall as N grows; the second shows whether a record's own cost grows."""
    for before, entry in zip([None, *results], results, strict=False):
        scaling = {}
        for command in COMMANDS:
            wall, records = entry[command]["total"]["wall_s"], entry[command]["records"]
            figures = {"ms_per_record": round(1000 * wall / records, 3)}
            if before is not None:
                added = records - before[command]["records"]
                if added > 0:
                    grown = wall - before[command]["total"]["wall_s"]
                    figures["added_ms_per_record"] = round(1000 * grown / added, 3)
            scaling[command] = figures
        entry["scaling"] = scaling


def _print_scaling(results: list[dict[str, Any]]) -> None:
    print("\n== time per record: total / records, and (from the second N) added time / added records ==")
    print(f"{'command':<14}" + "".join(f"{entry['records']:>22,}" for entry in results))
    for command in COMMANDS:
        cells = []
        for entry in results:
            figures = entry["scaling"][command]
            added = figures.get("added_ms_per_record")
            cells.append(
                f"{figures['ms_per_record']:>9.3f}"
                + (f" ({added:.3f} added)" if added is not None else " " * 14)
            )
        print(f"{command:<14}" + "".join(f"{cell:>22}" for cell in cells))


def _print_run(size: int, command: str, measured: dict[str, Any]) -> None:
    records = measured["records"]
    print(f"\n== portal {command}, {records:,} records (N={size:,}) ==")
    print(f"{'phase':<12}{'wall s':>10}{'cpu s':>10}{'peak MB':>10}{'ms/record':>11}")
    for timing in measured["phases"]:
        per_record = 1000 * timing["wall_s"] / records
        print(
            f"{timing['name']:<12}{timing['wall_s']:>10.2f}{timing['cpu_s']:>10.2f}"
            f"{timing['peak_rss_mb']:>10.0f}{per_record:>11.3f}"
        )
    total = measured["total"]
    if measured.get("cache"):
        print(
            f"(taken from the published site: {measured['cache']['reused_pages']:,} pages, "
            f"{measured['cache']['reused_indexes']} search indexes)"
        )
    print(
        f"{'total':<12}{total['wall_s']:>10.2f}{total['cpu_s']:>10.2f}{total['peak_rss_mb']:>10.0f}"
        f"{1000 * total['wall_s'] / records:>11.3f}"
    )
    print(
        f"(the process, from Python's start to its end, as the command's user waits for it: "
        f"{measured['process_wall_s']:.2f} s)"
    )
    if measured.get("old_site_removed_after_s"):
        print(
            f"(the site it replaced was deleted {measured['old_site_removed_after_s']} s after it returned)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, action="append", help="N; repeat for several sizes")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--work", type=Path, help="where to write portals and sites (default: a temp folder)")
    parser.add_argument("--child", choices=COMMANDS, help=argparse.SUPPRESS)
    parser.add_argument("--portal", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--site", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        _child(arguments.child, arguments.portal, arguments.site)
        return
    sizes = arguments.records or [1000]
    if arguments.work:
        results = run(sizes, arguments.work)
    else:
        with tempfile.TemporaryDirectory(prefix="portal-benchmark-") as folder:
            results = run(sizes, Path(folder))
    if arguments.json:
        arguments.json.parent.mkdir(parents=True, exist_ok=True)
        arguments.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\n{arguments.json}")


if __name__ == "__main__":
    main()
