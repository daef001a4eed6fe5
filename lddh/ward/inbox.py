"""The work waiting for a person ("Việc cần làm"): supports to approve, payments to make,
bank lines to match, reviews due… shown at the top of the home page and as badges in the
menu.

Each app lists its own items in its AppConfig (a method `inbox_items(access, context)`
returning `InboxItem`s), so the core knows no app, as with the menu. An item carries the
rows it counts: the same queryset, through the same selector, that the list it links to
shows, so the count and the list agree. All the items' counts are read in ONE query (a
SELECT of scalar subqueries, each capped), whatever the number of rows or items: the
badges run on every staff page. Items whose count is zero are dropped.

An item may give its rows as a function with a ``rows_key`` naming every input of the
queryset it builds (the viewer's scope, today, the campaign): its count's SQL is then
compiled once per process and key (lddh/ward/compiled.py), the queryset built only
that once; the count itself is read fresh every time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

from lddh.ward import compiled
from lddh.ward.prepared import prepared

COUNT_CAP = 99
"""Counts stop here ("99+", as on a phone's badges): each item reads at most this many rows
plus one, so a long queue costs the same as a short one."""


@dataclass
class InboxItem:
    """One kind of work waiting: what it is, where it is done, and the rows it counts."""

    key: str
    label: str
    url: str
    rows: QuerySet | Callable[[], QuerySet]
    """The rows counted, or a function building them (with ``rows_key``)."""
    hint: str = ""
    nav: str = ""
    """URL name of the menu entry that carries this item's badge ("" for none)."""
    order: int = 100
    count: int = 0
    rows_key: tuple | None = None
    """With ``rows`` a function: every input of the queryset it builds. The same key must
    always build the same SQL with the same parameters; never an empty queryset."""

    @property
    def count_label(self) -> str:
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)

    @property
    def queryset(self) -> QuerySet:
        return self.rows() if callable(self.rows) else self.rows


@dataclass
class InboxContext:
    """What the apps' item lists share in one computation: today, the viewer's user id,
    and values computed once for all of them (`memo`), such as the active campaign."""

    user_id: int | None
    today: datetime.date = field(default_factory=timezone.localdate)
    now: datetime.datetime = field(default_factory=timezone.now)
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def _capped(queryset: QuerySet, cap: int) -> QuerySet:
    return queryset.order_by().values("pk")[: cap + 1]


def count_all(querysets: list[QuerySet], cap: int = COUNT_CAP) -> list[int]:
    """The number of rows of each queryset (at most cap + 1), in one query per database.

    Each queryset becomes `(SELECT COUNT(*) FROM (<its rows' ids> LIMIT cap + 1))`, and
    the subqueries are selected together: one round trip, each count read from the
    queryset's own indexes and stopped early on a large table."""
    return _count([_statement(queryset, cap) for queryset in querysets])


def _statement(queryset: QuerySet, cap: int) -> tuple[str, str, tuple] | None:
    """(database, SQL of the capped rows' ids, parameters); None for an empty queryset."""
    if queryset.query.is_empty():
        return None
    sql, params = _capped(queryset, cap).query.sql_with_params()
    return queryset.db, sql, params


def _count_items(items: list[InboxItem], cap: int = COUNT_CAP) -> list[int]:
    """``count_all`` of the items' rows; an item with a ``rows_key`` through its SQL
    compiled once per process and key."""
    statements = []
    for item in items:
        if item.rows_key is not None:
            key = ("inbox", item.key, item.rows_key, cap)
            statements.append(compiled.statement_on(key, lambda i=item: _capped(i.queryset, cap)))
        else:
            statements.append(_statement(item.queryset, cap))
    return _count(statements)


def _count(statements: list[tuple[str, str, tuple] | None]) -> list[int]:
    """The counts of (database, SQL of the rows' ids, parameters), one query per database;
    0 for None (an empty queryset)."""
    counts = [0] * len(statements)
    by_db: dict[str, list[int]] = {}
    for index, statement in enumerate(statements):
        if statement is not None:
            by_db.setdefault(statement[0], []).append(index)
    for alias, indexes in by_db.items():
        parts: list[str] = []
        params: list[Any] = []
        for n, index in enumerate(indexes):
            _db, sql, inner_params = statements[index]
            # The SQL is Django's own compilation; values stay parameters.
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) inbox_{n})")  # noqa: S608
            params.extend(inner_params)
        # Prepared: each part counts at most cap + 1 rows through its own indexes,
        # whatever the values.
        with prepared(alias), connections[alias].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        for index, value in zip(indexes, row, strict=True):
            counts[index] = int(value)
    return counts


def inbox_for(access, known: dict[str, Any] | None = None) -> list[InboxItem]:
    """The items waiting for this person, counted now, in the order of their `order`
    (decisions first); none for an anonymous visitor or a person without a role.
    ``known``: values the page has already read, given to the items' ``context.memo``
    under their keys (``share_with_inbox``)."""
    from django.apps import apps

    if not access.is_authenticated or not access.roles:
        return []
    context = InboxContext(user_id=access.user_id, _memo=dict(known or {}))
    items: list[InboxItem] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "inbox_items", None)
        if provider is not None:
            items.extend(provider(access, context))
    for item, count in zip(items, _count_items(items), strict=True):
        item.count = count
    return sorted((item for item in items if item.count), key=lambda item: item.order)


def inbox_for_request(request) -> list[InboxItem]:
    """The inbox of the signed-in person, counted once per request: the menu's badges
    and the home page share it. Not kept between requests (the count is one query on
    indexes), so it is exact on every page, the moment after a decision."""
    items = getattr(request, "_lddh_inbox", None)
    if items is None:
        from lddh.ward.access import access_for

        items = inbox_for(access_for(request.user), getattr(request, "_lddh_inbox_known", None))
        request._lddh_inbox = items
    return items


def share_with_inbox(request, key: str, value: Any) -> None:
    """A value this request has already read that an inbox item would read again (the
    active campaign, ``campaigns.inbox.ACTIVE_CAMPAIGN``): the items find it in their
    ``context.memo(key, ...)`` instead of querying it. Call it before the inbox is
    counted (the menu counts it while the page is rendered)."""
    known = getattr(request, "_lddh_inbox_known", None)
    if known is None:
        known = request._lddh_inbox_known = {}
    known[key] = value


def badges(items: list[InboxItem]) -> dict[str, int]:
    """Menu entry URL name → the sum of its items' counts."""
    totals: dict[str, int] = {}
    for item in items:
        if item.nav:
            totals[item.nav] = totals.get(item.nav, 0) + item.count
    return totals
