"""The SVG chart of a metric against its target."""

import datetime as dt
import re
from decimal import Decimal

from challenges.charts import Reading, describe, format_number, metric_chart_svg


def chart(readings, target=Decimal("100"), name="Homes insulated", unit="homes"):
    return str(metric_chart_svg(readings=readings, target=target, name=name, unit=unit, chart_id="chart-1"))


SERIES = [
    Reading(dt.date(2026, 1, 1), Decimal("10")),
    Reading(dt.date(2026, 3, 1), Decimal("45.5")),
    Reading(dt.date(2026, 2, 1), Decimal("30")),
]


def test_a_point_per_reading_a_line_and_the_target_as_a_dashed_line():
    svg = chart(SERIES)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<circle") == 3
    assert "<polyline" in svg
    assert re.search(r'<line[^>]*stroke-dasharray="8 6"', svg)
    assert "Target 100 homes" in svg
    # Labelled for screen readers by its title and a description in words.
    assert 'role="img"' in svg and 'aria-labelledby="chart-1-title chart-1-desc"' in svg
    assert '<title id="chart-1-title">Homes insulated (homes) over time</title>' in svg
    assert "Latest value: 45.5 homes on 1 March 2026. The target is 100 homes." in svg
    # Axes with labels: the first and last dates and the unit.
    assert "1 January 2026" in svg and "1 March 2026" in svg and ">homes</text>" in svg
    assert "style=" not in svg and "<script" not in svg


def test_points_run_left_to_right_in_date_order_and_higher_values_sit_higher():
    svg = chart(SERIES)
    points = [
        (float(x), float(y)) for x, y in re.findall(r'<circle class="chart-point" cx="([\d.]+)" cy="([\d.]+)"', svg)
    ]
    xs, ys = zip(*points, strict=True)
    assert list(xs) == sorted(xs)
    assert ys[0] > ys[1] > ys[2]  # 10, 30, 45.5: SVG's y grows downwards


def test_the_target_above_every_reading_stays_inside_the_chart():
    svg = chart([Reading(dt.date(2026, 1, 1), Decimal("5"))], target=Decimal("1000"))
    target_y = float(re.search(r'<g class="chart-target"><line x1="\d+" y1="([\d.]+)"', svg).group(1))
    point_y = float(re.search(r'<circle class="chart-point" cx="[\d.]+" cy="([\d.]+)"', svg).group(1))
    assert 0 <= target_y < point_y <= 280


def test_an_empty_series_says_no_readings_yet():
    svg = chart([])
    assert "No readings yet" in svg
    assert "<circle" not in svg and "<polyline" not in svg
    assert "The target is 100 homes." in svg


def test_no_target_and_equal_values_do_not_crash():
    svg = chart([Reading(dt.date(2026, 1, 1), Decimal("0")), Reading(dt.date(2026, 1, 1), Decimal("0"))], target=None)
    assert svg.count("<circle") == 2
    assert "No target is set." in svg
    assert "stroke-dasharray" not in svg


def test_negative_values_are_drawn():
    svg = chart([Reading(dt.date(2026, 1, 1), Decimal("-20")), Reading(dt.date(2026, 2, 1), Decimal("15"))])
    assert ">-50</text>" in svg  # the value axis reaches below zero
    assert "1 January 2026: -20 homes" in svg


def test_hostile_metric_names_and_units_are_escaped():
    svg = chart(SERIES, name='<script>alert(1)</script>"', unit="<b onload=x>")
    assert "<script" not in svg and "<b onload" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in svg
    assert "&lt;b onload=x&gt;" in svg


def test_numbers_in_words():
    assert format_number(Decimal("40.00")) == "40"
    assert format_number(Decimal("12.50")) == "12.5"
    assert format_number(12000) == "12,000"
    assert describe(readings=[], target=None, name="x", unit="kg") == "No readings yet. No target is set."
