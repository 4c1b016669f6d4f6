"""Residents' URLs: near me, actions and sign-ups, joining and following, their own page, unsubscribing."""

import datetime as dt

from django.utils import timezone

from groups.models import Action
from groups.notifications import unsubscribe_token

from ..test_permission_matrix import LOGIN, OK, REFUSED, SIGNED_IN, Case, empty_form, managers_only

EVERYONE = {"anonymous": OK, "stranger": OK}
# Undoing what nobody here has done (a place taken, a group followed): refused by rule (409) for everyone.
NOTHING_TO_UNDO = {"anonymous": LOGIN, "stranger": REFUSED}

PUBLIC = {"groups:nearby"}


def group(w):
    return {"slug": w.group.slug}


def action(w):
    return {"slug": w.group.slug, "pk": w.action.pk}


def token(w):
    return {"token": w.unsubscribe_token}


MATRIX = {
    # Anyone may read an action and put it in a calendar.
    "groups:action": [Case("GET", action, EVERYONE)],
    "groups:action_ics": [Case("GET", action, EVERYONE)],
    "groups:actions_ics": [Case("GET", group, EVERYONE)],
    "groups:actions_feed": [Case("GET", group, EVERYONE)],
    "groups:action_create": [Case("GET", group, managers_only()), Case("POST", group, empty_form(managers_only()))],
    "groups:action_edit": [Case("GET", action, managers_only()), Case("POST", action, empty_form(managers_only()))],
    # Anyone signed in may take a place, and cancel it: nobody has one here to cancel.
    "groups:action_signup": [Case("POST", action, SIGNED_IN)],
    "groups:action_cancel_signup": [Case("POST", action, NOTHING_TO_UNDO)],
    # Names and email addresses: only for those who run the group.
    "groups:action_attendees": [Case("GET", action, managers_only())],
    "groups:action_attendees_csv": [Case("GET", action, managers_only())],
    # Anyone signed in may join, except those already in the group (409).
    "groups:join": [Case("POST", group, {**SIGNED_IN, "member": REFUSED, "organiser": REFUSED, "owner": REFUSED})],
    # Anyone signed in may follow, and stop following: nobody follows the group here.
    "groups:follow": [Case("POST", group, SIGNED_IN, {"mail": "weekly"})],
    "groups:unfollow": [Case("POST", group, NOTHING_TO_UNDO)],
    "groups:me": [Case("GET", lambda w: {}, SIGNED_IN)],
    "accounts:save_home_area": [Case("POST", lambda w: {}, SIGNED_IN, {"place": "Kendal"})],
    # The signed token is the permission: it works without logging in, for anyone holding the link.
    "groups:unsubscribe": [Case("GET", token, EVERYONE), Case("POST", token, EVERYONE)],
}


def extend_world(world):
    start = timezone.now() + dt.timedelta(days=7)
    world.action = Action.objects.create(
        group=world.group,
        title="Repair café",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        capacity=2,
        latitude=world.group.latitude,
        longitude=world.group.longitude,
    )
    world.unsubscribe_token = unsubscribe_token(user_id=world.users["member"].pk, group_id=world.group.pk)
