"""A synthetic portal of about N records, made from the bundled example.

Each synthetic institution is a copy of one of the example's four (two under each policy, one
counting working days), and its records are copies of that institution's example records under
new ids: so the mix of notice kinds, the Chinese text, the dates (and so the statuses on the
example's reference date) are those of real-looking records, and every copy passes `portal
check`. Patent numbers are drawn afresh with valid check digits, so that no two achievements
share one. Achievements and notices come out as in the example, about 5 : 4 (50,000 records:
28,000 achievements and 22,000 notices).

    python benchmarks/synthetic.py --records 10000 --out ../portal-10k
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
if str(REPOSITORY) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPOSITORY))

from generator.registration_numbers import patent_check_digit  # noqa: E402

EXAMPLE_DATE = "2025-09-22"  # the example's reference date: build synthetic portals as of it
_RECORD_ID = re.compile(r"\b([a-z]+)-(\d{4})-(n?)(\d+)\b")
_PATENT = re.compile(r"ZL\d{12}\.[\dX]")


@dataclass(frozen=True)
class ExampleInstitution:
    """One example institution: its own file and its records, as text."""

    id: str
    text: str
    achievements: dict[str, str]  # file name -> text
    notices: dict[str, str]  # "<year>/<file name>" -> text
    attachments: dict[str, bytes]  # file name -> bytes


def read_example(root: Path = REPOSITORY) -> list[ExampleInstitution]:
    examples = []
    for institution_file in sorted((root / "institutions").glob("*.yml")):
        code = institution_file.stem
        notices_folder = root / "notices" / code
        examples.append(
            ExampleInstitution(
                id=code,
                text=institution_file.read_text(encoding="utf-8"),
                achievements={
                    path.name: path.read_text(encoding="utf-8")
                    for path in sorted((root / "achievements" / code).glob("*.yml"))
                },
                notices={
                    path.relative_to(notices_folder).as_posix(): path.read_text(encoding="utf-8")
                    for path in sorted(notices_folder.glob("[0-9][0-9][0-9][0-9]/*.yml"))
                },
                attachments={
                    path.name: path.read_bytes()
                    for path in sorted((notices_folder / "attachments").glob("*"))
                    if path.is_file()
                },
            )
        )
    return examples


class PatentNumbers:
    """Fresh, distinct invention-patent numbers with valid check digits."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.used: set[str] = set()

    def next(self, match: re.Match[str]) -> str:
        """A new number of the same patent type (digit 5: 1 invention, 2 utility model, 3 design)."""
        kind = match.group(0)[6]
        while True:
            year = self.random.randint(2015, 2024)
            digits = f"{year}{kind}{self.random.randint(0, 9_999_999):07d}"
            if digits not in self.used:
                self.used.add(digits)
                return f"ZL{digits}.{patent_check_digit(digits)}"


def _renumber(text: str, source: str, target: str, offset: int) -> str:
    """Rename a copy's ids: gnas-2025-010 -> i0007-2025-0035, gnas-2025-n04 -> i0007-2025-n0027."""

    def replace(match: re.Match[str]) -> str:
        code, year, notice, number = match.groups()
        if code != source:
            return match.group(0)
        return f"{target}-{year}-{notice}{int(number) + offset:04d}"

    text = _RECORD_ID.sub(replace, text)
    text = re.sub(rf"^institution: {source}$", f"institution: {target}", text, flags=re.MULTILINE)
    return text.replace(f"attachments/{source}-", f"attachments/{target}-")


def write_portal(out: Path, records: int, seed: int = 2025) -> tuple[int, int]:
    """Write a portal of about `records` records to `out`; returns (achievements, notices)."""
    examples = read_example()
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(REPOSITORY / "policies", out / "policies")
    per_copy = sum(len(e.achievements) + len(e.notices) for e in examples) / len(examples)
    # Few large institutions (like a province's universities) rather than thousands of tiny ones.
    copies_per_institution = 40
    institutions = max(len(examples), round(records / (per_copy * copies_per_institution)))
    copies_per_institution = max(1, round(records / (per_copy * institutions)))
    patents = PatentNumbers(seed)
    counts = [0, 0]
    for index in range(institutions):
        example = examples[index % len(examples)]
        code = f"i{index + 1:04d}"
        institution_text = re.sub(r"^id: \S+$", f"id: {code}", example.text, flags=re.MULTILINE)
        institution_text = institution_text.replace(f"@{example.id}-", f"@{code}-")
        _write(out / "institutions" / f"{code}.yml", institution_text)
        stride = 1 + max(
            (int(m.group(4)) for text in (*example.achievements.values(), *example.notices.values())
             for m in _RECORD_ID.finditer(text)),
            default=0,
        )  # fmt: skip
        for copy in range(copies_per_institution):
            offset = copy * stride
            for name, text in example.achievements.items():
                new_text = _PATENT.sub(patents.next, _renumber(text, example.id, code, offset))
                new_name = _renumber(name.removesuffix(".yml"), example.id, code, offset) + ".yml"
                _write(out / "achievements" / code / new_name, new_text)
                counts[0] += 1
            for relative, text in example.notices.items():
                year, name = relative.split("/")
                new_name = _renumber(name.removesuffix(".yml"), example.id, code, offset) + ".yml"
                _write(out / "notices" / code / year / new_name, _renumber(text, example.id, code, offset))
                counts[1] += 1
            for name, data in example.attachments.items():
                stem, suffix = name.rsplit(".", 1)
                target = (
                    out
                    / "notices"
                    / code
                    / "attachments"
                    / f"{_renumber(stem, example.id, code, offset)}.{suffix}"
                )
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    return counts[0], counts[1]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2025)
    arguments = parser.parse_args()
    achievements, notices = write_portal(arguments.out, arguments.records, arguments.seed)
    print(f"{arguments.out}: {achievements} achievements, {notices} notices")


if __name__ == "__main__":
    main()
