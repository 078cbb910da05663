"""Charts drawn at build time as inline SVG: no script, no font, nothing loaded from elsewhere.

Each chart is an image with a name and a description for screen readers (`role="img"`, `<title>`,
`<desc>`), and stays readable without colour: every series has its own pattern as well as its own
colour, the legend shows the patterns, and the totals are written beside the bars. The numbers
themselves are in a table beside each chart (the page template's job), which is what a screen
reader or a spreadsheet user reads.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
TEXT_COLOUR = "#222"
GRID_COLOUR = "#c8c8c8"
OUTLINE_COLOUR = "#333"
FONT_SIZE = 12
LEGEND_SWATCH = 14


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]  # one per category


@dataclass(frozen=True)
class Chart:
    """What a chart shows; the drawing functions decide how."""

    id: str  # unique on its page: prefixes the ids of the title, description and patterns
    title: str
    description: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]

    def totals(self) -> tuple[int, ...]:
        return tuple(sum(values) for values in zip(*(series.values for series in self.series), strict=True))

    def is_empty(self) -> bool:
        return not any(self.totals())


ValueText = Callable[[int], str]


@dataclass(frozen=True)
class Fill:
    """How one series is painted: a colour, and a pattern that survives grey-scale printing."""

    colour: str
    pattern: str | None  # the pattern's inner SVG on a 6×6 tile, or None for a solid fill

    def definition(self, pattern_id: str) -> str:
        if self.pattern is None:
            return ""
        return (
            f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="6" height="6">'
            f'<rect width="6" height="6" fill="#fff"/>{self.pattern.format(colour=self.colour)}</pattern>'
        )

    def paint(self, pattern_id: str) -> str:
        return self.colour if self.pattern is None else f"url(#{pattern_id})"


# Solid, diagonal hatching, dots, cross-hatching: told apart in black and white as in colour.
FILLS = (
    Fill("#a61b1b", None),
    Fill("#1a56a6", '<path d="M-1 1L1 -1M0 6L6 0M5 7L7 5" stroke="{colour}" stroke-width="1.6"/>'),
    Fill("#1b5e20", '<circle cx="3" cy="3" r="1.7" fill="{colour}"/>'),
    Fill("#6a1b9a", '<path d="M0 0L6 6M6 0L0 6" stroke="{colour}" stroke-width="1.1"/>'),
)


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """An estimate without a font: a Chinese character is one em wide, Latin letters and digits
    about six tenths of one."""
    return sum(size if ord(char) > 0x2E80 else size * 0.6 for char in text)


def nice_step(largest: int, ticks: int = 4) -> int:
    """A step of 1, 2 or 5 times a power of ten that cuts 0…largest into at most `ticks` parts."""
    if largest <= 0:
        return 1
    rough = largest / ticks
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    for multiple in (1, 2, 5, 10):
        if multiple * power >= rough:
            return max(1, int(multiple * power))
    return int(10 * power)


def column_chart(chart: Chart, value_text: ValueText = str, *, width: int = 640, height: int = 280) -> str:
    """Vertical columns, one per category, the series stacked; each total is written on top."""
    legend, legend_height = _legend(chart, width)
    totals = chart.totals()
    step = nice_step(max(totals, default=0))
    axis_max = max(step, math.ceil(max(totals, default=0) / step) * step)
    ticks = range(0, axis_max + 1, step)
    # The axis stands right of its widest tick label ("1500万元" needs more room than "3").
    left = int(max(text_width(value_text(tick)) for tick in ticks)) + 12
    right, top, bottom = width - 8, legend_height + 22, height - 28

    def y(value: int) -> float:
        return bottom - (bottom - top) * value / axis_max

    parts = [_open(chart, width, height, time_axis=True), _defs(chart), legend]
    for tick in ticks:
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{GRID_COLOUR}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{escape(value_text(tick))}</text>'
        )
    band = (right - left) / max(1, len(chart.categories))
    bar = min(band * 0.62, 56)
    for index, category in enumerate(chart.categories):
        x = left + band * index + (band - bar) / 2
        base = 0
        for number, series in enumerate(chart.series):
            value = series.values[index]
            if value:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y(base + value):.1f}" width="{bar:.1f}" '
                    f'height="{y(base) - y(base + value):.1f}" fill="{_fill(chart, number)}" '
                    f'stroke="{OUTLINE_COLOUR}" stroke-width="0.75"/>'
                )
            base += value
        centre = x + bar / 2
        parts.append(
            f'<text x="{centre:.1f}" y="{y(totals[index]) - 5:.1f}" text-anchor="middle" '
            f'font-weight="600">{escape(value_text(totals[index]))}</text>'
            f'<text x="{centre:.1f}" y="{bottom + 17}" text-anchor="middle">{escape(category)}</text>'
        )
    parts.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{OUTLINE_COLOUR}"/>')
    parts.append("</g></svg>")
    return "".join(parts)


def bar_chart(chart: Chart, value_text: ValueText = str, *, width: int = 640, row: int = 28) -> str:
    """Horizontal bars, one per category (long Chinese names fit on the left), series stacked;
    each total is written at the end of its bar."""
    legend, legend_height = _legend(chart, width)
    label_width = max((text_width(category) for category in chart.categories), default=0)
    left = int(label_width) + 16
    totals = chart.totals()
    value_room = max((text_width(value_text(total)) for total in totals), default=0) + 10
    right = width - value_room - 4
    top = legend_height + 8
    height = top + row * len(chart.categories) + 8
    largest = max(max(totals, default=0), 1)
    scale = (right - left) / largest
    bar = row * 0.62

    parts = [_open(chart, width, height), _defs(chart), legend]
    for index, category in enumerate(chart.categories):
        y = top + row * index + (row - bar) / 2
        middle = y + bar / 2 + 4
        parts.append(f'<text x="{left - 8}" y="{middle:.1f}" text-anchor="end">{escape(category)}</text>')
        start = float(left)
        for number, series in enumerate(chart.series):
            value = series.values[index]
            if value:
                parts.append(
                    f'<rect x="{start:.1f}" y="{y:.1f}" width="{value * scale:.1f}" height="{bar:.1f}" '
                    f'fill="{_fill(chart, number)}" stroke="{OUTLINE_COLOUR}" stroke-width="0.75"/>'
                )
                start += value * scale
        parts.append(
            f'<text x="{start + 6:.1f}" y="{middle:.1f}" font-weight="600">{escape(value_text(totals[index]))}</text>'
        )
    axis_bottom = top + row * len(chart.categories)
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{axis_bottom}" stroke="{OUTLINE_COLOUR}"/>')
    parts.append("</g></svg>")
    return "".join(parts)


def _open(chart: Chart, width: int, height: int, *, time_axis: bool = False) -> str:
    """The drawing's opening tags. A chart of months or years (`time_axis`) is scrolled to its
    newest end on a phone, where it is wider than the screen (portal-tables.js)."""
    labelled_by = f"{chart.id}-title {chart.id}-desc"
    axis = ' data-axis="time"' if time_axis else ""
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" class="portal-chart__image" role="img"{axis} '
        f'aria-labelledby="{labelled_by}" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<title id="{chart.id}-title">{escape(chart.title)}</title>'
        f'<desc id="{chart.id}-desc">{escape(chart.description)}</desc>'
        f'<g font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">'
    )


def _defs(chart: Chart) -> str:
    patterns = "".join(
        _style(number).definition(_pattern_id(chart, number)) for number in range(len(chart.series))
    )
    return f"<defs>{patterns}</defs>" if patterns else ""


def _legend(chart: Chart, width: int) -> tuple[str, int]:
    """The series' names beside their swatches, wrapped onto more rows when they do not fit.
    A single series needs no legend: the chart's title names it."""
    if len(chart.series) < 2:
        return "", 0
    parts, x, y = [], 0.0, 0
    for number, series in enumerate(chart.series):
        item = LEGEND_SWATCH + 6 + text_width(series.name) + 18
        if x and x + item > width:
            x, y = 0.0, y + 20
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{y + 1}" width="{LEGEND_SWATCH}" height="{LEGEND_SWATCH}" '
            f'fill="{_fill(chart, number)}" stroke="{OUTLINE_COLOUR}" stroke-width="0.75"/>'
            f'<text x="{x + LEGEND_SWATCH + 6:.1f}" y="{y + 12}">{escape(series.name)}</text>'
        )
        x += item
    return "<g>" + "".join(parts) + "</g>", y + 20


def _style(number: int) -> Fill:
    return FILLS[number % len(FILLS)]


def _pattern_id(chart: Chart, number: int) -> str:
    return f"{chart.id}-pattern-{number}"


def _fill(chart: Chart, number: int) -> str:
    return _style(number).paint(_pattern_id(chart, number))


def table_rows(chart: Chart, value_text: ValueText = str) -> list[tuple[str, list[str], str]]:
    """The chart's numbers as the table beside it shows them: category, each series, total."""
    return [
        (category, [value_text(series.values[index]) for series in chart.series], value_text(total))
        for index, (category, total) in enumerate(zip(chart.categories, chart.totals(), strict=True))
    ]
