import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "sam@example.org",
    "display_name": "Sam from Hook Norton",
    "home_area": "OX15",
    "password1": "green-valleys-hydro-2026",
    "password2": "green-valleys-hydro-2026",
}


def confirmation_link(message):
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_verify_and_log_in(client, django_capture_on_commit_callbacks):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get(email="sam@example.org")
    assert user.display_name == "Sam from Hook Norton"
    assert user.home_area == "OX15"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.org"]

    # Mandatory verification: no log-in before the address is confirmed.
    client.logout()
    response = client.post(reverse("account_login"), {"login": "sam@example.org", "password": SIGNUP["password1"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    link = confirmation_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified

    welcome = [m for m in mail.outbox if "Welcome" in m.subject]
    assert len(welcome) == 1
    assert "Sam from Hook Norton" in welcome[0].body

    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {"login": "sam@example.org", "password": SIGNUP["password1"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_taken_email_is_refused_and_typing_kept(client):
    UserFactory(email="sam@example.org")
    response = client.post(reverse("account_signup"), SIGNUP)
    # allauth prevents enumeration: a taken address looks like success, and the owner is told by mail.
    assert response.status_code == 302
    assert User.objects.filter(email="sam@example.org").count() == 1
    assert any("sam@example.org" in m.to for m in mail.outbox)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        ({"password1": "short1", "password2": "short1"}, "password1", "at least 10 characters"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"display_name": "   "}, "display_name", "required"),
        ({"password2": "something-else-entirely"}, "password2", "same password"),
    ],
)
def test_bad_sign_up_shows_error_and_keeps_what_was_typed(client, change, field, message):
    data = {**SIGNUP, **change}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.lower() or message in html
    assert 'aria-invalid="true"' in html
    assert "There is a problem" in html
    # What the person typed (except passwords) is still in the form.
    for name in ("email", "display_name", "home_area"):
        if data[name].strip():
            assert f'value="{data[name]}"' in html
    assert not User.objects.filter(email=data["email"]).exists()


def test_wrong_password_does_not_log_in_and_keeps_email(client):
    UserFactory(email="kim@example.org")
    response = client.post(reverse("account_login"), {"login": "kim@example.org", "password": "wrong-password"})
    assert response.status_code == 200
    assert b'value="kim@example.org"' in response.content
    assert b"not correct" in response.content
    assert "_auth_user_id" not in client.session


def test_log_in_with_verified_account(client):
    user = UserFactory(email="kim@example.org")
    response = client.post(reverse("account_login"), {"login": "kim@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_password_reset_sends_mail_with_working_link(client):
    UserFactory(email="kim@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "kim@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    assert match
    response = client.get(match.group(1), follow=True)
    assert response.status_code == 200
    assert b"password1" in response.content
