"""The solution and update pages."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import (
    MembershipFactory,
    MetricReadingFactory,
    SolutionFactory,
    SolutionMetricFactory,
    UpdateFactory,
)

pytestmark = pytest.mark.django_db


def fill(solution, *, metrics, readings, updates):
    for m in range(metrics):
        solution_metric = SolutionMetricFactory(solution=solution, target=50 + m)
        for r in range(readings):
            MetricReadingFactory(solution_metric=solution_metric, value=r * 3, measured_on=dt.date(2025, 1 + r, 1))
    for u in range(updates):
        UpdateFactory(solution=solution, what_didnt=f"Lesson {u}")
        UpdateFactory(solution=solution, status="draft", published_at=None)


# Solution with group, area and tags' names; metrics with their readings; updates; plus session, user and role when logged in.
@pytest.mark.parametrize(("viewer", "max_queries"), [("anonymous", 3), ("owner", 6)])
def test_solution_page_runs_the_same_number_of_queries_for_any_size(
    client, django_assert_max_num_queries, viewer, max_queries
):
    small, large = SolutionFactory(), SolutionFactory()
    fill(small, metrics=1, readings=1, updates=1)
    fill(large, metrics=4, readings=6, updates=5)
    if viewer == "owner":
        user = MembershipFactory(group=small.group, role="owner").user
        MembershipFactory(group=large.group, user=user, role="owner")
        client.force_login(user)
    client.get(small.get_absolute_url())  # warm the caches that do not depend on the page (site, session)

    counts = []
    for solution in (small, large):
        with django_assert_max_num_queries(max_queries) as captured:
            response = client.get(solution.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    html = response.content.decode()
    # Each chart is drawn twice, wide and narrow (challenges/charts.py); CSS shows one.
    assert html.count("<svg") == 8 and html.count('<circle class="chart-point"') == 48
    assert ("Draft" in html) == (viewer == "owner")


def test_solution_page_shows_chart_table_timeline_lessons_and_feed_link(client):
    solution = SolutionFactory()
    metric = SolutionMetricFactory(solution=solution, metric__name="Homes insulated", metric__unit="homes", target=100)
    older = UpdateFactory(solution=solution, title="Started", published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    newer = UpdateFactory(
        solution=solution,
        title="Halfway",
        what_worked="",
        do_differently="Book the hall early.",
        published_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
    )
    MetricReadingFactory(solution_metric=metric, update=newer, value=40, measured_on=dt.date(2026, 1, 30))
    html = client.get(solution.get_absolute_url()).content.decode()
    assert 'role="img"' in html and "Latest value: 40 homes on 30 January 2026. The target is 100 homes." in html
    assert "<caption>Readings of Homes insulated (homes), against a target of 100</caption>" in html
    assert '<th scope="row">30 Jan 2026</th><td>40</td>' in html
    assert html.index("Halfway") < html.index("Started")  # newest first
    assert "Book the hall early." in html and "Tea." in html  # lessons from both updates
    feed = reverse("challenges:feed_group", kwargs={"group_slug": solution.group.slug})
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Progress updates from {solution.group.name}" href="{feed}">'
        in html
    )
    assert "Edit solution" not in html and "Post a progress update" not in html
    assert older.get_absolute_url() in html


def test_managers_see_their_links(client, group, organiser):
    solution = SolutionFactory(group=group)
    client.force_login(organiser)
    html = client.get(solution.get_absolute_url()).content.decode()
    assert reverse("challenges:solution_edit", kwargs={"group_slug": group.slug, "slug": solution.slug}) in html
    assert reverse("challenges:update_create", kwargs={"group_slug": group.slug, "slug": solution.slug}) in html
    group_page = client.get(group.get_absolute_url()).content.decode()
    assert reverse("challenges:solution_create", kwargs={"group_slug": group.slug}) in group_page


def test_markdown_is_sanitised_everywhere(client):
    hostile = (
        "<script>alert(1)</script><img src=x onerror=alert(2)> [link](https://example.org) [bad](javascript:alert(3))"
    )
    solution = SolutionFactory(problem=hostile)
    update = UpdateFactory(solution=solution, body=hostile, what_worked=hostile)
    for url in (solution.get_absolute_url(), update.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html
        assert 'href="https://example.org" rel="nofollow ugc noopener"' in html


def test_draft_solution_and_its_updates_are_hidden_from_others(client, group, member):
    solution = SolutionFactory(group=group, status="draft")
    update = UpdateFactory(solution=solution)
    client.force_login(member)
    assert client.get(solution.get_absolute_url()).status_code == 404
    assert client.get(update.get_absolute_url()).status_code == 404


def test_update_page_of_a_missing_update_is_404(client, solution):
    url = reverse("challenges:update", kwargs={"group_slug": solution.group.slug, "slug": solution.slug, "pk": 999})
    assert client.get(url).status_code == 404


def test_solution_page_leaves_out_readings_of_hidden_updates_and_keeps_metrics_without_readings(client):
    from django.utils import timezone

    solution = SolutionFactory()
    energy = SolutionMetricFactory(solution=solution, metric__name="Energy saved", metric__unit="kWh", target=None)
    homes = SolutionMetricFactory(solution=solution, metric__name="Homes insulated", metric__unit="homes", target=10)
    shown = UpdateFactory(solution=solution)
    hidden = UpdateFactory(solution=solution, hidden_at=timezone.now(), hidden_reason="Spam")
    MetricReadingFactory(solution_metric=homes, update=shown, value=4, measured_on=dt.date(2026, 3, 1))
    MetricReadingFactory(solution_metric=homes, update=hidden, value=999, measured_on=dt.date(2026, 4, 1))
    MetricReadingFactory(solution_metric=homes, update=None, value=2, measured_on=dt.date(2026, 2, 1))
    html = client.get(solution.get_absolute_url()).content.decode()
    assert "999" not in html
    # Oldest first; one entered without an update is shown.
    assert html.index('<th scope="row">1 Feb 2026</th><td>2</td>') < html.index(
        '<th scope="row">1 Mar 2026</th><td>4</td>'
    )
    # Metrics by name; one without readings says so.
    assert html.index("Readings of Energy saved") < html.index("Readings of Homes insulated")
    assert html.count('<td colspan="2">No readings yet.</td>') == 1
    assert energy.pk != homes.pk
