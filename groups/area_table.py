"""Every challenge area, kept in each process.

There are a dozen or so, edited now and then in the admin, and nearly every page names some: the cards of
the lists, the group page, the lists' challenge filter. Read from PostgreSQL, they cost a query a page (about
1.5 ms with its round trip); kept here they cost nothing. A group's own query reads the ids of its areas
(`selectors.with_area_ids`), and `Group.area_list` names them from here.

Nobody sees a wrong area for long (pages and filter forms shared through the cache for a minute are
another matter: core.caching):
- a change saved in this process is read again here at once (`forget_here`, from the model's signals);
- once it commits, a token in the shared cache changes (`announce_change`); every other process compares
  its token with the shared one at most once every `CHECK_SECONDS` and rereads the areas when it differs.
  A random token rather than a counter: a counter starts again at 0 when Redis is emptied, and could
  come back to the value a process kept;
- an id this process does not know (an area added elsewhere within that second) is read at once;
- without a cache to compare with (Redis unreachable), the areas are reread at each check. Without REDIS_URL
  (the embedded default: one process) the token lives in the process's own cache;
- whatever the token says, nothing is kept longer than `MOST_SECONDS`.

Known limit: a process that reads the areas inside the very transaction that changes one, and then rolls it
back, keeps what it read until the token next changes or `MOST_SECONDS` pass. Nothing reads them there today
(the admin saves and redirects).
"""

import logging
import threading
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from redis.exceptions import RedisError

from core.db import collect_until_commit

logger = logging.getLogger(__name__)

GENERATION_KEY = "challenge-areas-generation"
CHECK_SECONDS = 1.0
MOST_SECONDS = 300.0

# Tests move this clock by hand.
_clock = time.monotonic


@dataclass(frozen=True)
class AreaTable:
    areas: tuple  # every ChallengeArea, in the model's order (by name)
    by_id: dict
    generation: str | None  # the shared token read before the areas; None if there was none to read
    read_at: float
    checked_at: float

    def named(self, ids):
        """The areas with these ids, in the model's order; ids not here are left out."""
        chosen = set(ids)
        return [area for area in self.areas if area.pk in chosen]


_table: AreaTable | None = None
_lock = threading.Lock()
# Moved by every `forget_here`: a read that began before it is not kept.
_forgotten = 0


def _shared_generation():
    """The shared token, made if the cache has none (new, or emptied); None if there is no cache to share."""
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            generation = cache.get(GENERATION_KEY)
    except (RedisError, OSError) as error:
        logger.warning("cache unavailable (%s): challenge areas read from the database", error)
        return None
    return generation


def _read(generation, now):
    from .models import ChallengeArea

    areas = tuple(ChallengeArea.objects.all())
    return AreaTable(areas, {area.pk: area for area in areas}, generation, now, now)


def area_table() -> AreaTable:
    """The areas as this process keeps them, checked against the shared token at most once a second."""
    global _table
    table, now = _table, _clock()
    if table is not None and now - table.checked_at < CHECK_SECONDS:
        return table
    with _lock:
        forgotten, table = _forgotten, _table
        if table is not None and now - table.checked_at < CHECK_SECONDS:
            return table
        # The token is read before the areas: a change committed in between is read again next time.
        generation = _shared_generation()
        if (
            table is not None
            and generation is not None
            and generation == table.generation
            and now - table.read_at < MOST_SECONDS
        ):
            table = AreaTable(table.areas, table.by_id, generation, table.read_at, now)
        else:
            table = _read(generation, now)
        if forgotten == _forgotten:  # else a change was saved meanwhile: read again next time
            _table = table
        return table


def areas_named(ids):
    """The areas with these ids, in the model's order; an id not kept here yet makes this process read them
    all again."""
    table = area_table()
    if not all(area_id in table.by_id for area_id in ids):
        forget_here()
        # An id still unknown then belongs to an area deleted since the group was read: it is left out.
        table = area_table()
    return table.named(ids)


def forget_here():
    """Read the areas again at the next use in this process."""
    global _table, _forgotten
    _forgotten += 1
    _table = None


def announce_change():
    """Tell every process to read the areas again (at its next check, within CHECK_SECONDS)."""
    try:
        # Tried even if this process saw Redis fail a moment ago: other processes must hear of it.
        getattr(cache, "set_past_breaker", cache.set)(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except (RedisError, OSError) as error:
        logger.warning("cache unavailable (%s): other processes may show old challenge areas for minutes", error)


def area_changed(sender=None, **kwargs):
    """post_save / post_delete of ChallengeArea: forgotten here at once, everywhere once it commits (once
    per transaction, however many areas it changed)."""
    forget_here()

    def committed(_):
        forget_here()
        announce_change()

    collect_until_commit("challenge-area-table", (), committed)
