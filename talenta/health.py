"""Is each service the application leans on reachable right now? (readiness, degraded pages)

Every probe answers within a couple of seconds and never raises: a service that is down is a
False, not an error page.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection

from .celery import app as celery_app

logger = logging.getLogger(__name__)

# A readiness probe is called every few seconds; a worker that has not answered a ping by then is gone.
WORKER_PING_SECONDS = 1.0


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception as exc:
        logger.warning("database unreachable: %s", exc)
        return False


def cache_reachable() -> bool:
    """A write read back: the cache degrades silently (a miss, a no-op), so only a round trip tells."""
    key = f"health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 10)
        reachable = cache.get(key) == "ok"
        cache.delete(key)
    except Exception as exc:
        logger.warning("cache unreachable: %s", exc)
        return False
    return reachable


def tasks_inline() -> bool:
    """The embedded default (no broker): tasks run in the calling process, no queue or worker exists."""
    return bool(celery_app.conf.task_always_eager)


def broker_reachable() -> bool:
    if tasks_inline():
        return True
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True
    except Exception as exc:
        logger.warning("broker unreachable: %s", exc)
        return False


def worker_alive() -> bool:
    """At least one Celery worker answers a ping through the broker."""
    if tasks_inline():
        return True
    try:
        return bool(celery_app.control.ping(timeout=WORKER_PING_SECONDS, limit=1))
    except Exception as exc:
        logger.warning("worker ping failed: %s", exc)
        return False


def readiness() -> dict[str, bool]:
    """Each dependency by name; the worker is asked only through a reachable broker."""
    broker = broker_reachable()
    return {
        "database": database_reachable(),
        "redis_broker": broker,
        "redis_cache": cache_reachable(),
        "worker": broker and worker_alive(),
    }
