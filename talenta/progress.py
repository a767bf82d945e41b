"""Progress of long background work, kept in the cache so any web process can read it.

Imports write in one transaction, so progress cannot live in a database row the page could
read before the commit.
"""

from django.core.cache import cache

_TTL_SECONDS = 60 * 60


def _key(name: str) -> str:
    return f"progress:{name}"


def report(name: str, *, stage: str, done: int, total: int) -> None:
    cache.set(_key(name), {"stage": stage, "done": done, "total": total}, _TTL_SECONDS)


def read(name: str) -> dict | None:
    progress = cache.get(_key(name))
    if progress and progress["total"]:
        progress["percent"] = min(100, round(100 * progress["done"] / progress["total"]))
    return progress


def clear(name: str) -> None:
    cache.delete(_key(name))
