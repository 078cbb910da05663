"""What a statistics report's page and CSV files are kept by (build_cache.py, fragments.py): the
text of the report, each record and view in it standing as its digest (page_keys.py).

A report holds the day, so a view (a function of its records and the day) stands as the digest
of what is shown of it (Portal.shown_digest) and a unit as that of its own records
(Portal.stand_ins: its notices and achievements reach a report through its figures alone). A
unit's figures are in its own report and, merged, in its policy's and
the portal's: written out in each, the keys took 0.67 s at 50,000 records, and each year's
figures written out whole 0.37 s. Their lists share their items (a grant, a transfer, a
notice), so each item is written out once and each figures stands as a digest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields

from generator.build_cache import text_digest
from generator.page_keys import key_text
from generator.portal import Portal
from generator.statistics import Report, YearFigures, reports

FIGURE_FIELDS = tuple(item.name for item in fields(YearFigures))


def report_texts(portal: Portal) -> Mapping[int, str]:
    """Each of the portal's reports' key text, by the report's identity. The pages and the CSV
    stage both ask: made once per Portal (like the reports), before the build forks."""
    global _texts_of
    if _texts_of is None or _texts_of[0] is not portal:
        all_reports = reports(portal)
        _texts_of = (portal, all_reports, _report_texts(portal, all_reports))
    return _texts_of[2]


def report_text(portal: Portal, report: Report) -> str:
    """The key text of one of the portal's reports (KeyError for another report)."""
    return report_texts(portal)[id(report)]


# The last Portal's texts, by each report's identity, and the reports, held so that no other
# object can take the identity of one (see statistics.reports).
_texts_of: tuple[Portal, list[Report], dict[int, str]] | None = None


def _report_texts(portal: Portal, all_reports: list[Report]) -> dict[int, str]:
    # Each entry holds its object, so no other object can have its identity while this lives.
    stand_ins = portal.stand_ins()

    def item_digest(item: object) -> str:
        if id(item) not in stand_ins:
            stand_ins[id(item)] = (item, text_digest(key_text(item, stand_ins)))
        return stand_ins[id(item)][1]

    for report in all_reports:
        for figures in (report.figures, *(unit.figures for unit in report.units)):
            if id(figures) not in stand_ins:
                text = "\0".join(
                    f"{name}={','.join(map(item_digest, value))}"
                    if isinstance(value := getattr(figures, name), tuple)
                    else f"{name}={key_text(value, stand_ins)}"
                    for name in FIGURE_FIELDS
                )
                stand_ins[id(figures)] = (figures, text_digest(text))
    return {id(report): key_text(report, stand_ins) for report in all_reports}
