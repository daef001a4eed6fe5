"""Prepared statements for the reads whose plan does not depend on their values.

PostgreSQL spends most of what a staff page's small reads cost it on parsing and
planning them: the menu's inbox count, a list's rows read by their keys, the short lists
and sums compiled once per process (lddh/ward/compiled.py). A prepared statement skips
both once PostgreSQL has seen that its generic plan costs no more than the custom ones.

That choice is only safe where one plan suits every value: a search, a date range or an
amount range over a large table can get a generic plan that reads a thousand times more
rows than the plan for the values given (the bank lines' queue with every filter set
went from 30 ms to more than a second). So statements are prepared only inside
``prepared()``, around reads whose every value either names rows by their keys or is
fixed by the code; everything else is planned for its own values, as Django does.

Needs the server-side parameters of settings.py (DATABASE_PREPARED_STATEMENTS); without
them, and on SQLite, ``prepared()`` changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

THRESHOLD = 5
"""Runs of a statement on a connection, inside ``prepared()``, before it is prepared
(psycopg's default): a statement read once is not worth a statement kept on the server."""


@contextmanager
def prepared(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Statements run inside this block on the database ``using`` may be prepared."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.settings_dict.get("OPTIONS", {}).get(
        "server_side_binding"
    ):
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.prepare_threshold
    raw.prepare_threshold = THRESHOLD
    try:
        yield
    finally:
        if not raw.closed:
            raw.prepare_threshold = before
