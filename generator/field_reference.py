"""The field reference of the publishing guide, generated from the models' Chinese descriptions,
so the guide, the JSON Schemas and the validation can never disagree."""

from __future__ import annotations

import typing
from dataclasses import dataclass

from pydantic import BaseModel

from generator.models import Achievement, Institution, Notice, Policy
from generator.schema_problems import unwrap_annotation

SECTIONS: tuple[tuple[str, str, type[BaseModel]], ...] = (
    ("notice", "公示 notices/<单位>/<年份>/<编号>.yml", Notice),
    ("achievement", "成果 achievements/<单位>/<编号>.yml", Achievement),
    ("institution", "单位 institutions/<编号>.yml", Institution),
    ("policy", "政策 policies/<编号>.yml", Policy),
)


@dataclass(frozen=True)
class FieldRow:
    path: str
    required: bool
    description: str


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    rows: tuple[FieldRow, ...]


def field_reference() -> list[Section]:
    return [Section(anchor, title, tuple(_rows(model, ""))) for anchor, title, model in SECTIONS]


def _rows(model: type[BaseModel], prefix: str) -> list[FieldRow]:
    rows: list[FieldRow] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        rows.append(FieldRow(path, info.is_required(), info.description or ""))
        nested = unwrap_annotation(info.annotation)
        is_list = typing.get_origin(nested) is list
        if is_list:
            nested = unwrap_annotation(typing.get_args(nested)[0])
        if isinstance(nested, type) and issubclass(nested, BaseModel):
            rows.extend(_rows(nested, f"{path}[]." if is_list else f"{path}."))
    return rows
