"""Pledge codes in transfer notes, the derived status, and the service's refusals."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from donations import services
from donations.models import Pledge
from donations.selectors import pledge_status_of, pledge_totals, pledges_with_progress
from donations.statements.codes import pledge_codes_in, round_codes_in
from tests.factories import CampaignFactory, DonorFactory, FundFactory, record_donation

FUNDS = ["VNN", "CT"]


@pytest.mark.parametrize(
    "note",
    [
        "VNN P0007",
        "vnn p0007 cong ty minh phat",
        "VNNP0007",
        "VNN-P0007",
        "VNN.P0007",
        "IBFTVNN-P0007 ung ho",
        "MBVCB.123.VNNP0007.CT tu",
    ],
)
def test_a_pledge_code_is_found_glued_or_joined(note):
    assert pledge_codes_in(note, FUNDS) == {("VNN", 7)}


@pytest.mark.parametrize(
    "note",
    [
        "P1234",  # bare: never ours
        "CAN HO P0007 VINHOMES",
        "VNN P007",  # fewer than four digits
        "VNN P00071234",  # too many digits
        "VNN P01234",  # a zero before five digits: not a number we print
        "XVNN P0007",  # glued to a letter in front
        "VNN R0007",  # a round code
    ],
)
def test_what_is_not_a_pledge_code(note):
    assert pledge_codes_in(note, FUNDS) == set()


def test_a_pledge_code_is_not_a_round_code():
    assert round_codes_in("VNN P0007", FUNDS) == set()


def _pledge(world, **kwargs) -> Pledge:
    values = {
        "actor": world.users["staff"],
        "donor": DonorFactory(source="business", name="Công ty Hoa Sen"),
        "campaign": CampaignFactory(),
        "fund": FundFactory(),
        "pledged_on": datetime.date(2024, 10, 17),
        "amount": 10_000_000,
        "instalments": [
            (datetime.date(2024, 10, 25), 6_000_000),
            (datetime.date(2099, 1, 1), 4_000_000),
        ],
    }
    values.update(kwargs)
    return services.pledge_create(**values)


def _status(pledge) -> str:
    return pledge_status_of(pledges_with_progress(Pledge.objects.filter(pk=pledge.pk)).get())


def test_status_follows_payments_and_due_dates(world):
    pledge = _pledge(world)
    # The first instalment fell due on 25/10/2024 and nothing was paid: overdue.
    assert _status(pledge) == Pledge.Progress.OVERDUE
    staff = world.users["staff"]
    first = record_donation(
        actor=staff, donor=pledge.donor, campaign=pledge.campaign, amount=6_000_000
    )
    services.pledge_payment_link(actor=staff, pledge=pledge, donation=first)
    assert _status(pledge) == Pledge.Progress.PARTLY  # the due part is paid
    second = record_donation(
        actor=staff, donor=pledge.donor, campaign=pledge.campaign, amount=4_000_000
    )
    services.pledge_payment_link(actor=staff, pledge=pledge, donation=second)
    assert _status(pledge) == Pledge.Progress.PAID
    totals = pledge_totals(pledge.campaign)
    assert (totals.count, totals.pledged, totals.paid) == (1, 10_000_000, 10_000_000)
    services.pledge_cancel(actor=staff, pledge=pledge, reason="Ghi trùng cam kết")
    assert _status(pledge) == Pledge.Progress.CANCELLED
    assert pledge_totals(pledge.campaign).count == 0


def test_not_yet_due_and_unpaid(world):
    pledge = _pledge(world, instalments=(), due_date=datetime.date(2099, 1, 1))
    assert _status(pledge) == Pledge.Progress.UNPAID


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": 0}, "lớn hơn 0"),
        ({"amount": -5}, "lớn hơn 0"),
        ({"amount": "1.5tr"}, "số nguyên"),
        ({"instalments": [(datetime.date(2024, 11, 1), 1_000_000)]}, "Tổng các đợt"),
        ({"instalments": (), "due_date": None}, "hạn nộp"),
        ({"instalments": (), "due_date": datetime.date(2024, 10, 1)}, "trước ngày cam kết"),
        ({"kind": "goods"}, "hiện vật"),
        ({"pledged_on": datetime.date(2099, 1, 1)}, "sau hôm nay"),
    ],
)
def test_refusals_say_why(world, change, message):
    with pytest.raises(services.PledgeError) as error:
        _pledge(world, **change)
    assert message in " ".join(error.value.messages)
    assert not Pledge.objects.exists()


def test_a_payment_of_another_donor_is_refused(world):
    pledge = _pledge(world)
    other = record_donation(actor=world.users["staff"], campaign=pledge.campaign)
    with pytest.raises(services.PledgeError, match="cùng người"):
        services.pledge_payment_link(actor=world.users["staff"], pledge=pledge, donation=other)


def test_leaders_and_the_level_above_open_no_pledge(world):
    pledge = _pledge(world)
    for persona in ("leader1", "leader2", "higher"):
        client = world.client(persona)
        assert client.get(reverse("donations:pledge_list")).status_code == 403
        url = reverse("donations:pledge_detail", args=[pledge.pk])
        assert client.get(url).status_code == 403


def test_check_fund_names_a_payment_of_another_donor(world):
    from donations.models import PledgePayment
    from lddh.supervision.integrity import check_pledges

    pledge = _pledge(world)
    assert check_pledges() == []
    other = record_donation(actor=world.users["staff"], campaign=pledge.campaign)
    # Written around the service (which refuses it), as a tampered database would.
    PledgePayment.objects.bulk_create(
        [PledgePayment(pledge=pledge, donation=other, linked_by=world.users["staff"])]
    )
    titles = [f.title for f in check_pledges()]
    assert any("không đúng người" in t for t in titles), titles


def test_a_payment_to_another_fund_is_refused(world):
    """A pledge to the VNN fund is not paid by money given to another fund."""
    pledge = _pledge(world)
    other_fund = FundFactory(code="CT", name="Quỹ Cứu trợ phường", short_name="Quỹ Cứu trợ")
    staff = world.users["staff"]
    donation = record_donation(
        actor=staff, donor=pledge.donor, campaign=pledge.campaign, fund=other_fund
    )
    with pytest.raises(services.PledgeError, match="quỹ"):
        services.pledge_payment_link(actor=staff, pledge=pledge, donation=donation)
    # Nor through the entry service: the donation is not recorded either.
    with pytest.raises(services.PledgeError, match="quỹ"):
        record_donation(
            actor=staff,
            donor=pledge.donor,
            campaign=pledge.campaign,
            fund=other_fund,
            pledge=pledge,
        )
    assert _status(pledge) == Pledge.Progress.OVERDUE


def test_check_fund_names_a_payment_to_another_fund(world):
    from donations.models import PledgePayment
    from lddh.supervision.integrity import check_pledges

    pledge = _pledge(world)
    other_fund = FundFactory(code="CT", name="Quỹ Cứu trợ phường", short_name="Quỹ Cứu trợ")
    donation = record_donation(
        actor=world.users["staff"], donor=pledge.donor, campaign=pledge.campaign, fund=other_fund
    )
    PledgePayment.objects.bulk_create(
        [PledgePayment(pledge=pledge, donation=donation, linked_by=world.users["staff"])]
    )
    titles = [f.title for f in check_pledges()]
    assert any("không đúng người, chiến dịch hoặc quỹ" in t for t in titles), titles


def test_the_audit_log_shows_the_instalments_in_dong(world):
    from lddh.supervision.selectors import describe_event
    from lddh.ward.audit import AuditAction
    from lddh.ward.models import AuditEvent

    _pledge(world)
    event = AuditEvent.objects.get(action=AuditAction.PLEDGE_CREATE)
    rows = {label: after for label, _, after in describe_event(event)}
    shown = rows["Các đợt nộp (hạn, số tiền)"]
    from lddh.ward.money import format_dong

    expected = f"25/10/2024: {format_dong(6_000_000)}; 01/01/2099: {format_dong(4_000_000)}"
    assert shown == expected, shown
