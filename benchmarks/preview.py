"""How long `portal serve` makes a clerk wait: until the first page is served, and after each saved
edit until the served page shows it.

    python benchmarks/preview.py --records 10000 --edits 3 --work ../bench-preview

It writes a synthetic portal (benchmarks/synthetic.py), starts `portal serve` on it, and asks for
the last notice's page every tenth of a second; each edit gives that notice a new title. The
server's output is kept in `serve.log` in the work folder. A second run on the same work folder
and port starts from the preview the first built (each address has its preview folder, beside
the portal's caches: generator/preview.py).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
if str(REPOSITORY) not in sys.path:
    sys.path.insert(0, str(REPOSITORY))

from benchmarks.synthetic import EXAMPLE_DATE, write_portal  # noqa: E402

TIMEOUT_S = 900
_ID = re.compile(r"^id: *(\S+)", re.MULTILINE)
_TITLE = re.compile(r"^title: .*$", re.MULTILINE)


def measure(portal: Path, edits: int, port: int, log: Path) -> dict[str, float | list[float]]:
    notice = max((portal / "notices").rglob("*.yml"))
    found = _ID.search(notice.read_text(encoding="utf-8"))
    assert found is not None, f"{notice} has no id"
    page = f"http://127.0.0.1:{port}/notices/{found.group(1)}/"
    command = [sys.executable, "-m", "generator", "serve", str(portal), "--today", EXAMPLE_DATE]
    started = time.perf_counter()
    with log.open("wb") as output:
        server = subprocess.Popen([*command, "--port", str(port)], stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait(server, partial(_shows, page, ""))
        first = time.perf_counter() - started
        shown = []
        for number in range(edits):
            time.sleep(2)  # as a clerk would, between two saves
            title = f"预览计时 {number} {time.time_ns()}"
            text = notice.read_text(encoding="utf-8")
            notice.write_text(_TITLE.sub(f"title: {title}", text, count=1), encoding="utf-8")
            saved = time.perf_counter()
            _wait(server, partial(_shows, page, title))
            shown.append(round(time.perf_counter() - saved, 1))
            print(f"edit {number + 1}: shown {shown[-1]} s after it was saved", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {"first_build_served_s": round(first, 1), "edit_shown_s": shown}


def _shows(url: str, text: str) -> bool:
    """Whether the page is served and holds the text."""
    page = _get(url)
    return page is not None and text in page


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body: bytes = response.read()  # urlopen is typed as Any
            return body.decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait(server: subprocess.Popen[bytes], condition: Callable[[], bool]) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not condition():
        if server.poll() is not None:
            raise SystemExit(f"portal serve ended with exit code {server.returncode}: see serve.log")
        if time.perf_counter() > deadline:
            raise SystemExit(f"nothing within {TIMEOUT_S} s: see serve.log")
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--port", type=int, default=8790, help="the preview's port (default 8790)")
    parser.add_argument("--work", type=Path, help="where to write the portal (default: a temp folder)")
    arguments = parser.parse_args()
    work = arguments.work or Path(tempfile.mkdtemp(prefix="portal-preview-"))
    portal = work / f"portal-{arguments.records}"
    if not portal.is_dir():
        work.mkdir(parents=True, exist_ok=True)
        write_portal(portal, arguments.records)
    result = measure(portal, arguments.edits, arguments.port, work / "serve.log")
    print(json.dumps({"records": arguments.records, **result}))


if __name__ == "__main__":
    main()
