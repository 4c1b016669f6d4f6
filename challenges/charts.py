"""Line charts of a metric over time against its target, drawn on the server as inline SVG.

`metric_chart_svg` is a pure function: readings and a target in, escaped SVG markup out. The SVG
is an image for sighted readers (role="img", with a title and a description in words that state
the latest value and the target); the page also shows the same data as a table.
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 20, 52
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Reading:
    measured_on: dt.date
    value: Decimal


def format_number(value: Decimal | float) -> str:
    """40.00 → “40”, 12.50 → “12.5”, 12000 → “12,000”."""
    value = Decimal(str(value)).quantize(Decimal("0.01"))
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


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
    target_text = f"The target is {format_number(target)} {unit}." if target is not None else "No target is set."
    if not readings:
        return f"No readings yet. {target_text}"
    latest = readings[-1]
    words = f"Latest value: {format_number(latest.value)} {unit} on {format_date(latest.measured_on)}. {target_text}"
    if len(readings) > 1:
        words += f" {len(readings)} readings from {format_date(readings[0].measured_on)}."
    return words


def metric_chart_svg(
    *, readings: Sequence[Reading], target: Decimal | None, name: str, unit: str, chart_id: str
) -> SafeString:
    """SVG markup for a metric's readings (sorted by date here) and its target as a dashed line.

    Every piece of text is escaped; `chart_id` must be unique on the page (it names the title and
    description the SVG is labelled by).
    """
    readings = sorted(readings, key=lambda reading: reading.measured_on)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    title = f"{name} ({unit}) over time"
    header = format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>',
        WIDTH,
        HEIGHT,
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
        l=LEFT,
        r=LEFT + PLOT_W,
        t=TOP,
        b=TOP + PLOT_H,
    )
    if not readings:
        empty = format_html(
            '<text class="chart-empty" x="{}" y="{}" text-anchor="middle">No readings yet</text>',
            LEFT + PLOT_W // 2,
            TOP + PLOT_H // 2,
        )
        target_markup = ""
        if target is not None:
            target_markup = _target_line(TOP + PLOT_H // 4, target, unit)
        return format_html("{}{}{}{}</svg>", header, frame, target_markup, empty)

    values = [float(reading.value) for reading in readings]
    low, high, ticks = _value_axis(values + ([float(target)] if target is not None else []))

    def y(value: float) -> float:
        return round(TOP + PLOT_H - (value - low) / (high - low) * PLOT_H, 1)

    first, last = readings[0].measured_on, readings[-1].measured_on
    days = (last - first).days

    def x(day: dt.date) -> float:
        if days == 0:
            return LEFT + PLOT_W / 2
        return round(LEFT + (day - first).days / days * PLOT_W, 1)

    y_axis = format_html_join(
        "",
        '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor"/>'
        '<text class="chart-tick" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
        ((LEFT, y(tick), LEFT + PLOT_W, y(tick), LEFT - 8, y(tick), format_number(tick)) for tick in ticks),
    )
    x_labels = [(x(first), "start" if days else "middle", format_date(first))]
    if days:
        x_labels.append((x(last), "end", format_date(last)))
    x_axis = format_html_join(
        "",
        '<text class="chart-tick" x="{}" y="{}" text-anchor="{}">{}</text>',
        ((pos, TOP + PLOT_H + 20, anchor, label) for pos, anchor, label in x_labels),
    )
    axis_titles = format_html(
        '<text class="chart-label" x="{}" y="{}" text-anchor="middle">Date measured</text>'
        '<text class="chart-label" transform="rotate(-90)" x="{}" y="{}" text-anchor="middle">{}</text>',
        LEFT + PLOT_W / 2,
        HEIGHT - 8,
        -(TOP + PLOT_H / 2),
        16,
        unit,
    )
    target_markup = _target_line(y(float(target)), target, unit) if target is not None else ""
    coordinates = [(x(reading.measured_on), y(float(reading.value))) for reading in readings]
    line = format_html(
        '<polyline class="chart-line" fill="none" stroke="currentColor" stroke-width="2.5" points="{}"/>',
        " ".join(f"{px},{py}" for px, py in coordinates),
    )
    points = format_html_join(
        "",
        '<circle class="chart-point" cx="{}" cy="{}" r="5" fill="currentColor"><title>{}: {} {}</title></circle>',
        (
            (px, py, format_date(reading.measured_on), format_number(reading.value), unit)
            for (px, py), reading in zip(coordinates, readings, strict=True)
        ),
    )
    return format_html(
        "{}{}{}{}{}{}{}{}</svg>", header, y_axis, frame, x_axis, axis_titles, target_markup, line, points
    )


def _target_line(y_position: float, target: Decimal, unit: str) -> SafeString:
    return format_html(
        '<g class="chart-target"><line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="currentColor" stroke-width="2" '
        'stroke-dasharray="8 6"/><text x="{}" y="{}" text-anchor="end">Target {} {}</text></g>',
        LEFT,
        LEFT + PLOT_W,
        LEFT + PLOT_W,
        y_position - 6,
        format_number(target),
        unit,
        y=y_position,
    )
