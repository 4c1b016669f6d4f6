"""Sessions kept in the database and read from the cache (Redis), for at most a minute at a time.

Django's `cached_db` engine (settings.SESSION_ENGINE when REDIS_URL is set; without Redis each process
would keep its own copies, so sessions are then read from the database), with these changes:

- **Redis is an optimisation, never a requirement.** If the cache cannot be read or written, the
  session is read from and written to the database alone, so people stay signed in through a Redis
  outage (Django's own engine lets a failed cache write after a database read raise).
- **A cached copy lasts `SESSION_CACHE_SECONDS`** (60 s), not the session's two weeks.
- **A deleted session stays deleted.** Logging out (or signing in, which replaces the session) leaves a
  marker under the old key for `SESSION_CACHE_SECONDS`, written even while this process is leaving an
  unreachable Redis alone (core.redis_cache's breaker: other processes may still reach it). A request
  that read the session from the database just before it was deleted cannot put it back: copies are
  only ever added, never written over a marker. Only a Redis that cannot be reached at the moment of the
  logout can leave an old copy readable elsewhere, for those seconds at most.

Who the person is, and whether they may still sign in, is not cached: Django reads the user from the
database on every request and checks the session against their password (a password change or a
deactivated account ends every session at once).
"""

import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)

# What a deleted session's key holds in the cache, instead of the session's data (a dict).
DELETED = "deleted-session"


class SessionStore(cached_db.SessionStore):
    def _cache_seconds(self, **expiry):
        # Without `expiry`, the session's own (set_expiry) or else the cookie's age, as Django reckons it.
        return min(settings.SESSION_CACHE_SECONDS, self.get_expiry_age(**expiry))

    def _quietly(self, write, *args, what):
        """`write(*args)`, a cache write; a failure is logged as `what`, never raised."""
        try:
            write(*args)
        except Exception as error:  # noqa: BLE001 - the database holds every session: the cache may fail
            logger.warning("session cache unavailable (%s): %s", error, what)

    def load(self):
        data = None
        if settings.SESSION_CACHE_SECONDS > 0:
            try:
                data = self._cache.get(self.cache_key)
            except Exception as error:  # noqa: BLE001 - an outage, or a copy that cannot be read
                logger.warning("session cache unavailable (%s): reading the session from the database", error)
        if data == DELETED:
            self._session_key = None  # as for a key the database does not know: a new one will be made
            return {}
        if data is None:
            stored = self._get_session_from_db()
            if not stored:
                return {}
            data = self.decode(stored.session_data)
            seconds = self._cache_seconds(expiry=stored.expire_date)
            if seconds > 0:
                # add, not set: a logout since the database was read has left its marker, which stays.
                self._quietly(self._cache.add, self.cache_key, data, seconds, what="copy not kept")
        return data

    def exists(self, session_key):
        # Asked when a new key is chosen: the database holds every session, so it alone answers.
        return cached_db.DBStore.exists(self, session_key)

    def save(self, must_create=False):
        cached_db.DBStore.save(self, must_create)
        seconds = self._cache_seconds()
        if seconds > 0:
            self._quietly(self._cache.set, self.cache_key, self._session, seconds, what="copy not updated")
        else:
            self._quietly(self._cache.delete, self.cache_key, what="an expired session's copy not deleted")

    def delete(self, session_key=None):
        cached_db.DBStore.delete(self, session_key)
        key = session_key if session_key is not None else self.session_key
        if key is None or settings.SESSION_CACHE_SECONDS <= 0:
            return
        # Past this process's outage breaker, where the cache has one (core.redis_cache): others may reach Redis.
        mark = getattr(self._cache, "set_past_breaker", self._cache.set)
        seconds = settings.SESSION_CACHE_SECONDS
        self._quietly(mark, self.cache_key_prefix + key, DELETED, seconds, what="deleted session not marked")

    # The async variants do what the sync ones do (Django's would cache for the session's whole age and
    # raise when Redis is down). Nothing of ours calls them: the site runs under WSGI.
    async def aload(self):
        return await sync_to_async(self.load)()

    async def aexists(self, session_key):
        return await sync_to_async(self.exists)(session_key)

    async def asave(self, must_create=False):
        return await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key=None):
        return await sync_to_async(self.delete)(session_key)
