"""Sessions kept in the database and read from the cache (Redis), for at most a minute at a time.

Django's `cached_db` engine, with two changes:

- **Redis is an optimisation, never a requirement.** If the cache cannot be read or written, the
  session is read from and written to the database alone, so people stay signed in through a Redis
  outage (Django's own engine lets a failed cache write after a database read raise).
- **A cached session lasts `SESSION_CACHE_SECONDS`** (60 s), not the session's two weeks. Logging out
  deletes the session from the database and from the cache; if the cache could not be reached just
  then, other processes may still read the old session from it until those seconds are up, and no
  longer: the same bound as the site's other shared caches (core/caching.py).

Who the person is, and whether they may still sign in, is not cached: Django reads the user from the
database on every request and checks the session against their password (a password change or a
deleted account ends every session at once).
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache outage raises: redis-py's errors, and OSError for a socket that fails underneath it.
CACHE_ERRORS = (RedisError, OSError)


class SessionStore(cached_db.SessionStore):
    def _cache_seconds(self, expiry=None):
        return max(0, min(settings.SESSION_CACHE_SECONDS, self.get_expiry_age(expiry=expiry)))

    def _cache_set(self, data, seconds):
        if seconds <= 0:
            return
        try:
            self._cache.set(self.cache_key, data, seconds)
        except CACHE_ERRORS as error:
            logger.warning("session cache unavailable (%s): session kept in the database only", error)

    def load(self):
        data = None
        if settings.SESSION_CACHE_SECONDS > 0:
            try:
                data = self._cache.get(self.cache_key)
            except CACHE_ERRORS as error:
                logger.warning("session cache unavailable (%s): reading the session from the database", error)
        if data is None:
            stored = self._get_session_from_db()
            if not stored:
                return {}
            data = self.decode(stored.session_data)
            self._cache_set(data, self._cache_seconds(expiry=stored.expire_date))
        return data

    def exists(self, session_key):
        # Asked when a new key is chosen: the database holds every session, so it alone can answer.
        return cached_db.DBStore.exists(self, session_key)

    def save(self, must_create=False):
        cached_db.DBStore.save(self, must_create)
        self._cache_set(self._session, self._cache_seconds())

    def delete(self, session_key=None):
        cached_db.DBStore.delete(self, session_key)
        key = session_key or self.session_key
        if key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + key)
        except CACHE_ERRORS as error:
            logger.warning(
                "session cache unavailable (%s): a deleted session may be read from it for up to %s s",
                error,
                settings.SESSION_CACHE_SECONDS,
            )
