"""Who may do what to a group. Views and templates ask these, never the role directly."""

from .models import Membership, Role

MANAGING_ROLES = (Role.OWNER, Role.ORGANISER)


def role_in_group(user, group):
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_group_roles", None)
    if cache is None:
        cache = user._group_roles = {}
    if group.pk not in cache:
        cache[group.pk] = Membership.objects.filter(group=group, user=user).values_list("role", flat=True).first()
    return cache[group.pk]


def can_manage_group(user, group):
    """Owners and organisers change the group, its solutions and updates, and see drafts."""
    return role_in_group(user, group) in MANAGING_ROLES


def is_owner(user, group):
    return role_in_group(user, group) == Role.OWNER
