"""Accepting an invitation from the link in the mail, and the mail itself."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import Membership, Role
from groups.tasks import send_invitation_email

from ..factories import UserFactory
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db


def accept_url(invitation):
    return reverse("groups:accept_invitation", kwargs={"token": invitation.token})


@pytest.fixture
def invitee(db):
    return UserFactory(email="sam@example.org", display_name="Sam")


def test_invitation_mail_is_sent_once_even_if_the_task_runs_twice(group):
    invitation = InvitationFactory(group=group, email="sam@example.org")
    assert send_invitation_email.delay(invitation.pk).get() is True
    assert send_invitation_email.delay(invitation.pk).get() is False
    assert len(mail.outbox) == 1
    assert group.name in mail.outbox[0].subject
    assert accept_url(invitation) in mail.outbox[0].body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_failed_send_releases_the_claim_so_a_retry_sends(group, settings):
    invitation = InvitationFactory(group=group)
    working_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "tests.mail_backends.MailServerDown"
    with pytest.raises(OSError):
        services.send_invitation_email(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    settings.EMAIL_BACKEND = working_backend
    assert services.send_invitation_email(invitation_id=invitation.pk) is True
    assert len(mail.outbox) == 1


def test_expired_invitation_is_not_mailed(group):
    invitation = InvitationFactory(group=group, expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert services.send_invitation_email(invitation_id=invitation.pk) is False
    assert mail.outbox == []


def test_link_shows_a_confirmation_then_accepting_makes_an_organiser(client, group, invitee):
    invitation = InvitationFactory(group=group, email=invitee.email)
    client.force_login(invitee)
    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    assert "Accept the invitation" in page.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()  # opening the link changes nothing
    response = client.post(accept_url(invitation), follow=True)
    assert response.redirect_chain == [(group.get_absolute_url(), 302)]
    assert f"Welcome! You are now an organiser of {group.name}." in response.content.decode()
    assert Membership.objects.get(group=group, user=invitee).role == Role.ORGANISER
    assert f'href="/groups/{group.slug}/members/"' in response.content.decode()


def test_member_accepting_is_upgraded(client, group, member):
    invitation = InvitationFactory(group=group, email=member.email)
    client.force_login(member)
    client.post(accept_url(invitation))
    assert Membership.objects.get(group=group, user=member).role == Role.ORGANISER


def test_expired_invitation_is_410(client, group, invitee):
    invitation = InvitationFactory(group=group, email=invitee.email, expires_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(invitee)
    for response in (client.get(accept_url(invitation)), client.post(accept_url(invitation))):
        assert response.status_code == 410
        assert "This invitation has expired; ask the group&#x27;s owner for a new one." in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


def test_used_invitation_is_410(client, group, invitee):
    invitation = InvitationFactory(group=group, email=invitee.email)
    client.force_login(invitee)
    client.post(accept_url(invitation))
    response = client.post(accept_url(invitation))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_wrong_account_is_403_with_an_explanation(client, group, invitee):
    invitation = InvitationFactory(group=group, email=invitee.email)
    someone_else = UserFactory(email="alex@example.org")
    client.force_login(someone_else)
    response = client.post(accept_url(invitation))
    assert response.status_code == 403
    html = response.content.decode()
    assert "This invitation was sent to sam@example.org, but you are signed in as alex@example.org." in html
    assert "Log out, then sign in with the invited address" in html
    assert not Membership.objects.filter(group=group).exists()


def test_unknown_token_is_404(client, invitee):
    client.force_login(invitee)
    assert client.get(reverse("groups:accept_invitation", kwargs={"token": "not-a-real-token"})).status_code == 404


def test_anonymous_reads_the_invitation_and_is_offered_a_way_in_not_an_accept_button(client, group):
    # Before: a bare log-in page. Now the invitation says who invited them (tests/groups/test_invitation_newcomer.py).
    invitation = InvitationFactory(group=group)
    response = client.get(accept_url(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{reverse('account_login')}?next={accept_url(invitation)}" in html
    assert "Accept the invitation" not in html
