"""PostgreSQL binds the values on the server (settings.py, DATABASE_PREPARED_STATEMENTS),
and prepares a statement only inside ``lddh.ward.prepared.prepared()``: the reads whose
plan does not depend on their values. Everything else is planned for its own values."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from lddh.ward.prepared import THRESHOLD, prepared
from tests.ward.test_site_url_check import python_process


def _options(**env) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = python_process("-c", code, DJANGO_SETTINGS_MODULE="lddh.settings", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_binds_values_on_the_server_unless_turned_off():
    url = "postgres://lddh@127.0.0.1:5432/lddh"
    assert _options(DATABASE_URL=url) == {"server_side_binding": True}
    assert "server_side_binding" not in _options(
        DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false"
    )
    assert "server_side_binding" not in _options(DATABASE_URL="sqlite:////tmp/x.sqlite3")


def prepared_statements(marker: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if marker in row[0]]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_read_is_prepared_only_inside_prepared():
    users = get_user_model().objects
    users.create(username="to7", first_name="Bảy", last_name="Tổ")

    def read(n: int):
        # Different values, one statement: the values are parameters.
        found = users.filter(first_name="Bảy", last_name=f"Tổ{'' if n == 0 else n}")
        return found.values_list("username", flat=True).first()

    for n in range(THRESHOLD + 2):
        read(n)
    assert prepared_statements('"auth_user"."last_name" =') == []
    with prepared():
        for n in range(THRESHOLD + 2):
            assert read(n) == ("to7" if n == 0 else None)
    statements = prepared_statements('"auth_user"."last_name" =')
    assert len(statements) == 1
    assert "$1" in statements[0]
    # Outside the block the prepared statement is not used: planned for its values.
    assert read(0) == "to7"
    assert connection.connection.prepare_threshold is None
