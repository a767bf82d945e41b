"""Values views read by hand from a query string or a form body.

Bad input (letters, an empty value, a number beyond the database's range, 30 February) reads
as "not given", so that the view answers as for an unknown value (404, a message) and never
with a 500 from the database or the date parser.
"""

import datetime as dt

from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme

# The largest value of a 64-bit primary key (BigAutoField), on PostgreSQL and SQLite alike.
MAX_ID = 2**63 - 1


def int_or_none(value) -> int | None:
    """A non-negative whole number (an id, a year) written in ASCII digits, else None."""
    if value is None:
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def ints(values) -> list[int]:
    """The valid whole numbers of a list (`getlist`), in order, the rest dropped."""
    return [number for number in map(int_or_none, values) if number is not None]


def date_or_none(value) -> dt.date | None:
    """A date written YYYY-MM-DD that exists in the calendar, else None."""
    try:
        return parse_date((value or "").strip())
    except ValueError:
        return None


def text(value) -> str:
    """Free text to search or look up by: without NUL characters, which PostgreSQL cannot compare."""
    return (value or "").replace("\x00", "")


def next_url(request, default: str) -> str:
    """Where a form asks to go back to (`next`), if it is a page of this site; else `default`.

    Anything else (another host, `//evil.example`, `javascript:`) would make the form an open
    redirect, so it falls back to the default rather than being followed.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
