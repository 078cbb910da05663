"""Open data: portal.json against the record schemas, the CSV tables as Excel would read them,
changes.json, and the data page that documents every column."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.exports import tables
from tests.open_data_site import SITE_URL, build, make_records, output_files

KINDS = {
    "policies": "policy",
    "institutions": "institution",
    "achievements": "achievement",
    "notices": "notice",
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("exports")
    records = make_records(base / "records")
    return build(records, base / "one"), build(records, base / "two")


def read_csv(site: Path, name: str) -> list[dict[str, str]]:
    raw = (site / "data" / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def portal_json(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / "data" / "portal.json").read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(("key", "kind"), KINDS.items())
def test_portal_json_records_match_the_schemas(sites: tuple[Path, Path], key: str, kind: str) -> None:
    schema = json.loads((sites[0] / "data" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    items = portal_json(sites[0])[key]
    assert items
    for item in items:
        jsonschema.validate(item["record"], schema)


def test_schemas_are_copied_from_the_project(sites: tuple[Path, Path]) -> None:
    project = Path(__file__).parent.parent / "schemas"
    names = sorted(path.name for path in project.glob("*.schema.json"))
    assert names == sorted(path.name for path in (sites[0] / "data" / "schemas").glob("*.schema.json"))
    for name in names:
        assert (sites[0] / "data" / "schemas" / name).read_bytes() == (project / name).read_bytes()


def test_portal_json_carries_the_derived_values(sites: tuple[Path, Path]) -> None:
    data = portal_json(sites[0])
    assert data["licence"] == "CC-BY-4.0"
    notices = {item["record"]["id"]: item["derived"] for item in data["notices"]}
    assert notices["gnas-2024-n01"]["status"] == "concluded"
    assert notices["gnas-2024-n02"]["status"] == "open"
    assert notices["gnas-2024-n02"]["last_change"] == "2024-03-08"
    (achievement,) = data["achievements"]
    assert achievement["derived"]["stage"] == "granted"
    (institution,) = data["institutions"]
    assert institution["derived"]["pilot_end"] == "2027-02-22"


def test_csv_rows_are_the_records(sites: tuple[Path, Path]) -> None:
    notices = read_csv(sites[0], "notices.csv")
    assert [row["id"] for row in notices] == ["gnas-2024-n02", "gnas-2024-n01"]
    assert notices[1]["institution_name"] == "赣南科学院"
    assert notices[1]["url"] == f"{SITE_URL}notices/gnas-2024-n01/"
    (deal,) = read_csv(sites[0], "deals.csv")
    assert deal["price_yuan"] == "1200000"
    assert deal["mode_label"] == "转让"
    (achievement,) = read_csv(sites[0], "achievements.csv")
    assert achievement["rights"] == "ZL202110123456.7"
    (institution,) = read_csv(sites[0], "institutions.csv")
    assert institution["phone"] == "0797-8888888"


def test_csv_headers_are_the_documented_columns(sites: tuple[Path, Path]) -> None:
    page = (sites[0] / "data" / "index.html").read_text(encoding="utf-8")
    assert "CC BY 4.0" in page
    for table in tables(SITE_URL):
        header = next(
            csv.reader(io.StringIO((sites[0] / "data" / table.file).read_bytes().decode("utf-8-sig")))
        )
        assert header == [column.name for column in table.columns]
        for column in table.columns:
            assert f"<code>{column.name}</code>" in page


def test_formula_like_cells_stay_text(sites: tuple[Path, Path]) -> None:
    (deal,) = read_csv(sites[0], "deals.csv")
    assert deal["title"].startswith("'=")
    assert deal["counterparty"] == "'+赣州某某新材料有限公司"
    for name in ("notices.csv", "deals.csv", "achievements.csv", "institutions.csv"):
        for row in read_csv(sites[0], name):
            assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())


def test_changes_json_is_newest_first(sites: tuple[Path, Path]) -> None:
    changes = json.loads((sites[0] / "data" / "changes.json").read_text(encoding="utf-8"))["changes"]
    dates = [change["date"] for change in changes]
    assert dates == sorted(dates, reverse=True)
    assert {change["type"] for change in changes} == {
        "notice_published",
        "notice_amended",
        "notice_outcome",
        "achievement_event",
    }
    assert len({change["id"] for change in changes}) == len(changes) == 7


def test_two_builds_give_identical_data(sites: tuple[Path, Path]) -> None:
    one, two = output_files(sites[0]), output_files(sites[1])
    assert {name for name in one if name.startswith("data/")} >= {
        "data/portal.json",
        "data/changes.json",
        "data/notices.csv",
        "data/deals.csv",
        "data/achievements.csv",
        "data/institutions.csv",
        "data/schemas/notice.schema.json",
    }
    assert one == two


@pytest.mark.parametrize(("name", "sort_keys"), [("portal.json", True), ("changes.json", False)])
def test_json_documents_are_what_the_standard_library_writes(
    sites: tuple[Path, Path], name: str, sort_keys: bool
) -> None:
    """orjson writes them (json_documents.py); the text is the standard library's, indent and all."""
    text = (sites[0] / "data" / name).read_text(encoding="utf-8")
    value = json.loads(text)
    assert text == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"


