"""Page numbers that stay fast on lists of a million rows.

Django's ``Paginator`` runs ``COUNT(*)`` on the whole filtered set and then
``LIMIT 50 OFFSET n`` on the full query with its joins: at page 1.000 the database
builds 50.000 joined rows to throw 49.950 away. Here:

- the count is given by the caller (the lists take it with their totals from the
  per-day totals where the filter allows, see ``donations.selectors``), so paging does
  not count again;
- a page first reads only the primary keys of its rows (``values_list("pk")`` with the
  list's ORDER BY: an index-only scan when an index matches the order), then loads the
  50 rows with their joins by primary key (a "deferred join");
- a page in the second half of the list reads the keys in the reverse order from the
  end, so the last page costs what the first one does;
- with ``rows_for`` a list reads its page's rows its own way (plain values instead of
  model instances with their joins: a third of the time of the page's rows);
- with ``runs`` (how many rows hold each value of the list's first ORDER BY field, e.g.
  per day from the per-day totals) a page starts its scan at the value where it begins,
  or at the end of the value where it ends, whichever skips fewer rows: page 1.000 of a
  list by date skips a part of one day instead of 50.000 rows.

Nothing is cached: a page is exact the moment a row changes.

Page numbers, "Trang 1000 / 20000" and the row count stay as people know them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from lddh.ward.prepared import prepared

# keys -> {key: row} for the rows of one page (the caller's own way of reading them).
RowsFor = Callable[[list], Mapping]


@dataclass(frozen=True)
class Runs:
    """How many rows of the list hold each value of ``field``, the list's first ORDER BY
    field (the primary key breaking ties in the same direction). Used only when the
    list is ordered exactly so; the counts must be those of the list's rows."""

    field: str
    counts: Mapping


def _seek(queryset: QuerySet, runs: Runs, bottom: int, top: int) -> list | None:
    """The keys of rows [bottom, top) read from where the page's values begin (or end),
    or None when the list is not ordered by ``runs.field`` then the key, or when the
    counts do not cover the page."""
    order = list(queryset.query.order_by)
    field = runs.field
    if order == [f"-{field}", "-pk"]:
        descending = True
    elif order == [field, "pk"]:
        descending = False
    else:
        return None
    before = 0
    first = last = None  # (value, rows before it), (value, rows up to its end)
    for value in sorted(runs.counts, reverse=descending):
        n = runs.counts[value]
        if first is None and bottom < before + n:
            first = (value, before)
        if top - 1 < before + n:
            last = (value, before + n)
            break
        before += n
    if first is None or last is None:
        return None
    size = top - bottom
    forward, backward = bottom - first[1], last[1] - top
    if forward <= backward:
        lookup = f"{field}__lte" if descending else f"{field}__gte"
        keys = queryset.filter(**{lookup: first[0]}).values_list("pk", flat=True)
        return list(keys[forward : forward + size])
    lookup = f"{field}__gte" if descending else f"{field}__lte"
    keys = queryset.filter(**{lookup: last[0]}).reverse().values_list("pk", flat=True)
    return list(keys[backward : backward + size])[::-1]


class KeysFirstPaginator(Paginator):
    """A ``Paginator`` over an ordered queryset that fetches a page's keys first."""

    def __init__(
        self,
        object_list: QuerySet,
        per_page: int,
        *,
        count: int | None = None,
        rows_for: RowsFor | None = None,
        runs: Runs | None = None,
    ):
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        if count is not None:
            self.__dict__["count"] = count  # the cached_property, filled in advance
        self.rows_for = rows_for
        self.runs = runs

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top <= bottom:
            return self._get_page([], number, self)
        keys = self._keys(bottom, top)
        # The rows of a page by their keys: one plan (the primary key's index) suits
        # every page, so the statement is prepared.
        with prepared(self.object_list.db):
            if self.rows_for is not None:
                rows = self.rows_for(keys)
            else:
                rows = {row.pk: row for row in self.object_list.filter(pk__in=keys).order_by()}
        return self._get_page([rows[k] for k in keys if k in rows], number, self)

    def _keys(self, bottom: int, top: int) -> list:
        ordered = self.object_list
        if self.runs is not None:
            keys = _seek(ordered, self.runs, bottom, top)
            if keys is not None:
                return keys
        if bottom > self.count - top and ordered.query.order_by:
            # Closer to the end: count back from it in the reverse order.
            start = self.count - top
            keys = ordered.reverse().values_list("pk", flat=True)[start : start + top - bottom]
            return list(keys)[::-1]
        return list(ordered.values_list("pk", flat=True)[bottom:top])


def paginate(
    request,
    queryset: QuerySet,
    *,
    per_page: int,
    count: int,
    param: str = "page",
    rows_for: RowsFor | None = None,
    runs: Runs | None = None,
):
    """(page, query string without the page) for a list view, like the apps' ``_page``."""
    paginator = KeysFirstPaginator(queryset, per_page, count=count, rows_for=rows_for, runs=runs)
    page = paginator.get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()
