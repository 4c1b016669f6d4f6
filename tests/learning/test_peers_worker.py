"""Peers follow a published solution through the real broker and a real Celery worker (CI's second run).

The same change as tests/learning/test_peers_follow_changes.py, but nothing runs inline: the solution's
commit queues the recompute on Redis and a worker process, on the same PostgreSQL test database, does it.
"""

import time

from django.urls import reverse

from groups.models import Group
from learning import services
from learning.models import GroupVector, Peer
from tests.challenges.conftest import solution_post
from tests.conftest import WORKER_TEST

from .factories import YOUTH, area
from .test_services import peer_ids, two_clusters

pytestmark = WORKER_TEST


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_publishing_a_solution_is_matched_by_the_worker_with_no_rebuild(worker, client, group, organiser):
    _, urban = two_clusters()
    Group.objects.filter(pk=group.pk).update(
        area_kind="urban", deprivation_decile=8, population=200_000, region="london", summary="", description=""
    )
    group.challenge_areas.set([area("youth")])
    services.rebuild_all_peers()
    # Nothing written yet: no youth phrase in common with the city groups.
    before = Peer.objects.filter(group=urban[0], peer=group).values_list("reasons", flat=True).first() or {}
    assert not before.get("terms")
    stamp = GroupVector.objects.get(group=group).updated_at

    client.force_login(organiser)
    data = solution_post(
        area("youth"),
        tags="Club",
        problem=YOUTH,
        approach="Football and music.",
        why_here="Nothing else opens at night.",
    )
    response = client.post(reverse("challenges:solution_create", kwargs={"group_slug": group.slug}), data)
    assert response.status_code == 302

    def matched():
        reasons = Peer.objects.filter(group=urban[0], peer=group).values_list("reasons", flat=True).first() or {}
        return GroupVector.objects.get(group=group).updated_at > stamp and bool(reasons.get("terms"))

    assert wait_for(matched), "the worker did not recompute the peers within 30 s"
    assert urban[0].pk in peer_ids(group)
    # What the list quotes stands word for word in what the group just wrote.
    terms = Peer.objects.get(group=urban[0], peer=group).reasons["terms"]
    assert all(term.lower() in YOUTH.lower() for term in terms)
