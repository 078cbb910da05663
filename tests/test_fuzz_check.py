"""Fuzzing `portal check`: whatever the records hold, the result is a list of Problems, each located
in a file of the portal and rendering in both languages — never an exception.

The records are those of a portal that uses every optional field (tests/conftest.py), mutated:
keys dropped, renamed or added, values replaced by other types, random Unicode, lists and
mappings where text belongs, and the YAML text itself cut, spliced with fragments or re-indented.
When a mutant still passes the check, the Portal is derived from it too.

CI runs a few thousand examples in well under a minute. For a long run, raise the count per test:
    PORTAL_FUZZ_EXAMPLES=50000 .venv/bin/pytest tests/test_fuzz_check.py
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import generator.render
from generator.check import check_portal
from generator.models import vocabulary
from generator.portal import build_portal
from generator.render import Renderer
from generator.stages import post_build_stages
from tests.conftest import FULL_ATTACHMENT, FULL_RECORDS, FULL_TODAY, assert_renders

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "0")) or None
FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ATTACHMENT = "notices/gnas/attachments/gnas-2024-n01.pdf"
SITE_URL = "https://notice-portal.example.cn/"
# The post-build stages that write what readers download (the search index runs a binary: too slow).
OUTPUT_STAGES = {"feeds", "changes", "calendars", "exports"}


def _base_records() -> dict[str, Any]:
    import hashlib
    import textwrap

    sha = hashlib.sha256(FULL_ATTACHMENT).hexdigest()
    return {
        path: yaml.safe_load(textwrap.dedent(text).replace("SHA256", sha))
        for path, text in FULL_RECORDS.items()
    }


BASE = _base_records()
FILES = sorted(BASE)

# Text as typed: any character but controls (those are one early problem, tested on their own).
typed = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=24)
# Words of the format and ids of the portal: a mutant made of them gets past the schema to the rules.
VOCABULARY = sorted(
    {
        *vocabulary.NOTICE_KINDS, *vocabulary.ACHIEVEMENT_TYPES, *vocabulary.RIGHT_KINDS, *vocabulary.FUNDING,
        *vocabulary.GRANT_MODES, *vocabulary.LICENSES, *vocabulary.INCENTIVES, *vocabulary.HISTORY_EVENTS,
        *vocabulary.DEAL_MODES, *vocabulary.COUNTERPARTY_TYPES, *vocabulary.PRICING,
        *vocabulary.ASSET_EVALUATION, *vocabulary.REWARD_FORMS, *vocabulary.OUTCOME_RESULTS,
        *vocabulary.DAY_COUNTING, "lead", "gnas", "hubei-2023", "ganzhou-2023", "gnas-2024-001",
        "gnas-2024-002", "gnas-2024-n01", "gnas-2024-n02", "gnas-2024-n03", "attachments/gnas-2024-n01.pdf",
        "00:00", "23:59", "24:00", "17:00",
    }
)  # fmt: skip
# Values of every kind a clerk (or an attacker) could write where a value belongs.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    typed,
    st.text(max_size=12),
    st.sampled_from(VOCABULARY),
    st.sampled_from(
        [
            "", " ", "~", "null", "no", "on", "0797", "17:00", "１２０万元", "2024-02-30", "２０２４－０３－０４",
            "9999-01-01", "0001-01-01", "1e400", "-0", "0x10", "gnas", "GNAS", "../x", "a/b", "ZL202110123456.7",
            "<script>alert(1)</script>", "[x](javascript:alert(1))", "=1+1", "\u202e", "\ufeff", "\x85",
            "ownership_grant", "ownership", "long_term_use", "negotiated_price", "reward", "lead", "withdrawn",
            date(2024, 3, 4), date(1899, 12, 31), date(2200, 1, 1),
        ]
    ),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=8,
)
FRAGMENTS = [
    "&a x", "*a", "!!python/object:os.system x", "? [a]\n: b", "{", "[", "]", "}", "'", '"', "|", ">",
    "- ", ": ", "::", "\t", "%YAML 1.1", "---", "...", "#", "<<: *a", "a: &a [1, 2]\nb: *a", "\\", "：",
    "x: 1\nx: 2", "  - {name: a, share: 100", "title：公示", "kind: ownership_grant\nkind: reward",
]  # fmt: skip


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a record: each key of a mapping and each item of a list, depth first."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _parent(record: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        record = record[step]
    return record


def _nudged(data: st.DataObject, value: Any) -> Any:
    """A value of the same type: what passes the schema and reaches the rules."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return data.draw(st.one_of(st.integers(-2, 120), st.sampled_from([0, 10**9, 10**15])), label="int")
    if isinstance(value, float):
        return data.draw(st.floats(-1, 101), label="float")
    if isinstance(value, date):
        return data.draw(st.dates(date(1895, 1, 1), date(2205, 12, 31)), label="date")
    if isinstance(value, str):
        return data.draw(st.one_of(st.sampled_from(VOCABULARY), typed), label="text")
    if isinstance(value, list) and value:
        operation = data.draw(st.sampled_from(["reverse", "repeat", "shorten"]), label="list op")
        if operation == "reverse":
            return value[::-1]
        return [*value, value[0]] if operation == "repeat" else value[1:]
    return data.draw(values, label="value")


