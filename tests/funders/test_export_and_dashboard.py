"""The CSV export (content, streaming, formula guard) and the dashboard's figures from known data."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from challenges.funding.dashboard import metric_impacts, spread_of_entries
from challenges.funding.exports import safe_cell
from challenges.models import ApproachTag, Challenge

from ..factories import GroupFactory, MetricFactory, MetricReadingFactory, SolutionFactory, SolutionMetricFactory
from .factories import EntryFactory, ScoreFactory


def read_csv(response):
    assert isinstance(response, StreamingHttpResponse)
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("Eigg", "Eigg"),
        (None, ""),
    ],
)
def test_cells_that_look_like_formulas_are_quoted(text, safe):
    assert safe_cell(text) == safe


def test_export_streams_the_filtered_list_with_metrics_scores_and_status(client, challenge, funder_user):
    shared = MetricFactory(name="Households reached", unit="households")
    evil = EntryFactory(challenge=challenge, solution=SolutionFactory(group=GroupFactory(name="=cmd|'/c calc'!A1")))
    sm = SolutionMetricFactory(solution=evil.solution, metric=shared)
    MetricReadingFactory(solution_metric=sm, value=10, measured_on=dt.date(2025, 1, 1))
    MetricReadingFactory(solution_metric=sm, value=42, measured_on=dt.date(2025, 6, 1))
    ScoreFactory(entry=evil, reviewer=funder_user, value=4)
    EntryFactory(challenge=challenge, solution=SolutionFactory(group=GroupFactory(name="Island", area_kind="island")))
    client.force_login(funder_user)
    url = reverse("challenges:review_export", kwargs={"slug": challenge.slug})
    response = client.get(url, {"area_kind": "small_town"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert "Households reached (households)" in header and "weighted score" in header
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["group"] == "'=cmd|'/c calc'!A1"
    assert row["Households reached (households)"] == "42.00"
    assert row["weighted score"] == "4.00" and row["status"] == "Entered"


def test_export_is_for_the_funder_only(client, challenge, stranger):
    client.force_login(stranger)
    assert client.get(reverse("challenges:review_export", kwargs={"slug": challenge.slug})).status_code == 403


def test_dashboard_figures_from_known_data(challenge):
    carbon = MetricFactory(name="Carbon dioxide avoided", unit="tonnes CO2e")
    hydro = ApproachTag.objects.create(name="Community hydro", slug="community-hydro")
    advice = ApproachTag.objects.create(name="Energy advice", slug="energy-advice")
    specs = [
        ("rural", 2, "wales", [(dt.date(2025, 1, 10), 10), (dt.date(2025, 3, 5), 30)], [hydro]),
        ("island", 9, "scotland", [(dt.date(2025, 2, 1), 5)], [hydro, advice]),
        ("rural", 1, "wales", [], [advice]),
    ]
    for kind, decile, region, readings, tags in specs:
        solution = SolutionFactory(group=GroupFactory(area_kind=kind, deprivation_decile=decile, region=region))
        solution.approach_tags.set(tags)
        EntryFactory(challenge=challenge, solution=solution)
        if readings:
            sm = SolutionMetricFactory(solution=solution, metric=carbon)
            for day, value in readings:
                MetricReadingFactory(solution_metric=sm, measured_on=day, value=value)

    (impact,) = metric_impacts(challenge=challenge)
    assert impact.total == Decimal(35) and impact.solutions == 2
    # End of January: 10; February: 10 + 5; March: 30 + 5.
    assert [(p.measured_on, p.value) for p in impact.trend] == [
        (dt.date(2025, 1, 31), Decimal(10)),
        (dt.date(2025, 2, 28), Decimal(15)),
        (dt.date(2025, 3, 31), Decimal(35)),
    ]
    assert 'role="img"' in impact.chart

    spread = spread_of_entries(challenge=challenge)
    assert spread["total"] == 3
    assert spread["approach_count"] == 2
    assert dict(spread["approaches"]) == {"Community hydro": 2, "Energy advice": 2}
    assert dict(spread["by_kind"])["Rural"] == 2 and dict(spread["by_kind"])["Island"] == 1
    assert dict(spread["by_deprivation"])["1–2 (most deprived fifth)"] == 2
    assert "London" in spread["missing_regions"] and "Wales" not in spread["missing_regions"]
    assert "Urban" in spread["missing_kinds"] and "Rural" not in spread["missing_kinds"]


def test_dashboard_is_private_until_the_funder_allows(client, challenge, funder_user, stranger):
    url = reverse("challenges:dashboard", kwargs={"slug": challenge.slug})
    EntryFactory(challenge=challenge)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(funder_user)
    response = client.get(url)
    assert response.status_code == 200
    assert 'id="group-map"' in response.content.decode() and 'id="map-markers"' in response.content.decode()
    Challenge.objects.filter(pk=challenge.pk).update(dashboard_public=True)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    # Not yet shortlisted: counted in the figures but not named on the public map.
    assert response.context["markers"] == [] and response.context["spread"]["total"] == 1


@pytest.mark.parametrize("size", [2, 20])
def test_dashboard_queries_do_not_grow_with_entries(
    client, challenge, funder_user, django_assert_max_num_queries, size
):
    metric = MetricFactory()
    for _ in range(size):
        entry = EntryFactory(challenge=challenge)
        MetricReadingFactory(solution_metric=SolutionMetricFactory(solution=entry.solution, metric=metric))
    client.force_login(funder_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("challenges:dashboard", kwargs={"slug": challenge.slug}))
    assert len(response.context["markers"]) == size


def test_export_queries_are_the_same_for_4_and_12_rows_and_per_chunk(client, challenge, funder_user, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from challenges.funding import exports

    shared = MetricFactory(name="Households reached", unit="households")
    client.force_login(funder_user)
    url = reverse("challenges:review_export", kwargs={"slug": challenge.slug})
    counts = []
    for size in (4, 12):
        for index in range(size - challenge.entries.count()):
            entry = EntryFactory(challenge=challenge)
            ScoreFactory(entry=entry, reviewer=funder_user, value=1 + index % 5)
            MetricReadingFactory(solution_metric=SolutionMetricFactory(solution=entry.solution, metric=shared))
        with CaptureQueriesContext(connection) as queries:
            header, *rows = read_csv(client.get(url, {"sort": "score"}))
        assert len(rows) == size and all(row[header.index("Households reached (households)")] for row in rows)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # Chunks of 5 rows: 12 rows are read in three chunks, each with one more query for the readings.
    monkeypatch.setattr(exports, "CHUNK", 5)
    with CaptureQueriesContext(connection) as queries:
        header, *rows = read_csv(client.get(url, {"sort": "score"}))
    reading_queries = [q for q in queries.captured_queries if "metricreading" in q["sql"]]
    assert len(rows) == 12 and len(reading_queries) == 3
    scores = [float(row[header.index("weighted score")]) for row in rows]
    assert scores == sorted(scores, reverse=True)
