"""Whole-page caching for anonymous visitors.

A visitor without a session sees the same page as every other such visitor, so the rendered page
can be shared for a short while (settings.ANONYMOUS_PAGE_CACHE_SECONDS; 0 turns it off). Anyone
with a session — signed in, or carrying flash messages — always gets a freshly rendered page, so
organisers see their own edits at once. Responses that set a cookie are never stored (Django's
cache middleware refuses them for cookie-less requests). If the cache (Redis) is unreachable the
page is simply rendered.

When moderators hide or show something, `forget_public_pages()` moves every shared page and figure to a
new generation (a counter in the cache), so nobody is served a page that still shows a hidden item.
`cached_figures` keeps costly public figures (the home page's counts) for
settings.FIGURES_CACHE_SECONDS, in the same generation. `cached_count` keeps how many items a public list
holds for one set of filters; any saved or deleted group, solution or update retires every such count
(`forget_list_counts`, called by the apps' model signals once their transaction commits).
"""

import logging
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_page
from redis.exceptions import RedisError

from .db import collect_until_commit

logger = logging.getLogger(__name__)


GENERATION_KEY = "public-pages-generation"
# Bumped whenever anything a public list counts is saved or deleted (`forget_list_counts`).
LIST_COUNTS_GENERATION_KEY = "list-counts-generation"


def _generation():
    return cache.get(GENERATION_KEY, 0)


def _bump(key):
    try:
        try:
            cache.incr(key)
        except ValueError:  # no counter yet
            cache.set(key, 1, timeout=None)
    except (RedisError, OSError) as error:
        # Another process that can still reach Redis may serve what this one could not retire, until its
        # timeout: the reason the shared pages, figures and counts are kept for a minute at most.
        logger.warning("cache unavailable (%s): could not retire %s", error, key)


def forget_public_pages():
    """Retire every shared page, cached figure and list count (after moderators hide or show something)."""
    _bump(GENERATION_KEY)


def forget_list_counts():
    """Retire every cached list count (after a group, solution or update was saved or deleted)."""
    _bump(LIST_COUNTS_GENERATION_KEY)


def forget_list_counts_on_commit(sender=None, action=None, **kwargs):
    """A receiver for post_save, post_delete and m2m_changed: `forget_list_counts` once the transaction
    commits (at once outside one), once however many rows it changed."""
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed also announces pre_add, pre_remove, pre_clear
    collect_until_commit("forget_list_counts", (), lambda _: forget_list_counts())


def forget_list_counts_when_changed(*models):
    """Connect `forget_list_counts_on_commit` to each model's post_save and post_delete (from an app's ready())."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(forget_list_counts_on_commit, sender=model, dispatch_uid=f"{model.__name__}-list-counts")


def cached_count(name, count):
    """`count()` (how many items a public list holds for one set of filters), shared under `name` for
    settings.LIST_COUNT_CACHE_SECONDS (0: always counted), until anything a list counts is saved or deleted
    (`forget_list_counts`) or moderators hide or show something; counted if the cache is unreachable.

    The key holds both generations as they were before counting: a count that raced a write is stored
    under the generation that write retired, so nobody reads it.
    """
    seconds = settings.LIST_COUNT_CACHE_SECONDS
    if seconds <= 0:
        return count()
    try:
        generations = cache.get_many([GENERATION_KEY, LIST_COUNTS_GENERATION_KEY])
        key = f"count:{generations.get(GENERATION_KEY, 0)}:{generations.get(LIST_COUNTS_GENERATION_KEY, 0)}:{name}"
        value = cache.get(key)
    except (RedisError, OSError) as error:
        logger.warning("count cache unavailable (%s): counting %s", error, name)
        return count()
    if value is None:
        value = count()
        try:
            cache.set(key, value, seconds)
        except (RedisError, OSError) as error:
            logger.warning("count cache unavailable (%s): not keeping %s", error, name)
    return value


def cached_figures(name, compute):
    """`compute()`, shared for settings.FIGURES_CACHE_SECONDS (0: always computed); computed if the cache
    is unreachable."""
    seconds = settings.FIGURES_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    try:
        return cache.get_or_set(f"figures:{_generation()}:{name}", compute, seconds)
    except (RedisError, OSError) as error:
        logger.warning("figure cache unavailable (%s): computing %s", error, name)
        return compute()


def cached_fragment(key, render):
    """`render()` (a piece of HTML), shared under `key` for settings.FRAGMENT_CACHE_SECONDS (0: always
    rendered) in the public pages' generation; rendered if the cache is unreachable."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return render()
    try:
        return mark_safe(cache.get_or_set(f"fragment:{_generation()}:{key}", lambda: str(render()), seconds))  # noqa: S308
    except (RedisError, OSError) as error:
        logger.warning("fragment cache unavailable (%s): rendering %s", error, key)
        return render()


def cache_for_anonymous(view):
    cached_views = {}

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
        if seconds <= 0 or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        try:
            key = (seconds, _generation())
            if key not in cached_views:
                cached_views.clear()  # an older generation is never served again
                cached_views[key] = cache_page(seconds, key_prefix=f"anon{key[1]}")(view)
            return cached_views[key](request, *args, **kwargs)
        except (RedisError, OSError) as error:
            # The cache is an optimisation: with Redis down the page is rendered, not refused.
            logger.warning("page cache unavailable (%s): rendering %s", error, request.path)
            return view(request, *args, **kwargs)

    return wrapper
