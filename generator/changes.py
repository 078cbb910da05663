"""Every dated change in the records, newest first: a notice's start, each amendment, each outcome,
and each event in an achievement's history. Written as data/changes.json and feeds/changes.atom."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from datetime import date
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import orjson
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from generator.build_cache import BuildCache, fragments_of
from generator.clock import china_datetime
from generator.feed_splice import ATOM, EntryBytes
from generator.feeds import (
    ATOM_TYPE,
    FEED_ENTRY_LIMIT,
    SITE_NAME,
    permalink,
    portal_fallback_date,
    site_url_of,
)
from generator.fragments import Fragments
from generator.json_documents import json_document, list_item_bytes
from generator.page_keys import key_text
from generator.portal import AchievementView, NoticeView, Portal
from generator.render import LABELS

CHANGES_JSON = "data/changes.json"
CHANGES_ATOM = "feeds/changes.atom"
CHANGE_TYPES = {
    "notice_published": "发布公示",
    "notice_amended": "更正公示",
    "notice_outcome": "公示结果",
    "achievement_event": "成果进展",
}


@dataclass(frozen=True)
class Change:
    id: str  # stable: the record's permalink and a fragment naming the change
    date: date
    type: str
    record_kind: str  # notice | achievement
    record_id: str
    institution: str
    title: str
    summary: str
    url: str

    def as_json(self) -> dict[str, str]:
        # The fields as they are, in the dataclass's order (its __init__ sets them in that order):
        # dataclasses.asdict deep-copies every value, a second per 10,000 records, and a dict
        # made field by field with fields() took 0.78 s of the 1.9 s of 106,000 changes.
        data = dict(self.__dict__)
        data["date"] = self.date.isoformat()
        return data


def notice_changes(view: NoticeView, site_url: str) -> list[Change]:
    notice = view.record
    url = permalink(site_url, f"notices/{view.id}.md")
    kind = LABELS["notice_kinds"][notice.kind]

    def change(fragment: str, day: date, change_type: str, summary: str) -> Change:
        title = f"{CHANGE_TYPES[change_type]}：{notice.title}"
        return Change(
            f"{url}#{fragment}",
            day,
            change_type,
            "notice",
            notice.id,
            notice.institution,
            title,
            summary,
            url,
        )

    period = f"公示期 {notice.period.start} 至 {notice.period.end}"
    changes = [
        change(
            "published",
            notice.period.start,
            "notice_published",
            f"{view.institution.name}发布{kind}，{period}。",
        )
    ]
    for number, amendment in enumerate(notice.amendments, start=1):
        restart = "（公示期重新计算）" if amendment.restart else ""
        changes.append(
            change(f"amendment-{number}", amendment.date, "notice_amended", amendment.summary + restart)
        )
    if notice.outcome is not None:
        note = f"：{notice.outcome.note}" if notice.outcome.note else ""
        result = LABELS["outcomes"][notice.outcome.result]
        changes.append(change("outcome", notice.outcome.date, "notice_outcome", result + note))
    return changes


def achievement_changes(view: AchievementView, site_url: str) -> list[Change]:
    achievement = view.record
    url = permalink(site_url, f"achievements/{view.id}.md")
    changes = []
    for number, event in enumerate(achievement.history, start=1):
        label = LABELS["history_events"][event.event]
        note = f"（{event.note}）" if event.note else ""
        changes.append(
            Change(
                f"{url}#event-{number}",
                event.date,
                "achievement_event",
                "achievement",
                achievement.id,
                achievement.institution,
                f"{label}：{achievement.title}",
                f"{view.institution.name}：{label}{note}",
                url,
            )
        )
    return changes


def portal_changes(portal: Portal, site_url: str) -> list[Change]:
    """Every dated change, newest first (then by id, so the order never depends on the input).
    The definition: data/changes.json is written from each record's kept changes (kept_changes),
    in this order."""
    changes = [change for view in _record_views(portal) for change in _changes_of(view, site_url)]
    return sorted(changes, key=lambda change: (change.date, change.id), reverse=True)


def describe_change(item: FeedEntry, change: Change) -> None:
    item.id(change.id)
    item.title(change.title)
    item.link(href=change.url)
    item.summary(change.summary)
    item.category({"term": CHANGE_TYPES[change.type]})
    item.published(china_datetime(change.date))
    item.updated(china_datetime(change.date))


def changes_generator(built: date, site_url: str) -> FeedGenerator:
    """feedgen's generator of the changes feed, without its entries (feed_splice.py)."""
    generator = FeedGenerator()
    generator.id(site_url_of(site_url, CHANGES_ATOM))
    generator.title(f"更新记录 - {SITE_NAME}")
    generator.subtitle(
        f"公示的发布、更正和结果，以及成果的进展，按日期从新到旧，只列最新 {FEED_ENTRY_LIMIT} 条；"
        "全部记录见 data/changes.json。"
    )
    generator.author({"name": SITE_NAME})
    generator.language("zh-CN")
    generator.generator("notice-portal")
    generator.link(href=site_url_of(site_url, CHANGES_ATOM), rel="self", type=ATOM_TYPE)
    generator.link(href=site_url_of(site_url, "subscribe/"), rel="alternate", type="text/html")
    china_time = china_datetime(built)
    generator.updated(china_time)
    generator.lastBuildDate(china_time)
    return generator


