"""The GitHub Actions workflows validate against the workflow schema (offline, with
check-jsonschema's vendored copy) and hold what the project relies on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPOSITORY = Path(__file__).parent.parent
WORKFLOWS = REPOSITORY / ".github" / "workflows"
CHECK_JSONSCHEMA = next(
    (
        candidate
        for candidate in (
            REPOSITORY / ".venv" / "bin" / "check-jsonschema",
            Path(sys.executable).parent / "check-jsonschema",
        )
        if candidate.exists()
    ),
    Path("check-jsonschema"),
)


def _load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("name", ["pull_request.yml", "publish.yml"])
def test_workflow_matches_the_schema(name: str) -> None:
    completed = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", str(WORKFLOWS / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("name", ["pull_request.yml", "publish.yml"])
def test_actions_are_pinned_and_permissions_least(name: str) -> None:
    workflow = _load(name)
    assert workflow["permissions"] == {"contents": "read"}
    assert "group" in workflow["concurrency"]
    for step in _steps(workflow):
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            assert version, f"{action} is not pinned"
            assert version.startswith("v") or len(version) == 40


def test_pull_request_checks_changes_against_the_base() -> None:
    workflow = _load("pull_request.yml")
    steps = _steps(workflow)
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    commands = "\n".join(step.get("run", "") for step in steps)
    for command in (
        "pip install -e .",
        "portal check --format github",
        "portal check-changes --base",
        "--format github",
        "portal build",
        "make test",
        "apt-get install -y chromium fonts-noto-cjk",
    ):
        assert command in commands
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps)


def test_pull_request_reads_the_cache_that_publishing_saves() -> None:
    """A pull request restores main's site and cache (a run may read the default branch's caches,
    never write them), so its check and preview reread only what it changed."""
    saved = next(
        step for step in _steps(_load("publish.yml")) if step.get("uses", "").startswith("actions/cache@")
    )
    restored = next(
        step
        for step in _steps(_load("pull_request.yml"))
        if step.get("uses", "").startswith("actions/cache/restore@")
    )
    assert restored["with"]["path"] == saved["with"]["path"]
    assert restored["with"]["restore-keys"] == saved["with"]["restore-keys"]


def test_publish_runs_daily_after_midnight_in_china_and_deploys_pages() -> None:
    workflow = _load("publish.yml")
    triggers = workflow[True]  # PyYAML reads the key `on` as true: YAML 1.1
    assert triggers["push"] == {"branches": ["main"]}
    assert triggers["schedule"] == [{"cron": "5 16 * * *"}]
    assert "workflow_dispatch" in triggers
    used = [step["uses"].split("@")[0] for step in _steps(workflow) if "uses" in step]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in used
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