def _mutate(data: st.DataObject, record: dict[str, Any]) -> dict[str, Any]:
    record = copy.deepcopy(record)
    places = [path for path in _paths(record) if path]
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        if not places:
            break
        path = data.draw(st.sampled_from(places), label="path")
        parent, last = _parent(record, path), path[-1]
        operation = data.draw(
            st.sampled_from(["nudge", "nudge", "nudge", "replace", "drop", "rename", "add", "empty"]),
            label="op",
        )
        if operation == "nudge":
            parent[last] = _nudged(data, parent[last])
        elif operation == "replace":
            parent[last] = data.draw(values, label="value")
        elif operation == "drop":
            del parent[last]
        elif operation == "rename" and isinstance(parent, dict):
            parent[data.draw(st.one_of(typed, st.sampled_from(VOCABULARY)), label="key")] = parent.pop(last)
        elif operation == "add":
            target = parent[last]
            if isinstance(target, dict):
                target[data.draw(typed, label="new key")] = data.draw(values, label="new")
            elif isinstance(target, list):
                target.append(data.draw(values, label="new item"))
        elif operation == "empty":
            parent[last] = type(parent[last])() if isinstance(parent[last], dict | list | str) else None
        places = [path for path in _paths(record) if path]
    return record


def _dump(record: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter: ten times faster
    text: str = yaml.dump(record, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return text


BASE_TEXT = {name: _dump(record) for name, record in BASE.items()}


def _splice(data: st.DataObject, text: str) -> str:
    lines = text.splitlines(keepends=True) or [""]
    where = data.draw(st.integers(0, len(lines)), label="line")
    operation = data.draw(st.sampled_from(["insert", "cut", "indent", "char"]), label="text op")
    if operation == "insert":
        fragment = data.draw(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), label="fragment")
        lines.insert(where, fragment + "\n")
    elif operation == "cut":
        return "".join(lines)[: data.draw(st.integers(0, len(text)), label="cut")]
    elif operation == "indent" and where < len(lines):
        lines[where] = " " * data.draw(st.integers(1, 5), label="spaces") + lines[where]
    elif operation == "char" and text:
        at = data.draw(st.integers(0, len(text) - 1), label="at")
        character = data.draw(st.characters(codec="utf-8"), label="character")
        return text[:at] + character + text[at + 1 :]
    return "".join(lines)


@pytest.fixture(scope="module")
def portal_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One portal on disk for every example: each writes its mutants and puts the originals back."""
    root = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as patch:
        # One Jinja2 environment for all examples: building one costs more than rendering the pages.
        patch.setattr(
            generator.render, "make_environment", functools.cache(generator.render.make_environment)
        )
        yield _write_base(root)


def _write_base(root: Path) -> Path:
    for relative, text in BASE_TEXT.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    (root / ATTACHMENT).parent.mkdir(parents=True, exist_ok=True)
    (root / ATTACHMENT).write_bytes(FULL_ATTACHMENT)
    return root


def _check(root: Path, mutants: dict[str, str | bytes]) -> None:
    try:
        for relative, content in mutants.items():
            if isinstance(content, bytes):
                (root / relative).write_bytes(content)
            else:
                (root / relative).write_text(content, encoding="utf-8")
        result = check_portal(root, FULL_TODAY)
        for problem in result.problems:
            assert problem.file in BASE_TEXT or problem.file == ".", problem
            assert problem.line >= 1 and problem.column >= 1, problem
            assert_renders(problem)
        if result.passes():  # what passes is published: it must derive, render and export
            portal = build_portal(result.catalog, FULL_TODAY, frozen=False)
            for page in Renderer(portal, SITE_URL, root).record_pages():
                assert page.body_html
            for stage in post_build_stages():
                if stage.name in OUTPUT_STAGES:
                    stage.run(portal, root / "site", SITE_URL)
    finally:
        for relative in mutants:
            (root / relative).write_text(BASE_TEXT[relative], encoding="utf-8")


def test_the_unmutated_records_are_clean(portal_root: Path) -> None:
    """The fuzzing starts from records that pass: what it finds comes from the mutations."""
    assert check_portal(portal_root, FULL_TODAY).problems == []


@settings(FUZZ, max_examples=EXAMPLES or 1000)
@given(st.data())
def test_mutated_records_give_only_problems(portal_root: Path, data: st.DataObject) -> None:
    names = data.draw(st.lists(st.sampled_from(FILES), min_size=1, max_size=3, unique=True), label="files")
    _check(portal_root, {name: _dump(_mutate(data, BASE[name])) for name in names})


@settings(FUZZ, max_examples=EXAMPLES or 700)
@given(st.data())
def test_mutated_yaml_text_gives_only_problems(portal_root: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(FILES), label="file")
    text = BASE_TEXT[name]
    for _ in range(data.draw(st.integers(1, 3), label="splices")):
        text = _splice(data, text)
    _check(portal_root, {name: text})


@settings(FUZZ, max_examples=EXAMPLES or 300)
@given(name=st.sampled_from(FILES), raw=st.binary(max_size=400))
def test_any_bytes_in_a_record_file_give_only_problems(portal_root: Path, name: str, raw: bytes) -> None:
    _check(portal_root, {name: raw})
