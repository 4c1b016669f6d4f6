"""A public list's count is shared by every page and order of the same filters (core.caching.cached_count)
and is right again as soon as anything it counts changes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.caching import forget_public_pages
from groups.models import Group
from tests.factories import ChallengeAreaFactory, GroupFactory, SolutionFactory, UpdateFactory

# Real commits: counts are retired once a change commits (transaction.on_commit).
pytestmark = pytest.mark.django_db(transaction=True)

GROUPS = reverse("groups:list")
SOLUTIONS = reverse("challenges:solution_list")
LESSONS = reverse("learning:index")


@pytest.fixture(autouse=True)
def counts_kept(settings):
    settings.LIST_COUNT_CACHE_SECONDS = 60


def counted(queries):
    """How many of the captured queries counted a list."""
    return sum("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def get(client, url, django_assert_max_num_queries, **query):
    with django_assert_max_num_queries(50) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode(), counted(queries)


@pytest.fixture
def welsh_groups():
    return [GroupFactory(region="wales", name=f"Grŵp {n:02}") for n in range(45)]


def test_every_page_and_order_of_the_same_filters_shares_one_count(client, welsh_groups, django_assert_max_num_queries):
    GroupFactory(region="london")
    html, counts = get(client, GROUPS, django_assert_max_num_queries, region="wales")
    assert counts == 1 and "45 groups" in html
    html, counts = get(client, GROUPS, django_assert_max_num_queries, region="wales", page="2", sort="name")
    assert counts == 0 and "45 groups" in html
    # Other filters are counted on their own.
    html, counts = get(client, GROUPS, django_assert_max_num_queries)
    assert counts == 1 and "46 groups" in html


def test_a_new_changed_or_deleted_group_counts_at_once(client, welsh_groups, django_assert_max_num_queries):
    get(client, GROUPS, django_assert_max_num_queries, region="wales")
    GroupFactory(region="wales")
    assert "46 groups" in get(client, GROUPS, django_assert_max_num_queries, region="wales")[0]
    moved = welsh_groups[0]
    moved.region = "london"
    moved.save()
    assert "45 groups" in get(client, GROUPS, django_assert_max_num_queries, region="wales")[0]
    welsh_groups[1].delete()
    assert "44 groups" in get(client, GROUPS, django_assert_max_num_queries, region="wales")[0]


def test_a_change_of_challenges_counts_at_once(client, welsh_groups, django_assert_max_num_queries):
    climate = ChallengeAreaFactory(name="Climate", slug="climate")
    for group in welsh_groups[:30]:
        group.challenge_areas.add(climate)
    assert "30 groups" in get(client, GROUPS, django_assert_max_num_queries, challenge="climate")[0]
    welsh_groups[40].challenge_areas.add(climate)
    assert "31 groups" in get(client, GROUPS, django_assert_max_num_queries, challenge="climate")[0]
    welsh_groups[0].challenge_areas.clear()
    assert "30 groups" in get(client, GROUPS, django_assert_max_num_queries, challenge="climate")[0]


def test_a_deleted_challenge_area_counts_at_once(client, welsh_groups, django_assert_max_num_queries):
    """Deleting an area drops its links to groups without m2m_changed: the area's own signal retires the counts."""
    climate = ChallengeAreaFactory(name="Climate", slug="climate")
    for group in welsh_groups[:30]:
        group.challenge_areas.add(climate)
    assert "30 groups" in get(client, GROUPS, django_assert_max_num_queries, region="wales", challenge="climate")[0]
    climate.delete()
    response = client.get(GROUPS, {"region": "wales", "challenge": "climate"})
    assert response.status_code == 400  # the area is gone: the filter is refused and ignored, as for any bad value
    assert "45 groups" in response.content.decode()


def test_a_deleted_solution_counts_at_once(client, django_assert_max_num_queries):
    group = GroupFactory()
    solutions = [SolutionFactory(group=group) for _ in range(25)]
    assert "25 solutions" in get(client, SOLUTIONS, django_assert_max_num_queries)[0]
    solutions[0].delete()
    assert "24 solutions" in get(client, SOLUTIONS, django_assert_max_num_queries)[0]


def test_what_moderators_hide_leaves_the_count_at_once(client, welsh_groups, django_assert_max_num_queries):
    get(client, GROUPS, django_assert_max_num_queries, region="wales")
    # As the moderation service hides: the row, then the public pages' generation once committed.
    Group.objects.filter(pk=welsh_groups[0].pk).update(hidden_at=timezone.now(), hidden_reason="Spam")
    forget_public_pages()
    assert "44 groups" in get(client, GROUPS, django_assert_max_num_queries, region="wales")[0]


def test_solution_and_lesson_counts_follow_new_solutions_and_updates(client, django_assert_max_num_queries):
    group = GroupFactory(region="wales")
    solutions = [SolutionFactory(group=group, stage="idea") for _ in range(25)]
    for solution in solutions:
        UpdateFactory(solution=solution, what_worked="Ask early.", published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert "25 solutions" in get(client, SOLUTIONS, django_assert_max_num_queries, stage="idea")[0]
    assert "25 lessons" in get(client, LESSONS, django_assert_max_num_queries)[0]
    SolutionFactory(group=group, stage="idea")
    UpdateFactory(solution=solutions[0], what_didnt="Too late.", published_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    assert "26 solutions" in get(client, SOLUTIONS, django_assert_max_num_queries, stage="idea")[0]
    assert "26 lessons" in get(client, LESSONS, django_assert_max_num_queries)[0]
    solutions[1].status = "draft"
    solutions[1].save()
    html = get(client, SOLUTIONS, django_assert_max_num_queries, stage="idea")[0]
    assert "25 solutions" in html


def test_languages_are_counted_apart_and_each_says_its_own_words(client, welsh_groups, django_assert_max_num_queries):
    assert "45 groups" in get(client, GROUPS, django_assert_max_num_queries, region="wales")[0]
    welsh = get(client, "/cy" + GROUPS, django_assert_max_num_queries, region="wales")[0]
    assert "45 grŵp" in welsh


def test_with_counts_not_kept_every_page_counts(client, welsh_groups, settings, django_assert_max_num_queries):
    settings.LIST_COUNT_CACHE_SECONDS = 0
    assert get(client, GROUPS, django_assert_max_num_queries, region="wales")[1] == 1
    assert get(client, GROUPS, django_assert_max_num_queries, region="wales", page="2")[1] == 1
