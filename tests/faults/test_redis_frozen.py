"""Redis freezes (SIGSTOP: sockets open, nothing answers) under a running site.

A frozen Redis is worse than a dead one: a dead one refuses connections at once, a frozen one lets
every read wait. The site's cache and broker use short timeouts (settings.REDIS_CLIENT_OPTIONS) and
an outage breaker (core/redis_cache.py), so the outage paths take over within a fraction of a
second: shared pages are rendered (fail open), rate-limited sign-in gets the 503 page (fail
closed), /healthz says 503, and work enqueued after a commit runs inline. When Redis thaws, the
site uses it again.

The limits below are generous multiples of the timeouts; before the timeouts a frozen Redis held
each such request for many seconds (the attack saw 26 s).
"""

import time

from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from core.redis_cache import breaker
from groups.models import ActionSignup

from ..security.test_permission_matrix import World

# Each request must be answered well within this, frozen or not (the timeout is 0.5 s).
PROMPT = 3.0


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_frozen_redis_costs_one_short_timeout_not_one_per_request(client, site_on_own_redis):
    world = World()
    pages = [
        reverse("home"),
        reverse("groups:list"),
        reverse("groups:detail", kwargs={"slug": world.group.slug}),
        reverse("challenges:index"),
        reverse("challenges:solution", kwargs={"group_slug": world.group.slug, "slug": world.solution.slug}),
        reverse("learning:index"),
    ]
    for page in pages:  # warm: these pages are now shared from Redis
        assert client.get(page).status_code == 200

    site_on_own_redis.freeze()
    started = time.monotonic()
    for _ in range(5):
        for page in pages:
            response, seconds = timed(lambda page=page: client.get(page))
            assert response.status_code == 200, page
            assert seconds < PROMPT, f"{page} took {seconds:.1f} s with Redis frozen"
    # Thirty page views cost about one timeout in all, not thirty.
    assert time.monotonic() - started < 2 * PROMPT


def test_frozen_redis_healthz_says_503_promptly(client, site_on_own_redis):
    site_on_own_redis.freeze()
    response, seconds = timed(lambda: client.get(reverse("healthz")))
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "error"
    assert seconds < PROMPT


def test_frozen_redis_sign_in_fails_closed_promptly_and_recovers(client, site_on_own_redis):
    world = World()
    owner = world.users["owner"]
    owner.set_password("right-password-123")
    owner.save()
    site_on_own_redis.freeze()
    response, seconds = timed(
        lambda: client.post(reverse("account_login"), {"login": owner.email, "password": "right-password-123"})
    )
    # allauth's rate limits need the cache: refused with our page, not a hang and not a 500.
    assert response.status_code == 503
    assert b"try again in a minute" in response.content
    assert seconds < PROMPT

    site_on_own_redis.thaw()
    breaker.reset()  # as if REDIS_OUTAGE_RETRY_SECONDS had passed
    assert cache.get("missing-key") is None  # the cache answers again
    # The frozen request's rate-limit lock reached Redis when it thawed; allauth lets such a lock
    # expire after 10 s and answers 429 meanwhile. Then the owner signs in.
    deadline = time.monotonic() + 15
    while True:
        response = client.post(reverse("account_login"), {"login": owner.email, "password": "right-password-123"})
        if response.status_code == 302 or time.monotonic() > deadline:
            break
        assert response.status_code == 429, response.status_code
        time.sleep(1)
    assert response.status_code == 302


def test_frozen_broker_enqueued_work_runs_inline_promptly(client, site_on_own_redis):
    world = World()
    stranger = world.users["stranger"]
    client.force_login(stranger)
    site_on_own_redis.freeze()
    url = reverse("groups:action_signup", kwargs={"slug": world.group.slug, "pk": world.action.pk})
    response, seconds = timed(lambda: client.post(url))
    assert response.status_code == 302
    assert seconds < 2 * PROMPT, f"signing up took {seconds:.1f} s with the broker frozen"
    signup = ActionSignup.objects.get(action=world.action, user=stranger)
    assert signup.notice_sent_at is not None
    assert [stranger.email] in [message.to for message in mail.outbox]