def test_a_number_too_large_for_orjson_is_still_written() -> None:
    from generator.json_documents import json_document

    value = {"b": [2**70, 1.5, "价格"], "a": {}}
    assert json_document(value, sort_keys=True) == (
        json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")
    assert json_document({"b": 1, "a": [2]}) == b'{\n  "b": 1,\n  "a": [\n    2\n  ]\n}\n'


def test_entries_kept_in_the_build_cache_write_the_data_a_build_without_one_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A notice's and an achievement's entry of portal.json and rows of the CSV tables are kept in
    the build cache (exports.py). A month later (the deal's status moves), and then with the unit
    renamed (every record shows its name), a build that takes what it can from the cache writes
    the data of a build with none, and makes afresh just the rows whose text moved."""
    from datetime import timedelta

    import generator.exports
    from generator.site import build_site
    from tests.open_data_site import TODAY

    records = make_records(tmp_path / "records")
    cache = tmp_path / "cache"
    made: list[str] = []
    row_bytes = generator.exports.row_bytes

    def counted(table: Any, view: Any) -> bytes:
        if table.file in ("notices.csv", "deals.csv", "achievements.csv"):  # the tables kept
            made.append(view.id)
        return row_bytes(table, view)

    monkeypatch.setattr(generator.exports, "row_bytes", counted)

    def data(site: Path) -> dict[str, bytes]:
        return {name: content for name, content in output_files(site).items() if name.startswith("data/")}

    def build_twice(today: date) -> list[str]:
        """Build with the cache and without; return the rows the first made afresh."""
        made.clear()
        build_site(records, today=today, out=tmp_path / "kept", cache_folder=cache)
        made_with_cache = list(made)
        build_site(records, today=today, out=tmp_path / "afresh", incremental=False)
        assert data(tmp_path / "kept") == data(tmp_path / "afresh")
        return made_with_cache

    build_twice(TODAY)
    later = TODAY + timedelta(days=30)
    # The deal has closed since: its notices.csv and deals.csv rows.
    assert build_twice(later) == ["gnas-2024-n02", "gnas-2024-n02"]
    unit = records / "institutions" / "gnas.yml"
    text = unit.read_text(encoding="utf-8")
    assert "name: 赣南科学院\n" in text
    unit.write_text(text.replace("name: 赣南科学院\n", "name: 赣南科学研究院\n"), encoding="utf-8")
    assert sorted(set(build_twice(later))) == ["gnas-2024-001", "gnas-2024-n01", "gnas-2024-n02"]
    assert "赣南科学研究院" in data(tmp_path / "kept")["data/notices.csv"].decode("utf-8-sig")


def test_a_number_orjson_cannot_hold_outside_the_entries_still_writes_portal_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No schema allows one today; were one to, portal.json is written whole by the standard
    library, as json_document does, not left to a traceback over a kept entry it cannot write."""
    import generator.exports
    from generator.exports import PORTAL_JSON, portal_document, write_exports
    from generator.site import build_site
    from tests.open_data_site import TODAY

    portal = build_site(make_records(tmp_path / "records"), today=TODAY, out=tmp_path / "site").portal
    monkeypatch.setattr(generator.exports, "LICENCE", 2**70)
    write_exports(portal, tmp_path / "again", SITE_URL)
    document = portal_document(portal, SITE_URL)
    assert document["licence"] == 2**70
    expected = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert (tmp_path / "again" / PORTAL_JSON).read_text(encoding="utf-8") == expected
