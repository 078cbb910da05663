"""A copy of the minimal fixture with a few more records, built into a site for the feed, calendar
and export tests. Shared by tests/test_feeds.py, test_calendars.py and test_exports.py."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from generator.site import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
TODAY = date(2024, 3, 20)
SITE_URL = "https://notice-portal.example.cn/"

# A deal, open on TODAY, closing at 17:00, amended once, whose title and counterparty look like
# spreadsheet formulas.
DEAL_NOTICE = """\
id: gnas-2024-n02
institution: gnas
kind: negotiated_price
title: "=关于赣南科学院职务科技成果协议定价的公示"
period: {start: 2024-03-05, end: 2024-03-20, end_time: "17:00"}
achievements: [gnas-2024-001]
deal:
  mode: transfer
  counterparty: "+赣州某某新材料有限公司"
  counterparty_type: private
  price_yuan: 1200000
  pricing: negotiated
  asset_evaluation: waived
objections: {department: 科技处, phone: 0797-8888888}
amendments:
  - {date: 2024-03-08, summary: 更正受让方名称。}
"""
AMENDMENT = "  - {date: 2024-03-09, summary: 更正拟交易价格说明}\n"
GRANTED_HISTORY = "  - {date: 2024-03-20, event: agreement_signed}\n"

# The files written after the build: byte-identical across two builds of the same records.
OUTPUT_FOLDERS = ("feeds", "calendar", "data")


def make_records(root: Path, *, amended: bool = False) -> Path:
    shutil.copytree(FIXTURE, root)
    notice = DEAL_NOTICE + (AMENDMENT if amended else "")
    (root / "notices" / "gnas" / "2024" / "gnas-2024-n02.yml").write_text(notice, encoding="utf-8")
    achievement = root / "achievements" / "gnas" / "gnas-2024-001.yml"
    achievement.write_text(achievement.read_text(encoding="utf-8") + GRANTED_HISTORY, encoding="utf-8")
    return root


def build(root: Path, out: Path) -> Path:
    return build_site(root, today=TODAY, out=out).out


def output_files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for folder in OUTPUT_FOLDERS
        for path in sorted((site / folder).rglob("*"))
        if path.is_file() and path.name != "index.html"
    }
