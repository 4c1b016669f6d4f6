"""Line charts of a metric over time against its target, drawn on the server as inline SVG.

`metric_chart_svg` is a pure function: readings and a target in, escaped SVG markup out. The SVG
is an image for sighted readers (role="img", with a title and a description in words that state
the latest value and the target); the page also shows the same data as a table.

An SVG scales its text with its width, so one drawing cannot be readable on a desktop and on a
phone: `metric_charts` draws two, WIDE and NARROW (fewer, shorter date labels in bigger type), and
the stylesheet shows the one that fits (static/css/challenges.css).
"""

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.dateformat import format as format_day
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Layout:
    """One drawing's size (SVG units), margins and how many dates its time axis may label."""

    name: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    date_labels: int

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom


# Shown from 40rem: 640 units across about 640 px, so 13-unit text reads at about 13 px.
WIDE = Layout("wide", width=640, height=280, left=72, right=24, top=20, bottom=52, date_labels=5)
# Shown on phones: 320 units across 290-360 px (320-390 px screens), text in challenges.css at 14 units.
NARROW = Layout("narrow", width=320, height=260, left=52, right=14, top=20, bottom=52, date_labels=3)
WIDTH, HEIGHT = WIDE.width, WIDE.height


@dataclass(frozen=True)
class Reading:
    measured_on: dt.date
    value: Decimal


def format_number(value: Decimal | float) -> str:
    """40.00 → “40”, 12.50 → “12.5”, 12000 → “12,000”."""
    value = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@functools.lru_cache(maxsize=4096)
def _format_day(day: dt.date, pattern: str, language: str | None) -> str:
    """A date as `pattern` writes it in `language` (the active one): each chart names its dates twice
    (wide and narrow drawings) and a page's charts share most of them."""
    return format_day(day, pattern)


def format_date(day: dt.date) -> str:
    """“3 March 2026”, with the month named in the active language."""
    return _format_day(day, "j F Y", get_language())


def _short_date(day: dt.date, *, span_days: int) -> str:
    """A time-axis label: the month over long spans ("Mar 2026"), the day over short ones ("3 Mar")."""
    return _format_day(day, "M Y" if span_days >= 90 else "j M", get_language())


def _date_ticks(first: dt.date, last: dt.date, *, count: int) -> list[tuple[dt.date, str]]:
    """Up to `count` evenly spaced dates from `first` to `last` with their labels; a label that would
    repeat its neighbour's (two ticks in one month) is dropped, the last one always kept."""
    days = (last - first).days
    if days == 0:
        return [(first, format_date(first))]
    count = max(2, min(count, days + 1))
    ticks = []
    for index in range(count):
        day = first + dt.timedelta(days=round(index * days / (count - 1)))
        label = _short_date(day, span_days=days)
        if ticks and ticks[-1][1] == label:
            if index < count - 1:
                continue
            ticks.pop()
        ticks.append((day, label))
    return ticks


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _value_axis(values: Sequence[float]) -> tuple[float, float, list[float]]:
    low, high = min(0.0, *values), max(values)
    if high == low:
        high = low + (abs(low) or 1)
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    ticks = [low + i * step for i in range(round((high - low) / step) + 1)]
    return low, high, ticks


def describe(*, readings: Sequence[Reading], target: Decimal | None, name: str, unit: str) -> str:
    """The chart in one or two sentences, for screen readers."""
    if target is not None:
        # Translators: a metric's target, e.g. "The target is 40 households."
        target_text = _("The target is %(value)s %(unit)s.") % {"value": format_number(target), "unit": unit}
    else:
        target_text = _("No target is set.")
    if not readings:
        # Translators: %(target)s is "The target is … ." or "No target is set."
        return _("No readings yet. %(target)s") % {"target": target_text}
    latest = readings[-1]
    # Translators: %(target)s is "The target is … ." or "No target is set."
    words = _("Latest value: %(value)s %(unit)s on %(date)s. %(target)s") % {
        "value": format_number(latest.value),
        "unit": unit,
        "date": format_date(latest.measured_on),
        "target": target_text,
    }
    if len(readings) > 1:
        # Translators: how many readings a chart shows, and the date of the first.
        words += " " + ngettext(
            "%(count)d reading from %(date)s.", "%(count)d readings from %(date)s.", len(readings)
        ) % {"count": len(readings), "date": format_date(readings[0].measured_on)}
    return words


def metric_charts(
    *, readings: Sequence[Reading], target: Decimal | None, name: str, unit: str, chart_id: str
) -> SafeString:
    """The chart drawn for wide screens and for phones, one after the other (CSS shows one)."""
    return format_html(
        "{}{}",
        *(
            metric_chart_svg(
                readings=readings,
                target=target,
                name=name,
                unit=unit,
                chart_id=f"{chart_id}-{layout.name}",
                layout=layout,
            )
            for layout in (WIDE, NARROW)
        ),
    )


