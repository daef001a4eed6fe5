import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from donations import services
from donations.selectors import (
    account_balance,
    campaign_progress,
    donations_for,
    fund_balance,
    fund_balances,
    receipts_for,
)
from lddh.ward.access import access_for
from lddh.ward.vocab import DonorSource
from tests.factories import DonorFactory


def record(books, **kwargs):
    kwargs.setdefault("amount", 100_000)
    return books.record(**kwargs)


def test_campaign_progress_excludes_voids_and_keeps_direct_support_apart(books, world):
    group = world.groups[4]
    org = world.organisations[1]
    member = books.campaign.board.create(full_name="Trần Thanh Tuấn")
    resident = DonorFactory(source=DonorSource.RESIDENTS, group=group)
    business = DonorFactory(source=DonorSource.BUSINESS)
    record(books, donor=resident, amount=200_000)
    record(books, donor=resident, amount=300_000, date=datetime.date(2024, 10, 21))
    record(books, donor=business, amount=5_000_000, channel="bank", credited_board_member=member)
    record(books, donor=business, amount=1_000_000, credited_organisation=org)
    voided = record(books, donor=business, amount=9_000_000, channel="bank")
    void = services.void_request(actor=books.staff, donation=voided, reason="Nhập trùng")
    services.void_approve(actor=books.committee, void=void)
    record(books, donor=business, amount=7_000_000, purpose="direct", beneficiary="Hộ ông A")
    record(books, donor=business, amount=1, campaign=None)  # outside the campaign

    with CaptureQueriesContext(connection) as queries:
        progress = campaign_progress(books.campaign)
    assert len(queries.captured_queries) == 1  # one sum over the per-day totals
    assert (progress.total, progress.count) == (6_500_000, 4)
    assert progress.by_source == {"residents": 500_000, "business": 6_000_000}
    assert progress.by_channel == {"cash": 1_500_000, "bank": 5_000_000}
    assert progress.by_group == {group.pk: 500_000}
    assert progress.by_organisation == {org.pk: 1_000_000}
    assert progress.by_board_member == {member.pk: 5_000_000}
    assert progress.by_day == [
        (datetime.date(2024, 10, 20), 6_200_000),
        (datetime.date(2024, 10, 21), 300_000),
    ]
    assert (progress.direct_support_total, progress.direct_support_count) == (7_000_000, 1)


def test_balances_by_fund_account_and_date(books):
    record(books, amount=1_000_000)
    record(books, amount=2_000_000, channel="bank", date=datetime.date(2024, 11, 1))
    record(books, amount=500_000, fund=books.ct, campaign=None)
    assert fund_balance(books.vnn) == 3_000_000
    assert fund_balance(books.vnn, until=datetime.date(2024, 10, 31)) == 1_000_000
    assert account_balance(books.bank) == 2_000_000
    assert account_balance(books.cash) == 1_500_000
    assert account_balance(books.cash, fund=books.ct) == 500_000
    balances = {b.fund.code: b for b in fund_balances()}
    assert balances["VNN"].total == 3_000_000
    assert {a.name: s for a, s in balances["VNN"].by_account} == {
        books.cash.name: 1_000_000,
        books.bank.name: 2_000_000,
    }


def test_scoped_selectors(books, world):
    mine = record(books, donor=DonorFactory(source="residents", group=world.groups[1]))
    credited = record(books, credited_group=world.groups[1])
    other = record(books, donor=DonorFactory(source="residents", group=world.groups[2]))
    leader1 = access_for(world.users["leader1"])
    assert set(donations_for(leader1)) == {mine, credited}
    assert set(receipts_for(leader1)) == {mine.receipt, credited.receipt}
    assert set(donations_for(access_for(world.users["supervisor"]))) == {mine, credited, other}
    assert not donations_for(access_for(world.users["higher"])).exists()
    assert not donations_for(access_for(None)).exists()
