"""The public aggregates are cached (a cached page serves many times more requests) and
dropped the moment money moves: every save of a ledger entry, receipt, donation, donor,
support or household bumps one version number that is part of every key."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

T = TypeVar("T")
VERSION_KEY = "public:data-version"
TTL = 300  # seconds: even without a signal (a bulk import), figures are at most 5 min old


def _version(key: str) -> int:
    # A lost version key (cache restart, eviction) must never bring back an old value:
    # start from the clock, which only grows.
    return cache.get_or_set(key, time.time_ns, timeout=None)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns(), timeout=None)


def data_version() -> int:
    return _version(VERSION_KEY)


def bump_data() -> None:
    """Rows were added (nothing existing changed): rebuild from the history kept."""
    _bump(VERSION_KEY)


HISTORY_KEY = "public:history-version"
"""A second version for the figures over the rows that existed when they were last
summed (see lddh/public/selectors.py): bumped only when an existing row changes."""


def history_version() -> int:
    return _version(HISTORY_KEY)


def bump_version() -> None:
    """Drop every public figure (bulk writers call this: they send no signal)."""
    _bump(HISTORY_KEY)
    bump_data()


SUMMED = {"donations.Donation", "donations.Donor", "donations.LedgerEntry"}
"""The models whose rows the history sums (donations by donor source, ledger entries)."""


def money_moved(sender=None, created: bool = False, **kwargs) -> None:
    """post_save receiver: drop now, and again after commit, so that a page built from
    the data before the commit cannot stay cached under the new version.

    A new row only adds to the sums (the next build adds the rows above the
    watermark); a changed donation, donor or entry (a void, a donor's new source) can
    change what was already summed, so the history goes too. Supports, households and
    receipts are not in the history (spending is read afresh at every build)."""
    label = sender._meta.label if sender is not None else ""
    bump = bump_version if not created and label in SUMMED else bump_data
    bump()
    transaction.on_commit(bump)


def cached(name: str, build: Callable[[], T], *, history: bool = False) -> T:
    """The value under the current data version (or history version), built once."""
    version = f"h{history_version()}" if history else f"v{data_version()}"
    return cache.get_or_set(f"public:{version}:{name}", build, TTL)


def cached_page(view):
    """The whole page under the current data version, for visitors without a session.

    Residents reach the figures by the thousand when a page is shared (the 2024 typhoon
    statements): the figures alone are cached, but laying the page out still costs ~10
    ms, so the finished HTML is kept too and a hit costs a cache read. Anyone with a
    session (staff, a pending message) gets the page built afresh, and a page that set
    a cookie (a CSRF token) is never stored."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        key = f"public:v{data_version()}:page:{request.path}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            cache.set(key, (response.content, response["Content-Type"]), TTL)
        return response

    return wrapper
