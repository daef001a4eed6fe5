"""Small reads whose SQL is compiled once per process.

Django compiles a queryset to SQL every time it is evaluated. For the small reads that
every staff page repeats (the groups and organisations with their targets, the board,
the funds, the per-day totals of a list's filter) the compiling costs more CPU than the
database takes to answer: about 1,8 ms of the 2,5 ms of the dashboard's groups with
their targets. Here the SQL and its parameters are kept per ``key`` and run again as
they are; the rows are read fresh every time, through the compiler's own converters
(``value_rows``) or as model instances (``model_rows``), so the result is what the
queryset itself returns.

The ``key`` must name every input of the queryset (a campaign's key and start date…):
the same key always builds the same SQL with the same parameters. Never a value that
changes the SQL without being in the key (today's date, the viewer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

KEPT = 512
"""Compiled statements kept per process; all are dropped when there are more."""

_lock = threading.Lock()
_kept: dict[tuple, Any] = {}


def _compiled(kind: str, key: Hashable, build: Callable[[], QuerySet]):
    queryset = build()
    db = queryset.db
    full_key = (kind, db, connections[db].vendor, key)
    entry = _kept.get(full_key)
    if entry is None:
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        entry = (queryset.model, db, sql, tuple(params), compiler)
        with _lock:
            if len(_kept) >= KEPT:
                _kept.clear()
            _kept[full_key] = entry
    return entry


def model_rows(key: Hashable, build: Callable[[], QuerySet]) -> list[Model]:
    """``list(build())`` for a queryset of model instances (annotations become
    attributes, as on the queryset's rows); no ``select_related``."""
    model, db, sql, params, _compiler = _compiled("model", key, build)
    return list(model._default_manager.db_manager(db).raw(sql, params))


def value_rows(key: Hashable, build: Callable[[], QuerySet]) -> list[tuple]:
    """``list(build())`` for a ``values_list()`` queryset: tuples converted as Django
    converts them (dates on SQLite, for one)."""
    _model, db, sql, params, compiler = _compiled("values", key, build)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if compiler.has_extra_select:
        rows = [row[: compiler.col_count] for row in rows]
    return list(compiler.results_iter([rows], tuple_expected=True))
