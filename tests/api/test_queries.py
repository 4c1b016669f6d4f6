"""Every API list runs the same number of SQL queries for a page of 2 items as for a page of 40."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from challenges.models import ChallengeStage, EntryStatus, PublishEntries
from tests.factories import (
    GroupFactory,
    MetricReadingFactory,
    SolutionFactory,
    SolutionMetricFactory,
    UpdateFactory,
)
from tests.funders.factories import AwardFactory, ChallengeFactory, EntryFactory
from tests.residents.factories import ActionFactory

pytestmark = pytest.mark.django_db


def _add(n, challenge):
    for _ in range(n):
        group = GroupFactory()
        solution = SolutionFactory(group=group)
        metric = SolutionMetricFactory(solution=solution)
        MetricReadingFactory(solution_metric=metric)
        MetricReadingFactory(solution_metric=metric, update=UpdateFactory(solution=solution, hidden_at=timezone.now()))
        UpdateFactory(solution=solution)
        ActionFactory(group=group)
        entry = EntryFactory(challenge=challenge, solution=solution, status=EntryStatus.FINALIST)
        AwardFactory(entry=entry)
        ChallengeFactory(stage=ChallengeStage.OPEN)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured), response.json()


LISTS = [
    "/api/v1/groups/?page_size={n}",
    "/api/v1/groups/?page_size={n}&region=south_west&area_kind=small_town&deprivation_max=6",
    "/api/v1/solutions/?page_size={n}&region=south_west&stage=idea",
    "/api/v1/solutions/?page_size={n}",
    "/api/v1/updates/?page_size={n}",
    "/api/v1/actions/?page_size={n}",
    "/api/v1/challenges/?page_size={n}",
    "/api/v1/challenges/{challenge}/",
    "/api/v1/awards/?page_size={n}",
]


@pytest.mark.parametrize("url", LISTS)
def test_queries_do_not_grow_with_the_page(client, url):
    challenge = ChallengeFactory(stage=ChallengeStage.WINNERS, publish_entries=PublishEntries.ALL)
    _add(2, challenge)
    small, small_body = _queries(client, url.format(n=2, challenge=challenge.slug))
    _add(40, challenge)
    large, large_body = _queries(client, url.format(n=40, challenge=challenge.slug))
    shown = large_body.get("results", large_body.get("entries")) if isinstance(large_body, dict) else large_body
    assert len(shown) > 2  # the large page really is larger
    assert large == small, f"{url}: {small} queries for 2 items, {large} for 40"


def test_peers_are_two_queries_and_a_lookup(client, django_assert_max_num_queries):
    from tests.factories import similar_and_different_groups

    mine, _twin, _far = similar_and_different_groups()
    with django_assert_max_num_queries(4):
        assert client.get(f"/api/v1/groups/{mine.slug}/peers/").status_code == 200
