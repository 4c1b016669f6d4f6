"""Reads for groups. Each returns a queryset with what its page needs already joined."""

from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from .models import Group, Invitation, Membership, Role


def group_list() -> QuerySet[Group]:
    """All groups, with challenge areas prefetched (two queries for any page size)."""
    return Group.objects.prefetch_related("challenge_areas")


def group_detail(*, slug: str) -> QuerySet[Group]:
    """The group with its challenge areas and organisers (with users) prefetched: a fixed number of queries."""
    return Group.objects.filter(slug=slug).prefetch_related(
        "challenge_areas",
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(Q(role=Role.OWNER) | Q(role=Role.ORGANISER)).select_related("user"),
            to_attr="organiser_memberships",
        ),
    )


def group_memberships(*, group: Group) -> QuerySet[Membership]:
    """Everyone in a group with their user, owners first, then organisers, then members, by name."""
    role_order = Case(
        When(role=Role.OWNER, then=Value(0)),
        When(role=Role.ORGANISER, then=Value(1)),
        default=Value(2),
    )
    return (
        Membership.objects.filter(group=group)
        .select_related("user")
        .annotate(role_order=role_order)
        .order_by("role_order", "user__display_name", "pk")
    )


def pending_invitations(*, group: Group) -> QuerySet[Invitation]:
    """Invitations not yet accepted and not expired, newest first."""
    return Invitation.objects.filter(group=group, accepted_at__isnull=True, expires_at__gt=timezone.now()).order_by(
        "-created_at"
    )


def invitation_by_token(*, token: str) -> QuerySet[Invitation]:
    return Invitation.objects.filter(token=token).select_related("group", "invited_by")
