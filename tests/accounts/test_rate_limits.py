import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signup_rate_limit_answers_429_with_readable_page(client):
    allowed = int(settings.ACCOUNT_RATE_LIMITS["signup"].split("/")[0])
    bad = {"email": "x", "display_name": "", "password1": "a", "password2": "b"}
    for _ in range(allowed):
        assert client.post(reverse("account_signup"), bad).status_code == 200
    response = client.post(reverse("account_signup"), bad)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts" in html
    assert "<main" in html  # our own layout, not a bare error


def test_failed_logins_for_one_address_are_limited(client):
    from ..factories import UserFactory

    UserFactory(email="kim@example.org")
    per_key = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[1].split("/")[0])
    for _ in range(per_key):
        response = client.post(reverse("account_login"), {"login": "kim@example.org", "password": "nope-nope"})
        assert b"not correct" in response.content
    response = client.post(reverse("account_login"), {"login": "kim@example.org", "password": "nope-nope"})
    assert response.status_code in (200, 429)
    assert b"Too many" in response.content


def test_admin_login_is_protected_by_allauth(client):
    response = client.get("/admin/login/")
    # secure_admin_login sends people to allauth's rate-limited login page.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(client):
    """A stranger guessing from their address is stopped there; the owner signs in from theirs."""
    from ..factories import UserFactory

    UserFactory(email="moderator@example.org", password="the-right-password-1")
    per_key = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[1].split("/")[0])
    stranger = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(per_key):
        client.post(reverse("account_login"), {"login": "moderator@example.org", "password": "guess"}, **stranger)
    refused = client.post(
        reverse("account_login"), {"login": "moderator@example.org", "password": "the-right-password-1"}, **stranger
    )
    assert b"Too many" in refused.content and "_auth_user_id" not in client.session

    owner = client.post(
        reverse("account_login"),
        {"login": "moderator@example.org", "password": "the-right-password-1"},
        REMOTE_ADDR="198.51.100.20",
    )
    assert owner.status_code == 302
    assert client.session["_auth_user_id"]
