"""The donation list on PostgreSQL: its rows read by their keys, its short lists and the
menu's inbox count run as prepared statements (one plan suits every value); the query
its filter builds from what the person typed (a name, a date range, an amount range) is
planned for those values every time (lddh/ward/prepared.py)."""

import pytest
from django.urls import reverse

from lddh.ward.prepared import THRESHOLD
from tests.donations.test_staff_lists import _rows
from tests.ward.test_prepared_statements import prepared_statements

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_list_prepares_its_rows_and_inbox_and_plans_its_filter(books, staff_client):
    _rows(books, 12)
    url = reverse("donations:list") + "?q=Người&amount_min=100.000&amount_max=200.000"
    for _ in range(THRESHOLD + 2):
        response = staff_client.get(url)
        assert response.status_code == 200
    assert "Người 011" in response.content.decode()
    rows = prepared_statements('"donations_donation"."id" IN (')
    assert rows and all("$1" in sql for sql in rows)
    assert prepared_statements("(SELECT COUNT(*) FROM (")
    # The keys of the page, chosen by the typed filter: never prepared.
    assert not [
        sql
        for sql in prepared_statements('"donations_donation"."amount" >=')
        if '"donations_donation"."id" IN (' not in sql
    ]
