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


def bump_data() -> None:
    """Rows were added (nothing existing changed): rebuild from the history kept."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


HISTORY_KEY = "public:history-version"
"""A second version for the figures over the rows that existed when they were last
summed (see lddh/public/selectors.py): bumped only when an existing row changes."""


def history_version() -> int:
    version = cache.get(HISTORY_KEY)
    if version is None:
        cache.add(HISTORY_KEY, time.time_ns(), timeout=None)
        version = cache.get(HISTORY_KEY, time.time_ns())
    return version


def bump_version() -> None:
    """Drop every public figure (bulk writers call this: they send no signal)."""
    try:
        cache.incr(HISTORY_KEY)
    except ValueError:
        cache.set(HISTORY_KEY, time.time_ns(), timeout=None)
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
    key = f"public:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TTL)
    return value
