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
