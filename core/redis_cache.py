"""Django's Redis cache with an outage breaker: a frozen or unreachable Redis costs one short timeout,
not one per request.

Every connection has short connect and read timeouts (settings.REDIS_CLIENT_OPTIONS), so a Redis that
stops answering raises within a fraction of a second. After such an error this process does not
touch Redis again for settings.REDIS_OUTAGE_RETRY_SECONDS: every cache call raises a
`redis.exceptions.ConnectionError` at once, so the paths that already handle an outage take over
immediately — shared pages and figures are rendered (fail open, core/caching.py), rate-limited
actions get the 503 page (fail closed, localism/middleware.py), /healthz says 503. The first call
after that window tries Redis again.
"""

import functools
import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class OutageBreaker:
    """Remembers, per process, until when Redis is treated as down."""

    def __init__(self):
        self._lock = threading.Lock()
        self._down_until = 0.0

    def check(self):
        if time.monotonic() < self._down_until:
            raise RedisConnectionError("Redis did not answer moments ago; not asking again yet")

    def trip(self, error):
        with self._lock:
            first = time.monotonic() >= self._down_until
            self._down_until = time.monotonic() + settings.REDIS_OUTAGE_RETRY_SECONDS
        if first:
            logger.error("Redis unavailable (%s): not used for %s s", error, settings.REDIS_OUTAGE_RETRY_SECONDS)

    def reset(self):
        with self._lock:
            self._down_until = 0.0


breaker = OutageBreaker()

# RedisCache's own operations; get_or_set, decr and the *_many variants are built on these or listed.
_OPERATIONS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear")


def _guarded(operation, *, check=True):
    """`operation` behind the breaker: refused at once while Redis is treated as down (unless not `check`),
    and any Redis error trips it."""

    @functools.wraps(operation)
    def call(self, *args, **kwargs):
        if check:
            breaker.check()
        try:
            return operation(self, *args, **kwargs)
        except RedisError as error:
            breaker.trip(error)
            raise

    return call


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client with one `redis.Redis` per server, kept, instead of a new one per operation.

    Django builds a `redis.Redis` around the server's connection pool for every get or set: 0.08 ms here,
    about a third of a cache read, and an anonymous page that misses the page cache makes four or more.
    redis-py's clients are safe to share between threads (each command borrows a connection from the pool)
    and their pools reconnect after a fork or a lost connection, so one per server does what Django's do.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # Django's, made once per server and kept
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """settings.CACHES backend in production: RedisCache behind the process's outage breaker, sharing one
    client per server (`SharedClientRedisCacheClient`)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    # `set`, tried even while this process leaves Redis alone: for a write other processes must see (a deleted
    # session's marker, core.sessions). An error still trips the breaker.
    set_past_breaker = _guarded(RedisCache.set, check=False)


for _name in _OPERATIONS:
    setattr(ResilientRedisCache, _name, _guarded(getattr(RedisCache, _name)))
