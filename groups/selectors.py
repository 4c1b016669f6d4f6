"""Reads for groups. Each returns a queryset with what its page needs already joined."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Group, Membership, Role


def group_list() -> QuerySet[Group]:
    """All groups, with challenge areas prefetched (two queries for any page size)."""
    return Group.objects.prefetch_related("challenge_areas").annotate(member_count=Count("memberships", distinct=True))


def group_detail(*, slug: str) -> QuerySet[Group]:
    return Group.objects.filter(slug=slug).prefetch_related(
        "challenge_areas",
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(Q(role=Role.OWNER) | Q(role=Role.ORGANISER)).select_related("user"),
            to_attr="organiser_memberships",
        ),
    )
