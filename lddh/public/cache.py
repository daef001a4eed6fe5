"""The public aggregates are cached (PERFORMANCE.md: a cached page serves ~14× more) and
dropped the moment money moves: every save of a ledger entry, receipt, donation, donor,
support or household bumps one version number that is part of every key."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
VERSION_KEY = "public:data-version"
TTL = 300  # seconds: even without a signal (a bulk import), figures are at most 5 min old


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A lost version key (cache restart, eviction) must never bring back an old
        # value: start from the clock, which only grows.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY, time.time_ns())
    return version


def bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def money_moved(**kwargs) -> None:
    """post_save receiver: drop now, and again after commit, so that a page built from
    the data before the commit cannot stay cached under the new version."""
    bump_version()
    transaction.on_commit(bump_version)


def cached(name: str, build: Callable[[], T]) -> T:
    key = f"public:v{data_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TTL)
    return value
