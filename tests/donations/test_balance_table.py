"""The balance table adds up on its face: closing = opening + received − voided − spent
+ transfers in − transfers out, for any period and any account, on random books made
through the real services; and each figure equals the ledger's own rows."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db.models import Sum
from django.utils import timezone

from donations import services
from donations.models import Account, LedgerEntry
from donations.selectors import fund_movements, movements_by_fund
from donations.selectors.reports import fund_flows
from tests.factories import AccountFactory, DonorFactory, FundFactory, record_donation

START = datetime.date(2024, 1, 1)


def _ledger(fund, **filters) -> int:
    return LedgerEntry.objects.filter(fund=fund, **filters).aggregate(s=Sum("amount"))["s"] or 0


def _random_books(world, rng: random.Random):
    staff, committee = world.users["staff"], world.users["committee"]
    fund = FundFactory()
    cash = AccountFactory(name="Két tiền mặt", kind=Account.Kind.CASH)
    bank = AccountFactory(name="Tài khoản ngân hàng", kind=Account.Kind.BANK)
    accounts = [cash, bank]
    donations = []
    for step in range(30):
        day = START + datetime.timedelta(days=rng.randrange(0, 330))
        what = rng.random()
        account = rng.choice(accounts)
        if what < 0.55 or step < 5:
            donations.append(
                record_donation(
                    actor=staff,
                    donor=DonorFactory(),
                    fund=fund,
                    account=account,
                    channel="bank" if account == bank else "cash",
                    amount=rng.randrange(1, 200) * 10_000,
                    date=day,
                )
            )
            continue
        # A void after a payment may leave an account short: pay what both hold.
        balance = min(_ledger(fund, account=account), _ledger(fund))
        if what < 0.75 and balance > 0:
            services.fund_pay_out(
                actor=staff,
                fund=fund,
                account=account,
                amount=rng.randrange(1, balance + 1),
                date=max(day, _last_day(fund)),
                document_type="test.payment",
                document_id=str(step),
                description="Chi hỗ trợ",
            )
        elif what < 0.9 and balance > 0:
            other = bank if account == cash else cash
            services.account_transfer(
                actor=staff,
                fund=fund,
                from_account=account,
                to_account=other,
                amount=rng.randrange(1, balance + 1),
                date=max(day, _last_day(fund)),
                note="",
            )
        elif donations:
            donation = donations.pop(rng.randrange(len(donations)))
            try:
                void = services.void_request(actor=staff, donation=donation, reason="Nhập sai số")
                services.void_approve(actor=committee, void=void)
            except services.DonationError:
                pass  # the money has been spent: the void is refused, as it should be
    return fund, accounts


def _last_day(fund) -> datetime.date:
    last = LedgerEntry.objects.filter(fund=fund).order_by("-date").values_list("date", flat=True)
    return last.first() or START


def _assert_adds_up(fund, start, end, account=None):
    m = fund_movements(fund, start, end, account=account)
    scope = {"account": account} if account else {}
    inside = {"date__gte": start, "date__lte": end}
    assert m.opening == _ledger(fund, date__lt=start, **scope)
    assert m.closing == _ledger(fund, date__lte=end, **scope)
    assert m.received == _ledger(fund, kind="receipt", **inside, **scope)
    assert m.voided == -_ledger(fund, kind="void", **inside, **scope)
    assert m.spent == -_ledger(fund, kind="payment", **inside, **scope)
    assert m.transfer_in == _ledger(fund, kind="transfer_in", **inside, **scope)
    assert m.transfer_out == -_ledger(fund, kind="transfer_out", **inside, **scope)
    assert m.adds_up, m
    assert m.closing == (
        m.opening + m.received - m.voided - m.spent + m.transfer_in - m.transfer_out
    )
    return m


@pytest.mark.parametrize("seed", [1, 2])
def test_the_balance_table_adds_up_on_random_books(world, seed):
    rng = random.Random(seed)
    fund, accounts = _random_books(world, rng)
    today = timezone.localdate()
    assert LedgerEntry.objects.filter(fund=fund, kind="receipt").exists()
    for _ in range(12):
        a = START + datetime.timedelta(days=rng.randrange(-30, 400))
        b = a + datetime.timedelta(days=rng.randrange(0, 400))
        _assert_adds_up(fund, a, b)
        for account in accounts:
            _assert_adds_up(fund, a, b, account=account)
    # The voids are dated today: a period up to today holds them.
    whole = _assert_adds_up(fund, START, today)
    assert whole.closing == _ledger(fund)
    # Transfers stay inside the fund.
    assert whole.transfer_in == whole.transfer_out
    # All funds at once give the same figures.
    assert movements_by_fund(START, today)[fund.pk] == whole


def test_the_fund_report_splits_received_by_source_and_knows_what_is_still_valid(world):
    rng = random.Random(7)
    fund, _ = _random_books(world, rng)
    end = datetime.date(2024, 12, 31)
    flows = fund_flows(fund, START, end)
    assert sum(amount for _, amount in flows.receipts.values()) == flows.received
    assert sum(n for n, _ in flows.receipts.values()) == flows.received_count
    # Received in the period = still valid + voided since (within the period or later).
    assert flows.received - flows.raised == flows.voided + flows.voided_later_amount
    assert flows.adds_up
