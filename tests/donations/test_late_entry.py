"""Entry into a campaign after it ended: late paper receipts are accepted for a grace
period (CAMPAIGN_LATE_ENTRY_DAYS, default 30) with the form on the period's last day;
afterwards staff are refused and the standing committee enters with a reason, audited."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from donations import services
from donations.models import BankLayout, Donation, StatementLine
from lddh.ward.models import AuditEvent
from tests.donations.test_views import CREATE, form_data
from tests.factories import make_round, statement_csv

D = datetime.date
END = D(2024, 11, 18)


def _on(day):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def generic(db):
    return BankLayout.objects.get(name__startswith="Mẫu chung")


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


# --------------------------------------------------------------------------- rounds, bank


def _round(books, world):
    return make_round(
        actor=books.staff,
        group=world.groups[2],
        campaign=books.campaign,
        lines=[("Đinh Thị Huệ", "200.000")],
    )


def test_round_posting_after_the_grace_period_needs_the_committee_and_a_reason(
    books, world, staff_client, committee_client, grace
):
    round = _round(books, world)
    post = reverse("donations:round_post", args=[round.pk])
    with _on(D(2026, 12, 6)):
        page = committee_client.get(reverse("donations:round_check", args=[round.pk]))
        assert 'name="late_reason"' in page.content.decode()
        refused = staff_client.post(post, {"revision": round.revision}, follow=True)
        assert "đã quá hạn nhận biên nhận nộp muộn" in refused.content.decode()
        committee_client.post(post, {"revision": round.revision})
        round.refresh_from_db()
        assert round.is_draft
        reason = "Danh sách giấy tổ 2 nộp chậm, đã đối chiếu tiền mặt"
        committee_client.post(
            post, {"revision": round.revision, "late_reason": reason, "xac_nhan": "1"}
        )
    round.refresh_from_db()
    assert round.is_posted and round.posted_by == books.committee
    assert AuditEvent.objects.get(action="round.late_entry").note == reason


def test_bank_credit_recorded_into_a_late_campaign_is_refused_to_staff(
    books, generic, staff_client, grace
):
    services.statement_import(
        actor=books.staff,
        account=books.bank,
        layout=generic,
        data=statement_csv([("20/10/2024", "FT1", "", "500.000", "", "UNG HO")]),
        filename="sao-ke.csv",
    )
    line = StatementLine.objects.get()
    data = {
        "new_name": "Đinh Thị Huệ",
        "new_source": "individual",
        "fund": books.vnn.pk,
        "campaign": books.campaign.pk,
    }
    with _on(D(2026, 12, 6)):
        response = staff_client.post(reverse("donations:statement_record", args=[line.pk]), data)
    assert response.status_code == 200
    assert "đã quá hạn nhận biên nhận nộp muộn" in response.content.decode()
    assert not Donation.objects.exists()


def test_bank_credit_from_a_known_name_offers_the_candidate_to_pick(books, generic, staff_client):
    services.statement_import(
        actor=books.staff,
        account=books.bank,
        layout=generic,
        data=statement_csv([("20/10/2024", "FT1", "", "500.000", "", "UNG HO")]),
        filename="sao-ke.csv",
    )
    line = StatementLine.objects.get()
    url = reverse("donations:statement_record", args=[line.pk])
    data = {"new_name": "nguyen van an", "new_source": "individual", "fund": books.vnn.pk}
    page = staff_client.post(url, data).content.decode()
    assert "Có thể trùng" in page and f'value="{books.donor.pk}"' in page
    response = staff_client.post(url, data | {"use_donor": books.donor.pk})
    assert response.status_code == 302
    assert Donation.objects.get().donor == books.donor
