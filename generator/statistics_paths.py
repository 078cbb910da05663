"""Where the statistics live in the site. These addresses are permanent: supervisors bookmark
them and cite them in their own reports, so a change here breaks links outside the site.

    statistics/                                     the index (统计, in the navigation)
    statistics/<year>/                              every unit, for one year
    statistics/policies/<policy id>/<year>/         the units of one policy, side by side
    statistics/institutions/<institution id>/<year>/  one unit's yearly report
    statistics/policies/, statistics/institutions/  each policy's or unit's reports, by year
    statistics/policies/<policy id>/ (and a unit's)  one policy's or unit's reports, by year
    <each of those three>/report.csv, granted.csv   its figures and its list of granted achievements
    statistics/units.csv                            every unit and year, one row each

Only the index is in the navigation: the report pages grow with units and years and are reached
from the index (a navigation that grows with the records makes every page heavier).
"""

from __future__ import annotations

from generator.statistics import Scope, ScopeKind

STATISTICS_FOLDER = "statistics"
INDEX_SOURCE = f"{STATISTICS_FOLDER}/index.md"
UNITS_CSV = f"{STATISTICS_FOLDER}/units.csv"
REPORT_CSV = "report.csv"
GRANTED_CSV = "granted.csv"


def report_folder(scope: Scope, year: int) -> str:
    """The folder of a report page and its CSV files, relative to the site root."""
    return folder_for(scope.kind, scope.key, year)


def folder_for(kind: ScopeKind, key: str, year: int) -> str:
    if kind == "portal":
        return f"{STATISTICS_FOLDER}/{year}"
    return f"{scope_folder(kind, key)}/{year}"


def kind_folder(kind: ScopeKind) -> str:
    """The folder of the policies' or the units' reports: each address above it is a page too,
    so that a reader who cuts an address short lands on the years it holds, not on a 404."""
    return f"{STATISTICS_FOLDER}/policies" if kind == "policy" else f"{STATISTICS_FOLDER}/institutions"


def scope_folder(kind: ScopeKind, key: str) -> str:
    """The folder of one policy's or one unit's reports."""
    return f"{kind_folder(kind)}/{key}"


def report_source(scope: Scope, year: int) -> str:
    """The page's source name for MkDocs: `<folder>/index.md` is served at `<folder>/`."""
    return f"{report_folder(scope, year)}/index.md"
