"""Per-user and anonymous request rates, counted in the cache (Redis in production).

When the cache is down the throttles fail open: the request is served unthrottled. The cache
backend degrades (django-redis IGNORE_EXCEPTIONS, `talenta.settings.base.cache_config`): the
request history reads as empty and the new entry is not stored, so every request is allowed.
Chosen over failing closed because the throttle guards against bursts, not abuse of data: an
integration that keeps working through a Redis outage is worth more than the limit, and the
data itself stays behind authentication and tenancy whatever the cache does.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _CurrentRate:
    """Read the rate from the settings at request time (DRF binds it at import), so tests can change it."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class PerUserThrottle(_CurrentRate, UserRateThrottle):
    """Requests per signed-in user, whatever the token or session they use."""


class AnonymousThrottle(_CurrentRate, AnonRateThrottle):
    """Requests without credentials (the schema and documentation pages), per IP address."""
