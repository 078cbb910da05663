"""`portal codeowners`: CODEOWNERS follows each institution's maintainers, and --check says when
the file is stale. The example's own file is kept current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.codeowners import CODEOWNERS_PATH, codeowners_stale, render_codeowners

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
REPOSITORY = Path(__file__).parent.parent


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    shutil.copytree(FIXTURE, root)
    return root


def test_owners_of_each_institution(portal: Path) -> None:
    text = render_codeowners(portal)
    assert text.startswith("# ")
    assert "portal codeowners" in text.splitlines()[0]
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules == [
        "/institutions/gnas.yml @gnas-tto",
        "/achievements/gnas/ @gnas-tto",
        "/notices/gnas/ @gnas-tto",
    ]


def test_check_is_stale_until_written_then_current(portal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codeowners", "--check", str(portal)]) == 1
    assert "portal codeowners" in capsys.readouterr().out
    assert main(["codeowners", str(portal)]) == 0
    assert (portal / CODEOWNERS_PATH).is_file()
    assert main(["codeowners", "--check", str(portal)]) == 0
    institution = portal / "institutions" / "gnas.yml"
    institution.write_text(
        institution.read_text(encoding="utf-8").replace(
            '["@gnas-tto"]', '["@gnas-tto", "@example/tto-team"]'
        ),
        encoding="utf-8",
    )
    assert codeowners_stale(portal)
    assert main(["codeowners", "--check", str(portal)]) == 1
    main(["codeowners", str(portal)])
    assert "/notices/gnas/ @gnas-tto @example/tto-team" in (portal / CODEOWNERS_PATH).read_text("utf-8")


def test_a_maintainer_that_is_not_an_owner_is_left_out_and_said(portal: Path) -> None:
    institution = portal / "institutions" / "gnas.yml"
    institution.write_text(
        institution.read_text(encoding="utf-8").replace('["@gnas-tto"]', '["@gnas-tto", "王老师"]'),
        encoding="utf-8",
    )
    text = render_codeowners(portal)
    assert "/notices/gnas/ @gnas-tto\n" in text
    assert "王老师" in next(line for line in text.splitlines() if "ignored" in line)


def test_the_example_codeowners_is_current() -> None:
    assert not codeowners_stale(REPOSITORY), "run `portal codeowners` and commit .github/CODEOWNERS"
