"""The data export is made of parts, each declared by the app that holds the data (`<app>/personal_data.py`).

Two promises are checked here. The file people download keeps its shape: every key, in order, with the
same values. And every link from our models to a person is either read by a declared part or listed below
with the reason it is not, so a renamed or new field fails a test instead of silently leaving the export.
"""

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from accounts import selectors
from challenges.models import Award, ChallengeStage, StageChange, UpdateImage
from core import personal_data
from groups.models import ActivityMail, DigestMail, Role
from learning.models import Connection, ConnectionMessage, GroupBlock
from moderation.models import Appeal, Case, LogEntry, Report

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UpdateFactory, UserFactory
from ..funders.factories import ChallengeFactory, EntryFactory, FunderMembershipFactory, ScoreFactory
from ..groups.factories import InvitationFactory
from ..residents.factories import ActionFactory, ActivityFactory, FollowFactory, SignupFactory

pytestmark = pytest.mark.django_db

# Links from our models to a person that no part of the export reads, each with the reason. A new link
# goes either into a part (in the app's personal_data.py) or here, with its reason.
NOT_IN_THE_EXPORT = {
    "groups.Group.members": "the same rows as groups.Membership.user, read by the group_memberships part",
    "challenges.Funder.members": "the same rows as challenges.FunderMembership.user, read by funder_memberships",
    "moderation.LogEntry.actor": (
        "the moderator who took a decision, in the audit log: the service's record of moderation, never listed "
        "as the moderator's own data (the person a decision is about gets it, without who took it)"
    ),
    "core.MailClaim.recipient": (
        "that one copy of a mail to many people went to this address (so far only the moderators' auto-hide "
        "alert), kept so a retry sends no copy twice; it is about moderation work, like moderation.LogEntry.actor, "
        "and erasing the account forgets it"
    ),
}


def our_apps():
    """The apps of this project (top-level packages beside manage.py), not Django's or third parties'."""
    return [config for config in apps.get_app_configs() if Path(config.path).parent == settings.BASE_DIR]


def links_to_a_person(field):
    """True for a field that says whom a row is about: a relation to the user model, or an email address."""
    if isinstance(field, models.ForeignKey | models.ManyToManyField):  # a OneToOneField is a ForeignKey
        return field.related_model is get_user_model()
    if isinstance(field, models.EmailField):
        return True
    return isinstance(field, models.CharField | models.TextField) and (
        "email" in field.name or "recipient" in field.name
    )


def person_links():
    """Every field of our models that links a row to a person, as "app_label.Model.field"."""
    return {
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for config in our_apps()
        for model in config.get_models()
        for field in model._meta.get_fields()
        if not field.auto_created and links_to_a_person(field)
    }


def covered_by(parts):
    return {link for part in parts for link in part.covers}


def one_of_everything(user):
    """One row of every kind Localism can hold about `user`, in every app, with other people around."""
    other = UserFactory(email="sam@example.org", display_name="Sam Other")
    EmailAddress.objects.create(user=user, email="kim-old@example.org", verified=False)
    group = GroupFactory(name="Totnes Repair Café", slug="totnes-repair-cafe")
    peer = GroupFactory(name="Ashburton Fixers", slug="ashburton-fixers")
    membership = MembershipFactory(group=group, user=user, role=Role.ORGANISER)
    MembershipFactory(group=group, user=other, role=Role.OWNER)
    invited = InvitationFactory(group=group, email="KIM@example.org", invited_by=other)
    sent = InvitationFactory(group=group, email="lee@example.org", invited_by=user, role=Role.ORGANISER)
    follow = FollowFactory(group=peer, user=user, mail="weekly")
    signup = SignupFactory(action=ActionFactory(group=peer, title="Fix-it evening"), user=user)
    action = ActionFactory(group=group, created_by=user, title="Litter pick")
    update = UpdateFactory(
        solution=SolutionFactory(group=group, title="Warm homes"), author=user, title="Ten homes", body="We did it."
    )
    image = UpdateImage.objects.create(update=update, image="updates/ten.jpg", alt_text="A draught excluder")
    asked = Connection.objects.create(from_group=group, to_group=peer, requested_by=user)
    answered = Connection.objects.create(
        from_group=peer, to_group=group, requested_by=other, responded_by=user, status="accepted"
    )
    answered.responded_at = timezone.now()
    answered.save()
    message = ConnectionMessage.objects.create(connection=answered, sender_group=group, author=user, body="Hello!")
    block = GroupBlock.objects.create(blocker=group, blocked=GroupFactory(name="Spam Group"), blocked_by=user)
    funder_membership = FunderMembershipFactory(user=user)
    challenge = ChallengeFactory(funder=funder_membership.funder, created_by=user, title="Green homes")
    stage_change = StageChange.objects.create(
        challenge=challenge, from_stage=ChallengeStage.DRAFT, to_stage=ChallengeStage.OPEN, changed_by=user
    )
    entry = EntryFactory(challenge=challenge, solution=update.solution, entered_by=user)
    score = ScoreFactory(entry=entry, reviewer=user, value=4, note="Strong local support")
    award = Award.objects.create(
        entry=entry, amount="20000.00", awarded_on=dt.date(2026, 5, 1), title="Finalist grant", created_by=user
    )
    mail = ActivityMail.objects.create(
        activity=ActivityFactory(group=peer, title="New date"), user=user, sent_at=timezone.now()
    )
    digest = DigestMail.objects.create(user=user, week=dt.date(2026, 3, 2), sent_at=timezone.now())
    case = Case.objects.create(kind="update", update=update, title="Someone's update")
    report = Report.objects.create(case=case, reporter=user, reason="spam", details="Looks like an advert")
    appeal = Appeal.objects.create(case=case, by=user, text="It is not an advert")
    decision = LogEntry.objects.create(subject_user=user, actor=other, event="suspended", reason="Spam")
    return SimpleNamespace(**{k: v for k, v in locals().items() if k not in ("user", "other")})


