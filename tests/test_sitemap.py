"""The sitemap: every page, dated by its records and `today` (never by the wall clock), split
into a sitemap index and parts above the protocol's 50,000 URLs."""

from __future__ import annotations

import gzip
import shutil
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator import sitemap
from generator.revision_history import attach_revision_history
from generator.site import build_site, prepare
from tests.test_build_integrity import RECORD_FOLDERS, REPO
from tests.test_revision_history import commit_all, edit, git

TODAY = date(2025, 9, 22)
SITE_URL = "https://notice-portal.example.cn/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's records, outside git: no commit dates the pages."""
    root = tmp_path_factory.mktemp("records")
    for folder in RECORD_FOLDERS:
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def site(records: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(records, today=TODAY, out=tmp_path_factory.mktemp("built") / "site").out


def entries(text: str, tag: str = "url") -> dict[str, str]:
    root = ET.fromstring(text)
    return {
        item.findtext("s:loc", namespaces=NS) or "": item.findtext("s:lastmod", namespaces=NS) or ""
        for item in root.findall(f"s:{tag}", NS)
    }


def test_every_page_is_listed_once(site: Path) -> None:
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = entries(text)
    pages = {
        SITE_URL + path.parent.relative_to(site).as_posix().removeprefix(".") + "/"
        for path in site.rglob("index.html")
    }
    pages = {url.replace(SITE_URL + "/", SITE_URL) for url in pages}
    assert text.count("<url>") == len(listed) == len(pages) == 140
    assert set(listed) == pages
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == text
    assert not (site / sitemap.PART_FOLDER).exists()
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert robots.endswith(f"\nSitemap: {SITE_URL}sitemap.xml\n")


def test_pages_are_dated_by_their_records_and_today(site: Path) -> None:
    days = entries((site / "sitemap.xml").read_text(encoding="utf-8"))
    assert all(date.fromisoformat(day) <= TODAY for day in days.values() if day)  # not the wall clock
    assert days[SITE_URL] == days[SITE_URL + "notices/"] == "2025-09-22"  # views of the whole portal
    assert days[SITE_URL + "notices/gnas-2024-n01/"] == "2024-04-23"  # it closed, and had its outcome
    assert days[SITE_URL + "notices/jhust-2024-n01/"] == "2024-04-01"  # amended, then its outcome
    assert days[SITE_URL + "notices/jhust-2025-n05/"] == "2025-09-18"  # open since then: no countdown
    assert days[SITE_URL + "notices/jhust-2025-n03/"] == "2025-07-20"  # withdrawn before its end
    assert days[SITE_URL + "notices/gnas-2025-n02/"] == "2025-05-18"
    assert days[SITE_URL + "achievements/gnas-2024-001/"] == "2025-04-24"  # its newest event


# On the 27th a notice that ended on the 26th closes; on the 29th two notices open.
@pytest.mark.parametrize("today", [date(2025, 9, 26), date(2025, 9, 28)])
def test_the_next_day_dates_only_what_changed(records: Path, today: date) -> None:
    tomorrow = today + timedelta(days=1)
    portal = prepare(records, tomorrow, strict=False, frozen=False)[0]
    before = sitemap.record_page_days(prepare(records, today, strict=False, frozen=False)[0])
    after = sitemap.record_page_days(portal)
    changed = {url for url in after if after[url] != before[url]}
    # Notices whose period ended the day before close (unless withdrawn already), those that start
    # open, and their achievements list them; the notices open the day before only count down.
    moved = {
        f"notices/{view.id}/"
        for view in portal.notices.values()
        if view.record.period.start == tomorrow
        or (
            view.record.period.end == today
            and (view.record.outcome is None or view.record.outcome.date >= tomorrow)
        )
    }
    assert moved
    assert {url for url in changed if url.startswith("notices/")} == moved
    assert all(after[url] == tomorrow for url in changed)
    to_come = [view for view in portal.notices.values() if view.record.period.start > tomorrow]
    assert to_come
    assert all(after[f"notices/{view.id}/"] is None for view in to_come)  # no lastmod: unknown


def test_a_commit_dates_a_notice_page(records: Path, tmp_path: Path) -> None:
    """A correction committed without an amendment changes the page: the commit's day (in China
    Standard Time) dates it, unless it comes after `today`."""
    root = tmp_path / "records"
    shutil.copytree(records, root)
    git(root, "init", "--quiet")
    commit_all(root, "公示", "2025-09-20T23:30:00+08:00")
    edit(root, "notices/gnas/2024/gnas-2024-n01.yml", 'phone: "0797-8861235"', 'phone: "0797-8861236"')
    commit_all(root, "更正电话", "2025-09-21T00:10:00+08:00")
    edit(root, "notices/gnas/2024/gnas-2024-n02.yml", "\noutcome:", "\n# 备注\noutcome:")
    commit_all(root, "明天的提交", "2025-09-23T09:00:00+08:00")
    portal = attach_revision_history(prepare(root, TODAY, strict=False, frozen=False)[0], root)
    days = sitemap.record_page_days(portal)
    assert days["notices/gnas-2024-n01/"] == date(2025, 9, 21)
    assert days["notices/gnas-2024-n02/"] == date(2025, 9, 20)  # its first commit; the later is not yet
    assert days["achievements/gnas-2024-001/"] == date(2025, 9, 21)  # it lists the notice


def test_a_commit_dates_an_achievement_page(records: Path, tmp_path: Path) -> None:
    """A correction to an achievement's file records no event: the day of the commit (in China
    Standard Time) dates its page, as it dates a notice's; an achievement untouched since it was
    published keeps the later of its own days and that of its publication."""
    root = tmp_path / "records"
    shutil.copytree(records, root)
    before = sitemap.record_page_days(prepare(root, TODAY, strict=False, frozen=False)[0])
    git(root, "init", "--quiet")
    commit_all(root, "公示", "2025-09-20T10:00:00+08:00")
    edit(root, "achievements/gnas/gnas-2024-003.yml", "title: ", "title: 更正：")
    commit_all(root, "更正成果名称", "2025-09-21T16:30:00+00:00")  # 22 September in China
    clone = tmp_path / "clone"  # of this commit alone
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{root}", str(clone))
    edit(root, "achievements/gnas/gnas-2024-003.yml", "title: ", "title: 再次")
    commit_all(root, "明天的提交", "2025-09-23T09:00:00+08:00")  # after `today`: not yet
    portal = attach_revision_history(prepare(root, TODAY, strict=False, frozen=False)[0], root)
    days = sitemap.record_page_days(portal)
    assert before["achievements/gnas-2024-003/"] != TODAY
    assert days["achievements/gnas-2024-003/"] == TODAY
    untouched = "achievements/gnas-2024-002/"
    assert days[untouched] == max(before[untouched] or date.min, date(2025, 9, 20))

    # A shallow clone sees every file added by its one commit, on a day that says nothing of them.
    portal = attach_revision_history(prepare(clone, TODAY, strict=False, frozen=False)[0], clone)
    days = sitemap.record_page_days(portal)
    for page in (untouched, "notices/gnas-2024-n01/"):
        assert before[page] != TODAY
        assert days[page] == before[page]


def test_a_site_in_a_folder_and_an_address_to_escape(records: Path, tmp_path: Path) -> None:
    base = "https://example.cn/门户/?a=1&b=2/"  # written escaped by the engine, as XML requires
    (tmp_path / "sitemap.xml").write_text(
        f"<urlset><url><loc>{base.replace('&', '&amp;')}notices/gnas-2024-n01/</loc></url></urlset>",
        encoding="utf-8",
    )
    portal = prepare(records, TODAY, strict=False, frozen=False)[0]
    sitemap.write_sitemap(tmp_path, base, portal)
    listed = entries((tmp_path / "sitemap.xml").read_text(encoding="utf-8"))
    assert listed == {f"{base}notices/gnas-2024-n01/": "2024-04-23"}
    assert not (tmp_path / "robots.txt").exists()  # crawlers read it at a host's root only


def test_more_urls_than_a_file_may_hold_make_an_index(
    site: Path, tmp_path: Path, records: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    out.mkdir()
    shutil.copy(site / "sitemap.xml", out / "sitemap.xml")
    whole = entries((site / "sitemap.xml").read_text(encoding="utf-8"))
    monkeypatch.setattr(sitemap, "MAX_URLS", 40)
    portal = prepare(records, TODAY, strict=False, frozen=False)[0]
    sitemap.write_sitemap(out, SITE_URL, portal)

    index_text = (out / "sitemap.xml").read_text(encoding="utf-8")
    index = entries(index_text, "sitemap")
    assert list(index) == [f"{SITE_URL}sitemaps/{number}.xml" for number in (1, 2, 3, 4)]  # 131 URLs
    together: dict[str, str] = {}
    for loc, day in index.items():
        part = entries((out / loc.removeprefix(SITE_URL)).read_text(encoding="utf-8"))
        assert 0 < len(part) <= 40
        assert day == max(part.values())  # the parts' days are ISO dates: their order is the days'
        together.update(part)
    assert together == whole
    assert list(together) == list(whole)  # in the engine's order
    assert gzip.decompress((out / "sitemap.xml.gz").read_bytes()).decode("utf-8") == index_text
