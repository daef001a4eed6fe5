"""Real concurrent transactions (PostgreSQL row locks): gapless numbers, one winner for
the last đồng, one donation for a form submitted twice at once."""

import datetime
import threading
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from donations import services
from donations.models import Account, Donation, Donor, Fund, LedgerEntry, Receipt
from donations.selectors import fund_balance
from lddh.ward.vocab import DonorSource

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DAY = datetime.date(2024, 10, 20)


@pytest.fixture
def setup():
    user = get_user_model().objects.create(username="canbo")
    fund = Fund.objects.create(code="VNN", name="Quỹ Vì người nghèo")
    cash = Account.objects.create(name="Két", kind=Account.Kind.CASH)
    donor = Donor.objects.create(source=DonorSource.INDIVIDUAL, name="Nguyễn Văn An")
    return user, fund, cash, donor


def run_together(count: int, work) -> list:
    """Run work(i) in `count` threads released at once; each thread uses (and closes)
    its own database connection. Returns each thread's result or exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results


def test_fifty_concurrent_saves_get_fifty_consecutive_numbers(setup):
    user, fund, _cash, donor = setup

    def work(i):
        return services.donation_record(
            actor=user, donor=donor, date=DAY, amount=10_000 + i, channel="cash", fund=fund
        ).pk

    results = run_together(50, work)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    seqs = sorted(Receipt.objects.filter(series="VNN", year=2024).values_list("seq", flat=True))
    assert seqs == list(range(1, 51))
    assert Receipt.objects.values("number").distinct().count() == 50
    assert sorted(LedgerEntry.objects.filter(fund=fund).values_list("sequence", flat=True)) == list(
        range(1, 51)
    )
    assert fund_balance(fund) == sum(10_000 + i for i in range(50))


def test_two_concurrent_pay_outs_of_the_last_dong_one_wins(setup):
    user, fund, cash, donor = setup
    services.donation_record(
        actor=user, donor=donor, date=DAY, amount=1_000_000, channel="cash", fund=fund
    )

    def work(i):
        return services.fund_pay_out(
            actor=user,
            fund=fund,
            account=cash,
            amount=1_000_000,
            date=DAY,
            document_type="households.support",
            document_id=str(i),
            description="Chi hỗ trợ",
        )

    results = run_together(2, work)
    winners = [r for r in results if isinstance(r, LedgerEntry)]
    refused = [r for r in results if isinstance(r, services.InsufficientFundsError)]
    assert (len(winners), len(refused)) == (1, 1), results
    assert "Không đủ số dư" in refused[0].messages[0]
    assert fund_balance(fund) == 0
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


def test_one_form_submitted_twice_at_once_saves_once(setup):
    user, fund, _cash, donor = setup
    token = uuid.uuid4()

    def work(i):
        return services.donation_record(
            actor=user,
            donor=donor,
            date=DAY,
            amount=200_000,
            channel="cash",
            fund=fund,
            form_token=token,
        ).pk

    results = run_together(4, work)
    assert len(set(results)) == 1 and isinstance(results[0], int), results
    assert Donation.objects.count() == Receipt.objects.count() == 1
    assert Receipt.objects.get().seq == 1


def test_new_donor_form_submitted_twice_at_once_makes_one_donor(setup):
    user, fund, _cash, _donor = setup
    token = uuid.uuid4()

    def work(i):
        return services.donation_enter(
            actor=user,
            new_donor={
                "source": DonorSource.INDIVIDUAL,
                "name": "Lê Thị Mới",
                "phone": "0909 123 456",
            },
            date=DAY,
            amount=300_000,
            channel="cash",
            fund=fund,
            form_token=token,
        ).pk

    results = run_together(3, work)
    assert len(set(results)) == 1 and isinstance(results[0], int), results
    assert Donor.objects.filter(name="Lê Thị Mới").count() == 1
    assert Donation.objects.count() == 1


def test_concurrent_recordings_of_one_day_and_key_lose_no_count(setup):
    """Every recording adds to the same per-day total row (INSERT … ON CONFLICT DO
    UPDATE): the second waits for the first's row and adds to it, none is lost."""
    from donations.models import DayTotal
    from lddh.supervision.integrity.day_totals import check_day_totals

    user, fund, _cash, donor = setup

    def work(i):
        return services.donation_record(
            actor=user, donor=donor, date=DAY, amount=1_000 + i, channel="cash", fund=fund
        ).pk

    results = run_together(8, work)
    assert not [r for r in results if isinstance(r, Exception)]
    total = DayTotal.objects.get(kind="donation", status="valid")
    assert (total.n, total.amount) == (8, sum(1_000 + i for i in range(8)))
    ledger = DayTotal.objects.get(kind="ledger", status="receipt")
    assert (ledger.n, ledger.amount) == (8, total.amount)
    assert check_day_totals() == []


def test_a_donor_s_new_source_during_recordings_keeps_the_totals_exact(setup):
    """Recordings of a donor racing a change of their source: each donation counts
    under the source the donor has when both have committed."""
    from lddh.supervision.integrity.day_totals import check_day_totals

    user, fund, _cash, donor = setup
    services.donation_record(
        actor=user, donor=donor, date=DAY, amount=5_000, channel="cash", fund=fund
    )

    def work(i):
        if i == 0:
            return services.donor_update(actor=user, donor=donor, source=DonorSource.BUSINESS)
        return services.donation_record(
            actor=user, donor=donor, date=DAY, amount=1_000 + i, channel="cash", fund=fund
        )

    results = run_together(5, work)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, [str(e) for e in errors]
    assert check_day_totals() == []
