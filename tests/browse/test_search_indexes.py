"""On PostgreSQL, searches must be able to use the GIN indexes the migrations create.

The index expression and the query expression are written in two places (migration and
filters.py); if they drift apart the index silently stops being used. With sequential scans
disabled, the plan names the index only if the expressions match.
"""

import pytest
from django.db import connection

from challenges.filters import SOLUTION_SEARCH_VECTOR
from challenges.models import Solution, Update
from groups.filters import GROUP_SEARCH_VECTOR, full_text_search
from groups.models import Group
from learning.filters import LESSON_SEARCH_FIELDS, LESSON_SEARCH_VECTOR

from ..factories import SolutionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN full-text indexes exist on PostgreSQL only"),
]


def plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("model", "vector", "index"),
    [
        (Group, GROUP_SEARCH_VECTOR, "group_search"),
        (Solution, SOLUTION_SEARCH_VECTOR, "solution_search"),
        (Update, LESSON_SEARCH_VECTOR, "lesson_search"),
    ],
)
def test_search_uses_the_gin_index(model, vector, index):
    SolutionFactory()
    queryset = full_text_search(model.objects.all(), "solar roofs", vector=vector, fields=LESSON_SEARCH_FIELDS)
    assert index in plan(queryset.values("pk"))
