"""What groups holds about a person: parts of their data export, and steps of erasing their account
(see `core.personal_data`).

Only the person's own data: the groups and actions are named, but not who else takes part, and not
whom they invited (that address is the invitee's personal data, not theirs). One query per part.
"""

import contextlib

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from core import personal_data
from core.personal_data import Person

from . import actions
from .models import Action, ActionSignup, ActivityMail, DigestMail, Follow, Invitation, Membership


@personal_data.part("group_memberships", covers=["groups.Membership.user"])
def memberships(person: Person) -> list[dict]:
    return [
        {"group": m.group.name, "group_slug": m.group.slug, "role": m.role, "since": m.created_at}
        for m in Membership.objects.filter(user=person.user).select_related("group").order_by("created_at", "pk")
    ]


def _their_invitations(person: Person):
    """Invitations sent to any of their addresses (any case), or that they accepted (from an address since removed)."""
    return Invitation.objects.annotate(address=Lower("email")).filter(
        Q(address__in=person.addresses) | Q(accepted_by=person.user)
    )


@personal_data.part("invitations_to_you", covers=["groups.Invitation.email", "groups.Invitation.accepted_by"])
def invitations_to_you(person: Person) -> list[dict]:
    """Invitations sent to any of their addresses, or that they accepted (from an address since removed)."""
    invitations = _their_invitations(person).select_related("group").order_by("created_at", "pk")
    return [
        {
            "group": i.group.name,
            "group_slug": i.group.slug,
            "email": i.email,
            "role": i.role,
            "sent_at": i.created_at,
            "expires_at": i.expires_at,
            "accepted_at": i.accepted_at,
        }
        for i in invitations
    ]


@personal_data.part("invitations_you_sent", covers=["groups.Invitation.invited_by"])
def invitations_you_sent(person: Person) -> list[dict]:
    # Whom they invited is left out: that address is the invitee's personal data, not theirs.
    invitations = Invitation.objects.filter(invited_by=person.user).select_related("group").order_by("created_at", "pk")
    return [
        {"group": i.group.name, "role": i.role, "sent_at": i.created_at, "accepted": i.accepted_at is not None}
        for i in invitations
    ]


@personal_data.part("follows", covers=["groups.Follow.user"])
def follows(person: Person) -> list[dict]:
    return [
        {"group": f.group.name, "group_slug": f.group.slug, "mail": f.mail, "since": f.created_at}
        for f in Follow.objects.filter(user=person.user).select_related("group").order_by("created_at", "pk")
    ]


@personal_data.part("action_signups", covers=["groups.ActionSignup.user"])
def action_signups(person: Person) -> list[dict]:
    signups = ActionSignup.objects.filter(user=person.user).select_related("action__group").order_by("created_at", "pk")
    return [
        {
            "action": s.action.title,
            "group": s.action.group.name,
            "url": settings.SITE_URL + s.action.get_absolute_url(),
            "starts_at": s.action.starts_at,
            "ends_at": s.action.ends_at,
            "status": s.status,
            "signed_up_at": s.created_at,
            "queued_at": s.queued_at,
            "promoted_at": s.promoted_at,
        }
        for s in signups
    ]


@personal_data.part("actions_you_published", covers=["groups.Action.created_by"])
def actions_you_published(person: Person) -> list[dict]:
    actions = Action.objects.filter(created_by=person.user).select_related("group").order_by("created_at", "pk")
    return [
        {
            "title": a.title,
            "group": a.group.name,
            "url": settings.SITE_URL + a.get_absolute_url(),
            "starts_at": a.starts_at,
            "status": a.status,
            "created_at": a.created_at,
        }
        for a in actions
    ]


@personal_data.part("news_mails_sent_to_you", covers=["groups.ActivityMail.user"])
def news_mails_sent_to_you(person: Person) -> list[dict]:
    mails = ActivityMail.objects.filter(user=person.user).select_related("activity__group").order_by("pk")
    return [{"group": m.activity.group.name, "about": m.activity.title, "sent_at": m.sent_at} for m in mails]


@personal_data.part("weekly_digests_sent_to_you", covers=["groups.DigestMail.user"])
def weekly_digests_sent_to_you(person: Person) -> list[dict]:
    return list(DigestMail.objects.filter(user=person.user).order_by("week").values("week", "sent_at"))


# --- Erasure: what deleting an account removes here, and what it keeps ---------------------------------

personal_data.kept(
    {
        "groups.Action.created_by": "an action they published stays with its group, shown as by “Former member”",
        "groups.Invitation.invited_by": (
            "an invitation they sent is the group's record and the invitee's; it names no more of them than the "
            "anonymised account"
        ),
    }
)


@personal_data.eraser("action_signups", covers=["groups.ActionSignup.user"], order=10)
def release_action_places(person: Person) -> None:
    """Give up their places at actions still to come, so the first people waiting get them (and are told);
    then remove every sign-up, past ones too. Before memberships go: the promotion reads the action's group."""
    upcoming = ActionSignup.objects.filter(
        user=person.user, status__in=actions.ACTIVE, action__starts_at__gt=timezone.now()
    ).values_list("action_id", flat=True)
    for action_id in list(upcoming):
        # Refused only if it started in the meantime: then there is no place left to give.
        with contextlib.suppress(actions.SignupRefused):
            actions.cancel_signup(action_id=action_id, user=person.user)
    ActionSignup.objects.filter(user=person.user).delete()


@personal_data.eraser("group_memberships", covers=["groups.Membership.user", "groups.Group.members"], order=20)
def forget_memberships(person: Person) -> None:
    # Group.members is the same rows, through Membership.
    Membership.objects.filter(user=person.user).delete()


@personal_data.eraser("follows", covers=["groups.Follow.user"], order=30)
def forget_follows(person: Person) -> None:
    Follow.objects.filter(user=person.user).delete()


@personal_data.eraser("news_mails_sent_to_them", covers=["groups.ActivityMail.user"], order=40)
def forget_news_mails(person: Person) -> None:
    ActivityMail.objects.filter(user=person.user).delete()


@personal_data.eraser("weekly_digests_sent_to_them", covers=["groups.DigestMail.user"], order=50)
def forget_weekly_digests(person: Person) -> None:
    DigestMail.objects.filter(user=person.user).delete()


@personal_data.eraser(
    "invitations_to_them", covers=["groups.Invitation.email", "groups.Invitation.accepted_by"], order=80
)
def forget_invitations(person: Person) -> None:
    """Withdraw invitations still waiting for them; keep accepted ones (the group's record) without their address."""
    theirs = _their_invitations(person)
    theirs.filter(accepted_at__isnull=True).delete()
    Invitation.objects.filter(pk__in=theirs.values("pk")).update(email=personal_data.erased_address(person.user))
