from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class ApiRateThrottle(AnonRateThrottle):
    """Requests per client address (behind TRUSTED_PROXY_COUNT proxies), counted in the shared cache.

    The rate is read from settings.API_RATE_LIMIT when a request comes, not when the class is defined.
    """

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT
