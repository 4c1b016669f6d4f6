"""On PostgreSQL, the review list's "highest score first" sort must be able to read entries in the order of
the `entry_challenge_score` index (created by migration 0004 with the same ORDER BY as `ReviewFilter`)."""

import pytest
from django.db import connection

from challenges.funding import selectors
from challenges.funding.filters import ReviewFilter

from .factories import EntryFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the NULLS LAST index exists on PostgreSQL only"
)


def plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("params", [{"sort": "score"}, {"sort": "score", "score_min": "3"}])
def test_score_sort_and_filter_read_the_index(challenge, params):
    EntryFactory(challenge=challenge)
    filterset = ReviewFilter(params, queryset=selectors.entries_for_review(challenge=challenge))
    assert filterset.is_valid()
    assert "entry_challenge_score" in plan(filterset.qs[:25])
