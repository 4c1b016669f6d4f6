"""Whole-page caching for anonymous visitors.

A visitor without a session sees the same page as every other such visitor, so the rendered page
can be shared for a short while (settings.ANONYMOUS_PAGE_CACHE_SECONDS; 0 turns it off). Anyone
with a session — signed in, or carrying flash messages — always gets a freshly rendered page, so
organisers see their own edits at once. Responses that set a cookie are never stored (Django's
cache middleware refuses them for cookie-less requests). If the cache (Redis) is unreachable the
page is simply rendered.
"""

import logging
from functools import wraps

from django.conf import settings
from django.views.decorators.cache import cache_page
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def cache_for_anonymous(view):
    cached_views = {}

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
        if seconds <= 0 or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        if seconds not in cached_views:
            cached_views[seconds] = cache_page(seconds, key_prefix="anon")(view)
        try:
            return cached_views[seconds](request, *args, **kwargs)
        except (RedisError, OSError) as error:
            # The cache is an optimisation: with Redis down the page is rendered, not refused.
            logger.warning("page cache unavailable (%s): rendering %s", error, request.path)
            return view(request, *args, **kwargs)

    return wrapper
