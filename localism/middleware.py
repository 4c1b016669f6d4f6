import logging

from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from core.views import error_page

logger = logging.getLogger(__name__)


class CacheOutageMiddleware:
    """When Redis is unreachable, anything that needs it (allauth's rate limits, for one) fails closed
    with a clear 503 page instead of a server error. Pages that only use the cache as an optimisation
    don't get here: they render without it (core/caching.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RedisError):
            return None
        logger.error("cache unavailable during %s %s: %s", request.method, request.path, exception)
        response = error_page(
            request,
            503,
            _("Please try again in a minute"),
            _(
                "Part of the site is briefly unavailable, so we could not do this safely just now. "
                "Nothing you sent has been lost or half-saved: please try again in a minute."
            ),
        )
        response["Retry-After"] = "60"
        return response
