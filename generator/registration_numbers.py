"""Registration numbers of Chinese intellectual property, and the patent check digit.

A Chinese patent application number is 12 digits (since 2003: year, type, serial) or 8 digits
(before: year, type, serial), then a check digit: the digits times the weights
2,3,4,5,6,7,8,9,2,3,4,5 summed modulo 11, with 10 written X. `ZL` in front marks a granted
patent. The standard allows one space between year and type and between type and serial
(`ZL 2021 1 0123456.7`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ASCII digits only: Python's \d also takes full-width ones (２０２１), which a search for the
# number typed in half-width would not find (the rules ask for it to be retyped).
PATENT = re.compile(
    r"^(?:ZL|CN)?\s*(?:(\d{4}) ?(\d) ?(\d{7})|(\d{2}) ?(\d) ?(\d{5}))\s*\.?\s*([\dXx])$", re.ASCII
)
PATENT_KINDS = {"invention_patent", "utility_model", "design_patent"}
TYPE_DIGITS = {
    "1": ("invention_patent", "发明专利", "an invention patent"),
    "8": ("invention_patent", "发明专利（PCT 进入中国）", "a PCT invention patent"),
    "2": ("utility_model", "实用新型专利", "a utility model"),
    "9": ("utility_model", "实用新型专利（PCT 进入中国）", "a PCT utility model"),
    "3": ("design_patent", "外观设计专利", "a design patent"),
}
# kind: (pattern, how to write it in Chinese, and in English, an example)
FORMATS = {
    "software_copyright": (
        re.compile(r"^\d{4}SR\d{6,7}$", re.ASCII),
        "年份 + SR + 6 至 7 位数字",
        "year + SR + 6 or 7 digits",
        "2023SR0123456",
    ),
    "plant_variety": (
        re.compile(r"^CNA\d{8,12}(?:\.[\dX])?$", re.ASCII),
        "CNA + 8 至 12 位数字",
        "CNA + 8 to 12 digits",
        "CNA20201004567",
    ),
    "ic_layout": (
        re.compile(r"^BS\.\d{8,9}[\dX]?$", re.ASCII),
        "BS. + 8 至 9 位数字（可带校验位）",
        "BS. + 8 or 9 digits (a check digit may follow)",
        "BS.225012345",
    ),
}
PATENT_FORMAT = (
    "ZL + 12 位数字 + . + 校验位（2004 年以前为 8 位数字）",
    "ZL + 12 digits + . + check digit (8 digits before 2004)",
    "ZL202110123456.7",
)


@dataclass(frozen=True, slots=True)
class PatentNumber:
    digits: str
    check: str

    @property
    def expected_check(self) -> str:
        return patent_check_digit(self.digits)

    @property
    def type_digit(self) -> str:
        """1 invention, 2 utility model, 3 design (8, 9: PCT): digit 5 since 2004, digit 3 before."""
        return self.digits[4] if len(self.digits) == 12 else self.digits[2]

    def canonical(self, check: str | None = None) -> str:
        return f"ZL{self.digits}.{check or self.check}"


def patent_check_digit(digits: str) -> str:
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=False))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def parse_patent(number: str) -> PatentNumber | None:
    match = PATENT.match(number.strip())
    if not match:
        return None
    *parts, check = match.groups()
    return PatentNumber("".join(part for part in parts if part), check.upper())


def search_forms(number: str) -> list[str]:
    """The forms people type a registration number in: ZL202110123456.7, 202110123456.7, 2021101234567."""
    patent = parse_patent(number)
    if patent is None:
        return [number]
    return [patent.canonical(), f"{patent.digits}.{patent.check}", f"{patent.digits}{patent.check}"]
