"""Joining and following groups; follower mails and weekly digests, each sent once; one-click unsubscribe."""

import datetime as dt
import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from challenges import services as challenge_services
from core import forms as core_forms
from groups import notifications
from groups.models import DigestMail, Follow, FollowMail, GroupActivity, Membership

from ..factories import GroupFactory, SolutionFactory, UserFactory
from .factories import ActivityFactory, FollowFactory


def test_resident_joins_as_member_and_follows(client, group):
    resident = UserFactory()
    client.force_login(resident)
    response = client.post(reverse("groups:join", kwargs={"slug": group.slug}))
    assert response.status_code == 302
    assert Membership.objects.get(group=group, user=resident).role == "member"
    assert Follow.objects.get(group=group, user=resident).mail == FollowMail.IMMEDIATE
    response = client.post(reverse("groups:join", kwargs={"slug": group.slug}))
    assert response.status_code == 409
    assert "already a member" in response.content.decode()


def test_follow_change_preference_and_unfollow(client, group):
    resident = UserFactory()
    client.force_login(resident)
    follow_url = reverse("groups:follow", kwargs={"slug": group.slug})
    assert client.post(follow_url, {"mail": "weekly"}).status_code == 302
    assert Follow.objects.get(user=resident).mail == "weekly"
    assert client.post(follow_url, {"mail": "none"}).status_code == 302
    assert Follow.objects.get(user=resident).mail == "none"
    response = client.post(follow_url, {"mail": "hourly"})
    assert response.status_code == 400 and "Choose one of the options" in response.content.decode()
    page = client.get(group.get_absolute_url()).content.decode()
    assert "You follow this group" in page and "Stop following" in page
    unfollow_url = reverse("groups:unfollow", kwargs={"slug": group.slug})
    assert client.post(unfollow_url).status_code == 302
    assert not Follow.objects.exists()
    response = client.post(unfollow_url)
    assert response.status_code == 409 and "You do not follow" in response.content.decode()


def test_published_update_mails_immediate_followers_once_even_if_the_task_runs_twice(group, mailoutbox, committed):
    immediate = FollowFactory(group=group).user
    FollowFactory(group=group, mail=FollowMail.WEEKLY)
    FollowFactory(group=group, mail=FollowMail.NONE)
    FollowFactory(mail=FollowMail.IMMEDIATE)  # another group's follower
    solution = SolutionFactory(group=group)
    with committed():
        update = challenge_services.create_update(
            solution=solution, author=UserFactory(), title="100 homes insulated", body="Yes."
        )
    (mail,) = mailoutbox
    assert mail.to == [immediate.email]
    assert "100 homes insulated" in mail.subject and update.get_absolute_url() in mail.body
    activity = GroupActivity.objects.get(group=group)
    assert notifications.send_activity_mails(activity_id=activity.pk) == 0
    assert len(mailoutbox) == 1
    unsubscribe = mail.extra_headers["List-Unsubscribe"].strip("<>")
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in mail.body


def test_draft_update_tells_nobody_until_published(group, mailoutbox, committed):
    FollowFactory(group=group)
    solution = SolutionFactory(group=group)
    with committed():
        update = challenge_services.create_update(
            solution=solution, author=UserFactory(), title="Draft", body="Soon.", status="draft"
        )
    assert not mailoutbox and not GroupActivity.objects.exists()
    with committed():
        challenge_services.edit_update(update=update, title="Now out", body="Done.", status="published")
    assert len(mailoutbox) == 1 and "Now out" in mailoutbox[0].subject


def test_weekly_digest_gathers_last_week_and_is_sent_once(db, mailoutbox):
    week = notifications.digest_week(dt.date(2026, 3, 11))
    assert week == dt.date(2026, 3, 9)  # the Monday
    reader = UserFactory()
    first, second = GroupFactory(name="Alpha"), GroupFactory(name="Beta")
    for group in (first, second):
        FollowFactory(group=group, user=reader, mail=FollowMail.WEEKLY)
    last_week = timezone.make_aware(dt.datetime(2026, 3, 4, 12))
    ActivityFactory(group=first, title="Alpha insulated the hall", created_at=last_week)
    ActivityFactory(group=second, title="Beta repair café", kind="action", created_at=last_week)
    ActivityFactory(group=first, title="Too old", created_at=last_week - dt.timedelta(days=8))
    ActivityFactory(group=first, title="This week", created_at=last_week + dt.timedelta(days=6))
    assert notifications.queue_weekly_digests(today=dt.date(2026, 3, 11)) == 1
    (mail,) = mailoutbox
    assert mail.to == [reader.email]
    assert "Alpha insulated the hall" in mail.body and "Beta repair café" in mail.body
    assert "Too old" not in mail.body and "This week" not in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The task delivered again (a retry, a second beat): nothing more is sent.
    assert notifications.send_digest(user_id=reader.pk, week=week) is False
    assert len(mailoutbox) == 1
    assert DigestMail.objects.get().sent_at is not None


