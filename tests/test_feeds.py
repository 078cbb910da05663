"""The RSS and Atom feeds, read back with feedparser as a subscriber's reader would."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from generator.changes import changes_generator, describe_change, portal_changes
from generator.feed_splice import ATOM, RSS
from generator.feeds import (
    describe_atom_entry,
    describe_rss_entry,
    entry_title,
    feed_catalogue,
    feed_entries,
    feed_generator,
    portal_fallback_date,
    render_feed,
    serialised_entries,
)
from generator.portal import Portal
from generator.site import prepare
from tests.open_data_site import SITE_URL, TODAY, build, make_records, output_files

FEEDS = (
    "feeds/notices",
    "feeds/open",
    "feeds/achievements",
    "feeds/institutions/gnas",
    "feeds/policies/ganzhou-2023",
    "feeds/kinds/ownership_grant",
    "feeds/kinds/negotiated_price",
    "feeds/kinds/reward",
)
N01 = f"{SITE_URL}notices/gnas-2024-n01/"
N02 = f"{SITE_URL}notices/gnas-2024-n02/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The same records built twice, and once more with an amendment added to the deal."""
    base = tmp_path_factory.mktemp("feeds")
    records = make_records(base / "records")
    amended = make_records(base / "amended", amended=True)
    return build(records, base / "one"), build(records, base / "two"), build(amended, base / "three")


def parse(site: Path, relative: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site / relative).read_bytes())
    assert not feed.bozo, f"{relative}: {feed.get('bozo_exception')}"
    return feed


@pytest.mark.parametrize("stem", FEEDS)
@pytest.mark.parametrize("extension", ["xml", "atom"])
def test_every_feed_parses(sites: tuple[Path, Path, Path], stem: str, extension: str) -> None:
    feed = parse(sites[0], f"{stem}.{extension}")
    assert feed.version == ("rss20" if extension == "xml" else "atom10")
    assert feed.feed.title.endswith("职务科技成果赋权公示平台")


@pytest.mark.parametrize("stem", FEEDS)
def test_an_rss_feed_names_no_other_site(sites: tuple[Path, Path, Path], stem: str) -> None:
    feed = (sites[0] / f"{stem}.xml").read_text(encoding="utf-8")
    assert "<docs>" not in feed and "rssboard" not in feed


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("feeds/notices", [N02, N01]),
        ("feeds/open", [N02]),
        ("feeds/institutions/gnas", [N02, N01]),
        ("feeds/policies/ganzhou-2023", [N02, N01]),
        ("feeds/kinds/ownership_grant", [N01]),
        ("feeds/kinds/negotiated_price", [N02]),
        ("feeds/kinds/reward", []),
        ("feeds/achievements", [f"{SITE_URL}achievements/gnas-2024-001/"]),
    ],
)
@pytest.mark.parametrize("extension", ["xml", "atom"])
def test_entries_are_the_records_newest_first(
    sites: tuple[Path, Path, Path], stem: str, expected: list[str], extension: str
) -> None:
    feed = parse(sites[0], f"{stem}.{extension}")
    assert [entry.id for entry in feed.entries] == expected
    assert [entry.link for entry in feed.entries] == expected


def test_entry_dates_are_zoned_and_from_the_records(sites: tuple[Path, Path, Path]) -> None:
    atom = parse(sites[0], "feeds/notices.atom")
    deal, grant = atom.entries
    assert deal.published == "2024-03-05T00:00:00+08:00"
    assert deal.updated == "2024-03-08T00:00:00+08:00"  # the amendment
    assert grant.updated == "2024-03-19T00:00:00+08:00"  # the outcome
    assert atom.feed.updated == "2024-03-19T00:00:00+08:00"
    rss = parse(sites[0], "feeds/notices.xml")
    assert rss.entries[0].published == "Tue, 05 Mar 2024 00:00:00 +0800"
    assert rss.feed.updated == "Tue, 19 Mar 2024 00:00:00 +0800"  # lastBuildDate: newest change


