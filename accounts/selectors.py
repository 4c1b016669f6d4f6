"""Reads about one person: what Localism holds about them (UK GDPR right of access), and what stands in
the way of deleting their account.

This is the one module that reads across every app — a person's data is spread over groups, challenges,
learning and moderation — so the export is assembled here rather than in each app. Each part is one
query, so an export costs the same number of queries however much someone has done.

Only the person's own data goes in: the groups, actions and challenges it refers to are named, but other
people (who invited them, who else signed up, who answered) are left out.
"""

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from challenges.models import Challenge, Entry, FunderMembership, Score, StageChange, Update, UpdateImage
from groups.models import (
    Action,
    ActionSignup,
    ActivityMail,
    DigestMail,
    Follow,
    Group,
    Invitation,
    Membership,
    Role,
)
from learning.models import Connection, ConnectionMessage, GroupBlock

from .models import User

# Bumped when the shape of the export changes, so someone comparing two files can tell.
EXPORT_VERSION = 1

# Moderation arrives as its own app; without it these parts of the export are empty. Only the named fields
# are read, and only those the model has: neither the moderator's identity nor the reported item's author
# (in a report's snapshot) is the person's own data.
MODERATION_PARTS = {
    "moderation_reports_you_made": (
        "Report",
        "reporter",
        {
            "item_kind": "case__kind",
            "item": "case__title",
            "reason": "reason",
            "details": "details",
            "created_at": "created_at",
            "resolved_at": "resolved_at",
            "outcome": "outcome",
        },
    ),
    "moderation_appeals_you_made": (
        "Appeal",
        "by",
        {
            "item_kind": "case__kind",
            "item": "case__title",
            "text": "text",
            "created_at": "created_at",
            "decided_at": "decided_at",
            "upheld": "upheld",
        },
    ),
    "moderation_decisions_about_you": (
        "LogEntry",
        "subject_user",
        {"event": "event", "reason": "reason", "created_at": "created_at"},
    ),
}


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _email_addresses(user: User) -> list[dict]:
    return list(
        EmailAddress.objects.filter(user=user).order_by("-primary", "email").values("email", "verified", "primary")
    )


def _memberships(user: User) -> list[dict]:
    return [
        {"group": m.group.name, "group_slug": m.group.slug, "role": m.role, "since": m.created_at}
        for m in Membership.objects.filter(user=user).select_related("group").order_by("created_at", "pk")
    ]


def _invitations(user: User, addresses: set[str]) -> list[dict]:
    """Invitations sent to any of their addresses, or that they accepted (from an address since removed)."""
    invitations = (
        Invitation.objects.annotate(address=Lower("email"))
        .filter(Q(address__in=addresses) | Q(accepted_by=user))
        .select_related("group")
        .order_by("created_at", "pk")
    )
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


def _invitations_sent(user: User) -> list[dict]:
    # Whom they invited is left out: that address is the invitee's personal data, not theirs.
    return [
        {"group": i.group.name, "role": i.role, "sent_at": i.created_at, "accepted": i.accepted_at is not None}
        for i in Invitation.objects.filter(invited_by=user).select_related("group").order_by("created_at", "pk")
    ]


def _follows(user: User) -> list[dict]:
    return [
        {"group": f.group.name, "group_slug": f.group.slug, "mail": f.mail, "since": f.created_at}
        for f in Follow.objects.filter(user=user).select_related("group").order_by("created_at", "pk")
    ]


def _action_signups(user: User) -> list[dict]:
    signups = ActionSignup.objects.filter(user=user).select_related("action__group").order_by("created_at", "pk")
    return [
        {
            "action": s.action.title,
            "group": s.action.group.name,
            "url": _absolute(s.action.get_absolute_url()),
            "starts_at": s.action.starts_at,
            "ends_at": s.action.ends_at,
            "status": s.status,
            "signed_up_at": s.created_at,
            "queued_at": s.queued_at,
            "promoted_at": s.promoted_at,
        }
        for s in signups
    ]


