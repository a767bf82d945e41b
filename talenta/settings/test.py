"""Test settings: the same services as local unless the environment names real ones (CI does)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-key")
# PBKDF2 costs ~0.4 s per login; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "asn.hashers.OneTimePasswordHasher"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/talenta-test-media")
# Tests run tasks inline unless a test starts a real worker (tests/test_worker.py).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)

# pytest-xdist runs the suite in several processes, each with its own test database. Each gets its
# own Redis cache database and media folder too: ids repeat across the test databases, so shared
# cache keys (dashboard, throttling) would meet, and one process's cache.clear() would empty the
# other's. A real worker started by a test inherits the variable and so reads the same cache.
XDIST_WORKER = env("PYTEST_XDIST_WORKER", default="")
if XDIST_WORKER:
    worker_number = int(XDIST_WORKER.removeprefix("gw"))
    MEDIA_ROOT = f"{MEDIA_ROOT}/{XDIST_WORKER}"
    if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
        server, _, cache_db = CACHES["default"]["LOCATION"].rpartition("/")  # noqa: F405
        CACHES["default"]["LOCATION"] = f"{server}/{(int(cache_db) + 10 + worker_number) % 16}"  # noqa: F405