def metric_chart_svg(
    *,
    readings: Sequence[Reading],
    target: Decimal | None,
    name: str,
    unit: str,
    chart_id: str,
    layout: Layout = WIDE,
) -> SafeString:
    """SVG markup for a metric's readings (sorted by date here) and its target as a dashed line.

    Every piece of text is escaped; `chart_id` must be unique on the page (it names the title and
    description the SVG is labelled by).
    """
    readings = sorted(readings, key=lambda reading: reading.measured_on)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    # Translators: a chart's title: a metric's name and its unit, e.g. "Homes insulated (homes) over time".
    title = _("%(name)s (%(unit)s) over time") % {"name": name, "unit": unit}
    header = format_html(
        '<svg class="chart chart-{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}">{}</title><desc id="{}">{}</desc>',
        layout.name,
        layout.width,
        layout.height,
        title_id,
        desc_id,
        title_id,
        title,
        desc_id,
        describe(readings=readings, target=target, name=name, unit=unit),
    )
    frame = format_html(
        '<line class="chart-axis" x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="currentColor"/>'
        '<line class="chart-axis" x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="currentColor"/>',
        l=layout.left,
        r=layout.left + layout.plot_w,
        t=layout.top,
        b=layout.top + layout.plot_h,
    )
    if not readings:
        empty = format_html(
            '<text class="chart-empty" x="{}" y="{}" text-anchor="middle">{}</text>',
            layout.left + layout.plot_w // 2,
            layout.top + layout.plot_h // 2,
            _("No readings yet"),
        )
        target_markup = ""
        if target is not None:
            target_markup = _target_line(layout.top + layout.plot_h // 4, target, unit, layout=layout)
        return format_html("{}{}{}{}</svg>", header, frame, target_markup, empty)

    values = [float(reading.value) for reading in readings]
    low, high, ticks = _value_axis(values + ([float(target)] if target is not None else []))

    def y(value: float) -> float:
        return round(layout.top + layout.plot_h - (value - low) / (high - low) * layout.plot_h, 1)

    first, last = readings[0].measured_on, readings[-1].measured_on
    days = (last - first).days

    def x(day: dt.date) -> float:
        if days == 0:
            return layout.left + layout.plot_w / 2
        return round(layout.left + (day - first).days / days * layout.plot_w, 1)

    # Numbers need no escaping: the repeated parts are written with f-strings (format_html escapes each
    # number through Django's lazy-aware escape, most of a chart's time); text goes through escape().
    y_axis = "".join(
        f'<line class="chart-grid" x1="{layout.left}" y1="{y(tick)}" x2="{layout.left + layout.plot_w}" '
        f'y2="{y(tick)}" stroke="currentColor"/><text class="chart-tick" x="{layout.left - 8}" y="{y(tick)}" '
        f'text-anchor="end" dominant-baseline="middle">{escape(format_number(tick))}</text>'
        for tick in ticks
    )
    ticks_x = _date_ticks(first, last, count=layout.date_labels)

    def anchor(index: int) -> str:
        if len(ticks_x) == 1:
            return "middle"
        return "start" if index == 0 else "end" if index == len(ticks_x) - 1 else "middle"

    x_axis = "".join(
        f'<text class="chart-tick chart-date" x="{x(day)}" y="{layout.top + layout.plot_h + 20}" '
        f'text-anchor="{anchor(index)}">{escape(label)}</text>'
        for index, (day, label) in enumerate(ticks_x)
    )
    axis_titles = format_html(
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>'
        '<text class="chart-label" transform="rotate(-90)" x="{}" y="{}" text-anchor="middle">{}</text>',
        layout.left + layout.plot_w / 2,
        layout.height - 8,
        _("Date measured"),
        -(layout.top + layout.plot_h / 2),
        16,
        unit,
    )
    target_markup = _target_line(y(float(target)), target, unit, layout=layout) if target is not None else ""
    coordinates = [(x(reading.measured_on), y(float(reading.value))) for reading in readings]
    line = format_html(
        '<polyline class="chart-line" fill="none" stroke="currentColor" stroke-width="2.5" points="{}"/>',
        " ".join(f"{px},{py}" for px, py in coordinates),
    )
    # Translators: a point of a chart: the date measured, the value and its unit.
    point_title = _("%(date)s: %(value)s %(unit)s")
    points = "".join(
        f'<circle class="chart-point" cx="{px}" cy="{py}" r="5" fill="currentColor"><title>'
        f"{escape(point_title % {'date': format_date(reading.measured_on), 'value': format_number(reading.value), 'unit': unit})}"
        "</title></circle>"
        for (px, py), reading in zip(coordinates, readings, strict=True)
    )
    return mark_safe(  # noqa: S308 - the parts are built by format_html or escape every text they hold
        f"{header}{y_axis}{frame}{x_axis}{axis_titles}{target_markup}{line}{points}</svg>"
    )


def _target_line(y_position: float, target: Decimal, unit: str, *, layout: Layout) -> SafeString:
    return format_html(
        '<g class="chart-target"><line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="currentColor" stroke-width="2" '
        'stroke-dasharray="8 6"/><text x="{}" y="{}" text-anchor="end">{}</text></g>',
        layout.left,
        layout.left + layout.plot_w,
        layout.left + layout.plot_w,
        y_position - 6,
        # Translators: the label of a chart's target line, e.g. "Target 40 households".
        _("Target %(value)s %(unit)s") % {"value": format_number(target), "unit": unit},
        y=y_position,
    )