def write_changes(
    portal: Portal,
    site_dir: Path,
    site_url: str,
    cache: BuildCache | None = None,
    limit: int = FEED_ENTRY_LIMIT,
) -> None:
    """Every change in data/changes.json; the newest `limit` in the feed (see FEED_ENTRY_LIMIT)."""
    # A change dated after today (a notice still to come is published on its start) has not
    # happened yet: it joins the log on its day.
    today = portal.today.isoformat().encode()
    kept = [
        change
        for change in kept_changes(portal, site_url, fragments_of(cache, "changes"))
        if change.day <= today
    ]
    path = site_dir / CHANGES_JSON
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json_document({"changes": [orjson.Fragment(change.item) for change in kept]}))

    changes = _changes_again(kept[:limit], site_url)
    fragments = fragments_of(cache, "change-entries")
    entries = EntryBytes(ATOM, describe_change, fragments).of(changes, repr)
    fragments.save()
    built = date.fromisoformat(kept[0].day.decode()) if kept else portal_fallback_date(portal)
    atom_path = site_dir / CHANGES_ATOM
    atom_path.parent.mkdir(parents=True, exist_ok=True)
    atom_path.write_bytes(ATOM.splice(ATOM.serialise(changes_generator(built, site_url)), entries))


class KeptChange(NamedTuple):
    """A change as data/changes.json holds it, and the record it came from (a tuple: 106,000
    of them are made and sorted at 50,000 records)."""

    day: bytes  # its date, ISO: sorts as the date does
    id: bytes
    item: bytes  # its item of data/changes.json (json_documents.list_item_bytes)
    view: NoticeView | AchievementView


def kept_changes(portal: Portal, site_url: str, fragments: Fragments) -> list[KeptChange]:
    """portal_changes, as items of data/changes.json. Each record's are kept in the build cache
    (fragments.py) by its file's digest, its institution's name and the site's address, all they
    are made of (a change is dated in the record, not by the day of the build): made afresh, the
    106,000 changes of 50,000 records took 1.2 s of every build, though a rebuild changes few."""
    kept: list[KeptChange] = []
    for view in _record_views(portal):
        # Written out by hand: key_text of the tuple took 0.15 s at 50,000 records, this 0.08 s.
        text = f"{key_text(view.record, portal.record_digests)}\0{view.institution.name}\0{site_url}"
        parts: list[tuple[bytes, bytes, bytes]] = pickle.loads(
            fragments.get(text, partial(_change_parts, view, site_url))
        )
        kept += [KeptChange(day, change_id, item, view) for day, change_id, item in parts]
    fragments.save()
    kept.sort(key=itemgetter(0, 1), reverse=True)
    return kept


def _change_parts(view: NoticeView | AchievementView, site_url: str) -> bytes:
    return pickle.dumps(
        [
            (change.date.isoformat().encode(), change.id.encode(), list_item_bytes(change.as_json()))
            for change in _changes_of(view, site_url)
        ],
        protocol=pickle.HIGHEST_PROTOCOL,
    )


def _record_views(portal: Portal) -> list[NoticeView | AchievementView]:
    return [*portal.notices.values(), *portal.achievements.values()]


def _changes_of(view: NoticeView | AchievementView, site_url: str) -> list[Change]:
    if isinstance(view, NoticeView):
        return notice_changes(view, site_url)
    return achievement_changes(view, site_url)


def _changes_again(kept: list[KeptChange], site_url: str) -> list[Change]:
    """The changes themselves, for the few the feed shows: made again from their records."""
    made: dict[str, Change] = {}
    for view in {id(change.view): change.view for change in kept}.values():
        made |= {change.id: change for change in _changes_of(view, site_url)}
    return [made[change.id.decode()] for change in kept]
