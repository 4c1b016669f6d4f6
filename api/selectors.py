"""What the API reads: the site's own public selectors, with what each endpoint returns joined.

Nothing here decides visibility itself. Each queryset starts from the selector the site's public pages
use (groups.selectors.group_list, challenges.selectors.published_solutions / published_updates,
challenges.funding.selectors.visible_challenges / public_entries), so the API can never show more than
the site shows anyone: nothing hidden by moderators, no drafts, no scores, notes or people.
Every list is a fixed number of queries whatever its page size (tests/api/test_queries.py).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from challenges.funding.selectors import public_awards, public_awards_of, public_entries, visible_challenges
from challenges.models import Solution, Update
from challenges.selectors import metrics_with_readings, published_solutions, published_updates
from groups.models import Action, ChallengeArea, Group
from groups.selectors import group_list
from learning.selectors import peers_for_group

# The most peers stored per group (learning keeps its top 15).
PEERS_PER_GROUP = 15


def api_groups() -> QuerySet[Group]:
    """Groups anyone may see, with their challenge areas (two queries a page)."""
    return group_list()


def api_group(*, slug: str) -> Group:
    """One visible group with its description, or 404."""
    return get_object_or_404(Group.objects.visible().prefetch_related("challenge_areas"), slug=slug)


def api_solutions() -> QuerySet[Solution]:
    """Published solutions anyone may see, with group, challenge area, approach tags, metrics, targets and
    readings: five queries a page."""
    return published_solutions().prefetch_related("approach_tags", metrics_with_readings())


def api_updates() -> QuerySet[Update]:
    """Published progress updates anyone may see, with their solution, group and images (two queries)."""
    return published_updates().select_related("solution__challenge_area").prefetch_related("images")


def api_actions() -> QuerySet[Action]:
    """Actions of visible groups, none hidden; cancelled ones too (their status says so). One query."""
    return Action.objects.visible().filter(group__hidden_at__isnull=True).select_related("group")


def api_challenges():
    """Challenges past their draft, with funder, challenge areas and the number of visible entries."""
    return visible_challenges()


def api_challenge_entries(*, challenge) -> list:
    """The challenge's entries the challenge page shows anyone, winners first (one query)."""
    return list(public_entries(challenge=challenge))


def api_awards():
    """Awards of entries anyone may see, with entry, solution, group, challenge and funder (one query)."""
    return public_awards()


def api_awards_of(*, challenge) -> list:
    """The challenge's public awards, oldest first (one query)."""
    return list(public_awards_of(challenge=challenge))


def api_challenge_areas() -> QuerySet[ChallengeArea]:
    return ChallengeArea.objects.order_by("name")


def api_peers(*, group: Group) -> list:
    """The group's stored peers (visible ones only), best first, with their reasons: two queries."""
    return peers_for_group(group=group, limit=PEERS_PER_GROUP)
