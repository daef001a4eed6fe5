"""Entry into a campaign after it ended: late paper receipts are accepted for a grace
period (CAMPAIGN_LATE_ENTRY_DAYS, default 30) with the form on the period's last day;
afterwards staff are refused and the standing committee enters with a reason, audited."""

import datetime
from unittest import mock

import pytest

from donations.models import Donation
from lddh.ward.models import AuditEvent
from tests.donations.test_views import CREATE, form_data

D = datetime.date
END = D(2024, 11, 18)


def _on(day):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def grace(settings):
    settings.CAMPAIGN_LATE_ENTRY_DAYS = 30


def test_default_grace_is_thirty_days():
    from django.conf import settings as django_settings

    from lddh.env import env_int

    assert env_int("CAMPAIGN_LATE_ENTRY_DAYS", 30, environ={}) == 30
    assert isinstance(django_settings.CAMPAIGN_LATE_ENTRY_DAYS, int)


def test_inside_the_grace_period_the_form_defaults_to_the_last_day(books, staff_client, grace):
    with _on(END + datetime.timedelta(days=10)):
        form = staff_client.get(CREATE).context["form"]
        assert form.initial["date"] == END
        data = form_data(staff_client, books, date="18/11/2024")
        response = staff_client.post(CREATE, data)
    assert response.status_code == 302
    assert Donation.objects.get().campaign == books.campaign
    assert not AuditEvent.objects.filter(action="donation.late_entry").exists()


def test_on_the_last_day_of_grace_staff_may_still_enter(books, staff_client, grace):
    with _on(END + datetime.timedelta(days=30)):
        response = staff_client.post(CREATE, form_data(staff_client, books))
    assert response.status_code == 302


def test_after_the_grace_period_staff_are_refused(books, staff_client, grace):
    with _on(D(2026, 12, 6)):
        page = staff_client.get(CREATE).content.decode()
        assert "chỉ Ban Thường trực nhập được" in page
        response = staff_client.post(CREATE, form_data(staff_client, books, date="20/10/2024"))
    assert response.status_code == 200
    assert "đã quá hạn nhận biên nhận nộp muộn (đến 18/12/2024)" in response.content.decode()
    assert not Donation.objects.exists()


def test_after_the_grace_period_the_committee_must_give_a_reason(books, committee_client, grace):
    with _on(D(2026, 12, 6)):
        page = committee_client.get(CREATE).content.decode()
        assert 'name="late_reason"' in page
        response = committee_client.post(CREATE, form_data(committee_client, books))
    assert response.status_code == 200
    assert "hãy ghi lý do nhập muộn" in response.content.decode()
    assert not Donation.objects.exists()


def test_committee_late_entry_with_a_reason_is_recorded_and_audited(books, committee_client, grace):
    reason = "Biên nhận giấy của tổ 5 nộp chậm, đã đối chiếu sổ quỹ"
    with _on(D(2026, 12, 6)):
        data = form_data(committee_client, books, late_reason=reason)
        response = committee_client.post(CREATE, data)
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert donation.campaign == books.campaign
    event = AuditEvent.objects.get(action="donation.late_entry")
    assert event.note == reason and event.object_id == str(donation.pk)
    assert event.actor == books.committee
    assert event.after["receipt"] == donation.receipt.number


def test_a_gift_outside_any_campaign_is_not_late(books, staff_client, grace):
    with _on(D(2026, 12, 6)):
        data = form_data(staff_client, books, campaign="", date="01/12/2026")
        response = staff_client.post(CREATE, data)
    assert response.status_code == 302