def test_nothing_new_sends_no_digest(db, mailoutbox):
    FollowFactory(mail=FollowMail.WEEKLY)
    notifications.queue_weekly_digests(today=dt.date(2026, 3, 11))
    assert mailoutbox == []


@pytest.fixture
def follow(group):
    return FollowFactory(group=group, mail=FollowMail.IMMEDIATE)


def unsubscribe_path(follow, group_id="same"):
    token = notifications.unsubscribe_token(
        user_id=follow.user_id, group_id=follow.group_id if group_id == "same" else group_id
    )
    return reverse("groups:unsubscribe", kwargs={"token": token})


def test_unsubscribe_link_works_logged_out_with_a_confirmation_button(client, follow):
    path = unsubscribe_path(follow)
    page = client.get(path)
    assert page.status_code == 200
    assert "Unsubscribe</button>" in page.content.decode()
    follow.refresh_from_db()
    assert follow.mail == FollowMail.IMMEDIATE  # a GET (a link scanner) changes nothing
    response = client.post(path)
    assert response.status_code == 200 and "Done" in response.content.decode()
    follow.refresh_from_db()
    assert follow.mail == FollowMail.NONE


def test_rfc_8058_one_click_post_without_csrf_token(follow):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        unsubscribe_path(follow), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    follow.refresh_from_db()
    assert follow.mail == FollowMail.NONE


def test_tampered_unsubscribe_token_is_a_400_and_changes_nothing(client, follow):
    token = notifications.unsubscribe_token(user_id=follow.user_id, group_id=follow.group_id)
    forged = signing.dumps({"u": follow.user_id + 1, "g": follow.group_id}, salt="another.salt")
    for bad in (token[:-2] + "xx", forged, "not-a-token"):
        response = client.post(reverse("groups:unsubscribe", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    follow.refresh_from_db()
    assert follow.mail == FollowMail.IMMEDIATE


def test_digest_unsubscribe_stops_every_weekly_follow_only(client, db):
    reader = UserFactory()
    weekly = [FollowFactory(user=reader, mail=FollowMail.WEEKLY) for _ in range(2)]
    immediate = FollowFactory(user=reader, mail=FollowMail.IMMEDIATE)
    client.post(unsubscribe_path(weekly[0], group_id=None))
    assert list(Follow.objects.filter(pk__in=[f.pk for f in weekly]).values_list("mail", flat=True)) == ["none"] * 2
    immediate.refresh_from_db()
    assert immediate.mail == FollowMail.IMMEDIATE


def test_each_person_sees_their_own_email_choice_checked(group):
    """The follow form's markup is reused between pages (core.forms, `reuse_field_markup`): by choice and
    language, so nobody is shown another person's choice."""
    core_forms._REUSED_MARKUP.clear()
    people = {}
    for choice in ("weekly", "none"):
        person = UserFactory()
        Follow.objects.create(user=person, group=group, mail=choice)
        people[choice] = Client()
        people[choice].force_login(person)
    stranger = Client()
    stranger.force_login(UserFactory())

    def checked(client):
        page = client.get(group.get_absolute_url()).content.decode()
        return [value for value in FollowMail.values if _is_checked(page, value)]

    for _ in range(2):
        assert checked(people["weekly"]) == ["weekly"]
        assert checked(people["none"]) == ["none"]
        assert checked(stranger) == ["immediate"]  # not following yet: the form's default
    assert core_forms._REUSED_MARKUP, "nothing was reused: the test would prove nothing"


def _is_checked(page, value):
    return re.search(rf'<input type="radio" name="mail" value="{value}"[^>]* checked', page) is not None
