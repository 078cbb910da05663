"""JSON Schemas of the four record kinds, generated from the models (descriptions in Chinese), so
editors such as VS Code's YAML extension show each field's meaning as a tooltip."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from generator.models import RECORD_MODELS

SCHEMA_FOLDER = "schemas"
SCHEMA_BASE_URL = "https://notice-portal.example.cn/schemas/"


def schema_documents() -> dict[str, str]:
    documents = {}
    models: dict[str, type[BaseModel]] = dict(RECORD_MODELS)
    for kind, model in models.items():
        schema = model.model_json_schema(mode="validation")
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{SCHEMA_BASE_URL}{kind}.schema.json",
            **schema,
        }
        documents[f"{kind}.schema.json"] = (
            json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        )
    return documents


def write_schemas(root: Path) -> list[str]:
    folder = root / SCHEMA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(name)
    return written


def stale_schemas(root: Path) -> list[str]:
    folder = root / SCHEMA_FOLDER
    return [
        name
        for name, text in schema_documents().items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]
