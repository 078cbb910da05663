"""Rules of an achievement on its own: team, grant, incentive, negative list, registrations, history."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date

from generator.catalog import Catalog, Loaded
from generator.messages import hint
from generator.models import Achievement, Policy
from generator.models.achievement import Member
from generator.models.vocabulary import RIGHT_KINDS
from generator.problems import Problem
from generator.registration_numbers import FORMATS, PATENT_FORMAT, PATENT_KINDS, TYPE_DIGITS, parse_patent


def check(catalog: Catalog, today: date) -> Iterator[Problem]:
    for loaded in catalog.achievements.values():
        yield from _team(loaded)
        yield from _grant(catalog, loaded)
        yield from _registrations(loaded)
        yield from _history(loaded, today)


def _team(loaded: Loaded[Achievement]) -> Iterator[Problem]:
    team = loaded.record.team
    total = sum(member.share for member in team)
    if abs(total - 100) > 1e-6:
        yield loaded.problem("shares-not-100", ("team",), total=f"{total:g}", **_rounding_fix(team, total))
    leads = [index for index, member in enumerate(team) if member.role == "lead"]
    if len(leads) > 1:
        yield loaded.problem(
            "team-lead-not-one",
            ("team", leads[1], "role"),
            count=len(leads),
            **hint("lead-remove", name=team[leads[1]].name),
        )
    elif not leads:
        yield loaded.problem("team-lead-not-one", ("team",), count=0, **hint("lead-add"))


def _rounding_fix(team: Sequence[Member], total: float) -> dict[str, str]:
    """Shares that miss 100 by a rounding (33.33 three times): the one change that makes them add
    up, on the lead's share (else the first member's). Shares written as fractions (0.5, 0.3,
    0.2, adding up to 1): each times 100."""
    if not team:
        return {"fix": "", "fix_en": ""}
    member = next((member for member in team if member.role == "lead"), team[0])
    if abs(total - 1) <= 0.01 and len(team) > 1:
        share = f"{round(member.share * 100, 6):g}"
        return {
            "fix": f"看起来写成了小数：share 写百分数，请把每个值乘以 100，例如 {member.name} 的 share 写 {share}。",
            "fix_en": f" They look like fractions: write percentages, each value times 100 (for example, "
            f"{member.name}'s share is {share}).",
        }
    missing = 100 - total
    if abs(missing) > 0.05:
        return {"fix": "", "fix_en": ""}
    share = f"{round(member.share + missing, 6):g}"  # as many places as the shares were written with
    return {
        "fix": f"例如把 {member.name} 的 share 改为 {share}。",
        "fix_en": f" For example, set {member.name}'s share to {share}.",
    }


def _grant(catalog: Catalog, loaded: Loaded[Achievement]) -> Iterator[Problem]:
    record = loaded.record
    if record.classified:
        yield loaded.problem("achievement-classified", ("classified",))
    grant = record.grant
    if grant is None:
        return
    if record.negative_list:
        yield loaded.problem("negative-list-granted", ("grant",))
    if record.incentive == "transform_first":
        yield loaded.problem("incentive-conflict", ("incentive",))
    policy = _policy_of(catalog, record)
    if grant.mode == "ownership":
        for key in ("years", "license", "starts_on"):
            if getattr(grant, key) is not None:
                yield loaded.problem(
                    "grant-field-not-for-mode",
                    ("grant", key),
                    key=key,
                    for_mode="long_term_use",
                    mode=grant.mode,
                )
        if grant.team_share is None:
            yield loaded.problem("grant-team-share-missing", ("grant",))
        elif 0 < grant.team_share < 1:  # 0.7 for 70%: the site would say 0.7%
            yield loaded.problem(
                "percent-written-as-fraction",
                ("grant", "team_share"),
                key="team_share",
                value=f"{grant.team_share:g}",
                percent=f"{round(grant.team_share * 100, 6):g}",
            )
        elif policy is not None and policy.team_ownership_share_min is not None:
            floor = policy.team_ownership_share_min
            if grant.team_share < floor:
                yield loaded.problem(
                    "ownership-share-below-floor",
                    ("grant", "team_share"),
                    value=f"{grant.team_share:g}",
                    floor=f"{floor:g}",
                    policy=policy.id,
                )
        return
    if grant.team_share is not None:
        yield loaded.problem(
            "grant-field-not-for-mode",
            ("grant", "team_share"),
            key="team_share",
            for_mode="ownership",
            mode=grant.mode,
        )
    minimum = policy.long_term_use_min_years if policy is not None else 10
    if grant.years is None:
        yield loaded.problem("long-term-use-years-missing", ("grant",), minimum=minimum)
    elif grant.years < minimum:
        yield loaded.problem(
            "long-term-use-too-short",
            ("grant", "years"),
            value=grant.years,
            minimum=minimum,
            policy=policy.id if policy else "",
        )
    if grant.license is None:
        yield loaded.problem("long-term-use-license-missing", ("grant",))


def _policy_of(catalog: Catalog, record: Achievement) -> Policy | None:
    institution = catalog.institutions.get(record.institution)
    if institution is None:
        return None
    policy = catalog.policies.get(institution.record.policy)
    return policy.record if policy else None


def _registrations(loaded: Loaded[Achievement]) -> Iterator[Problem]:
    for index, right in enumerate(loaded.record.rights):
        where = ("rights", index, "number")
        number = right.number.strip()
        written = {"value": number, "kind": right.kind, "kind_label": RIGHT_KINDS[right.kind]}
        half_width = unicodedata.normalize("NFKC", number)
        if half_width != number and half_width.isascii():  # ZL２０２０… typed with a Chinese input method
            yield loaded.problem("registration-number-full-width", where, **written, suggestion=half_width)
            continue
        if right.kind in PATENT_KINDS:
            patent = parse_patent(number)
            if patent is None:
                pattern, pattern_en, example = PATENT_FORMAT
                yield loaded.problem(
                    "registration-number-invalid",
                    where,
                    **written,
                    pattern=pattern,
                    pattern_en=pattern_en,
                    example=example,
                )
                continue
            if patent.check != patent.expected_check:
                yield loaded.problem(
                    "patent-check-digit",
                    where,
                    value=number,
                    expected=patent.expected_check,
                    actual=patent.check,
                    suggestion=patent.canonical(patent.expected_check),
                )
                continue  # a digit is mistyped somewhere: the type digit may be the one
            digit = patent.type_digit
            if digit in TYPE_DIGITS and TYPE_DIGITS[digit][0] != right.kind:
                expected_kind, label, label_en = TYPE_DIGITS[digit]
                yield loaded.problem(
                    "patent-kind-mismatch",
                    ("rights", index, "kind"),
                    value=number,
                    position=5 if len(patent.digits) == 12 else 3,
                    digit=digit,
                    digit_label=label,
                    digit_label_en=label_en,
                    kind=right.kind,
                    expected_kind=expected_kind,
                )
        elif right.kind in FORMATS:
            pattern_re, pattern, pattern_en, example = FORMATS[right.kind]
            if not pattern_re.match(number):
                yield loaded.problem(
                    "registration-number-invalid",
                    where,
                    **written,
                    pattern=pattern,
                    pattern_en=pattern_en,
                    example=example,
                )


_EVENT_NEEDS = {
    "noticed": ("notice",),
    "transformed": ("mode", "amount_yuan"),
    "use_right_extended": ("years",),
}


def _history(loaded: Loaded[Achievement], today: date) -> Iterator[Problem]:
    previous: date | None = None
    for index, event in enumerate(loaded.record.history):
        if previous is not None and event.date < previous:
            yield loaded.problem(
                "history-not-in-order", ("history", index, "date"), date=event.date, previous=previous
            )
        previous = event.date if previous is None else max(previous, event.date)
        for key in _EVENT_NEEDS.get(event.event, ()):
            if getattr(event, key) is None:
                yield loaded.problem(
                    "history-event-field-missing", ("history", index), event=event.event, key=key
                )
        # An extension is dated when it takes effect, which may lie ahead; other events have happened.
        if event.date > today and event.event != "use_right_extended":
            yield loaded.problem(
                "history-in-future", ("history", index, "date"), date=event.date, today=today
            )
