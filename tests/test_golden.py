"""Golden files of what this project renders (the page sources handed to MkDocs), not the theme.

Refresh after an intended change, then read the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from generator.check import check_portal
from generator.portal import build_portal
from generator.render import Renderer

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
GOLDEN = Path(__file__).parent / "golden"
TODAY = date(2024, 3, 20)
PAGES = [
    "index.md",
    "notices/gnas-2024-n01.md",
    "achievements/gnas-2024-001.md",
    "institutions/gnas.md",
    "policies/ganzhou-2023.md",
    "deals/index.md",
]


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    result = check_portal(FIXTURE, TODAY)
    assert result.passes()
    renderer = Renderer(build_portal(result.catalog, TODAY), "https://notice-portal.example.cn/", FIXTURE)
    return {page.src_uri: page.markdown() for page in renderer.pages()}


@pytest.mark.parametrize("src_uri", PAGES)
def test_rendered_page_matches_golden(rendered: dict[str, str], src_uri: str) -> None:
    golden = GOLDEN / src_uri.replace("/", "__")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(rendered[src_uri], encoding="utf-8")
    assert golden.is_file(), f"missing golden file {golden.name}: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert rendered[src_uri] == golden.read_text(encoding="utf-8")


def test_rendering_twice_gives_the_same_pages(rendered: dict[str, str]) -> None:
    result = check_portal(FIXTURE, TODAY)
    renderer = Renderer(build_portal(result.catalog, TODAY), "https://notice-portal.example.cn/", FIXTURE)
    assert {page.src_uri: page.markdown() for page in renderer.pages()} == rendered
