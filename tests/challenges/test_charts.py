"""The SVG chart of a metric against its target."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from challenges.charts import NARROW, WIDE, Reading, describe, format_number, metric_chart_svg, metric_charts


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


def test_the_points_titles_escape_the_unit():
    svg = chart(SERIES, unit="<i>&")
    assert "<title>1 January 2026: 10 &lt;i&gt;&amp;</title>" in svg


def test_dates_are_named_in_the_active_language_each_time():
    """Date labels are remembered per language: an English chart first does not make a Welsh one English."""
    from django.utils import translation

    with translation.override("en-gb"):
        english = chart(SERIES)
    with translation.override("cy"):
        welsh = chart(SERIES)
    assert "1 January 2026" in english
    assert "Ionawr" in welsh and "January" not in welsh


def test_numbers_in_words():
    assert format_number(Decimal("40.00")) == "40"
    assert format_number(Decimal("12.50")) == "12.5"
    assert format_number(12000) == "12,000"
    assert describe(readings=[], target=None, name="x", unit="kg") == "No readings yet. No target is set."


def test_two_drawings_wide_and_narrow_with_their_own_ids():
    readings = [Reading(dt.date(2026, 1, 1), Decimal(10)), Reading(dt.date(2026, 9, 1), Decimal(30))]
    html = str(metric_charts(readings=readings, target=None, name="Homes", unit="homes", chart_id="chart-7"))
    assert html.count("<svg") == 2
    assert 'class="chart chart-wide" viewBox="0 0 640 280"' in html
    assert 'class="chart chart-narrow" viewBox="0 0 320 260"' in html
    assert 'aria-labelledby="chart-7-wide-title chart-7-wide-desc"' in html
    assert 'aria-labelledby="chart-7-narrow-title chart-7-narrow-desc"' in html


def dates_on_axis(svg):
    return re.findall(r'<text class="chart-tick chart-date"[^>]*>([^<]+)</text>', svg)


@pytest.mark.parametrize(("layout", "most"), [(WIDE, 5), (NARROW, 3)])
def test_the_time_axis_labels_dates_between_the_first_and_the_last(layout, most):
    readings = [Reading(dt.date(2025, 1, 15) + dt.timedelta(days=30 * i), Decimal(i)) for i in range(12)]
    svg = str(
        metric_chart_svg(readings=readings, target=None, name="x", unit="kg", chart_id="c", layout=layout)
    )
    labels = dates_on_axis(svg)
    assert len(labels) == most
    assert labels[0] == "Jan 2025" and labels[-1] == "Dec 2025"
    assert len(set(labels)) == len(labels)


def test_a_short_span_labels_days_and_never_repeats_a_label():
    readings = [Reading(dt.date(2026, 3, 1), Decimal(1)), Reading(dt.date(2026, 3, 2), Decimal(2))]
    svg = str(metric_chart_svg(readings=readings, target=None, name="x", unit="kg", chart_id="c", layout=NARROW))
    assert dates_on_axis(svg) == ["1 Mar", "2 Mar"]


def test_one_day_of_readings_has_one_full_date():
    readings = [Reading(dt.date(2026, 3, 1), Decimal(1))]
    svg = str(metric_chart_svg(readings=readings, target=None, name="x", unit="kg", chart_id="c"))
    assert dates_on_axis(svg) == ["1 March 2026"]