def as_json(value):
    """The value as the download writes it (DjangoJSONEncoder), read back: key order is kept."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def test_the_whole_export_keeps_every_key_in_order_with_the_same_values():
    user = UserFactory(email="kim@example.org", display_name="Kim Lee", home_area="TQ9")
    o = one_of_everything(user)
    user.refresh_from_db()
    export = selectors.personal_data_for(user)

    def url(path):
        return settings.SITE_URL + path

    [main_address, old_address] = EmailAddress.objects.filter(user=user).order_by("-primary", "email")

    expected = {
        "about": (
            "Everything Localism holds about you, as of the time below. Times are in UTC. "
            "Content you wrote for a group (updates, messages) is listed in full; groups, actions and "
            "challenges are named but not copied."
        ),
        "format_version": 1,
        "exported_at": export["exported_at"],
        "profile": {
            "email": "kim@example.org",
            "display_name": "Kim Lee",
            "home_area": "TQ9",
            "date_joined": user.date_joined,
            "last_login": None,
            "welcome_mail_sent_at": None,
            "is_moderator": False,
            "suspended_at": None,
            "suspension_reason": "",
        },
        "email_addresses": [
            {"email": main_address.email, "verified": True, "primary": True},
            {"email": old_address.email, "verified": False, "primary": False},
        ],
        "group_memberships": [
            {
                "group": "Totnes Repair Café",
                "group_slug": "totnes-repair-cafe",
                "role": "organiser",
                "since": o.membership.created_at,
            }
        ],
        "invitations_to_you": [
            {
                "group": "Totnes Repair Café",
                "group_slug": "totnes-repair-cafe",
                "email": "KIM@example.org",
                "role": o.invited.role,
                "sent_at": o.invited.created_at,
                "expires_at": o.invited.expires_at,
                "accepted_at": None,
            }
        ],
        "invitations_you_sent": [
            {"group": "Totnes Repair Café", "role": "organiser", "sent_at": o.sent.created_at, "accepted": False}
        ],
        "follows": [
            {
                "group": "Ashburton Fixers",
                "group_slug": "ashburton-fixers",
                "mail": "weekly",
                "since": o.follow.created_at,
            }
        ],
        "action_signups": [
            {
                "action": "Fix-it evening",
                "group": "Ashburton Fixers",
                "url": url(o.signup.action.get_absolute_url()),
                "starts_at": o.signup.action.starts_at,
                "ends_at": o.signup.action.ends_at,
                "status": "confirmed",
                "signed_up_at": o.signup.created_at,
                "queued_at": o.signup.queued_at,
                "promoted_at": None,
            }
        ],
        "actions_you_published": [
            {
                "title": "Litter pick",
                "group": "Totnes Repair Café",
                "url": url(o.action.get_absolute_url()),
                "starts_at": o.action.starts_at,
                "status": o.action.status,
                "created_at": o.action.created_at,
            }
        ],
        "updates_you_wrote": [
            {
                "title": "Ten homes",
                "solution": "Warm homes",
                "group": "Totnes Repair Café",
                "url": url(o.update.get_absolute_url()),
                "status": o.update.status,
                "body": "We did it.",
                "what_worked": "Tea.",
                "what_didnt": "",
                "do_differently": "",
                "images": [{"description": "A draught excluder", "file": "updates/ten.jpg"}],
                "published_at": o.update.published_at,
                "created_at": o.update.created_at,
                "updated_at": o.update.updated_at,
                "hidden_by_moderators_at": None,
            }
        ],
        "connections_you_requested": [
            {
                "from_group": "Totnes Repair Café",
                "to_group": "Ashburton Fixers",
                "status": "pending",
                "requested_at": o.asked.created_at,
                "answered_at": None,
            }
        ],
        "connections_you_answered": [
            {
                "from_group": "Ashburton Fixers",
                "to_group": "Totnes Repair Café",
                "status": "accepted",
                "answered_at": o.answered.responded_at,
            }
        ],
        "connection_messages_you_wrote": [
            {
                "from_group": "Totnes Repair Café",
                "to_group": "Ashburton Fixers",
                "body": "Hello!",
                "written_at": o.message.created_at,
                "hidden_by_moderators_at": None,
            }
        ],
        "groups_you_blocked": [
            {"blocking_group": "Totnes Repair Café", "blocked_group": "Spam Group", "blocked_at": o.block.created_at}
        ],
        "funder_memberships": [{"funder": o.funder_membership.funder.name, "since": o.funder_membership.created_at}],
        "challenges_you_created": [
            {"title": "Green homes", "funder": o.funder_membership.funder.name, "created_at": o.challenge.created_at}
        ],
        "challenge_stage_changes_you_made": [
            {"challenge": "Green homes", "from": "draft", "to": "open", "changed_at": o.stage_change.changed_at}
        ],
        "challenge_entries_you_made": [
            {
                "challenge": "Green homes",
                "solution": "Warm homes",
                "group": "Totnes Repair Café",
                "status": o.entry.status,
                "entered_at": o.entry.created_at,
            }
        ],
        "review_scores_you_gave": [
            {
                "challenge": "Green homes",
                "solution": "Warm homes",
                "group": "Totnes Repair Café",
                "criterion": o.score.criterion.name,
                "score": 4,
                "note": "Strong local support",
                "updated_at": o.score.updated_at,
            }
        ],
        "awards_you_recorded": [
            {
                "challenge": "Green homes",
                "group": "Totnes Repair Café",
                "title": "Finalist grant",
                "amount": "20000.00",
                "currency": "GBP",
                "awarded_on": dt.date(2026, 5, 1),
                "recorded_at": o.award.created_at,
            }
        ],
        "news_mails_sent_to_you": [{"group": "Ashburton Fixers", "about": "New date", "sent_at": o.mail.sent_at}],
        "weekly_digests_sent_to_you": [{"week": dt.date(2026, 3, 2), "sent_at": o.digest.sent_at}],
        # Moderation's parts list the plain fields first, then the renamed ones (the order Django's
        # values() gives); people's files have always been written that way.
        "moderation_reports_you_made": [
            {
                "reason": "spam",
                "details": "Looks like an advert",
                "created_at": o.report.created_at,
                "resolved_at": None,
                "outcome": "",
                "item_kind": "update",
                "item": "Someone's update",
            }
        ],
        "moderation_appeals_you_made": [
            {
                "text": "It is not an advert",
                "created_at": o.appeal.created_at,
                "decided_at": None,
                "upheld": None,
                "item_kind": "update",
                "item": "Someone's update",
            }
        ],
        "moderation_decisions_about_you": [
            {"event": "suspended", "reason": "Spam", "created_at": o.decision.created_at}
        ],
    }

    assert abs(timezone.now() - export["exported_at"]) < dt.timedelta(minutes=1)
    # Compared as text, so the order of the keys counts as well as the values.
    assert json.dumps(as_json(export), indent=1) == json.dumps(as_json(expected), indent=1)


# --- Every link to a person is in a part, or left out for a reason ----------------------------------------


def test_every_link_to_a_person_is_read_by_a_part_or_left_out_with_a_reason():
    parts = personal_data.parts().values()
    unaccounted = person_links() - covered_by(parts) - NOT_IN_THE_EXPORT.keys()
    assert not unaccounted, (
        f"{sorted(unaccounted)} link a row to a person, but no part of the data export reads them. Read them in "
        "the app's personal_data.py (and name them in the part's `covers`), or add them to NOT_IN_THE_EXPORT "
        "with the reason."
    )


def test_every_declared_link_exists_so_a_renamed_field_fails():
    declared = covered_by(personal_data.parts().values()) | NOT_IN_THE_EXPORT.keys()
    ours = person_links()
    elsewhere = {link for link in declared - ours if link.split(".")[0] not in {c.label for c in our_apps()}}
    for link in elsewhere:  # a third party's model, such as allauth's email addresses
        app_label, model_name, field_name = link.split(".")
        assert links_to_a_person(apps.get_model(app_label, model_name)._meta.get_field(field_name)), link
    assert declared - elsewhere <= ours, f"no such link to a person: {sorted(declared - elsewhere - ours)}"


def test_no_link_is_both_read_and_left_out():
    assert not covered_by(personal_data.parts().values()) & NOT_IN_THE_EXPORT.keys()


@pytest.mark.parametrize("name", list(personal_data.parts()))
def test_without_its_part_its_links_would_be_reported(name):
    """The check above bites: take any one part away and the links it reads are reported."""
    part = personal_data.parts()[name]
    others = [other for other in personal_data.parts().values() if other.name != name]
    unaccounted = person_links() - covered_by(others) - NOT_IN_THE_EXPORT.keys()
    assert set(part.covers) & person_links() <= unaccounted


def test_every_part_of_the_export_is_declared_by_an_app_and_in_the_file_order():
    assert sorted(personal_data.parts()) == sorted(selectors.EXPORT_ORDER)
    assert {part.read.__module__ for part in personal_data.parts().values()} == {
        "accounts.personal_data",
        "groups.personal_data",
        "challenges.personal_data",
        "learning.personal_data",
        "moderation.personal_data",
    }