def _actions_created(user: User) -> list[dict]:
    return [
        {
            "title": a.title,
            "group": a.group.name,
            "url": _absolute(a.get_absolute_url()),
            "starts_at": a.starts_at,
            "status": a.status,
            "created_at": a.created_at,
        }
        for a in Action.objects.filter(created_by=user).select_related("group").order_by("created_at", "pk")
    ]


def _updates(user: User) -> list[dict]:
    updates = (
        Update.objects.filter(author=user)
        .select_related("solution__group")
        .prefetch_related(Prefetch("images", queryset=UpdateImage.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    return [
        {
            "title": u.title,
            "solution": u.solution.title,
            "group": u.solution.group.name,
            "url": _absolute(u.get_absolute_url()),
            "status": u.status,
            "body": u.body,
            "what_worked": u.what_worked,
            "what_didnt": u.what_didnt,
            "do_differently": u.do_differently,
            "images": [{"description": image.alt_text, "file": image.image.name} for image in u.images.all()],
            "published_at": u.published_at,
            "created_at": u.created_at,
            "updated_at": u.updated_at,
            "hidden_by_moderators_at": u.hidden_at,
        }
        for u in updates
    ]


def _connections_requested(user: User) -> list[dict]:
    connections = (
        Connection.objects.filter(requested_by=user).select_related("from_group", "to_group").order_by("created_at")
    )
    return [
        {
            "from_group": c.from_group.name,
            "to_group": c.to_group.name,
            "status": c.status,
            "requested_at": c.created_at,
            "answered_at": c.responded_at,
        }
        for c in connections
    ]


def _connections_answered(user: User) -> list[dict]:
    connections = (
        Connection.objects.filter(responded_by=user).select_related("from_group", "to_group").order_by("created_at")
    )
    return [
        {
            "from_group": c.from_group.name,
            "to_group": c.to_group.name,
            "status": c.status,
            "answered_at": c.responded_at,
        }
        for c in connections
    ]


def _connection_messages(user: User) -> list[dict]:
    messages = (
        ConnectionMessage.objects.filter(author=user)
        .select_related("sender_group", "connection__from_group", "connection__to_group")
        .order_by("created_at", "pk")
    )
    return [
        {
            "from_group": m.sender_group.name,
            "to_group": (
                m.connection.to_group if m.sender_group_id == m.connection.from_group_id else m.connection.from_group
            ).name,
            "body": m.body,
            "written_at": m.created_at,
            "hidden_by_moderators_at": m.hidden_at,
        }
        for m in messages
    ]


def _group_blocks(user: User) -> list[dict]:
    return [
        {"blocking_group": b.blocker.name, "blocked_group": b.blocked.name, "blocked_at": b.created_at}
        for b in GroupBlock.objects.filter(blocked_by=user).select_related("blocker", "blocked").order_by("pk")
    ]


def _funder_memberships(user: User) -> list[dict]:
    return [
        {"funder": m.funder.name, "since": m.created_at}
        for m in FunderMembership.objects.filter(user=user).select_related("funder").order_by("created_at", "pk")
    ]


def _challenges_created(user: User) -> list[dict]:
    return [
        {"title": c.title, "funder": c.funder.name, "created_at": c.created_at}
        for c in Challenge.objects.filter(created_by=user).select_related("funder").order_by("created_at", "pk")
    ]


def _challenge_stage_changes(user: User) -> list[dict]:
    changes = StageChange.objects.filter(changed_by=user).select_related("challenge").order_by("changed_at", "pk")
    return [
        {"challenge": c.challenge.title, "from": c.from_stage, "to": c.to_stage, "changed_at": c.changed_at}
        for c in changes
    ]


def _challenge_entries(user: User) -> list[dict]:
    entries = Entry.objects.filter(entered_by=user).select_related("challenge", "solution__group").order_by("pk")
    return [
        {
            "challenge": e.challenge.title,
            "solution": e.solution.title,
            "group": e.solution.group.name,
            "status": e.status,
            "entered_at": e.created_at,
        }
        for e in entries
    ]


def _review_scores(user: User) -> list[dict]:
    scores = (
        Score.objects.filter(reviewer=user)
        .select_related("entry__challenge", "entry__solution__group", "criterion")
        .order_by("pk")
    )
    return [
        {
            "challenge": s.entry.challenge.title,
            "solution": s.entry.solution.title,
            "group": s.entry.solution.group.name,
            "criterion": s.criterion.name,
            "score": s.value,
            "note": s.note,
            "updated_at": s.updated_at,
        }
        for s in scores
    ]


def _mails(user: User) -> list[dict]:
    mails = ActivityMail.objects.filter(user=user).select_related("activity__group").order_by("pk")
    return [{"group": m.activity.group.name, "about": m.activity.title, "sent_at": m.sent_at} for m in mails]


def _digests(user: User) -> list[dict]:
    return list(DigestMail.objects.filter(user=user).order_by("week").values("week", "sent_at"))


def _readable(queryset: QuerySet, name: str) -> bool:
    try:
        queryset.values(name)  # resolves the name without a query
    except FieldError:
        return False
    return True


def _moderation_part(user: User, model_name: str, user_field: str, wanted: dict[str, str]) -> list[dict]:
    """Rows of a moderation model that point at `user`: `wanted` maps the name in the export to the field."""
    if not apps.is_installed("moderation"):
        return []
    config = next(config for config in apps.get_app_configs() if config.name == "moderation")
    try:
        rows = config.get_model(model_name)._default_manager.all()
    except LookupError:
        return []
    readable = {name: path for name, path in wanted.items() if _readable(rows, path)}
    if not readable or not _readable(rows, user_field):
        return []
    plain = [name for name, path in readable.items() if name == path]
    renamed = {name: F(path) for name, path in readable.items() if name != path}
    return list(rows.filter(**{user_field: user}).order_by("pk").values(*plain, **renamed))


def personal_data_for(user: User) -> dict:
    """Everything Localism holds about `user`, as a dict ready for JSON (dates and times are datetime objects).

    Runs a fixed number of queries (one per part), whatever the amount of data. Contains only this person's
    own data: the groups, actions and challenges it refers to by name, never other people.
    """
    addresses = _email_addresses(user)
    known_addresses = {user.email.lower(), *(a["email"].lower() for a in addresses)}
    data = {
        "about": (
            "Everything Localism holds about you, as of the time below. Times are in UTC. "
            "Content you wrote for a group (updates, messages) is listed in full; groups, actions and "
            "challenges are named but not copied."
        ),
        "format_version": EXPORT_VERSION,
        "exported_at": timezone.now(),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "home_area": user.home_area,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "welcome_mail_sent_at": user.welcome_sent_at,
            "is_moderator": user.is_moderator,
            "suspended_at": user.suspended_at,
            "suspension_reason": user.suspension_reason,
        },
        "email_addresses": addresses,
        "group_memberships": _memberships(user),
        "invitations_to_you": _invitations(user, known_addresses),
        "invitations_you_sent": _invitations_sent(user),
        "follows": _follows(user),
        "action_signups": _action_signups(user),
        "actions_you_published": _actions_created(user),
        "updates_you_wrote": _updates(user),
        "connections_you_requested": _connections_requested(user),
        "connections_you_answered": _connections_answered(user),
        "connection_messages_you_wrote": _connection_messages(user),
        "groups_you_blocked": _group_blocks(user),
        "funder_memberships": _funder_memberships(user),
        "challenges_you_created": _challenges_created(user),
        "challenge_stage_changes_you_made": _challenge_stage_changes(user),
        "challenge_entries_you_made": _challenge_entries(user),
        "review_scores_you_gave": _review_scores(user),
        "news_mails_sent_to_you": _mails(user),
        "weekly_digests_sent_to_you": _digests(user),
    }
    for key, (model_name, user_field, wanted) in MODERATION_PARTS.items():
        data[key] = _moderation_part(user, model_name, user_field, wanted)
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
