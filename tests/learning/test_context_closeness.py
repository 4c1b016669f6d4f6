"""How close one group's local context is to another's (`learning.filters.context_closeness`), as the database
computes it for the lessons library and each learning page's lessons: the same kind of area counts 3, the same
region 1, a population between a third and three times the reader's 1, and each decile of deprivation apart
takes 0.4 away."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges.models import Update
from groups.models import Group
from learning.filters import context_closeness
from learning.selectors import lessons_for_page

from ..factories import GroupFactory, SolutionFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def expected(reader, other):
    return (
        3.0 * (other.area_kind == reader.area_kind)
        + 1.0 * (other.region == reader.region)
        + 1.0 * (reader.population / 3 <= other.population <= reader.population * 3)
        - 0.4 * abs(other.deprivation_decile - reader.deprivation_decile)
    )


@pytest.fixture
def groups():
    # Populations either side of a third of 3,001 (1,000.33), and at and either side of three times it (9,003).
    kinds, regions = ("rural", "urban"), ("wales", "london")
    populations, deciles = (999, 1000, 1001, 9003, 9004), (1, 5, 10)
    return [
        GroupFactory(area_kind=kind, region=region, population=population, deprivation_decile=decile, areas=[])
        for kind, region, population, decile in itertools.product(kinds, regions, populations, deciles)
    ]


@pytest.mark.parametrize(
    "reader",
    [
        {"area_kind": "rural", "region": "wales", "population": 3001, "deprivation_decile": 5},
        {"area_kind": "urban", "region": "london", "population": 3001, "deprivation_decile": 10},
        {"area_kind": "island", "region": "scotland", "population": 1, "deprivation_decile": 1},
    ],
)
def test_every_group_scores_as_the_rule_says(groups, reader):
    reader = Group(**reader)
    scored = Group.objects.filter(pk__in=[group.pk for group in groups]).annotate(
        closeness=context_closeness(reader, prefix="")
    )
    scores = {group.pk: group.closeness for group in scored}
    assert all(isinstance(score, float) for score in scores.values())
    assert scores == {group.pk: pytest.approx(expected(reader, group)) for group in groups}


def test_lessons_on_a_learning_page_come_closest_first_then_newest_in_one_query(groups):
    reader = Group(area_kind="rural", region="wales", population=3001, deprivation_decile=5)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for day, group in enumerate(groups):
        UpdateFactory(
            solution=SolutionFactory(group=group), what_worked="It worked.", published_at=start + dt.timedelta(days=day)
        )
    with CaptureQueriesContext(connection) as queries:
        shown = lessons_for_page(group=reader, peers=groups, limit=7)
    assert len(queries.captured_queries) == 1
    updates = Update.objects.select_related("solution__group")
    wanted = sorted(
        updates,
        key=lambda update: (-round(expected(reader, update.solution.group), 6), -update.published_at.timestamp()),
    )
    assert [lesson.pk for lesson in shown] == [update.pk for update in wanted[:7]]
    assert len({round(expected(reader, update.solution.group), 6) for update in wanted[:7]}) > 1
