"""Mails are written in the recipient's language, not the sender's: subject, text and links."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.services import send_welcome_email
from groups.models import Follow, FollowMail, Invitation
from learning.connections import request_connection
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBJECT_PREFIX = "[Localism] "


def welsh(message, **values):
    """`message` in Welsh, checked to differ from the English (so the test cannot pass untranslated)."""
    with translation.override("cy"):
        text = gettext(message)
    assert text != message, f"no Welsh for {message!r}"
    return text % values if values else text


def links(message):
    return re.findall(r"https?://\S+", message.body)


def test_the_welcome_mail_is_in_the_language_the_person_chose():
    cymro = UserFactory(language="cy")
    sais = UserFactory(language="en-gb")
    send_welcome_email(user_id=cymro.pk)
    send_welcome_email(user_id=sais.pk)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[cymro.email].subject == SUBJECT_PREFIX + welsh("Welcome to Localism")
    assert by_address[sais.email].subject == SUBJECT_PREFIX + "Welcome to Localism"
    # Its links open the pages in the reader's language.
    assert "/cy/groups/" in by_address[cymro.email].body and "/cy/" not in by_address[sais.email].body


def test_someone_who_never_chose_gets_english():
    person = UserFactory(language="")
    send_welcome_email(user_id=person.pk)
    assert mail.outbox[0].subject == SUBJECT_PREFIX + "Welcome to Localism"


def test_a_welsh_request_does_not_make_an_english_followers_mail_welsh(client, django_capture_on_commit_callbacks):
    """A Welsh-speaking organiser publishes an action from the Welsh page; each follower is mailed in
    their own language, with links to the pages in it (tasks run inline here, inside the Welsh request)."""
    group = GroupFactory()
    organiser = MembershipFactory(group=group, role="organiser").user
    organiser.language = "cy"
    organiser.save()
    english = UserFactory(language="en-gb")
    cymraeg = UserFactory(language="cy")
    for person in (english, cymraeg):
        Follow.objects.create(user=person, group=group, mail=FollowMail.IMMEDIATE)
    client.force_login(organiser)
    with translation.override("cy"):
        create = reverse("groups:action_create", kwargs={"slug": group.slug})
    assert create.startswith("/cy/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            create,
            {
                "title": "Caffi trwsio",
                "description": "Dewch â'ch pethau wedi torri.",
                "starts_at": "2031-05-17T10:00",
                "ends_at": "2031-05-17T12:00",
                "place_name": "Kendal",
                "capacity": "20",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {english.email, cymraeg.email}
    assert "has published a new action" in by_address[english.email].body
    assert welsh("%(group)s has published a new action:", group=group.name).strip() in by_address[cymraeg.email].body
    assert all("/cy/" not in link for link in links(by_address[english.email]) if "/groups/" in link)
    assert any("/cy/groups/" in link for link in links(by_address[cymraeg.email]))


def test_a_request_to_a_group_goes_to_each_organiser_in_their_own_language(django_capture_on_commit_callbacks):
    asking = GroupFactory()
    asker = MembershipFactory(group=asking, role="owner").user
    asked = GroupFactory()
    MembershipFactory(group=asked, role="owner", user=UserFactory(language="cy"))
    MembershipFactory(group=asked, role="organiser", user=UserFactory(language="en-gb"))
    MembershipFactory(group=asked, role="organiser", user=UserFactory(language=""))
    with django_capture_on_commit_callbacks(execute=True):
        request_connection(from_group=asking, to_group=asked, by=asker, message="How did you find volunteers?")
    assert len(mail.outbox) == 2  # one copy per language
    by_language = {("cy" if "/cy/" in message.body else "en"): message for message in mail.outbox}
    assert len(by_language["en"].to) == 2 and len(by_language["cy"].to) == 1
    assert by_language["en"].subject == SUBJECT_PREFIX + f"{asking.name} asks {asked.name} a question"
    assert by_language["cy"].subject == SUBJECT_PREFIX + welsh(
        "%(sender)s asks %(receiver)s a question", sender=asking.name, receiver=asked.name
    )


def test_an_invitation_to_a_newcomer_is_in_the_language_it_was_sent_from(client, django_capture_on_commit_callbacks):
    group = GroupFactory()
    owner = MembershipFactory(group=group, role="owner").user
    client.force_login(owner)
    with translation.override("cy"):
        invite = reverse("groups:invite", kwargs={"slug": group.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite, {"email": "newydd@example.org"})
    assert Invitation.objects.get(email="newydd@example.org").language == "cy"
    message = mail.outbox[-1]
    assert message.subject == SUBJECT_PREFIX + welsh("You are invited to help run %(group)s", group=group.name)
    assert any("/cy/groups/invitations/" in link for link in links(message))


def test_an_invitation_to_someone_with_an_account_is_in_their_language(client, django_capture_on_commit_callbacks):
    group = GroupFactory()
    owner = MembershipFactory(group=group, role="owner").user
    invited = UserFactory(language="en-gb")
    client.force_login(owner)
    with translation.override("cy"):
        invite = reverse("groups:invite", kwargs={"slug": group.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite, {"email": invited.email})
    message = mail.outbox[-1]
    assert message.subject == SUBJECT_PREFIX + f"You are invited to help run {group.name}"


def test_signing_up_in_welsh_makes_a_welsh_speaker(client, django_capture_on_commit_callbacks):
    with translation.override("cy"):
        signup = reverse("account_signup")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            signup,
            {
                "email": "siaradwr@example.org",
                "password1": "a long enough password 42",
                "password2": "a long enough password 42",
                "display_name": "Siân",
            },
        )
    assert response.status_code == 302
    from accounts.models import User

    assert User.objects.get(email="siaradwr@example.org").language == "cy"
    # allauth's confirmation mail, sent in the request, is Welsh too.
    assert "/cy/accounts/" in mail.outbox[-1].body


def test_composing_inside_a_welsh_request_for_an_english_reader_writes_english():
    reader = UserFactory(language="en-gb")
    with translation.override("cy"):
        send_welcome_email(user_id=reader.pk)
    assert mail.outbox[-1].subject == SUBJECT_PREFIX + "Welcome to Localism"
