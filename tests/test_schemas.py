"""The JSON Schemas in schemas/ are generated from the models, carry Chinese descriptions for
editors' tooltips, and accept exactly what `portal check` accepts in shape."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from generator.cli import main
from generator.paths import RECORD_FOLDERS
from generator.schema_export import schema_documents, stale_schemas
from generator.yaml_source import parse_record_bytes
from tests.conftest import FIXTURE, write_full_portal

REPO = Path(__file__).resolve().parent.parent
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_schemas_are_current() -> None:
    documents = schema_documents()
    assert sorted(documents) == [f"{kind}.schema.json" for kind in sorted(RECORD_FOLDERS)]
    for name, text in documents.items():
        assert (REPO / "schemas" / name).read_text(encoding="utf-8") == text, "run `portal schemas`"
    assert stale_schemas(REPO) == []


def test_the_check_command_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas", str(REPO), "--check"]) == 0


def test_a_stale_schema_is_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas", str(tmp_path)]) == 0
    (tmp_path / "schemas/notice.schema.json").write_text("{}\n", encoding="utf-8")
    assert stale_schemas(tmp_path) == ["notice.schema.json"]
    assert main(["schemas", str(tmp_path), "--check"]) == 1
    assert "schemas/notice.schema.json" in capsys.readouterr().out


def _schemas() -> dict[str, dict[str, Any]]:
    return {name.split(".")[0]: json.loads(text) for name, text in schema_documents().items()}


def _objects(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}/{index}")


@pytest.mark.parametrize("kind", sorted(RECORD_FOLDERS))
def test_every_field_has_a_chinese_description(kind: str) -> None:
    schema = _schemas()[kind]
    assert CHINESE.search(schema["description"])
    objects = list(_objects(schema, kind))
    assert objects
    for where, node in objects:
        assert CHINESE.search(node.get("description", "")), f"{where} has no Chinese description"
        assert node.get("additionalProperties") is False, f"{where} allows unknown keys"
        for name, field in node["properties"].items():
            assert CHINESE.search(field.get("description", "")), f"{where}.{name} has no Chinese description"


def test_a_known_description() -> None:
    notice = _schemas()["notice"]
    assert "公示期" in notice["$defs"]["Period"]["description"]
    assert notice["properties"]["kind"]["enum"] == [
        "ownership_grant",
        "long_term_use_grant",
        "negotiated_price",
        "reward",
    ]


def _records(root: Path) -> Iterator[tuple[str, Path, Any]]:
    for kind, folder in RECORD_FOLDERS.items():
        for path in sorted((root / folder).rglob("*.yml")):
            source = parse_record_bytes(path.read_bytes(), path.name)
            assert source.problems == []
            yield kind, path, source.data  # dates stay strings, as editors see them


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = _schemas()[kind]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_minimal_records_validate_against_the_schemas() -> None:
    records = list(_records(FIXTURE))
    assert {kind for kind, _, _ in records} == set(RECORD_FOLDERS)
    for kind, path, data in records:
        errors = [error.message for error in _validator(kind).iter_errors(data)]
        assert errors == [], f"{path}: {errors}"


def test_records_with_every_optional_field_validate(tmp_path: Path) -> None:
    write_full_portal(tmp_path)
    for kind, path, data in _records(tmp_path):
        errors = [error.message for error in _validator(kind).iter_errors(data)]
        assert errors == [], f"{path}: {errors}"


@pytest.mark.parametrize(
    ("kind", "relative", "old", "new"),
    [
        ("notice", "notices/gnas/2024/gnas-2024-n01.yml", "title:", "titel:"),
        ("notice", "notices/gnas/2024/gnas-2024-n01.yml", "kind: ownership_grant", "kind: ownership"),
        ("notice", "notices/gnas/2024/gnas-2024-n01.yml", "start: 2024-03-04", "start: 2024/03/04"),
        ("achievement", "achievements/gnas/gnas-2024-001.yml", "share: 40", "share: '40%'"),
        ("achievement", "achievements/gnas/gnas-2024-001.yml", "id: gnas-2024-001", "id: GNAS_2024"),
        ("institution", "institutions/gnas.yml", "email: tto@gnas.example.cn", "email: tto"),
        ("policy", "policies/ganzhou-2023.yml", "[60, 95]", "[60]"),
    ],
)
def test_the_schemas_refuse_what_the_check_refuses(kind: str, relative: str, old: str, new: str) -> None:
    text = (FIXTURE / relative).read_text(encoding="utf-8").replace(old, new, 1)
    data = parse_record_bytes(text.encode(), relative).data
    assert list(_validator(kind).iter_errors(data))
