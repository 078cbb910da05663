"""The JSON Schemas in schemas/ are generated from the models and must be current."""

from __future__ import annotations

import json
from pathlib import Path

from generator.schema_export import schema_documents, stale_schemas

REPO = Path(__file__).resolve().parent.parent


def test_schemas_are_current() -> None:
    assert stale_schemas(REPO) == [], "run `portal schemas` and commit the result"


def test_schemas_carry_chinese_descriptions() -> None:
    notice = json.loads(schema_documents()["notice.schema.json"])
    assert "公示期" in notice["$defs"]["Period"]["description"]
    assert notice["additionalProperties"] is False
