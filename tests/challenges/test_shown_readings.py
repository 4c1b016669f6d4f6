"""A solution page's metrics come with their shown readings in one query (`challenges.selectors.metrics_for_page`):
each metric's readings as a JSON array in the metric's own row, oldest first, those of hidden updates left out,
the values exactly as stored."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from challenges.charts import Reading
from challenges.models import MetricReading
from challenges.selectors import metrics_for_page, reading_visible

from ..factories import MetricReadingFactory, SolutionFactory, SolutionMetricFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def shown(metric):
    return [(reading.measured_on, reading.value) for reading in metric.shown_readings]


def test_metrics_by_name_with_their_readings_in_one_query():
    solution = SolutionFactory()
    homes = SolutionMetricFactory(solution=solution, metric__name="Homes insulated", target=10)
    energy = SolutionMetricFactory(solution=solution, metric__name="Energy saved", target=None)
    SolutionMetricFactory(metric=homes.metric)  # another solution's, on the same metric
    visible, hidden = UpdateFactory(solution=solution), UpdateFactory(solution=solution, hidden_at=timezone.now())
    MetricReadingFactory(solution_metric=homes, update=visible, value=Decimal("4.50"), measured_on=dt.date(2026, 3, 1))
    MetricReadingFactory(solution_metric=homes, update=hidden, value=999, measured_on=dt.date(2026, 4, 1))
    MetricReadingFactory(solution_metric=homes, update=None, value=2, measured_on=dt.date(2026, 2, 1))

    with CaptureQueriesContext(connection) as queries:
        metrics = metrics_for_page(solution=solution)
        names = [metric.metric.name for metric in metrics]
    assert len(queries.captured_queries) == 1
    assert names == ["Energy saved", "Homes insulated"]
    assert [metric.pk for metric in metrics] == [energy.pk, homes.pk]
    assert shown(metrics[0]) == []
    assert shown(metrics[1]) == [(dt.date(2026, 2, 1), Decimal("2.00")), (dt.date(2026, 3, 1), Decimal("4.50"))]
    assert all(isinstance(reading, Reading) for reading in metrics[1].shown_readings)
    assert metrics[1].target == Decimal("10.00")


def test_values_are_exact_decimals_and_readings_of_one_day_keep_the_order_they_were_entered():
    metric = SolutionMetricFactory()
    day = dt.date(2026, 5, 1)
    for value in ("123456789012.34", "0.10", "-7.05", "0"):
        MetricReadingFactory(solution_metric=metric, value=Decimal(value), measured_on=day)
    MetricReadingFactory(solution_metric=metric, value=1, measured_on=dt.date(2026, 1, 1))

    (read,) = metrics_for_page(solution=metric.solution)
    assert shown(read) == [(dt.date(2026, 1, 1), Decimal("1.00"))] + [
        (day, Decimal(value)) for value in ("123456789012.34", "0.10", "-7.05", "0.00")
    ]
    assert [str(reading.value) for reading in read.shown_readings] == [
        "1.00",
        "123456789012.34",
        "0.10",
        "-7.05",
        "0.00",
    ]


def test_a_solution_without_metrics_reads_one_empty_query():
    solution = SolutionFactory()
    with CaptureQueriesContext(connection) as queries:
        assert metrics_for_page(solution=solution) == []
    assert len(queries.captured_queries) == 1


def test_the_page_shows_a_value_as_stored_in_its_table_and_chart(client):
    metric = SolutionMetricFactory(metric__name="Money raised", metric__unit="pounds", target=None)
    MetricReadingFactory(solution_metric=metric, value=Decimal("1234.05"), measured_on=dt.date(2026, 6, 2))
    html = client.get(metric.solution.get_absolute_url()).content.decode()
    assert '<th scope="row">2 Jun 2026</th><td>1,234.05</td>' in html
    assert "<title>2 June 2026: 1,234.05 pounds</title>" in html


def test_the_page_shows_what_every_other_reader_of_readings_counts_as_visible():
    """`reading_visible` is the rule the API, dashboards and learning use; the page's SQL is written out apart."""
    solution = SolutionFactory()
    updates = [
        UpdateFactory(solution=solution),
        UpdateFactory(solution=solution, hidden_at=timezone.now()),
        UpdateFactory(solution=solution, status="draft", published_at=None),
        None,
    ]
    metrics = [SolutionMetricFactory(solution=solution) for _ in range(3)]
    for number in range(24):
        MetricReadingFactory(
            solution_metric=metrics[number % 3],
            update=updates[number % 4],
            value=Decimal(number) / 4,
            measured_on=dt.date(2026, 1 + number % 5, 1),
        )
    for metric in metrics_for_page(solution=solution):
        visible = MetricReading.objects.filter(reading_visible(), solution_metric=metric).order_by(
            "measured_on", "created_at", "pk"
        )
        assert shown(metric) == [(reading.measured_on, reading.value) for reading in visible]
        assert 0 < len(visible) < metric.readings.count()
