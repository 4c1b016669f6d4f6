"""Someone invited to help run a group who has no account yet: from the mail's link to accepting."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership, Role

from ..accounts.test_signup import SIGNUP, confirmation_link
from ..factories import PASSWORD, UserFactory
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db

INVITED = SIGNUP["email"]


def accept_url(invitation):
    return reverse("groups:accept_invitation", kwargs={"token": invitation.token})


@pytest.fixture
def invitation(group, owner):
    owner.display_name = "Priya"
    owner.save()
    return InvitationFactory(group=group, email=INVITED, invited_by=owner)


def links(html):
    return {text.strip(): href for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', html)}


def test_anonymous_visitor_sees_which_group_invited_them_and_both_ways_in(client, invitation, group):
    response = client.get(accept_url(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Priya has invited you" in html
    assert group.name in html
    assert INVITED in html
    found = links(html)
    signup, login = urlsplit(found["Create an account"]), urlsplit(found["Log in to accept"])
    assert signup.path == reverse("account_signup")
    assert login.path == reverse("account_login")
    for link in (signup, login):
        # The way back is a path on this site; the token goes nowhere else.
        assert parse_qs(link.query) == {"next": [accept_url(invitation)]}
    assert html.index("Create an account") < html.index("Log in to accept")
    assert "Accept the invitation" not in html  # nothing to accept before logging in
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]
    assert not Membership.objects.filter(group=group, role=Role.ORGANISER).exists()


def test_anonymous_post_is_sent_to_log_in_and_changes_nothing(client, invitation, group):
    response = client.post(accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={accept_url(invitation)}"
    assert Membership.objects.filter(group=group).count() == 1  # only the owner


def test_sign_up_from_the_invitation_is_pre_filled_and_says_why(client, invitation, group):
    response = client.get(reverse("account_signup"), {"next": accept_url(invitation)})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{INVITED}"' in html
    assert f"invitation to help run {group.name}" in html
    assert f'name="next" value="{accept_url(invitation)}"' in html


@pytest.mark.parametrize(
    "next_url",
    [
        "/groups/invitations/not-a-real-token/",
        "https://evil.example/groups/invitations/{token}/",
        "//evil.example/groups/invitations/{token}/",
        "/groups/",
        "/%%%/",
    ],
)
def test_sign_up_with_any_other_next_is_a_plain_sign_up(client, invitation, next_url):
    response = client.get(reverse("account_signup"), {"next": next_url.format(token=invitation.token)})
    assert response.status_code == 200
    html = response.content.decode()
    assert INVITED not in html
    assert "invitation to help run" not in html


def test_sign_up_for_a_used_or_expired_invitation_is_not_pre_filled(client, invitation):
    invitation.expires_at = timezone.now() - dt.timedelta(minutes=1)
    invitation.save()
    html = client.get(reverse("account_signup"), {"next": accept_url(invitation)}).content.decode()
    assert INVITED not in html


def test_sign_up_confirm_and_come_back_to_accept(client, invitation, group, django_capture_on_commit_callbacks):
    client.get(accept_url(invitation))
    response = client.post(reverse("account_signup"), {**SIGNUP, "next": accept_url(invitation)})
    assert response.status_code == 302
    confirmation = [m for m in mail.outbox if m.to == [INVITED]][-1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirmation_link(confirmation))
    # Logged in by the confirmation (same browser) and carried back to the invitation.
    assert response.status_code == 302
    assert response["Location"] == accept_url(invitation)
    page = client.get(accept_url(invitation))
    assert "Accept the invitation" in page.content.decode()
    response = client.post(accept_url(invitation), follow=True)
    assert f"Welcome! You are now an organiser of {group.name}." in response.content.decode()
    assert Membership.objects.get(group=group, user__email=INVITED).role == Role.ORGANISER


def test_log_in_from_the_invitation_comes_back_to_it(client, invitation):
    UserFactory(email=INVITED)
    response = client.post(
        f"{reverse('account_login')}?next={accept_url(invitation)}",
        {"login": INVITED, "password": PASSWORD, "next": accept_url(invitation)},
    )
    assert response.status_code == 302
    assert response["Location"] == accept_url(invitation)


def test_log_in_page_from_the_invitation_says_why_and_keeps_the_way_back_to_sign_up(client, invitation, group):
    response = client.get(reverse("account_login"), {"next": accept_url(invitation)})
    html = response.content.decode()
    assert f"invitation to help run {group.name}" in html
    signup = urlsplit(links(html)["Sign up"])
    assert parse_qs(signup.query) == {"next": [accept_url(invitation)]}


def test_log_in_to_another_site_is_not_followed(client):
    UserFactory(email=INVITED)
    response = client.post(
        reverse("account_login"), {"login": INVITED, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("change", [{"accepted_at": timezone.now()}, {"expires_at": timezone.now()}])
def test_anonymous_visitor_of_a_used_or_expired_invitation_is_told_without_a_log_out_button(client, invitation, change):
    for field, value in change.items():
        setattr(invitation, field, value)
    invitation.save()
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    html = response.content.decode()
    assert "ask the group&#x27;s owner for a new one" in html.lower()
    assert "Log out" not in html
    assert "Create an account" not in html


def test_anonymous_visitor_of_an_unknown_token_gets_404(client):
    assert client.get(reverse("groups:accept_invitation", kwargs={"token": "not-a-real-token"})).status_code == 404
