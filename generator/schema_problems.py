"""Validate a record's data against its model; every pydantic error becomes a Problem.

The record types raise catalogue codes themselves (money, dates, ids…); the generic pydantic
errors (missing, unknown key, wrong kind of value) are mapped here, with the suggestion a clerk
needs: the nearest known key for a typo, the allowed values for a wrong choice.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import re
import types
import typing
from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.messages import CATALOGUE, hint, no_hint
from generator.models.common import MENDED, WrittenAs, show_value
from generator.models.vocabulary import VOCABULARIES
from generator.problems import Problem, field_path
from generator.yaml_source import FieldPath, SourceFile

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_record(model: type[ModelT], source: SourceFile) -> tuple[ModelT | None, list[Problem]]:
    assert source.data is not None
    try:
        return model.model_validate(source.data), []
    except ValidationError as error:
        # A source read without positions (record_cache.py, catalog.py) has them read again
        # first: a message places the value and quotes it as written (`0797`, not 797).
        source.complete_positions()
        details = error.errors(include_url=False)
        problems = _paired([_problem(model, source, detail) for detail in details])
        problems = _without_typo_echoes(problems)
        return _as_meant(model, source.data, details), problems


def _as_meant(model: type[ModelT], data: Any, details: list[Any]) -> ModelT | None:
    """The record read with the values the clerk plainly meant (2025-09-01 for 2025年9月1日),
    when every error has one: its problems stay errors, but the rules run on it as well, and
    the clerk learns of a short period or a wrong check digit in the same round, not the next."""
    mends = [(tuple(detail["loc"]), (detail.get("ctx") or {}).get(MENDED)) for detail in details]
    if not mends or any(value is None for _, value in mends):
        return None
    mended = copy.deepcopy(data)
    try:
        for loc, value in mends:
            container = mended
            for part in loc[:-1]:
                container = container[part]
            container[loc[-1]] = value
        return model.model_validate(mended)
    except (ValidationError, KeyError, IndexError, TypeError):
        return None  # a path the data does not have as the error says: read as before


# What clerks write for a code that the vocabulary's labels do not contain.
_ALSO_WRITTEN = {
    "负责人": "lead",
    "团队代表": "lead",
    "组长": "lead",
    "代表": "lead",
    "国企": "state_owned",
    "民企": "private",
    "签订协议": "agreement_signed",
    "签署协议": "agreement_signed",
    "签订赋权协议": "agreement_signed",
}
_TEAM_ROLES = {"lead": "团队代表"}


def named_in_chinese(written: str, choices: list[str]) -> tuple[str, str] | None:
    """The allowed code a value written in Chinese names (转让 for transfer, 民营 for private,
    撤回 for withdrawn), with its label; None when it names none, or more than one."""
    text = written.strip()
    if not text or not re.search(r"[\u3400-\u9fff]", text):
        return None
    labels: dict[str, str] = {}
    for vocabulary in (*VOCABULARIES, _TEAM_ROLES):
        if set(choices) <= set(vocabulary):
            labels = {code: vocabulary[code] for code in choices}
            break
    if text in _ALSO_WRITTEN and _ALSO_WRITTEN[text] in choices:
        code = _ALSO_WRITTEN[text]
        return code, labels.get(code, text)
    # A shortening of a label (财政 for 财政资金) names it; a longer text holding one does not:
    # 非独占许可 holds 独占许可 and means the opposite.
    found = [
        (code, label) for code, label in labels.items() if text == label or (len(text) >= 2 and text in label)
    ]
    exact = [item for item in found if item[1] == text]
    if exact:
        return exact[0]
    return found[0] if len(found) == 1 else None


def _paired(problems: list[Problem]) -> list[Problem]:
    """One unknown key, suggesting nothing, beside the one field missing from the same mapping:
    the key is that field's, misnamed (`{begin: …}` for start): it is told so, and the field's
    absence is then an echo of it (_without_typo_echoes)."""
    unknown: dict[str, list[Problem]] = {}
    missing: dict[str, list[Problem]] = {}
    for problem in problems:
        parent = problem.field.rpartition(".")[0]
        if (
            problem.code == "unknown-key"
            and not problem.params.get("suggests")
            and not problem.params.get("belongs_to")
        ):
            unknown.setdefault(parent, []).append(problem)
        elif problem.code == "field-missing":
            missing.setdefault(parent, []).append(problem)
    paired = {}
    for parent, keys in unknown.items():
        if len(keys) == 1 and len(missing.get(parent, [])) == 1:
            field = missing[parent][0].field.rpartition(".")[2]
            written = keys[0].params["key"]
            paired[id(keys[0])] = dataclasses.replace(
                keys[0],
                params={
                    **keys[0].params,
                    "suggests": field,
                    "suggestion": f"这里缺少 {field}：{written} 是不是就是 {field}？请改为 {field}。",
                    "suggestion_en": f"{field} is missing here: is {written} meant as {field}? Write {field}.",
                },
            )
    return [paired.get(id(problem), problem) for problem in problems]


def _without_typo_echoes(problems: list[Problem]) -> list[Problem]:
    """`strat:` for `start:` is one mistake: the unknown key that suggests the missing field says
    all there is to say, so the field-missing it causes is not reported as well. So do the lines
    of a block that lost its indentation: its key, left empty, is not reported as well."""
    suggested = {
        (problem.field.rpartition(".")[0], problem.params["suggests"])
        for problem in problems
        if problem.code == "unknown-key" and problem.params.get("suggests")
    }
    emptied = {
        _joined(problem.field.rpartition(".")[0], problem.params["belongs_to"])
        for problem in problems
        if problem.code == "unknown-key" and problem.params.get("belongs_to")
    }
    return [
        problem
        for problem in problems
        if not (
            problem.code == "field-missing"
            and (problem.field.rpartition(".")[0], problem.field.rpartition(".")[2]) in suggested
        )
        and not (problem.code == "not-a-mapping" and problem.field in emptied)
    ]


def _joined(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _problem(model: type[BaseModel], source: SourceFile, error: Any) -> Problem:
    loc: FieldPath = tuple(error["loc"])
    kind: str = error["type"]
    context: dict[str, Any] = dict(error.get("ctx") or {})
    key = next((part for part in reversed(loc) if isinstance(part, str)), "")
    value = _as_written(source, loc, error.get("input"))
    params: dict[str, str] = {"key": key, "value": value}

    if kind in CATALOGUE:  # raised by our own types with a catalogue code
        params.update({name: str(item) for name, item in context.items() if name != MENDED})
        params["value"] = value
        return _at(source, kind, loc, params)
    if kind == "missing" and loc and isinstance(loc[-1], int):  # [60] where [low, high] belongs
        shown = show_value(_value_at(source.data, loc[:-1]))
        return _at(source, "range-invalid", loc[:-1], {"key": key, "value": shown})
    if kind == "missing":
        description = _description(model, loc)
        return _at(
            source,
            "field-missing",
            loc,
            {
                "key": key,
                "hint": description.rstrip("。") or "见发布指南",
                "hint_en": _what_to_write_en(model, loc),
            },
            on_parent=True,
        )
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        # A key written already is not the one meant: `price:` beside `pricing:` means price_yuan.
        present = _keys_at(source.data, loc[:-1])
        candidates = [name for name in known if name != key and name not in present]
        close = _close_key(key, candidates)
        name, colon, rest = key.partition(":")
        block = _empty_block_above(model, source, loc)
        if block is not None:  # `deal:` left empty, its fields below it not indented
            close = []
            zh, en = (
                f"这一行属于上面的 {block}：请在行首加两个空格，把它缩进到“{block}:”下面，与同组的各行对齐。",
                f"This line belongs to {block} above it: indent it by two spaces, under '{block}:', in "
                "line with the rest of that block.",
            )
        elif colon and name in known and rest:  # `{start:2025-09-29}`: one key, `start:2025-09-29`
            close = [name]
            zh, en = (
                f"冒号后要加一个空格，YAML 才会把 {name} 读作字段名：请写成“{name}: {rest}”。",
                f"Put a space after the colon, so that YAML reads {name} as a key: write '{name}: {rest}'.",
            )
        elif (english := _field_named_in_chinese(model, loc, candidates)) is not None:  # `标题:`: title
            close = [english]
            zh, en = (
                f"字段名要用英文：“{key}”应写成 {english}，即“{english}: ”再写值。",
                f"Keys are written in English: write {english} for {key}, as '{english}: ' before the value.",
            )
        elif re.search(r"[\u3400-\u9fff]", key):  # `联系人: 张老师` under an empty `body: |`
            looks_like_text = hint("key-looks-like-text")
            zh, en = looks_like_text["fix"], looks_like_text["fix_en"]
        elif close:
            zh, en = (
                f"是不是要写 {close[0]}？请改为 {close[0]}。",
                f"Did you mean {close[0]}? Write {close[0]}.",
            )
        else:
            allowed = "、".join(known)
            zh, en = (
                f"此处可用的字段：{allowed}。请删除或更正该行。",
                f"Keys allowed here: {', '.join(known)}.",
            )
        line, column = source.where_key(loc)
        return Problem(
            "unknown-key", source.path, line, column, field_path(loc),
            {"key": key, "suggestion": zh, "suggestion_en": en, "suggests": close[0] if close else "",
             "belongs_to": block or ""},
        )  # fmt: skip
    if kind in {"literal_error", "enum"}:
        choices: list[str] = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        written = str(error.get("input"))
        named = named_in_chinese(written, choices)
        close = difflib.get_close_matches(written, choices, n=1, cutoff=0.6)
        if named is not None:
            code, label = named
            written_line = f"{key}: {code}" if key else code
            suggestion = (f"请改为 {written_line}（{label}）。", f"Write {written_line} ({label}). ")
        elif close:
            suggestion = (f"是不是要写 {close[0]}？", f"Did you mean {close[0]}? ")
        else:
            suggestion = ("", "")
        return _at(
            source,
            "value-not-allowed",
            loc,
            {
                **params,
                "allowed": "、".join(choices),
                "allowed_en": ", ".join(choices),
                "suggestion": suggestion[0],
                "suggestion_en": suggestion[1],
            },
        )
    if kind in {"list_type", "set_type"}:
        # 【a, b】 or ［a］, typed with a Chinese input method: the brackets meant, not more of them.
        written = params["value"].strip()
        if written[:1] in "【［〔" and written[-1:] in "】］〕":
            items = [item.strip() for item in re.split(r"[，、,]", written[1:-1]) if item.strip()]
            params = {**params, "value": ", ".join(items)}
        return _at(source, "not-a-list", loc, params)
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return _at(source, "not-a-mapping", loc, params)
    if kind in {"tuple_type", "too_long"} or (kind == "too_short" and key == "reward_share_range"):
        return _at(source, "range-invalid", loc, params)
    if kind == "too_short":
        return _at(source, "list-too-short", loc, {**params, "min": str(context.get("min_length", 1))})
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return _at(source, "not-integer", loc, {**params, **no_hint("fix")})
    if kind in {"bool_type", "bool_parsing"}:
        return _at(source, "not-boolean", loc, {**params, **no_hint("fix")})
    if kind in {"string_type"}:
        return _at(source, "not-text", loc, params)
    return _at(source, "value-invalid", loc, {**params, "detail": str(error.get("msg", ""))})


def _at(
    source: SourceFile, code: str, loc: FieldPath, params: dict[str, str], *, on_parent: bool = False
) -> Problem:
    line, column = source.where(loc[:-1] if on_parent else loc)
    if on_parent and loc[:-1] in source.key_positions:
        line, column = source.key_positions[loc[:-1]]
    return Problem(code, source.path, line, column, field_path(loc), params)


def _as_written(source: SourceFile, loc: FieldPath, value: Any) -> str:
    """The value as the clerk wrote it, for the message to quote: `0797` (not 797), `{草案}` (not a
    mapping), so that "put it in quotes" quotes the right text."""
    if loc in source.written:
        return source.written[loc]
    if isinstance(value, dict | list) and value and loc in source.positions:
        line, column = source.positions[loc]
        lines = source.text.splitlines()
        text = lines[line - 1][column - 1 :] if line <= len(lines) else ""
        text = text.split(" #", 1)[0].strip()
        if text[:1] in ("[", "{") and len(text) <= 80:
            return text
    return show_value(value)


# A field's Chinese name: its description up to the first punctuation (公示标题。→ 公示标题).
_LABEL_END = re.compile(r"[，。（：、,(]")


def _field_named_in_chinese(model: type[BaseModel], loc: FieldPath, candidates: list[str]) -> str | None:
    """The field a key written in Chinese names: the one whose name holds it (标题 in 公示标题,
    正文 in 公示正文), when only one does; None for a key that is not Chinese."""
    key = str(loc[-1])
    if len(key) < 2 or not re.fullmatch(r"[\u3400-\u9fff]+", key):
        return None
    named = [
        name
        for name in candidates
        if key in _LABEL_END.split(_description(model, (*loc[:-1], name)), maxsplit=1)[0]
    ]
    return named[0] if len(named) == 1 else None


def _close_key(key: str, candidates: list[str]) -> list[str]:
    """The key meant by a misspelt one: one it begins (`price` for price_yuan), else a close one
    (difflib's 0.6 took `email` for deal)."""
    begun = [name for name in candidates if name.startswith(f"{key}_")]
    return begun[:1] if len(begun) == 1 else difflib.get_close_matches(key, candidates, n=1, cutoff=0.75)


def _empty_block_above(model: type[BaseModel], source: SourceFile, loc: FieldPath) -> str | None:
    """The key left empty above an unknown key whose fields include it: the clerk's block of
    fields that lost its indentation (`deal:` then `price_yuan: …` at the line's start)."""
    parent = _value_at(source.data, loc[:-1])
    if not isinstance(parent, dict):
        return None
    line = source.where_key(loc)[0]
    above = [
        (source.where_key((*loc[:-1], name))[0], name)
        for name, value in parent.items()
        if value is None and isinstance(name, str) and loc[-1] in _known_keys(model, (*loc[:-1], name))
    ]
    nearest = max((found for found in above if found[0] < line), default=None)
    return nearest[1] if nearest is not None else None


def _value_at(data: Any, loc: FieldPath) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _model_at(model: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    """The model class that describes the mapping at `loc`, following lists and optionals."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            current = _element(current)
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = unwrap_annotation(field.annotation)
    current = unwrap_annotation(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def unwrap_annotation(annotation: Any) -> Any:
    """Strip Optional and Annotated to reach a model or list type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = members[0] if len(members) == 1 else annotation
            if len(members) != 1:
                return annotation
        else:
            return annotation


def _element(annotation: Any) -> Any:
    annotation = unwrap_annotation(annotation)
    args = typing.get_args(annotation)
    return unwrap_annotation(args[0]) if args else None


def _keys_at(data: Any, loc: tuple[Any, ...]) -> set[str]:
    """The keys written in the mapping at `loc` of a record's data (none if it is not one)."""
    for part in loc:
        in_mapping = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_mapping or in_list):
            return set()
        data = data[part]
    return {str(key) for key in data} if isinstance(data, dict) else set()


def _known_keys(model: type[BaseModel], loc: FieldPath) -> list[str]:
    target = _model_at(model, loc)
    return list(target.model_fields) if target else []


_PLAIN_EN = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


def _what_to_write_en(model: type[BaseModel], loc: FieldPath) -> str:
    """What the missing field's value looks like, in English: its type's (WrittenAs), its
    choices, or that it is a list or a block of fields; the guide when none of these says it."""
    parent = _model_at(model, loc[:-1])
    field = parent.model_fields.get(loc[-1]) if parent is not None and isinstance(loc[-1], str) else None
    if field is None:
        return "see the publishing guide"
    written = _written_as(field.annotation, field.metadata)
    if written is not None:
        return written
    annotation = unwrap_annotation(field.annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return "one of: " + ", ".join(str(choice) for choice in typing.get_args(annotation))
    if typing.get_origin(annotation) in (list, tuple):
        return "a list, one line starting with '- ' for each item"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a block of fields, indented on the lines below it"
    return _PLAIN_EN.get(annotation, "see the publishing guide")


def _written_as(annotation: Any, metadata: Iterable[Any] = ()) -> str | None:
    """The English of the WrittenAs a type carries (models/common.py), through Optional: pydantic
    moves a required field's Annotated extras into its metadata, an optional one's stay inside."""
    found = next((item.english for item in metadata if isinstance(item, WrittenAs)), None)
    if found is not None:
        return found
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extras = typing.get_args(annotation)
        return _written_as(base, extras)
    if origin in (typing.Union, types.UnionType):
        members = (_written_as(member) for member in typing.get_args(annotation) if member is not type(None))
        return next((english for english in members if english is not None), None)
    return None


def _description(model: type[BaseModel], loc: FieldPath) -> str:
    parent = _model_at(model, loc[:-1])
    if parent is None or not loc or not isinstance(loc[-1], str):
        return ""
    field = parent.model_fields.get(loc[-1])
    return (field.description or "") if field else ""
