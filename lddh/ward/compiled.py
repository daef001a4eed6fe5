"""Small reads whose SQL is compiled once per process.

Django compiles a queryset to SQL every time it is evaluated. For the small reads that
every staff page repeats (the groups and organisations with their targets, the board,
the funds, the per-day totals of a list's filter) the compiling costs more CPU than the
database takes to answer: about 1,8 ms of the 2,5 ms of the dashboard's groups with
their targets. Here the SQL and its parameters are kept per ``key`` and run again as
they are, as prepared statements on PostgreSQL (lddh/ward/prepared.py: the key fixes
every value, so one plan suits them); the rows are read fresh every time, through the
compiler's own converters (``value_rows``) or as model instances (``model_rows``), so
the result is what the queryset itself returns.

The ``key`` must name every input of the queryset (a campaign's key and start date…):
the same key always builds the same SQL with the same parameters. Never a value that
changes the SQL without being in the key (today's date, the viewer). A key already kept
does not build its queryset again (building one costs about as much as compiling it),
unless database routers are configured: then the database a read goes to is only known
from the queryset.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model, QuerySet

from lddh.ward.prepared import prepared

KEPT = 512
"""Compiled statements kept per process; all are dropped when there are more."""

_lock = threading.Lock()
_kept: dict[tuple, Any] = {}
_by_key: dict[tuple, tuple] = {}
"""(kind, key) → the full key of its kept statement (database and vendor included)."""


def _compiled(kind: str, key: Hashable, build: Callable[[], QuerySet]):
    if not settings.DATABASE_ROUTERS:
        full_key = _by_key.get((kind, key))
        if full_key is not None and connections[full_key[1]].vendor == full_key[2]:
            entry = _kept.get(full_key)
            if entry is not None:
                return entry
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
                _by_key.clear()
            _kept[full_key] = entry
    _by_key[(kind, key)] = full_key
    return entry


def model_rows(key: Hashable, build: Callable[[], QuerySet]) -> list[Model]:
    """``list(build())`` for a queryset of model instances (annotations become
    attributes, as on the queryset's rows); no ``select_related``."""
    model, db, sql, params, _compiler = _compiled("model", key, build)
    with prepared(db):
        return list(model._default_manager.db_manager(db).raw(sql, params))


def value_rows(key: Hashable, build: Callable[[], QuerySet]) -> list[tuple]:
    """``list(build())`` for a ``values_list()`` queryset: tuples converted as Django
    converts them (dates on SQLite, for one)."""
    _model, db, sql, params, compiler = _compiled("values", key, build)
    with prepared(db), connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if compiler.has_extra_select:
        rows = [row[: compiler.col_count] for row in rows]
    return list(compiler.results_iter([rows], tuple_expected=True))


def statement(key: Hashable, build: Callable[[], QuerySet]) -> tuple[str, tuple]:
    """The SQL and parameters of ``build()``, compiled once per key: a subquery to put
    in another query as ``RawSQL`` (``pk__in=RawSQL(*statement(...))``), so that the
    query around it compiles in a few steps. The database is the one the queryset reads
    from; the query around it must read from the same."""
    _db, sql, params = statement_on(key, build)
    return sql, params


def statement_on(key: Hashable, build: Callable[[], QuerySet]) -> tuple[str, str, tuple]:
    """``statement`` with the database the queryset reads from: (alias, SQL, params)."""
    _model, db, sql, params, _compiler = _compiled("statement", key, build)
    return db, sql, params
