"""Chinese patent application numbers and their check digit (weights 2–9, 2–5, modulo 11, 10 = X).

Real numbers checked by hand: 201710601862.3 (12 digits, since 2004) and 97101765.4 (8 digits,
before), both from published explanations of the check digit.
"""

from __future__ import annotations

import pytest

from generator.registration_numbers import (
    FORMATS,
    TYPE_DIGITS,
    parse_patent,
    patent_check_digit,
    search_forms,
)


@pytest.mark.parametrize(
    ("digits", "check"),
    [
        ("202110123456", "7"),
        ("201710601862", "3"),
        ("97101765", "4"),
        ("202110123450", "X"),
        ("98201001", "X"),
    ],
)
def test_check_digits(digits: str, check: str) -> None:
    assert patent_check_digit(digits) == check


@pytest.mark.parametrize(
    ("written", "digits", "check", "type_digit"),
    [
        ("ZL202110123456.7", "202110123456", "7", "1"),
        ("ZL 2021 1 0123456.7", "202110123456", "7", "1"),  # the spaces the standard allows
        ("CN202110123456.7", "202110123456", "7", "1"),
        ("202110123456.7", "202110123456", "7", "1"),
        ("2021101234567", "202110123456", "7", "1"),
        ("ZL202110123450.x", "202110123450", "X", "1"),
        ("ZL97101765.4", "97101765", "4", "1"),
        ("ZL 97 1 01765.4", "97101765", "4", "1"),
        ("ZL98201001.X", "98201001", "X", "2"),
        ("ZL202130123456.8", "202130123456", "8", "3"),
    ],
)
def test_parse_the_forms_people_write(written: str, digits: str, check: str, type_digit: str) -> None:
    patent = parse_patent(written)
    assert patent is not None
    assert (patent.digits, patent.check, patent.type_digit) == (digits, check, type_digit)
    assert patent.canonical() == f"ZL{digits}.{check}"


@pytest.mark.parametrize(
    "written",
    [
        "ZL2021101234",
        "ZL20211012345678.1",
        "ZL202110123456.",
        "ZL2021  1 0123456.7",
        "专利202110123456.7",
        "",
    ],
)
def test_not_patent_numbers(written: str) -> None:
    assert parse_patent(written) is None


def test_an_altered_check_digit_is_caught_with_its_correction() -> None:
    patent = parse_patent("ZL202110123456.3")
    assert patent is not None
    assert patent.expected_check == "7"
    assert patent.canonical(patent.expected_check) == "ZL202110123456.7"


def test_every_single_digit_slip_changes_the_check_digit() -> None:
    """What the check digit is for: no mistyped digit goes unnoticed."""
    digits = "202110123456"
    for position in range(len(digits)):
        for replacement in "0123456789":
            if replacement != digits[position]:
                slipped = digits[:position] + replacement + digits[position + 1 :]
                assert patent_check_digit(slipped) != "7", slipped


def test_type_digits() -> None:
    assert {digit: kind for digit, (kind, _, _) in TYPE_DIGITS.items()} == {
        "1": "invention_patent",
        "2": "utility_model",
        "3": "design_patent",
        "8": "invention_patent",
        "9": "utility_model",
    }


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("software_copyright", "2023SR0123456", "2023-SR-0123456"),
        ("plant_variety", "CNA20201004567", "CN20201004567"),
        ("ic_layout", "BS.225012345", "BS225012345"),
    ],
)
def test_other_registration_formats(kind: str, good: str, bad: str) -> None:
    pattern, _, _, example = FORMATS[kind]
    assert pattern.match(good) and pattern.match(example)
    assert not pattern.match(bad)


def test_search_forms() -> None:
    assert search_forms("ZL 2021 1 0123456.7") == ["ZL202110123456.7", "202110123456.7", "2021101234567"]
    assert search_forms("2023SR0123456") == ["2023SR0123456"]
