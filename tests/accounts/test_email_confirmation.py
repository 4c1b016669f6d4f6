"""What happens when someone confirms their email address after signing up.

We log the person in when allauth can do that safely: the confirmation is posted from the same
browser session that signed up (allauth keeps the pending sign-up in the session for
ACCOUNT_LOGIN_TIMEOUT). A link opened elsewhere — another browser, a mail app's own browser, a
forwarded mail — only confirms the address and then asks the person to log in, because whoever holds
a link must not be logged in as its owner.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User

from .test_signup import SIGNUP, confirmation_link

pytestmark = pytest.mark.django_db


def test_confirming_in_the_same_browser_logs_in_without_another_log_in_form(client, django_capture_on_commit_callbacks):
    client.post(reverse("account_signup"), SIGNUP)
    user = User.objects.get(email=SIGNUP["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirmation_link(mail.outbox[0]), follow=True)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "You have confirmed sam@example.org." in response.content.decode()
    assert 'name="password"' not in response.content.decode()
    assert len([m for m in mail.outbox if "Welcome" in m.subject]) == 1


def test_confirming_in_the_same_browser_goes_on_to_the_page_they_signed_up_from(client):
    client.post(reverse("account_signup"), {**SIGNUP, "next": "/groups/"})
    response = client.post(confirmation_link(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == "/groups/"
    assert "_auth_user_id" in client.session


def test_next_to_another_site_is_not_followed_after_confirming(client):
    client.post(reverse("account_signup"), {**SIGNUP, "next": "https://evil.example/"})
    response = client.post(confirmation_link(mail.outbox[0]))
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_link_opened_in_another_browser_confirms_then_asks_to_log_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    elsewhere = Client()
    response = elsewhere.post(confirmation_link(mail.outbox[0]), follow=True)
    assert "_auth_user_id" not in elsewhere.session
    assert response.redirect_chain[-1][0] == reverse("account_login")
    html = response.content.decode()
    assert "You have confirmed sam@example.org." in html
    assert User.objects.get(email=SIGNUP["email"]).emailaddress_set.get().verified
