"""Work split across forked processes (forked.py) gives what one process gives: the same
problems, lines and all, and the same site, byte for byte. A portal forks only from hundreds
of records; here the example portal is made to fork by asking for two workers."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import catalog, page_shell, render
from generator.check import check_portal
from generator.site import build_site

PROJECT = Path(__file__).resolve().parent.parent
TODAY = date(2025, 9, 22)
MODULES_THAT_FORK = (catalog, page_shell, render)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    for folder in ("policies", "institutions", "achievements", "notices"):
        shutil.copytree(PROJECT / folder, root / folder)
    return root


def break_some_records(root: Path) -> None:
    notices = sorted((root / "notices").rglob("*.yml"))
    first = notices[0].read_text(encoding="utf-8")
    notices[0].write_text(first.replace("title:", "titel:", 1), encoding="utf-8")
    notices[1].write_text(notices[1].read_text(encoding="utf-8") + "kind: [\n", encoding="utf-8")
    achievement = sorted((root / "achievements").rglob("*.yml"))[0]
    text = achievement.read_text(encoding="utf-8")
    achievement.write_text(text.replace("type:", "type: not_a_type\n_old_type:", 1), encoding="utf-8")


def split_in(workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in MODULES_THAT_FORK:
        monkeypatch.setattr(module, "worker_count", lambda records: workers)


def test_a_forked_check_finds_the_same_problems(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    break_some_records(example)
    split_in(1, monkeypatch)
    alone = check_portal(example, TODAY).problems
    split_in(2, monkeypatch)
    forked = check_portal(example, TODAY).problems
    assert {problem.code for problem in alone} >= {"unknown-key", "yaml-syntax"}
    assert any(not problem.is_error for problem in alone), "a rule's warning needs its line read again"
    assert forked == alone


def test_a_forked_build_gives_the_same_site(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    split_in(1, monkeypatch)
    alone = build_site(example, today=TODAY, out=tmp_path / "alone", incremental=False).out
    split_in(2, monkeypatch)
    forked = build_site(example, today=TODAY, out=tmp_path / "forked", incremental=False).out
    files = sorted(path.relative_to(alone) for path in alone.rglob("*") if path.is_file())
    assert len(files) > 100
    assert files == sorted(path.relative_to(forked) for path in forked.rglob("*") if path.is_file())
    for relative in files:
        assert (alone / relative).read_bytes() == (forked / relative).read_bytes(), relative
