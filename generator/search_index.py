"""The search index: Pagefind's extended binary (the one that segments Chinese), run over the
built site. It ships inside the `pagefind-bin-extended` wheel: nothing is downloaded at build time.

The standard binary indexes a Chinese page as a few long phrases, so a search for 公示 or 定价
finds nothing; only the extended build segments Chinese words.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.errors import StageFailed
from generator.portal import Portal

BUNDLE_FOLDER = "pagefind"


def extended_binary() -> Path:
    try:
        import pagefind_bin_extended
    except ImportError as error:
        raise StageFailed(
            "search",
            "未安装 pagefind[extended]，请运行 pip install 'pagefind[extended]' (the extended binary is missing)",
        ) from error
    return Path(pagefind_bin_extended.get_executable())


def write_search_index(portal: Portal, site_dir: Path, site_url: str) -> None:
    command = [str(extended_binary()), "--site", str(site_dir), "--output-subdir", BUNDLE_FOLDER, "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=3600)
    if result.returncode != 0:
        raise StageFailed("search", f"{' '.join(command)}\n{result.stdout}\n{result.stderr}")
