"""On PostgreSQL, every order a public list offers can be read from an index in that exact order, so a page
of a list sorted any way stops after the rows it shows instead of sorting thousands (at 100,000 groups, the
"most deprived first" order sorted a whole decile of groups for each page: 30–50 ms a query)."""

import pytest
from django.db import connection
from django.http import QueryDict

from challenges import selectors as challenge_selectors
from challenges.filters import SolutionFilter
from groups import selectors
from groups.filters import GroupFilter

from ..factories import SolutionFactory
from ..plans import query_plan

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's"),
]


# A plan that cannot avoid sorting still shows the sort.
NO_SORTS = ("seqscan", "sort", "incremental_sort")

# The index made for each order of the group list (groups.models.Group.Meta.indexes).
GROUP_SORT_INDEXES = {
    "": "group_name",
    "name": "group_name",
    "newest": "group_created_id",
    "population": "group_population_id",
    "deprivation": "group_decile_name",
}


def test_each_order_of_the_group_list_has_its_index():
    assert set(GROUP_SORT_INDEXES) == {"", *GroupFilter.sorts}


@pytest.mark.parametrize("sort", GROUP_SORT_INDEXES)
@pytest.mark.parametrize("filters", ["", "deprivation_max=4"])
def test_every_order_of_the_group_list_is_read_from_its_index(sort, filters):
    SolutionFactory()
    filterset = GroupFilter(QueryDict(f"sort={sort}&{filters}"), queryset=selectors.group_cards())
    assert filterset.is_valid()
    plan = query_plan(filterset.qs[:21], turn_off=NO_SORTS)
    assert "Sort" not in plan, plan
    assert GROUP_SORT_INDEXES[sort] in plan, plan


@pytest.mark.parametrize("sort", ["", *SolutionFilter.sorts])
def test_every_order_of_the_solution_list_is_read_from_an_index(sort):
    SolutionFactory()
    filterset = SolutionFilter(QueryDict(f"sort={sort}"), queryset=challenge_selectors.published_solutions())
    assert filterset.is_valid()
    plan = query_plan(filterset.qs[:21], turn_off=NO_SORTS)
    assert "Sort" not in plan, plan


@pytest.mark.parametrize("filters", ["", "&deprivation_max=4", "&area_kind=rural&region=wales"])
def test_the_solution_list_of_one_challenge_is_read_in_its_default_order_from_that_challenges_rows(filters):
    # One challenge among many, with statistics that say so: otherwise the planner may as well walk the order of
    # every challenge's solutions (equally free of sorting, on a table this small).
    solution, *_others = SolutionFactory.create_batch(30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE challenges_solution")
    query = QueryDict(f"challenge={solution.challenge_area.slug}{filters}")
    filterset = SolutionFilter(query, queryset=challenge_selectors.published_solutions())
    assert filterset.is_valid(), filterset.errors
    plan = query_plan(filterset.qs[:21], turn_off=NO_SORTS)
    assert "Sort" not in plan, plan
    assert "solution_list_area_updated" in plan, plan
