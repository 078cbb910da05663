"""Record pages poured into a shell are the pages MkDocs would have written itself."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from generator import archive, mkdocs_plugin, page_shell, render
from generator.render import RECORD_PAGE_HIDES, Page, Renderer
from generator.site import build_site
from tests.conftest import replace
from tests.test_build_integrity import RECORD_FOLDERS

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2025, 9, 22)


_ENGINE_PAGES = Renderer.engine_pages


def _every_page_through_mkdocs(self: Renderer) -> Iterator[Page]:
    yield from _ENGINE_PAGES(self)
    yield from self.record_pages()


def _record_pages(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for folder in ("notices", "achievements")
        for path in (site / folder).glob("*/index.html")
    }


def _shell_poured_pages(site: Path) -> dict[str, bytes]:
    """The pages poured into list shells: the lists out of the navigation, the statistics reports
    (and the pages of their folders in the navigation, which MkDocs writes either way)."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for folder in ("archive", "deals", "statistics")
        for path in (site / folder).rglob("index.html")
    }


def _example_with_ascii_quotes(root: Path) -> Path:
    """The example, with ASCII quotes, an ampersand and angle brackets in a notice's and an
    achievement's title: the shell escapes a title as the front matter does, or the bytes differ."""
    for folder in RECORD_FOLDERS:
        shutil.copytree(REPO / folder, root / folder)
    notice = "notices/jhust/2024/jhust-2024-n01.yml"
    replace(root, notice, "关于“一种高稳定性", "关于\"一种 <高稳定性> & 'A' ")
    replace(root, notice, "及其制备方法”等", '及其制备方法"等')
    replace(root, "achievements/gnas/gnas-2024-001.yml", "title: 一种离子型", 'title: 一种"离子型"')
    # In the title of its statistics reports, its lists, its page.
    replace(root, "institutions/gnas.yml", "name: 赣南科学院（示例）", "name: '赣南\"科学院\" <A&B>（示例）'")
    return root


def test_poured_pages_are_byte_for_byte_what_mkdocs_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _example_with_ascii_quotes(tmp_path / "portal")
    # Lists of three entries a page: the example's lists have second pages, deals/2/ among them.
    monkeypatch.setattr(render, "paginate", lambda folder, items: archive.paginate(folder, items, size=3))
    shells_poured: set[tuple[str, int, tuple[str, ...]]] = set()

    def pour_list_pages(site_dir: Path, pages: list[Page]) -> dict[str, list[str]]:
        shells_poured.update(page_shell.list_shell_of(page) for page in pages)
        return page_shell.pour_list_pages(site_dir, pages)

    monkeypatch.setattr(mkdocs_plugin, "pour_list_pages", pour_list_pages)
    poured = build_site(root, today=TODAY, out=tmp_path / "poured").out
    assert {("statistics", 2, RECORD_PAGE_HIDES), ("statistics", 4, RECORD_PAGE_HIDES)} <= shells_poured
    monkeypatch.setattr(mkdocs_plugin, "POURED_FOLDERS", ())
    monkeypatch.setattr(mkdocs_plugin, "POUR_LIST_PAGES", False)
    monkeypatch.setattr(Renderer, "engine_pages", _every_page_through_mkdocs)
    through_mkdocs = build_site(root, today=TODAY, out=tmp_path / "mkdocs").out

    expected = _record_pages(through_mkdocs)
    quoted = "&#34;一种 &lt;高稳定性&gt; &amp; &#39;A&#39; "
    assert quoted in expected["notices/jhust-2024-n01/index.html"].decode()
    assert len(expected) == 34 + 43  # the example's notices and achievements
    assert _record_pages(poured) == expected
    lists = _shell_poured_pages(through_mkdocs)
    in_nav = {"deals/index.html", "statistics/index.html"}
    shells = {(page.split("/", 1)[0], page.count("/")) for page in lists if page not in in_nav}
    assert shells == {
        ("deals", 2),
        ("archive", 3),
        ("archive", 4),
        ("archive", 5),
        ("statistics", 2),
        ("statistics", 3),  # a policy's or a unit's years
        ("statistics", 4),
    }
    report = lists["statistics/institutions/gnas/2024/index.html"].decode()
    assert "<title>赣南&#34;科学院&#34; &lt;A&amp;B&gt;（示例） 2024 年度统计" in report
    assert _shell_poured_pages(poured) == lists
    assert not any(
        "portal-shell" in path.name
        for folder in ("archive", "deals", "statistics")
        for path in (poured / folder).iterdir()
    )
    assert not (poured / "notices" / "portal-shell").exists()
    sitemap = (poured / "sitemap.xml").read_text(encoding="utf-8")
    assert "portal-shell" not in sitemap
    # The same entries, each once (poured pages take their shell's place, MkDocs lists its own in
    # the order of its files).
    by_mkdocs = (through_mkdocs / "sitemap.xml").read_text(encoding="utf-8")
    assert sorted(sitemap.splitlines()) == sorted(by_mkdocs.splitlines())
    assert len(set(sitemap.splitlines())) == len(sitemap.splitlines())
