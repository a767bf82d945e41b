"""Progress of long background work, kept in the cache so any web process can read it.

Imports write in one transaction, so progress cannot live in a database row the page could
read before the commit. The cache may be down (it degrades: a read is a miss, a write does
nothing); a page then says the progress is not available instead of showing none.
"""

from django.conf import settings
from django.core.cache import cache

from talenta import health

UNAVAILABLE = "progres tidak tersedia"


def _key(name: str) -> str:
    return f"progress:{name}"


def _ttl_seconds() -> int:
    # No task runs longer than its hard limit: the last report of a killed task expires soon after.
    return settings.CELERY_TASK_TIME_LIMIT + 60


def report(name: str, *, stage: str, done: int, total: int) -> None:
    cache.set(_key(name), {"stage": stage, "done": done, "total": total}, _ttl_seconds())


def read(name: str) -> dict | None:
    """The last report, None when there is none yet, or `tersedia: False` when the cache is down."""
    progress = cache.get(_key(name))
    if progress is None:
        if health.cache_reachable():
            return None
        return {"tersedia": False, "stage": UNAVAILABLE, "done": 0, "total": 0}
    progress["tersedia"] = True
    if progress["total"]:
        progress["percent"] = min(100, round(100 * progress["done"] / progress["total"]))
    return progress


def clear(name: str) -> None:
    cache.delete(_key(name))
