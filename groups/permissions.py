"""Who may do what to a group. Views and templates ask these, never the role directly.

Staff users get no special rights here: they act through the admin, which has its own permissions.
"""

from allauth.account.models import EmailAddress

from .models import Membership, Role

MANAGING_ROLES = (Role.OWNER, Role.ORGANISER)


def role_in_group(user, group):
    if not user.is_authenticated:
        return None
    if getattr(group, "viewer_id", None) == user.pk:
        return group.viewer_role  # read with the group (selectors.with_viewer_role)
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


def has_verified_email(user):
    return user.is_authenticated and EmailAddress.objects.filter(user=user, verified=True).exists()


def can_create_group(user):
    """Anyone signed in with a verified email address may start a group (and becomes its owner)."""
    return has_verified_email(user)


def can_edit_group(user, group):
    return can_manage_group(user, group)


def can_see_members(user, group):
    """The members page lists people and pending invitations: for those who run the group."""
    return can_manage_group(user, group)


def can_invite(user, group):
    return is_owner(user, group)


def can_change_members(user, group):
    """Remove people, change organisers and members, hand over ownership: owners only."""
    return is_owner(user, group)


def can_leave_group(user, group):
    """Any member may leave; the service refuses if they are the last owner."""
    return role_in_group(user, group) is not None


# --- Residents: actions, sign-ups, joining and following -------------------------------------------


def can_manage_actions(user, group):
    """Publish, edit and cancel a group's actions: its owners and organisers."""
    return can_manage_group(user, group)


def can_see_attendees(user, group):
    """Names and email addresses of the people signed up: only those who run the group."""
    return can_manage_group(user, group)


def can_sign_up(user):
    """Anyone signed in may take a place at an action; the service checks the action is open."""
    return user.is_authenticated


def can_join_group(user, group):
    return user.is_authenticated and role_in_group(user, group) is None


def can_follow_group(user):
    return user.is_authenticated


def can_see_hidden(user, group, *, also: bool = False) -> bool:
    """Site moderators and the group's owners and organisers (and whoever `also` admits) see its hidden content."""
    if not user.is_authenticated:
        return False
    return also or user.can_moderate or can_manage_group(user, group)
