"""A deep page of a big list (core.pagination.DEEP_OFFSET rows in, or more) first finds its rows' ids, then reads
only those rows: what each row reads besides its own columns (a group's challenge areas, a solution's tag names,
as JSON subqueries) is read for the page's rows, not for every row skipped on the way. At 100,000 groups page 50
of the solution list took 10.5 ms of PostgreSQL's time against 4.0 without its tags; crawlers walk every page.
The threshold is lowered here so that a few dozen rows make pages deep."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges.models import ApproachTag, Solution
from core import pagination

from ..factories import ChallengeAreaFactory, GroupFactory, SolutionFactory, UpdateFactory

pytestmark = pytest.mark.django_db
PER_PAGE = 20


@pytest.fixture
def deep_from_page_3(monkeypatch):
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 2 * PER_PAGE)


@pytest.fixture
def world():
    """75 groups whose sort keys tie (five populations, three deciles, two kinds), each with a solution at one
    of the stages (updated in bursts of the same moment) with 0-3 tags and a lesson."""
    water, food = ChallengeAreaFactory(name="Water"), ChallengeAreaFactory(name="Food")
    tags = [ApproachTag.objects.create(name=f"Tag {letter}", slug=f"tag-{letter}") for letter in "abc"]
    stages = ["idea", "pilot", "running", "growing", "completed"]
    moment = timezone.now()
    groups = []
    for number in range(75):
        group = GroupFactory(
            name=f"Group {number % 40:03}",
            population=1000 * (1 + number % 5),
            deprivation_decile=1 + number % 3,
            area_kind="rural" if number % 2 else "urban",
            summary="Warm homes together" if number % 2 else "Warm homes",
            areas=[water] if number % 3 else [water, food],
        )
        solution = SolutionFactory(group=group, title=f"Solution {number % 30:03}", stage=stages[number % 5])
        solution.approach_tags.set(tags[: number % 4])
        UpdateFactory(solution=solution, what_worked="Warm homes worked.", published_at=moment)
        groups.append(group)
    Solution.objects.filter(pk__in=[group.solutions.get().pk for group in groups[::2]]).update(updated_at=moment)
    return groups


def shown(client, url, query):
    response = client.get(url, query)
    assert response.status_code == 200
    return [
        (
            item.pk,
            [area.name for area in item.area_list] if hasattr(item, "area_ids") else None,
            item.tag_names if hasattr(item, "approach_tag_names") else None,
        )
        for item in response.context["page"]
    ]


LISTS = [
    *(("groups:list", {"sort": sort}) for sort in ("", "name", "newest", "population", "deprivation")),
    ("groups:list", {"deprivation_max": "2", "sort": "population"}),  # 50 groups: page 4 is past the end
    *(("challenges:solution_list", {"sort": sort}) for sort in ("", "updated", "title", "stage")),
    ("learning:index", {}),
    ("learning:index", {"for": "reader"}),
]


@pytest.mark.parametrize(("name", "query"), LISTS)
def test_deep_and_shallow_reading_give_the_same_rows_in_the_same_order(client, world, monkeypatch, name, query):
    query = {**query, "for": world[7].slug} if query.get("for") else query
    pages = {}
    for deep_from in (10**9, 2 * PER_PAGE):
        monkeypatch.setattr(pagination, "DEEP_OFFSET", deep_from)
        pages[deep_from] = [shown(client, reverse(name), {**query, "page": page}) for page in (1, 2, 3, 4)]
    assert pages[2 * PER_PAGE] == pages[10**9]
    listed = [row[0] for page in pages[10**9][:3] for row in page]
    assert len(listed) == len(set(listed)) >= 50


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranked by PostgreSQL's full-text search")
@pytest.mark.parametrize(
    ("name", "words"),
    [("groups:list", "warm homes"), ("challenges:solution_list", "solution"), ("learning:index", "warm homes")],
)
def test_deep_and_shallow_pages_of_a_search_ranked_by_relevance_agree(client, world, monkeypatch, name, words):
    pages = {}
    for deep_from in (10**9, 2 * PER_PAGE):
        monkeypatch.setattr(pagination, "DEEP_OFFSET", deep_from)
        pages[deep_from] = [shown(client, reverse(name), {"q": words, "page": page}) for page in (3, 4)]
    assert pages[2 * PER_PAGE] == pages[10**9]
    assert pages[10**9][0]


def test_a_deep_page_of_groups_shows_each_ones_areas_and_of_solutions_each_ones_tags(client, world, deep_from_page_3):
    by_pk = {group.pk: group for group in world}
    for pk, areas, _tags in shown(client, reverse("groups:list"), {"page": 4}):
        assert areas == sorted(area.name for area in by_pk[pk].challenge_areas.all())
    solutions = {solution.pk: solution for solution in Solution.objects.all()}
    for pk, _areas, tags in shown(client, reverse("challenges:solution_list"), {"page": 4}):
        assert tags == sorted(tag.name for tag in solutions[pk].approach_tags.all())


def test_a_deep_page_finds_its_ids_first_and_a_shallow_one_does_not(client, world, deep_from_page_3):
    def rows_query(page):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("groups:list"), {"page": page})
        (sql,) = [query["sql"] for query in queries.captured_queries if "area_ids" in query["sql"]]
        return sql

    deep, shallow = rows_query(3), rows_query(2)
    assert "LIMIT 21 OFFSET 40)" in deep and deep.count("OFFSET") == 1
    assert "LIMIT 21 OFFSET 20" in shallow and " IN (SELECT" not in shallow


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_on_postgresql_a_deep_page_reads_its_rows_areas_only(client, world, deep_from_page_3):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("groups:list"), {"page": 4})
    (sql,) = [query["sql"] for query in queries.captured_queries if "area_ids" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    plan = plan if isinstance(plan, list) else json.loads(plan)

    def subplans(node):
        if node.get("Subplan Name") or node.get("Parent Relationship") == "SubPlan":
            yield node
        for child in node.get("Plans", []):
            yield from subplans(child)

    found = list(subplans(plan[0]["Plan"]))
    assert found, plan
    assert max(node["Actual Loops"] for node in found) <= PER_PAGE, plan


def test_the_lessons_library_by_closeness_chooses_ids_first_on_every_page_with_the_same_rows(
    client, world, monkeypatch
):
    query, url = {"for": world[7].slug}, reverse("learning:index")

    def rows_query(page):
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {**query, "page": page})
        (sql,) = [captured["sql"] for captured in queries.captured_queries if "closeness" in captured["sql"]]
        return sql

    assert " IN (SELECT" in rows_query(1)
    chosen = [shown(client, url, {**query, "page": page}) for page in (1, 2, 3, 4)]
    read_directly = pagination._rows
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 10**9)
    monkeypatch.setattr(
        pagination,
        "_rows",
        lambda queryset, number, per_page, ids_first=False: read_directly(queryset, number, per_page),
    )
    assert " IN (SELECT" not in rows_query(1)
    assert [shown(client, url, {**query, "page": page}) for page in (1, 2, 3, 4)] == chosen


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
@pytest.mark.django_db(transaction=True)  # VACUUM runs outside a transaction
def test_the_lessons_library_scores_closeness_from_the_groups_context_index(client, world):
    with connection.cursor() as cursor:  # pages all visible and statistics, as on a live database
        cursor.execute("VACUUM ANALYZE groups_group, challenges_solution, challenges_update")
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("learning:index"), {"for": world[7].slug})
    (sql,) = [captured["sql"] for captured in queries.captured_queries if "LIMIT 21)" in captured["sql"]]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using group_context" in plan, plan
