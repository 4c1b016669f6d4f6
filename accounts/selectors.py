"""Reads about one person: what Localism holds about them (UK GDPR right of access), and what stands in
the way of deleting their account.

A person's data is spread over groups, challenges, learning and moderation. Each app declares its own
parts of the export in its `personal_data.py` (see `core.personal_data`); this module puts them together
in the order of EXPORT_ORDER. Each part is one query, so an export costs the same number of queries
however much someone has done.

Only the person's own data goes in: the groups, actions and challenges it refers to are named, but other
people (who invited them, who else signed up, who answered) are left out.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import personal_data
from core.personal_data import Person
from groups.models import Group, Membership, Role

from .models import User

# Bumped when the shape of the export changes, so someone comparing two files can tell.
EXPORT_VERSION = 1

# The parts of the file, in the order people have always had them (each is declared by the app that
# holds it). A part an app declares but this list forgets still goes in, at the end; the tests keep the
# two the same.
EXPORT_ORDER = (
    "profile",
    "email_addresses",
    "group_memberships",
    "invitations_to_you",
    "invitations_you_sent",
    "follows",
    "action_signups",
    "actions_you_published",
    "updates_you_wrote",
    "connections_you_requested",
    "connections_you_answered",
    "connection_messages_you_wrote",
    "groups_you_blocked",
    "funder_memberships",
    "challenges_you_created",
    "challenge_stage_changes_you_made",
    "challenge_entries_you_made",
    "review_scores_you_gave",
    "awards_you_recorded",
    "news_mails_sent_to_you",
    "weekly_digests_sent_to_you",
    "moderation_reports_you_made",
    "moderation_appeals_you_made",
    "moderation_decisions_about_you",
)


def person_for(user: User) -> Person:
    """`user` with the email addresses on their account (one query), as the parts of the export read them."""
    addresses = (
        EmailAddress.objects.filter(user=user).order_by("-primary", "email").values("email", "verified", "primary")
    )
    return Person(user=user, email_addresses=tuple(addresses))


def personal_data_for(user: User) -> dict:
    """Everything Localism holds about `user`, as a dict ready for JSON (dates and times are datetime objects).

    Runs a fixed number of queries (one per part), whatever the amount of data. Contains only this person's
    own data: the groups, actions and challenges it refers to by name, never other people.
    """
    parts = personal_data.parts()
    missing = [name for name in EXPORT_ORDER if name not in parts]
    if missing:
        raise ImproperlyConfigured(f"No app declares these parts of the personal data export: {missing}")
    person = person_for(user)
    data = {
        # The file's keys are its format and stay as they are; this explanation is for the person.
        "about": _(
            "Everything Localism holds about you, as of the time below. Times are in UTC. "
            "Content you wrote for a group (updates, messages) is listed in full; groups, actions and "
            "challenges are named but not copied."
        ),
        "format_version": EXPORT_VERSION,
        "exported_at": timezone.now(),
    }
    for name in [*EXPORT_ORDER, *(name for name in parts if name not in EXPORT_ORDER)]:
        data[name] = parts[name].read(person)
    return data


def groups_only_they_own(user: User) -> QuerySet[Group]:
    """Groups where `user` is the only owner, each with `member_count` (including them). One query.

    A group must always have an owner, so these stand in the way of deleting the account.
    """
    owned = Membership.objects.filter(user=user, role=Role.OWNER).values("group_id")
    return (
        Group.objects.filter(pk__in=owned)
        .annotate(
            owner_count=Count("memberships", filter=Q(memberships__role=Role.OWNER)),
            member_count=Count("memberships"),
        )
        .filter(owner_count=1)
        .order_by("name", "pk")
    )
