"""Sessions are stored in the database and read from the cache (core/sessions.py): a signed-in page
costs no session query, logging out ends the session everywhere, and the person is still checked
against the database on every request."""

import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.sessions import SessionStore

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached_sessions(settings):
    # The engine of every site with Redis (without it, sessions are read from the database): here on the test
    # cache, a real Redis when the suite runs with REDIS_URL.
    settings.SESSION_ENGINE = "core.sessions"


def session_queries(captured):
    return [query["sql"] for query in captured if "django_session" in query["sql"]]


def signed_in_client(user):
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def shows_signed_in(response, user):
    return response.status_code == 200 and user.display_name in response.content.decode()


def shows_signed_out(response, user):
    html = response.content.decode()
    return response.status_code == 200 and user.display_name not in html and reverse("account_login") in html


def test_a_signed_in_page_reads_the_session_from_the_cache():
    user = UserFactory()
    client = signed_in_client(user)
    with CaptureQueriesContext(connection) as captured:
        first = client.get(reverse("about"))
        second = client.get(reverse("about"))
    assert shows_signed_in(first, user) and shows_signed_in(second, user)
    # Logging in stored the session in the cache as well: neither page asked the database for it.
    assert session_queries(captured.captured_queries) == []
    # Who the person is still comes from the database, every time.
    assert sum("accounts_user" in query["sql"] for query in captured.captured_queries) >= 2


def test_with_no_cache_time_every_page_reads_the_session_from_the_database(settings):
    settings.SESSION_CACHE_SECONDS = 0
    user = UserFactory()
    client = signed_in_client(user)
    with CaptureQueriesContext(connection) as captured:
        assert shows_signed_in(client.get(reverse("about")), user)
        assert shows_signed_in(client.get(reverse("about")), user)
    assert len(session_queries(captured.captured_queries)) == 2


def test_a_cached_session_is_read_from_the_database_again_after_its_cache_time(settings):
    settings.SESSION_CACHE_SECONDS = 1
    user = UserFactory()
    client = signed_in_client(user)
    with CaptureQueriesContext(connection) as captured:
        assert shows_signed_in(client.get(reverse("about")), user)
    assert session_queries(captured.captured_queries) == []
    time.sleep(1.2)
    with CaptureQueriesContext(connection) as captured:
        assert shows_signed_in(client.get(reverse("about")), user)
        assert shows_signed_in(client.get(reverse("about")), user)
    # Read once from the database when the cached copy had expired, then from the cache again.
    assert len(session_queries(captured.captured_queries)) == 1


def test_logging_out_ends_the_session_for_every_copy_of_its_cookie():
    user = UserFactory()
    client = signed_in_client(user)
    assert shows_signed_in(client.get(reverse("about")), user)
    stolen = Client()
    stolen.cookies = client.cookies.__class__(client.cookies)  # the same session cookie, elsewhere
    assert shows_signed_in(stolen.get(reverse("about")), user)

    assert client.post(reverse("account_logout")).status_code == 302

    assert shows_signed_out(stolen.get(reverse("about")), user)


def test_a_changed_password_ends_other_sessions_at_once_though_they_are_cached():
    user = UserFactory()
    elsewhere = signed_in_client(user)
    assert shows_signed_in(elsewhere.get(reverse("about")), user)

    user.set_password("a-new-and-different-passphrase")
    user.save()

    assert shows_signed_out(elsewhere.get(reverse("about")), user)


def test_a_deactivated_account_is_signed_out_at_once_though_its_session_is_cached():
    user = UserFactory()
    client = signed_in_client(user)
    assert shows_signed_in(client.get(reverse("about")), user)
    user.is_active = False
    user.save()
    assert shows_signed_out(client.get(reverse("about")), user)


def test_a_session_read_just_before_its_logout_is_not_put_back_in_the_cache():
    user = UserFactory()
    client = signed_in_client(user)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    cache.delete(SessionStore.cache_key_prefix + key)  # its cached copy has run out
    reading = SessionStore(key)
    read_from_database = reading._get_session_from_db

    def read_then_logged_out_elsewhere():
        stored = read_from_database()
        SessionStore(key).delete()  # another request logs out meanwhile
        return stored

    reading._get_session_from_db = read_then_logged_out_elsewhere
    assert reading.load()["_auth_user_id"] == str(user.pk)  # the request in flight still had it
    assert shows_signed_out(client.get(reverse("about")), user)


def test_a_session_given_a_short_life_is_not_kept_in_the_cache_beyond_it():
    user = UserFactory()
    client = signed_in_client(user)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    session = SessionStore(key)
    session.load()
    session.set_expiry(1)  # ends in a second, in the database and in the cache
    session.save()
    assert shows_signed_in(client.get(reverse("about")), user)
    time.sleep(1.5)
    assert shows_signed_out(client.get(reverse("about")), user)
