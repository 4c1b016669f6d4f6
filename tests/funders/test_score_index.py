"""On PostgreSQL, the review list's "highest score first" sort must be able to read entries in the order of
the `entry_challenge_score` index (created by migration 0004 with the same ORDER BY as `ReviewFilter`)."""

import pytest
from django.db import connection

from challenges.funding import selectors
from challenges.funding.filters import ReviewFilter

from ..plans import query_plan
from .factories import EntryFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the NULLS LAST index exists on PostgreSQL only"
)


@pytest.mark.parametrize("params", [{"sort": "score"}, {"sort": "score", "score_min": "3"}])
def test_score_sort_and_filter_read_the_index(challenge, params):
    EntryFactory(challenge=challenge)
    filterset = ReviewFilter(params, queryset=selectors.entries_for_review(challenge=challenge))
    assert filterset.is_valid()
    assert "entry_challenge_score" in query_plan(filterset.qs[:25], turn_off=("seqscan", "sort"))