def test_the_open_notices_feed_is_dated_by_the_last_notice_to_leave_it(
    sites: tuple[Path, Path, Path],
) -> None:
    # gnas-2024-n01 closed on 2024-03-18: from the 19th the list holds the deal alone, changed
    # in its last amendment on the 8th. A reader learns the list changed.
    atom = parse(sites[0], "feeds/open.atom")
    assert [entry.id for entry in atom.entries] == [N02]
    assert max(entry.updated for entry in atom.entries) == "2024-03-08T00:00:00+08:00"
    assert atom.feed.updated == "2024-03-19T00:00:00+08:00"
    assert parse(sites[0], "feeds/open.xml").feed.updated == "Tue, 19 Mar 2024 00:00:00 +0800"


def test_a_notices_title_names_its_unit_unless_it_does_already() -> None:
    assert entry_title("关于“一种浸取方法”科技成果协议定价的公示", "赣南科学院") == (
        "【赣南科学院】关于“一种浸取方法”科技成果协议定价的公示"
    )
    assert entry_title("赣南科学院关于科技成果赋权的公示", "赣南科学院") == "赣南科学院关于科技成果赋权的公示"


def test_summary_gives_period_institution_deal_and_how_to_object(sites: tuple[Path, Path, Path]) -> None:
    deal = parse(sites[0], "feeds/notices.xml").entries[0]
    assert deal.title == "=关于赣南科学院职务科技成果协议定价的公示"  # names its unit: no 【赣南科学院】
    assert "2024年3月5日至2024年3月20日 17:00" in deal.summary
    assert "赣南科学院" in deal.summary
    assert (
        "交易方式：转让；交易对方：+赣州某某新材料有限公司（民营企业）；拟交易价格：120万元" in deal.summary
    )
    # A subscriber objects from the feed: until when, and to whom.
    assert "异议截止：2024年3月20日 17:00（北京时间）；异议受理：科技处，电话 0797-8888888" in deal.summary
    grant = parse(sites[0], "feeds/notices.atom").entries[1]
    assert "异议截止：2024年3月18日 24:00（北京时间）" in grant.summary


def test_a_clerks_sentence_in_a_summary_does_not_double_its_full_stop(sites: tuple[Path, Path, Path]) -> None:
    # 更正受让方名称。 closed with the summary's ；: 。；
    deal = parse(sites[0], "feeds/notices.xml").entries[0]
    assert "更正：更正受让方名称；" in deal.summary or deal.summary.endswith("更正：更正受让方名称。")
    assert "。；" not in deal.summary and "。。" not in deal.summary


def test_channel_link_is_the_page_and_self_is_the_feed(sites: tuple[Path, Path, Path]) -> None:
    rss = parse(sites[0], "feeds/institutions/gnas.xml")
    assert rss.feed.link == f"{SITE_URL}institutions/gnas/"
    atom = parse(sites[0], "feeds/institutions/gnas.atom")
    links = {link.rel: link.href for link in atom.feed.links}
    assert links == {
        "self": f"{SITE_URL}feeds/institutions/gnas.atom",
        "alternate": f"{SITE_URL}institutions/gnas/",
    }


def test_guids_are_stable_and_updated_moves_with_an_amendment(sites: tuple[Path, Path, Path]) -> None:
    one, two, amended = (parse(site, "feeds/notices.atom") for site in sites)
    assert [e.id for e in one.entries] == [e.id for e in two.entries] == [e.id for e in amended.entries]
    assert amended.entries[0].updated == "2024-03-09T00:00:00+08:00"
    assert amended.entries[0].published == one.entries[0].published
    rss_one, rss_amended = parse(sites[0], "feeds/notices.xml"), parse(sites[2], "feeds/notices.xml")
    assert [e.id for e in rss_one.entries] == [e.id for e in rss_amended.entries]


def test_changes_feed_lists_every_dated_change_newest_first(sites: tuple[Path, Path, Path]) -> None:
    feed = parse(sites[0], "feeds/changes.atom")
    ids = [entry.id for entry in feed.entries]
    assert ids == [
        f"{SITE_URL}achievements/gnas-2024-001/#event-3",
        f"{N01}#outcome",
        f"{N02}#amendment-1",
        f"{N02}#published",
        f"{N01}#published",
        f"{SITE_URL}achievements/gnas-2024-001/#event-2",
        f"{SITE_URL}achievements/gnas-2024-001/#event-1",
    ]


