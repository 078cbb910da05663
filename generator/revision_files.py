"""Earlier versions stay reachable: after the build, every committed version of every notice is
written into the site at the address its revision history links to,
notices/<id>/versions/<commit>.txt.

Each file holds the bytes git holds, unchanged, so anyone can check a download against the
repository (`git hash-object` gives the blob id). The versions come from one `git cat-file
--batch`, streamed, so a large portal's history never sits in memory at once. Without git there
is no history and nothing to write.
"""

from __future__ import annotations

from pathlib import Path

from generator.git_source import stream_blobs
from generator.portal import Portal


def write_version_files(portal: Portal, site_dir: Path, site_url: str) -> None:
    history = portal.revisions
    if history is None:
        return
    targets: dict[str, list[Path]] = {}  # blob -> the files it is written to (a reverted text repeats)
    for notice_id in sorted(portal.notices):  # only the notices the site shows
        notice_history = history.of(notice_id)
        if notice_history is None:
            continue
        for revision in notice_history.revisions:
            targets.setdefault(revision.blob, []).append(site_dir / notice_history.version_file(revision))
    for folder in sorted({path.parent for paths in targets.values() for path in paths}):
        folder.mkdir(parents=True, exist_ok=True)  # once per notice: file systems make this slow
    for blob, content in stream_blobs(history.git_top, list(targets)):
        for path in targets[blob]:
            path.write_bytes(content)
