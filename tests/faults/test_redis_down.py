"""Redis stops under a running site: pages still render, and work enqueued after a commit is not lost.

The site is pointed at a throw-away redis-server (cache and Celery broker), which is then killed.
Design: shared pages and figures fail open (rendered without the cache), so pages keep rendering; enqueueing after a commit falls
back to running the (idempotent) task inline when the broker is unreachable
(`localism.celery.InlineWhenBrokerDownTask`), so the saved change is answered normally and the
mail still goes out. /healthz reports Redis as down (503) so the load balancer and alerts see it.
"""

from django.core import mail
from django.urls import reverse

from groups.models import ActionSignup
from learning.models import Connection

from ..security.test_permission_matrix import World


def test_with_redis_up_work_is_enqueued_not_run_inline(client, site_on_own_redis):
    world = World()
    client.force_login(world.users["stranger"])
    response = client.post(reverse("groups:action_signup", kwargs={"slug": world.group.slug, "pk": world.action.pk}))
    assert response.status_code == 302
    # The notice waits in our Redis for a worker: not sent in the request.
    assert mail.outbox == []
    import redis

    assert redis.Redis.from_url(site_on_own_redis.url).llen("celery") >= 1


def test_redis_down_pages_render_and_enqueued_work_runs_inline(client, site_on_own_redis):
    world = World()
    site_on_own_redis.kill()

    for page in (
        reverse("home"),
        reverse("groups:list"),
        reverse("groups:detail", kwargs={"slug": world.group.slug}),
        reverse("groups:action", kwargs={"slug": world.group.slug, "pk": world.action.pk}),
        reverse("challenges:solution", kwargs={"group_slug": world.group.slug, "slug": world.solution.slug}),
        reverse("learning:index"),
    ):
        assert client.get(page).status_code == 200, page

    health = client.get(reverse("healthz"))
    assert health.status_code == 503
    assert health.json()["checks"] == {"database": "ok", "redis": "error"}

    # Signing up for an action: saved, answered normally, and the confirmation mail still sent.
    stranger = world.users["stranger"]
    client.force_login(stranger)
    response = client.post(reverse("groups:action_signup", kwargs={"slug": world.group.slug, "pk": world.action.pk}))
    assert response.status_code == 302, response.status_code
    signup = ActionSignup.objects.get(action=world.action, user=stranger)
    signup.refresh_from_db()
    assert signup.notice_sent_at is not None
    assert [stranger.email] in [message.to for message in mail.outbox]

    # Asking a peer: saved and the other group's managers are told.
    world.connection.delete()
    mail.outbox.clear()
    client.force_login(world.peer_owner)
    response = client.post(
        reverse("learning:ask", kwargs={"slug": world.group.slug}),
        {"from_group": world.peer_group.pk, "message": "How did you start your repair café?"},
    )
    assert response.status_code == 302, response.status_code
    assert Connection.objects.filter(from_group=world.peer_group, to_group=world.group).exists()
    assert mail.outbox, "the connection notice was lost"

    # Publishing an update: saved and shown.
    client.force_login(world.users["owner"])
    response = client.post(
        reverse("challenges:update_create", kwargs={"group_slug": world.group.slug, "slug": world.solution.slug}),
        {"title": "Redis is down but we are not", "body": "Ten homes.", "status": "published"},
    )
    assert response.status_code == 302, response.status_code
    assert client.get(response["Location"]).status_code == 200


def test_redis_down_list_counts_are_counted(client, site_on_own_redis):
    """The lists' shared counts (core.caching.cached_count) fail open: counted for each page, and a change made
    while Redis is down counts at once."""
    from ..factories import GroupFactory

    for number in range(25):
        GroupFactory(region="wales", name=f"Welsh group {number:02}")
    assert "25 groups" in client.get(reverse("groups:list"), {"region": "wales"}).content.decode()
    site_on_own_redis.kill()
    GroupFactory(region="wales")
    response = client.get(reverse("groups:list"), {"region": "wales", "page": "1"})
    assert response.status_code == 200
    assert "26 groups" in response.content.decode()


def test_redis_down_signed_in_people_stay_signed_in_and_can_log_out(site_on_own_redis, settings):
    """Sessions are read from Redis (core.sessions) but live in the database: when Redis goes, a session it
    held is read from the database, a new one is kept there alone, and logging out still ends it."""
    from django.test import Client

    from ..factories import PASSWORD, UserFactory

    settings.SESSION_ENGINE = "core.sessions"

    person = UserFactory()
    client = Client()
    assert client.login(email=person.email, password=PASSWORD)
    assert person.display_name in client.get(reverse("about")).content.decode()  # the session, from Redis

    site_on_own_redis.kill()
    page = client.get(reverse("about"))
    assert page.status_code == 200
    assert person.display_name in page.content.decode()

    # Signing in while Redis is down, then out.
    other = UserFactory()
    second = Client()
    assert second.login(email=other.email, password=PASSWORD)
    assert other.display_name in second.get(reverse("about")).content.decode()
    assert second.post(reverse("account_logout")).status_code == 302
    assert other.display_name not in second.get(reverse("about")).content.decode()


def test_redis_back_after_a_restart_the_cache_works_again(client, site_on_own_redis):
    """The cache keeps one Redis client per server (core.redis_cache.SharedClientRedisCacheClient): connections
    it held to a Redis that died are replaced once Redis is back, in the same process."""
    from django.core.cache import cache, caches

    from core.redis_cache import breaker

    client_of_the_cache = caches["default"]._cache.get_client(write=True)
    cache.set("before", "kept", 60)
    assert cache.get("before") == "kept"
    assert caches["default"]._cache.get_client(write=True) is client_of_the_cache  # kept, not built per call
    site_on_own_redis.kill()
    assert client.get(reverse("home")).status_code == 200  # rendered without the cache

    site_on_own_redis.start()
    breaker.reset()  # as if REDIS_OUTAGE_RETRY_SECONDS had passed
    assert cache.get("before") is None  # a new, empty Redis
    cache.set("after", "stored", 60)
    assert cache.get("after") == "stored"
    assert client.get(reverse("home")).status_code == 200
    assert caches["default"]._cache.get_client(write=True) is client_of_the_cache  # the same client, reconnected


def test_a_logout_reaches_redis_while_this_process_leaves_it_alone(site_on_own_redis, settings):
    """After a Redis error a process leaves Redis alone for a few seconds (core.redis_cache's breaker), but other
    processes may still read sessions from it: a logout's marker is written all the same (core.sessions)."""
    from django.test import Client
    from redis.exceptions import ConnectionError as RedisConnectionError

    from core.redis_cache import breaker

    from ..factories import PASSWORD, UserFactory

    settings.SESSION_ENGINE = "core.sessions"
    person = UserFactory()
    client = Client()
    assert client.login(email=person.email, password=PASSWORD)
    elsewhere = Client()
    elsewhere.cookies = client.cookies.__class__(client.cookies)  # the same session, asked of another process
    assert person.display_name in elsewhere.get(reverse("about")).content.decode()

    breaker.trip(RedisConnectionError("did not answer a moment ago"))
    assert client.post(reverse("account_logout")).status_code == 302
    breaker.reset()  # the other process, which reaches Redis

    page = elsewhere.get(reverse("about")).content.decode()
    assert person.display_name not in page
    assert reverse("account_login") in page
