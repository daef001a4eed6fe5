"""The entry form says which days the active campaign accepts when today is outside it."""

import datetime
from unittest import mock

from django.urls import reverse

CREATE = reverse("donations:create")
HINT = "Hôm nay nằm ngoài thời gian của chiến dịch"
OVER = "đã hết thời gian (17/10/2024 – 18/11/2024)"


def test_after_the_campaign_the_date_field_says_which_days_it_accepts(books, staff_client):
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 11, 28)):
        page = staff_client.get(CREATE).content.decode()
    assert OVER in page
    assert "ngày cuối của chiến dịch" in page


def test_before_the_campaign_the_date_field_says_which_days_it_accepts(books, staff_client):
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2024, 10, 1)):
        page = staff_client.get(CREATE).content.decode()
    assert HINT in page
    assert "17/10/2024 – 18/11/2024" in page


def test_during_the_campaign_there_is_no_hint(books, staff_client):
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2024, 10, 20)):
        page = staff_client.get(CREATE).content.decode()
    assert HINT not in page and OVER not in page
