"""Anonymous visitors share cached public pages; anyone with a session always gets a fresh page."""

import pytest
from django.urls import reverse

from .factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching_on(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 60


def test_anonymous_list_is_served_from_the_cache(client, caching_on, django_assert_num_queries):
    GroupFactory(name="Reepham Green Team")
    first = client.get(reverse("groups:list"))
    assert first.status_code == 200
    GroupFactory(name="Added a moment later")
    with django_assert_num_queries(0):
        second = client.get(reverse("groups:list"))
    assert second.content == first.content
    assert "Added a moment later" not in second.content.decode()


def test_signed_in_people_always_see_a_fresh_page(client, caching_on):
    client.get(reverse("groups:list"))  # fills the anonymous cache
    GroupFactory(name="Added a moment later")
    client.force_login(UserFactory())
    assert "Added a moment later" in client.get(reverse("groups:list")).content.decode()


def test_cached_pages_carry_no_cookie_and_no_csrf_token(client, caching_on):
    group = GroupFactory()
    response = client.get(group.get_absolute_url())
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert client.get(group.get_absolute_url()).content == response.content


def test_caching_off_by_default_in_development(client, settings):
    assert settings.ANONYMOUS_PAGE_CACHE_SECONDS == 0
    client.get(reverse("groups:list"))
    GroupFactory(name="Added a moment later")
    assert "Added a moment later" in client.get(reverse("groups:list")).content.decode()


def test_pages_still_render_when_the_cache_server_is_down(client, caching_on):
    from django.test import override_settings

    GroupFactory(name="Reepham Green Team")
    # Nothing listens on port 1: every cache call fails to connect, as when Redis is stopped.
    dead_redis = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=dead_redis):
        response = client.get(reverse("groups:list"))
    assert response.status_code == 200
    assert "Reepham Green Team" in response.content.decode()


def test_login_with_the_cache_server_down_fails_closed_with_a_clear_page(client):
    from django.test import override_settings

    UserFactory(email="kim@example.org")
    dead_redis = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=dead_redis):
        response = client.post(reverse("account_login"), {"login": "kim@example.org", "password": "whatever-it-is"})
    # allauth's rate limits need the cache: refuse safely rather than skip the limit or crash.
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Please try again in a minute" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_hiding_a_group_retires_the_pages_anonymous_visitors_share(
    client, caching_on, django_capture_on_commit_callbacks
):
    from moderation import services as moderation

    group = GroupFactory(name="Reepham Green Team")
    moderator = UserFactory(is_moderator=True)
    assert "Reepham Green Team" in client.get(reverse("groups:list")).content.decode()  # now shared
    case = moderation.report(reporter=UserFactory(), kind="group", pk=group.pk, reason="spam").case
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide(case=case, by=moderator, reason="Spam.")
    assert "Reepham Green Team" not in client.get(reverse("groups:list")).content.decode()
    assert client.get(group.get_absolute_url()).status_code == 404
    # Restoring retires them again: the group is back at once.
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.restore(case=case, by=moderator, reason="Not spam after all.")
    assert "Reepham Green Team" in client.get(reverse("groups:list")).content.decode()


@pytest.fixture
def figures_cached(settings):
    settings.FIGURES_CACHE_SECONDS = 60


def test_home_figures_are_shared_for_a_while_even_with_a_session(client, figures_cached):
    client.force_login(UserFactory())  # signed in: the page itself is never shared
    GroupFactory()
    assert client.get(reverse("home")).context["figures"]["groups"] == 1
    GroupFactory()
    assert client.get(reverse("home")).context["figures"]["groups"] == 1  # the counts are
    from core.caching import forget_public_pages

    forget_public_pages()
    assert client.get(reverse("home")).context["figures"]["groups"] == 2


def test_home_figures_are_counted_when_the_cache_server_is_down(client, figures_cached):
    from django.test import override_settings

    GroupFactory()
    dead_redis = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=dead_redis):
        from core.caching import forget_public_pages

        forget_public_pages()  # does not raise either
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["figures"]["groups"] == 1
