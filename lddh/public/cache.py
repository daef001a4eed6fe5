"""The anonymous public pages are cached whole under ONE data version, dropped the
moment money moves: the per-day totals' writer (signal ``day_totals_changed``, after its
commit) and every save of a donor, support, household, signed chain head or campaign
bump the version, which is part of every key. What depends on the campaigns only (the
year the menu points at) is kept under a second version that only a campaign's save
bumps. The figures themselves are not cached: they are small sums over the per-day
totals."""

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
TTL = 300  # seconds: a bound on what an unforeseen writer could leave stale
LOCAL_TTL = 30
"""Seconds a page is kept when the cache is each process's own memory (no CACHE_URL):
another process's write (the task worker recording a bank feed's transfer, another
gunicorn worker) bumps only its own version, so this bound is how soon the page shows it."""


def ttl() -> int:
    """How long a public page or figure is kept: TTL in a shared cache (every process
    sees every bump), LOCAL_TTL in per-process memory."""
    backend = settings.CACHES["default"]["BACKEND"]
    return LOCAL_TTL if backend.endswith("LocMemCache") else TTL


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
    """Drop every cached public page and figure: the data they show changed."""
    _bump(VERSION_KEY)


def money_moved(sender=None, **kwargs) -> None:
    """Receiver of a save of what the pages show and of ``day_totals_changed``: drop
    now, and again after commit, so that a page built from the data before the commit
    cannot stay cached under the new version."""
    bump_data()
    transaction.on_commit(bump_data)


def cached(name: str, build: Callable[[], T]) -> T:
    """The value under the current data version, built once."""
    return cache.get_or_set(f"public:v{data_version()}:{name}", build, ttl())


CAMPAIGN_VERSION_KEY = "public:campaign-version"


def campaign_changed(sender=None, **kwargs) -> None:
    """Receiver of a campaign's save: the pages and what is kept per campaign version
    (which campaign the menu points at) are dropped, now and after commit."""
    for key in (VERSION_KEY, CAMPAIGN_VERSION_KEY):
        _bump(key)
        transaction.on_commit(lambda key=key: _bump(key))


def cached_per_campaign(name: str, build: Callable[[], T]) -> T:
    """A value that changes only with the campaigns (not with every gift): the page
    around a receipt's QR check stays one query while money moves."""
    return cache.get_or_set(f"public:c{_version(CAMPAIGN_VERSION_KEY)}:{name}", build, TTL)


def cached_page(view):
    """The whole page under the current data version, for visitors without a session.

    Residents reach the figures by the thousand when a page is shared (the 2024 typhoon
    statements): building a page costs ~10 ms, so the finished HTML is kept and a hit
    costs a cache read. Anyone with a
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
            cache.set(key, (response.content, response["Content-Type"]), ttl())
        return response

    return wrapper