def test_pages_announce_the_feeds(sites: tuple[Path, Path, Path]) -> None:
    home = (sites[0] / "index.html").read_text(encoding="utf-8")
    assert 'type="application/rss+xml" title="全部公示（RSS）" href="feeds/notices.xml"' in home
    institution = (sites[0] / "institutions" / "gnas" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../feeds/institutions/gnas.atom"' in institution
    policy = (sites[0] / "policies" / "ganzhou-2023" / "index.html").read_text(encoding="utf-8")
    assert (
        '<link rel="alternate" type="application/atom+xml" title="赣州市人民政府办公室试点公示（Atom）"'
        in policy
    )
    assert '<a href="../../feeds/policies/ganzhou-2023.xml" type="application/rss+xml">RSS</a>' in policy
    subscribe = (sites[0] / "subscribe" / "index.html").read_text(encoding="utf-8")
    for stem in FEEDS:
        assert f'href="../{stem}.xml"' in subscribe
        assert f'href="../{stem}.atom"' in subscribe


def test_two_builds_give_identical_files(sites: tuple[Path, Path, Path]) -> None:
    one, two = output_files(sites[0]), output_files(sites[1])
    assert any(name.startswith("feeds/") for name in one)
    assert one == two


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Portal:
    records = make_records(tmp_path_factory.mktemp("feed-portal") / "records", amended=True)
    return prepare(records, TODAY, strict=False, frozen=False)[0]


def test_each_feed_is_feedgens_own_document(portal: Portal) -> None:
    """Entries serialised once and put into each feed (feed_splice.py) give the bytes feedgen
    writes when it builds the whole feed, entries and all."""
    fallback = portal_fallback_date(portal)
    entries = feed_entries(portal, SITE_URL)
    serialised = serialised_entries((entry for stem in entries.values() for entry in stem), None)
    assert sum(len(stem) for stem in entries.values()) > len(serialised) >= 3
    for feed in feed_catalogue(portal):
        whole = []
        for feed_format, describe in ((RSS, describe_rss_entry), (ATOM, describe_atom_entry)):
            generator = feed_generator(feed, entries[feed.stem], SITE_URL, fallback, feed_format)
            for entry in entries[feed.stem]:
                describe(generator.add_entry(order="append"), entry)
            whole.append(feed_format.serialise(generator))
        assert render_feed(feed, entries[feed.stem], SITE_URL, fallback, serialised) == tuple(whole), (
            feed.stem
        )


def test_changes_feed_is_feedgens_own_document(portal: Portal, tmp_path: Path) -> None:
    from generator.changes import write_changes

    write_changes(portal, tmp_path, SITE_URL)
    changes = portal_changes(portal, SITE_URL)
    generator = changes_generator(changes[0].date, SITE_URL)
    for change in changes:
        describe_change(generator.add_entry(order="append"), change)
    assert (tmp_path / "feeds" / "changes.atom").read_bytes() == ATOM.serialise(generator)


def test_changes_json_holds_every_change_newest_first_written_whole_or_kept(
    portal: Portal, tmp_path: Path
) -> None:
    """data/changes.json is json_document's of every change: made afresh (no build cache), into
    an empty cache, and from the cache filled before, which makes none anew (changes.py)."""
    from generator.build_cache import BuildCache
    from generator.changes import write_changes
    from generator.json_documents import json_document

    expected = json_document({"changes": [change.as_json() for change in portal_changes(portal, SITE_URL)]})
    cache = BuildCache(tmp_path / "cache", tmp_path / "published")
    for name, built_with in (("afresh", None), ("filling", cache), ("kept", cache)):
        write_changes(portal, tmp_path / name, SITE_URL, built_with)
        assert (tmp_path / name / "data" / "changes.json").read_bytes() == expected, name
    kept = cache.fragments("changes")
    assert len(kept.known) == len(portal.notices) + len(portal.achievements)

    def made_anew(*_: object) -> bytes:
        raise AssertionError("a record's changes were made again")

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr("generator.changes._change_parts", made_anew)
        write_changes(portal, tmp_path / "again", SITE_URL, cache)
    assert (tmp_path / "again" / "data" / "changes.json").read_bytes() == expected
    # Another address: the changes link to it, not to the one they were kept for.
    elsewhere = "https://elsewhere.example.cn/"
    write_changes(portal, tmp_path / "elsewhere", elsewhere, cache)
    assert (tmp_path / "elsewhere" / "data" / "changes.json").read_bytes() == json_document(
        {"changes": [change.as_json() for change in portal_changes(portal, elsewhere)]}
    )


def test_each_change_in_changes_json_has_every_field_in_order(portal: Portal) -> None:
    """Change.as_json copies the dataclass's __dict__: the fields, in their order, dates as text."""
    from dataclasses import fields

    from generator.changes import Change

    changes = portal_changes(portal, SITE_URL)
    assert changes
    for change in changes:
        data = change.as_json()
        assert list(data) == [item.name for item in fields(Change)]
        assert data["date"] == change.date.isoformat()
        assert data == {
            **{item.name: getattr(change, item.name) for item in fields(Change)},
            "date": data["date"],
        }


def test_feeds_carry_the_newest_entries_only(portal: Portal, tmp_path: Path) -> None:
    """A feed keeps the newest `limit` entries (a reader keeps what it has seen); the open-notices
    feed keeps every notice open today, and data/changes.json every change."""
    from generator.changes import write_changes
    from generator.feeds import write_feeds

    write_feeds(portal, tmp_path / "one", SITE_URL, limit=1)
    write_changes(portal, tmp_path / "one", SITE_URL, limit=1)
    write_feeds(portal, tmp_path / "all", SITE_URL)
    write_changes(portal, tmp_path / "all", SITE_URL)
    for relative in ("feeds/notices.xml", "feeds/notices.atom", "feeds/institutions/gnas.atom"):
        capped, whole = parse(tmp_path / "one", relative), parse(tmp_path / "all", relative)
        assert len(whole.entries) == 2
        assert [entry.id for entry in capped.entries] == [whole.entries[0].id] == [N02]
        assert "只列最新 200 条" in capped.feed.subtitle
    open_feed = parse(tmp_path / "one", "feeds/open.atom")
    assert [entry.id for entry in open_feed.entries] == [N02]
    assert "只列最新" not in open_feed.feed.subtitle
    changes = parse(tmp_path / "one", "feeds/changes.atom")
    assert [entry.id for entry in changes.entries] == [f"{SITE_URL}achievements/gnas-2024-001/#event-3"]
    assert len(parse(tmp_path / "all", "feeds/changes.atom").entries) == len(portal_changes(portal, SITE_URL))
    assert (tmp_path / "one" / "data" / "changes.json").read_bytes() == (
        tmp_path / "all" / "data" / "changes.json"
    ).read_bytes()


def test_a_notice_still_to_come_joins_the_feeds_and_the_change_log_on_its_first_day(tmp_path: Path) -> None:
    """Its entry is published on its start: before that day it would be dated ahead of every
    reader's clock, and the change log would list a publication that has not happened."""
    from datetime import timedelta

    from generator.changes import write_changes
    from generator.feeds import write_feeds

    records = make_records(tmp_path / "records")
    later = records / "notices" / "gnas" / "2024" / "gnas-2024-n03.yml"
    deal = (records / "notices" / "gnas" / "2024" / "gnas-2024-n02.yml").read_text(encoding="utf-8")
    later.write_text(
        deal.replace("gnas-2024-n02", "gnas-2024-n03")
        .replace("start: 2024-03-05, end: 2024-03-20", "start: 2024-03-25, end: 2024-04-09")
        .split("amendments:")[0],
        encoding="utf-8",
    )
    later_link = f"{SITE_URL}notices/gnas-2024-n03/"
    for today, listed in ((TODAY, False), (TODAY + timedelta(days=5), True)):
        site = tmp_path / today.isoformat()
        built = prepare(records, today, strict=False, frozen=False)[0]
        write_feeds(built, site, SITE_URL)
        write_changes(built, site, SITE_URL)
        for relative in (
            "feeds/notices.atom",
            "feeds/institutions/gnas.atom",
            "feeds/kinds/negotiated_price.atom",
        ):
            assert (later_link in [entry.id for entry in parse(site, relative).entries]) is listed, relative
        changes = (site / "data" / "changes.json").read_text(encoding="utf-8")
        assert (f"{later_link}#published" in changes) is listed
        # Every feed, an empty one (dated by the records) too, is dated on or before today.
        for feed in sorted(site.glob("feeds/**/*.atom")):
            assert (
                parse(site, str(feed.relative_to(site))).feed.updated <= f"{today.isoformat()}T23:59:59+08:00"
            ), feed
