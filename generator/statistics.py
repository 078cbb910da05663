"""The supervisors' figures: what each pilot unit reports for a year (年度报告), computed from the
Portal. Pure functions from the frozen Portal to frozen dataclasses; nothing here renders or writes.

Both policies ask every pilot unit to report each year the list of granted achievements
(赋权成果名单), how the notices went and what transfers earned; the city science bureau and the
provincial department compare units. Which year a fact belongs to follows one principle — the
day it took effect — written down once here and on the statistics pages:

- a notice belongs to the year its period starts (notices are filed by that year);
- a grant to the year it took effect: the first grant agreement or change of rights recorded in
  the achievement's history (the same day the feed of granted achievements uses);
- a transfer (转化) to the year of its `transformed` event;
- a reward to the year its notice concluded (the outcome's date), when it was not withdrawn and
  no objection was upheld.

Figures of the current year run to the build's `today`. The rules already refuse history events
dated after it (history-in-future), and a transfer without its mode or amount
(history-event-field-missing), so nothing here guesses at missing values.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Literal, TypeVar

from generator.derive import NOT_CARRIED_OUT, OBJECTION_RESULTS, granted_on, pilot_end
from generator.models import vocabulary
from generator.models.achievement import Grant
from generator.models.notice import Reward
from generator.portal import AchievementView, InstitutionView, NoticeView, Portal

# A notice's result, or while it has none, where its period stands: the columns of the table of
# notices by kind and outcome.
OUTCOME_COLUMNS = {
    "no_objection": vocabulary.OUTCOME_RESULTS["no_objection"],
    "objections_resolved": vocabulary.OUTCOME_RESULTS["objections_resolved"],
    "objection_upheld": vocabulary.OUTCOME_RESULTS["objection_upheld"],
    "withdrawn": vocabulary.OUTCOME_RESULTS["withdrawn"],
    "open": "公示中",
    "closed": "已截止，待公布结果",
    "scheduled": "即将开始",
}
MONTHS = tuple(range(1, 13))

ScopeKind = Literal["portal", "policy", "institution"]
T = TypeVar("T")


def _once(method: Callable[[YearFigures], T]) -> Callable[[YearFigures], T]:
    """A figure computed at its first call and kept on its (frozen) YearFigures: a report page
    asks for most figures two to four times (its summary, its chart and the chart's table), the
    statistics stage again, and a portal's report sums tens of thousands of records. At 50,000
    records the report pages took 1.2 s against 2.0 s. What it gives is shared: read it, never
    change it (no caller does)."""
    name = f"_once_{method.__name__}"

    @wraps(method)
    def kept(figures: YearFigures) -> T:
        known = figures.__dict__
        if name not in known:
            known[name] = method(figures)  # beside the fields: not compared, not keyed
        return known[name]  # type: ignore[no-any-return]

    return kept


@dataclass(frozen=True)
class Tally:
    """How many, and how much money (yuan) they come to."""

    count: int = 0
    yuan: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.count + other.count, self.yuan + other.yuan)


@dataclass(frozen=True)
class GrantedAchievement:
    """One line of the list of granted achievements (赋权成果名单)."""

    achievement: AchievementView
    granted_on: date
    notice: NoticeView | None  # the grant notice that preceded it, when the records name one


@dataclass(frozen=True)
class Transfer:
    """A `transformed` event of an achievement's history: a transfer, licence or investment."""

    achievement: AchievementView
    on: date
    mode: str  # transfer | license | equity
    amount_yuan: int


@dataclass(frozen=True)
class UseRightEnding:
    achievement: AchievementView
    ends_on: date  # the last day of the right, recorded extensions included


@dataclass(frozen=True)
class YearFigures:
    """Everything a unit (or a group of units) reports for one year."""

    year: int
    granted: tuple[GrantedAchievement, ...]  # by date, then id
    notices: tuple[NoticeView, ...]  # started in the year, by start date, then id
    transfers: tuple[Transfer, ...]  # by date, then achievement id
    rewards: tuple[NoticeView, ...]  # reward notices concluded in the year, carried out

    # --- grants -----------------------------------------------------------------------------------
    @_once
    def granted_by_type(self) -> dict[str, int]:
        """Every achievement type in the format's order, zeros included, so units compare."""
        counts: Counter[str] = Counter(item.achievement.record.type for item in self.granted)
        return {kind: counts[kind] for kind in vocabulary.ACHIEVEMENT_TYPES}

    @_once
    def granted_by_type_and_mode(self) -> dict[str, dict[str, int]]:
        table = {kind: dict.fromkeys(vocabulary.GRANT_MODES, 0) for kind in vocabulary.ACHIEVEMENT_TYPES}
        for item in self.granted:
            table[item.achievement.record.type][_grant(item).mode] += 1
        return table

    @_once
    def granted_by_mode(self) -> dict[str, int]:
        counts: Counter[str] = Counter(_grant(item).mode for item in self.granted)
        return {mode: counts[mode] for mode in vocabulary.GRANT_MODES}

    @_once
    def ownership_by_team_share(self) -> list[tuple[float, int]]:
        """Ownership grants by the team's share of co-ownership (%), smallest share first."""
        counts = Counter(_grant(item).team_share for item in self.granted if _grant(item).mode == "ownership")
        return sorted((share, count) for share, count in counts.items() if share is not None)

    @_once
    def long_term_use_by_license(self) -> dict[str, int]:
        """Long-term use grants by licence kind (普通、排他、独占; the rules require one)."""
        counts: Counter[str | None] = Counter(
            _grant(item).license for item in self.granted if _grant(item).mode == "long_term_use"
        )
        return {key: counts[key] for key in vocabulary.LICENSES}

    # --- notices ----------------------------------------------------------------------------------
    @_once
    def notices_by_kind_and_outcome(self) -> dict[str, dict[str, int]]:
        table = {kind: dict.fromkeys(OUTCOME_COLUMNS, 0) for kind in vocabulary.NOTICE_KINDS}
        for view in self.notices:
            table[view.record.kind][outcome_column(view)] += 1
        return table

    @_once
    def notices_by_kind(self) -> dict[str, int]:
        counts: Counter[str] = Counter(view.record.kind for view in self.notices)
        return {kind: counts[kind] for kind in vocabulary.NOTICE_KINDS}

    @_once
    def notices_by_month(self) -> dict[str, tuple[int, ...]]:
        """For each kind, how many notices started in each month (January first)."""
        counts: Counter[tuple[str, int]] = Counter(
            (view.record.kind, view.record.period.start.month) for view in self.notices
        )
        return {kind: tuple(counts[kind, month] for month in MONTHS) for kind in vocabulary.NOTICE_KINDS}

    @_once
    def objections(self) -> tuple[NoticeView, ...]:
        """Notices that received objections, and whose outcome says how they were handled."""
        return tuple(
            view
            for view in self.notices
            if view.record.outcome is not None and view.record.outcome.result in OBJECTION_RESULTS
        )

    @_once
    def objections_by_result(self) -> dict[str, int]:
        counts: Counter[str] = Counter(
            view.record.outcome.result for view in self.objections() if view.record.outcome
        )
        return {result: counts[result] for result in OBJECTION_RESULTS}

    # --- negotiated-price deals -------------------------------------------------------------------
    @_once
    def deals(self) -> tuple[NoticeView, ...]:
        """Negotiated-price notices of the year that were not withdrawn and not objected away."""
        return tuple(
            view
            for view in self.notices
            if view.record.deal is not None and outcome_column(view) not in NOT_CARRIED_OUT
        )

    @_once
    def deal_total(self) -> Tally:
        return sum((Tally(1, _deal_price(view)) for view in self.deals()), Tally())

    @_once
    def deal_concluded_total(self) -> Tally:
        """The deals whose notice has concluded (已办结) by the report's day: the rest of the
        total are still under notice, closed without a result yet, or still to come."""
        return sum(
            (Tally(1, _deal_price(view)) for view in self.deals() if view.status == "concluded"), Tally()
        )

    @_once
    def deals_by_mode(self) -> dict[str, Tally]:
        totals = dict.fromkeys(vocabulary.DEAL_MODES, Tally())
        for view in self.deals():
            assert view.record.deal is not None
            totals[view.record.deal.mode] += Tally(1, view.record.deal.price_yuan)
        return totals

    # --- transfers and rewards --------------------------------------------------------------------
    @_once
    def transfer_total(self) -> Tally:
        return sum((Tally(1, item.amount_yuan) for item in self.transfers), Tally())

    @_once
    def transfers_by_mode(self) -> dict[str, Tally]:
        totals = dict.fromkeys(vocabulary.DEAL_MODES, Tally())
        for item in self.transfers:
            totals[item.mode] += Tally(1, item.amount_yuan)
        return totals

    @_once
    def reward_total(self) -> Tally:
        """Rewards to teams: how many notices, and the teams' total (team_total_yuan)."""
        return sum((Tally(1, _reward(view).team_total_yuan) for view in self.rewards), Tally())

    @_once
    def reward_net_income(self) -> int:
        return sum(_reward(view).net_income_yuan for view in self.rewards)

    @_once
    def reward_by_form(self) -> dict[str, int]:
        """Yuan paid in cash and in equity, from the recipients' lines."""
        totals = dict.fromkeys(vocabulary.REWARD_FORMS, 0)
        for view in self.rewards:
            for recipient in _reward(view).recipients:
                totals[recipient.form] += recipient.yuan
        return totals


@dataclass(frozen=True)
class Scope:
    """Whose figures a report shows: one unit, the units of one policy, or every unit."""

    kind: ScopeKind
    key: str  # the institution's or the policy's id; "all" for the whole portal
    name: str
    institutions: tuple[InstitutionView, ...]


@dataclass(frozen=True)
class UnitFigures:
    """One unit's column in a report that sets units side by side."""

    institution: InstitutionView
    figures: YearFigures
    use_rights_ending: tuple[UseRightEnding, ...]


@dataclass(frozen=True)
class Report:
    scope: Scope
    year: int
    today: date
    figures: YearFigures
    units: tuple[UnitFigures, ...]  # every unit of the scope, in id order
    use_rights_ending: tuple[UseRightEnding, ...]  # as of `today`, whatever the year
    ending_window_end: date  # the last day of "the next 12 months"
    deals_by_year: tuple[tuple[int, Tally], ...]  # every year of the scope, for the chart

    @property
    def is_current_year(self) -> bool:
        return self.year == self.today.year


def outcome_column(view: NoticeView) -> str:
    """The notice's result when recorded; otherwise its status (open, closed, scheduled)."""
    if view.record.outcome is not None:
        return view.record.outcome.result
    return view.status


def grant_notice(portal: Portal, achievement: AchievementView, granted: date) -> NoticeView | None:
    """The latest grant notice of the achievement that started on or before the grant."""
    candidates = [
        portal.notices[notice.id]
        for notice in achievement.notices
        if notice.kind in ("ownership_grant", "long_term_use_grant")
        and notice.period.start <= granted
        and notice.id in portal.notices
    ]
    return max(candidates, key=lambda view: (view.record.period.start, view.id), default=None)


def granted_achievements(portal: Portal, institutions: Iterable[InstitutionView]) -> list[GrantedAchievement]:
    """Every achievement of these units whose grant has taken effect."""
    items = []
    for institution in institutions:
        for achievement in institution.achievements:
            day = granted_on(achievement.record)
            if day is not None:
                items.append(GrantedAchievement(achievement, day, grant_notice(portal, achievement, day)))
    return sorted(items, key=_grant_order)


def transfers(institutions: Iterable[InstitutionView]) -> list[Transfer]:
    items = []
    for institution in institutions:
        for achievement in institution.achievements:
            for event in achievement.record.history:
                if event.event == "transformed":
                    assert event.mode is not None and event.amount_yuan is not None  # the rules require both
                    items.append(Transfer(achievement, event.date, event.mode, event.amount_yuan))
    return sorted(items, key=_transfer_order)


def rewards_carried_out(institutions: Iterable[InstitutionView]) -> list[NoticeView]:
    """Reward notices with a recorded outcome that let the reward go ahead."""
    items = [
        view
        for institution in institutions
        for view in institution.notices
        if view.record.reward is not None
        and view.record.outcome is not None
        and view.record.outcome.result not in NOT_CARRIED_OUT
    ]
    return sorted(items, key=_reward_order)


def in_year(by_year: dict[int, YearFigures], year: int) -> YearFigures:
    """The year's figures; nothing (zeros) for a year without activity."""
    return by_year.get(year) or YearFigures(year, (), (), (), ())


def figures_by_year(portal: Portal, institutions: Sequence[InstitutionView]) -> dict[int, YearFigures]:
    """These units' figures for each year they were active: one pass over their records (a
    national portal has thousands of units and tens of thousands of records)."""
    notices: dict[int, list[NoticeView]] = defaultdict(list)
    for view in sorted(
        (view for institution in institutions for view in institution.notices), key=_notice_order
    ):
        notices[view.record.period.start.year].append(view)
    granted: dict[int, list[GrantedAchievement]] = defaultdict(list)
    for item in granted_achievements(portal, institutions):
        granted[item.granted_on.year].append(item)
    moved: dict[int, list[Transfer]] = defaultdict(list)
    for transfer in transfers(institutions):
        moved[transfer.on.year].append(transfer)
    rewarded: dict[int, list[NoticeView]] = defaultdict(list)
    for view in rewards_carried_out(institutions):
        rewarded[_outcome_date(view).year].append(view)
    years = sorted(notices.keys() | granted.keys() | moved.keys() | rewarded.keys())
    return {
        year: YearFigures(
            year=year,
            granted=tuple(granted.get(year, ())),
            notices=tuple(notices.get(year, ())),
            transfers=tuple(moved.get(year, ())),
            rewards=tuple(rewarded.get(year, ())),
        )
        for year in years
    }


def _grant_order(item: GrantedAchievement) -> tuple[date, str]:
    return item.granted_on, item.achievement.id


def _transfer_order(item: Transfer) -> tuple[date, str]:
    return item.on, item.achievement.id


def _reward_order(view: NoticeView) -> tuple[date, str]:
    return _outcome_date(view), view.id


def _notice_order(view: NoticeView) -> tuple[date, str]:
    return view.record.period.start, view.id


def merged_figures(parts: Sequence[dict[int, YearFigures]]) -> dict[int, YearFigures]:
    """What figures_by_year gives for several units, from each unit's: their lists put together
    and sorted alike. Two items in the same place belong to the same achievement, so to one unit,
    whose order the stable sort keeps."""

    def together(
        year: int, items_of: Callable[[YearFigures], tuple[T, ...]], order: Callable[[T], tuple[date, str]]
    ) -> tuple[T, ...]:
        items: list[T] = []
        for part in parts:
            if year in part:
                items += items_of(part[year])
        return tuple(sorted(items, key=order))

    years = sorted({year for part in parts for year in part})
    return {
        year: YearFigures(
            year=year,
            granted=together(year, lambda figures: figures.granted, _grant_order),
            notices=together(year, lambda figures: figures.notices, _notice_order),
            transfers=together(year, lambda figures: figures.transfers, _transfer_order),
            rewards=together(year, lambda figures: figures.rewards, _reward_order),
        )
        for year in years
    }


def scope_years(portal: Portal, scope: Scope, figures: FigureCache | None = None) -> tuple[int, ...]:
    """The years a scope has a report for: each year of its pilot up to today's, and any other
    year with activity (a notice scheduled into next year, an achievement transferred before)."""
    years = set((figures or FigureCache(portal)).of(scope.institutions))
    if scope.institutions:
        first = min(institution.record.pilot_approved_on.year for institution in scope.institutions)
        years |= set(range(first, portal.today.year + 1))
    return tuple(sorted(years))


def scopes(portal: Portal) -> list[Scope]:
    """The whole portal, then each policy, then each unit, in id order."""
    everyone = tuple(portal.institutions.values())
    items = [Scope("portal", "all", "全部试点单位", everyone)]
    for policy_id, institutions in portal.institutions_by_policy.items():
        policy = portal.policies[policy_id]
        items.append(Scope("policy", policy_id, policy.place, institutions))
    items += [Scope("institution", view.id, view.record.name, (view,)) for view in everyone]
    return items


def ending_window_end(today: date) -> date:
    """The last day of the 12 months from `today`, counted like a pilot year."""
    return pilot_end(today, 1)


def use_rights_ending(portal: Portal, institutions: Iterable[InstitutionView]) -> tuple[UseRightEnding, ...]:
    """Long-term use rights whose last day falls within the next 12 months, soonest first: the
    unit decides before then whether to extend them (续期)."""
    last = ending_window_end(portal.today)
    items = [
        UseRightEnding(achievement, achievement.use_right_end)
        for institution in institutions
        for achievement in institution.achievements
        if achievement.use_right_end is not None and portal.today <= achievement.use_right_end <= last
    ]
    return tuple(sorted(items, key=lambda item: (item.ends_on, item.achievement.id)))


def report(portal: Portal, scope: Scope, year: int, figures: FigureCache | None = None) -> Report:
    figures = figures or FigureCache(portal)
    by_year = figures.of(scope.institutions)
    # A unit is in a year's report from the year its pilot was approved (or any year it was
    # active in): before that it was no pilot unit, and a row of zeros would count it as one.
    units = tuple(
        UnitFigures(
            institution,
            in_year(figures.of((institution,)), year),
            figures.ending((institution,)),
        )
        for institution in sorted(scope.institutions, key=lambda view: view.id)
        if institution.record.pilot_approved_on.year <= year or year in figures.of((institution,))
    )
    return Report(
        scope=scope,
        year=year,
        today=portal.today,
        figures=in_year(by_year, year),
        units=units,
        use_rights_ending=figures.ending(scope.institutions),
        ending_window_end=ending_window_end(portal.today),
        deals_by_year=tuple(
            (each_year, in_year(by_year, each_year).deal_total())
            for each_year in scope_years(portal, scope, figures)
        ),
    )


class FigureCache:
    """Each group of units' figures by year, computed once: a unit's figures appear in its own
    reports and in those of its policy and of the portal, for every year."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal
        self.computed: dict[tuple[str, ...], dict[int, YearFigures]] = {}
        self.endings: dict[tuple[str, ...], tuple[UseRightEnding, ...]] = {}

    def of(self, institutions: Sequence[InstitutionView]) -> dict[int, YearFigures]:
        key = tuple(view.id for view in institutions)
        if key not in self.computed:
            if len(institutions) > 1:  # each record's figures found once, not for each of its scopes
                self.computed[key] = merged_figures([self.of((institution,)) for institution in institutions])
            else:
                self.computed[key] = figures_by_year(self.portal, institutions)
        return self.computed[key]

    def ending(self, institutions: Sequence[InstitutionView]) -> tuple[UseRightEnding, ...]:
        """use_rights_ending, once per group of units: a unit's is in each of its reports."""
        key = tuple(view.id for view in institutions)
        if key not in self.endings:
            self.endings[key] = use_rights_ending(self.portal, institutions)
        return self.endings[key]


def reports(portal: Portal) -> list[Report]:
    """Every report of the portal: each scope, each of its years. The pages, their links and the
    CSV stage all ask for them in one build: they are computed once per Portal."""
    global _reports_of
    if _reports_of is None or _reports_of[0] is not portal:
        figures = FigureCache(portal)
        computed = [
            report(portal, scope, year, figures)
            for scope in scopes(portal)
            for year in scope_years(portal, scope, figures)
        ]
        _reports_of = (portal, computed)
    return _reports_of[1]


# The last Portal's reports. A Portal holds dicts, so it cannot key a cache by value; a build
# has one Portal, so remembering the last one by identity is enough.
_reports_of: tuple[Portal, list[Report]] | None = None


def _grant(item: GrantedAchievement) -> Grant:
    grant = item.achievement.record.grant
    assert grant is not None  # only granted achievements are listed
    return grant


def _deal_price(view: NoticeView) -> int:
    assert view.record.deal is not None
    return view.record.deal.price_yuan


def _reward(view: NoticeView) -> Reward:
    assert view.record.reward is not None
    return view.record.reward


def _outcome_date(view: NoticeView) -> date:
    assert view.record.outcome is not None
    return view.record.outcome.date
