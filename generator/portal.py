"""The portal on one day: every record with what is derived from it, frozen, for the pages,
feeds and exports to read. Built once from a valid catalogue; nothing here writes files."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from generator.build_cache import text_digest
from generator.catalog import Catalog
from generator.day_counting import UNIT_LABELS, UnknownWorkingDays
from generator.derive import (
    NOTICED_LABELS,
    STAGE_LABELS,
    STATUS_ORDER,
    Stage,
    Status,
    achievement_stage,
    days_left,
    days_until_start,
    granted_on,
    last_change,
    notice_status,
    noticed_by,
    pilot_end,
    use_right_end,
)
from generator.models import Achievement, Institution, Notice, Policy
from generator.models.vocabulary import OUTCOME_RESULTS
from generator.notice_rule import NoticeRule, notice_rule
from generator.page_keys import RecordDigests, key_text

if TYPE_CHECKING:  # read from git only when a site is built: `portal check` never imports it
    from generator.revision_history import RevisionHistory


@dataclass(frozen=True)
class NoticeView:
    record: Notice
    institution: Institution
    policy: Policy
    rule: NoticeRule
    status: Status
    days_left: int  # calendar days while open, counting today
    days_until_start: int
    period_days: int | None  # in the rule's unit; None when the holiday calendar does not cover it
    achievements: tuple[Achievement, ...]
    last_change: date

    # Kept once asked (cached_property writes past the frozen fields): sorting and grouping the
    # views asked for ids more than a million times a build at 50,000 records, 0.75 s of CPU.
    @cached_property
    def id(self) -> str:
        return self.record.id

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.rule.counting][0]


@dataclass(frozen=True)
class AchievementView:
    record: Achievement
    institution: Institution
    stage: Stage
    use_right_end: date | None
    notices: tuple[Notice, ...]
    # At the "noticed" stage, the notice it was noticed by (derive.noticed_by) and its status,
    # which its stage is labelled by (and the status script keeps true between builds); else
    # None, so that what its pages show moves only with what they say.
    noticed_by: str | None = None
    notice_status: Status | None = None

    @cached_property  # as NoticeView.id
    def id(self) -> str:
        return self.record.id

    @property
    def stage_label(self) -> str:
        """Its stage; under notice, as its notice stands: 公示中, or once concluded, with the
        outcome (已公示（异议成立）: the grant was stopped)."""
        if self.notice_status == "concluded":
            outcome = next(notice.outcome for notice in self.notices if notice.id == self.noticed_by)
            if outcome is not None:
                return f"{NOTICED_LABELS['concluded']}（{OUTCOME_RESULTS[outcome.result]}）"
        if self.notice_status is not None:
            return NOTICED_LABELS[self.notice_status]
        return STAGE_LABELS[self.stage]

    @cached_property
    def grant_in_effect(self) -> bool:
        """Whether its grant has taken effect (an agreement signed or the rights transferred):
        until then the record states a grant proposed, applied for or under notice."""
        return granted_on(self.record) is not None


@dataclass(frozen=True)
class InstitutionView:
    record: Institution
    policy: Policy
    rule: NoticeRule
    pilot_end: date
    notices: tuple[NoticeView, ...]
    achievements: tuple[AchievementView, ...]

    @property
    def id(self) -> str:
        return self.record.id


@dataclass(frozen=True)
class Portal:
    today: date
    frozen: bool
    policies: dict[str, Policy]
    institutions: dict[str, InstitutionView]
    notices: dict[str, NoticeView]
    achievements: dict[str, AchievementView]
    institutions_by_policy: dict[str, tuple[InstitutionView, ...]] = field(default_factory=dict)
    # Each notice's history from git, attached at build time; None without git (e.g. a tarball).
    revisions: RevisionHistory | None = None
    # What stands for each record in a page's key (page_keys.py).
    record_digests: RecordDigests = field(default_factory=dict)
    # Each view's shown_digest, by its identity, the view held beside it (see there).
    _shown: dict[int, tuple[object, str]] = field(default_factory=dict, repr=False, compare=False)
    _without_days: dict[int, tuple[object, str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def record_count(self) -> int:
        """The notices and achievements: what the work of a build grows with."""
        return len(self.notices) + len(self.achievements)

    def started_notices(self) -> list[NoticeView]:
        """The notices whose period has begun by today: published, as the feeds date them."""
        return [notice for notice in self.notices.values() if notice.record.period.start <= self.today]

    def notices_with_status(self, status: Status) -> list[NoticeView]:
        return [notice for notice in self.sorted_notices() if notice.status == status]

    def sorted_notices(self) -> tuple[NoticeView, ...]:
        """Newest first by start date, then by id: the order of archives and feeds."""
        return self._sorted_notices

    @cached_property
    def _sorted_notices(self) -> tuple[NoticeView, ...]:
        # Sorted once: the lists, the feeds and the exports ask five times a build.
        return tuple(
            sorted(
                self.notices.values(),
                key=lambda notice: (notice.record.period.start, notice.id),
                reverse=True,
            )
        )

    def open_notices(self) -> list[NoticeView]:
        """Open today, the soonest to close first."""
        return sorted(self.notices_with_status("open"), key=lambda notice: (notice.days_left, notice.id))

    def scheduled_notices(self) -> list[NoticeView]:
        return sorted(
            self.notices_with_status("scheduled"), key=lambda notice: (notice.record.period.start, notice.id)
        )

    def shown_digest(self, view: NoticeView | AchievementView) -> str:
        """The digest of what any page, list or data file shows of a notice or an achievement:
        its view as shown (as_shown), its records written as their files' digests (shown_text).
        Its record page, its entries in the lists and in data/portal.json are kept by it
        (build_cache.py, fragments.py); made once a view, it was made in each of the processes
        that keep them, 0.5-0.8 s each at 50,000 records."""
        known = self._shown.get(id(view))
        if known is None or known[0] is not view:
            known = (view, text_digest(shown_text(view, self.record_digests)))
            self._shown[id(view)] = known
        return known[1]

    def digest_without_days(self, view: NoticeView | AchievementView) -> str:
        """shown_digest but for the days an open or scheduled notice counts (as_without_days):
        what a notice's own page and the tables of notices show, which give its dates and its
        status, not the days (only the home page's cards count them, and the status script). At
        50,000 records a night's rebuild rendered 7,200 record pages again while their keys held
        the days, for pages whose bytes had not changed. Made once a view, like shown_digest."""
        if not (isinstance(view, NoticeView) and view.status in ("open", "scheduled")):
            return self.shown_digest(view)
        known = self._without_days.get(id(view))
        if known is None or known[0] is not view:
            text = shown_text(view, self.record_digests, days=False)
            known = (view, text_digest(text))
            self._without_days[id(view)] = known
        return known[1]

    def digest_what_is_shown(self) -> None:
        """Make every view's shown_digest (and an open or scheduled notice's digest_without_days)
        here, before the build forks the processes that ask for them (the lists, the record
        pages' facts, the data files): made once, not in each."""
        for notice in self.notices.values():
            self.shown_digest(notice)
            self.digest_without_days(notice)
        for achievement in self.achievements.values():
            self.shown_digest(achievement)

    def stand_ins(self) -> dict[int, tuple[object, str]]:
        """What stands for a record or a view in the key of something made from many of them (a
        statistics report): a record's file digest, a notice's or an achievement's shown_digest,
        and a unit's the digest of its own records. Each view is a function of its records and
        the day, so a key that holds the day can stand for it so. A unit's notices and
        achievements are left out: a report shows them only through its figures, which it
        holds (tests/test_statistics_exports.py reads the reports with them taken away)."""
        stand_ins: dict[int, tuple[object, str]] = {**self.record_digests}
        views: list[NoticeView | AchievementView] = [*self.notices.values(), *self.achievements.values()]
        for view in views:
            stand_ins[id(view)] = (view, self.shown_digest(view))
        for unit in self.institutions.values():
            own = key_text((unit.record, unit.policy, unit.rule, unit.pilot_end), self.record_digests)
            stand_ins[id(unit)] = (unit, text_digest(own))
        return stand_ins

    def status_counts(self) -> dict[Status, int]:
        counts: dict[Status, int] = dict.fromkeys(STATUS_ORDER, 0)
        for notice in self.notices.values():
            counts[notice.status] += 1
        return counts


def as_without_days(view: NoticeView | AchievementView) -> NoticeView | AchievementView:
    """A view as a notice's own page and the tables show it: they give its last or first day in
    place of the days counted (the countdown macro), so the days are not part of what they show."""
    if not isinstance(view, NoticeView):
        return view
    return replace(view, days_left=0, days_until_start=0)


def as_shown(view: NoticeView | AchievementView) -> NoticeView | AchievementView:
    """A view as a page shows it: the day itself is not shown, only the status, and the days
    left while open or before the start. So a notice long concluded keeps its key (build_cache.py)
    from day to day."""
    if not isinstance(view, NoticeView):
        return view
    days_left, days_until_start = shown_days(view)
    return replace(view, days_left=days_left, days_until_start=days_until_start)


def shown_days(view: NoticeView) -> tuple[int, int]:
    """The days left and the days until the start, as the pages show them: while open, and
    before it starts; else none."""
    return (
        view.days_left if view.status == "open" else 0,
        view.days_until_start if view.status == "scheduled" else 0,
    )


def shown_text(
    view: NoticeView | AchievementView, record_digests: RecordDigests, *, days: bool = True
) -> str:
    """The text shown_digest is the digest of: the view as shown (as_shown; without `days`, as
    as_without_days), each record in it written as its file's digest. Written field by field:
    key_text of the whole view, which walks it as it walks any value, was 1.6 s of CPU for the
    70,000 digests of a build at 50,000 records, before anything could be rendered. A view with a
    record the catalogue did not load (none in a build) is written by key_text."""
    try:
        if isinstance(view, NoticeView):
            return _notice_text(view, record_digests, days)
        return _achievement_text(view, record_digests)
    except LookupError:
        shown = as_shown(view) if days else as_without_days(view)
        return key_text(shown, record_digests)


def _notice_text(view: NoticeView, record_digests: RecordDigests, days: bool) -> str:
    days_left, days_until_start = shown_days(view) if days else (0, 0)
    rule = view.rule
    return "\0".join(
        (
            "NoticeView",
            _file_digest(view.record, record_digests),
            _file_digest(view.institution, record_digests),
            _file_digest(view.policy, record_digests),
            f"{rule.minimum_days} {rule.counting} {rule.source}",
            view.status,
            str(days_left),
            str(days_until_start),
            str(view.period_days),
            " ".join(_file_digest(achievement, record_digests) for achievement in view.achievements),
            view.last_change.isoformat(),
        )
    )


def _achievement_text(view: AchievementView, record_digests: RecordDigests) -> str:
    return "\0".join(
        (
            "AchievementView",
            _file_digest(view.record, record_digests),
            _file_digest(view.institution, record_digests),
            view.stage,
            str(view.use_right_end),
            " ".join(_file_digest(notice, record_digests) for notice in view.notices),
            str(view.noticed_by),
            str(view.notice_status),
        )
    )


def _file_digest(record: object, record_digests: RecordDigests) -> str:
    """The digest of a record's file; LookupError for a record the catalogue did not load."""
    known = record_digests[id(record)]
    if known[0] is not record:
        raise LookupError(id(record))
    return known[1]


def build_portal(catalog: Catalog, today: date, *, frozen: bool = False) -> Portal:
    """Derive everything for `today` from a catalogue that passed the check. A build derives it
    while the rules run (site.py): records that do not pass may make this raise, and the check
    then says why."""
    policies = {policy_id: loaded.record for policy_id, loaded in sorted(catalog.policies.items())}
    achievements_raw = {key: loaded.record for key, loaded in sorted(catalog.achievements.items())}
    notices_raw = {key: loaded.record for key, loaded in sorted(catalog.notices.items())}

    # Each achievement's notices by their start (in id order on the same day): the notices sorted
    # once, a stable sort, rather than each achievement's list (28,000 sorts at 50,000 records).
    notices_by_achievement: dict[str, list[Notice]] = defaultdict(list)
    for notice in sorted(notices_raw.values(), key=lambda notice: notice.period.start):
        for achievement_id in notice.achievements:
            notices_by_achievement[achievement_id].append(notice)

    notice_views: dict[str, NoticeView] = {}
    for notice_id, notice in notices_raw.items():
        institution = catalog.institutions[notice.institution].record
        policy = policies[institution.policy]
        rule = notice_rule(policy, institution)
        try:
            period_days: int | None = rule.days(notice.period.start, notice.period.end)
        except UnknownWorkingDays:
            period_days = None
        notice_views[notice_id] = NoticeView(
            record=notice,
            institution=institution,
            policy=policy,
            rule=rule,
            status=notice_status(notice, today),
            days_left=days_left(notice, today),
            days_until_start=days_until_start(notice, today),
            period_days=period_days,
            achievements=tuple(achievements_raw[a] for a in notice.achievements if a in achievements_raw),
            last_change=last_change(notice),
        )

    achievement_views = {}
    for achievement_id, achievement in achievements_raw.items():
        naming = tuple(notices_by_achievement.get(achievement_id, ()))
        stage = achievement_stage(achievement, naming)
        noticed = noticed_by(achievement, naming, stage)
        known = noticed if noticed in notice_views else None
        achievement_views[achievement_id] = AchievementView(
            record=achievement,
            institution=catalog.institutions[achievement.institution].record,
            stage=stage,
            use_right_end=use_right_end(achievement),
            notices=naming,
            noticed_by=known,
            notice_status=notice_views[known].status if known else None,
        )

    notices_by_institution: dict[str, list[NoticeView]] = defaultdict(list)
    for view in notice_views.values():
        notices_by_institution[view.record.institution].append(view)
    achievements_by_institution: dict[str, list[AchievementView]] = defaultdict(list)
    for achievement_view in achievement_views.values():
        achievements_by_institution[achievement_view.record.institution].append(achievement_view)

    institution_views: dict[str, InstitutionView] = {}
    for institution_id, loaded in sorted(catalog.institutions.items()):
        institution = loaded.record
        policy = policies[institution.policy]
        institution_views[institution_id] = InstitutionView(
            record=institution,
            policy=policy,
            rule=notice_rule(policy, institution),
            pilot_end=pilot_end(institution.pilot_approved_on, policy.pilot_years),
            notices=tuple(
                sorted(
                    notices_by_institution.get(institution_id, []),
                    key=lambda view: (view.record.period.start, view.id),
                    reverse=True,
                )
            ),
            achievements=tuple(achievements_by_institution.get(institution_id, [])),
        )
    by_policy: dict[str, list[InstitutionView]] = defaultdict(list)
    for institution_view in institution_views.values():
        by_policy[institution_view.record.policy].append(institution_view)
    return Portal(
        today=today,
        frozen=frozen,
        policies=policies,
        institutions=institution_views,
        notices=notice_views,
        achievements=achievement_views,
        institutions_by_policy={key: tuple(value) for key, value in sorted(by_policy.items())},
        record_digests={
            id(loaded.record): (loaded.record, loaded.digest)
            for _, loaded in catalog.all_loaded()
            if loaded.digest
        },
    )
