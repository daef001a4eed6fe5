"""What a bulk writer shares with the one-by-one services: receipt numbers reserved in a
block from the same locked counter, a donation's values through the same checks, a
donor's details and keys through the same rules."""

import datetime
import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.utils import timezone

from donations.models import DIRECT_SERIES, Donation, Donor, Receipt, ReceiptCounter
from donations.models.donors import donor_keys
from donations.services import DonationError, ItemLine
from donations.services.donors import donor_clean
from donations.services.receipts import donation_check, receipt_numbers_reserve
from lddh.ward.vocab import DonorSource
from tests.donations.conftest import DAY


def test_a_reserved_block_is_skipped_by_the_next_receipt(books):
    books.record()  # VNN-2024 number 1
    with transaction.atomic():
        first = receipt_numbers_reserve(series="VNN", year=2024, count=100)
    assert first == 2
    assert ReceiptCounter.objects.get(series="VNN", year=2024).last == 101
    assert books.record().receipt.seq == 102


def test_the_first_block_of_a_series_creates_its_counter(db):
    with transaction.atomic():
        assert receipt_numbers_reserve(series=DIRECT_SERIES, year=2031, count=3) == 1
    assert ReceiptCounter.objects.get(series=DIRECT_SERIES, year=2031).last == 3


def test_a_rolled_back_block_gives_its_numbers_back(db):
    with pytest.raises(RuntimeError, match="rollback"), transaction.atomic():
        receipt_numbers_reserve(series="VNN", year=2024, count=10)
        raise RuntimeError("rollback")
    with transaction.atomic():
        assert receipt_numbers_reserve(series="VNN", year=2024, count=1) == 1


@pytest.mark.parametrize("count", [0, -1, True, 2.0])
def test_a_block_has_at_least_one_number(db, count):
    with pytest.raises(ValueError), transaction.atomic():
        receipt_numbers_reserve(series="VNN", year=2024, count=count)


@pytest.mark.django_db(transaction=True)
def test_a_block_needs_the_callers_transaction():
    with pytest.raises(RuntimeError, match="transaction"):
        receipt_numbers_reserve(series="VNN", year=2024, count=1)


def test_donation_check_is_the_rule_donation_record_applies(books):
    campaign = books.campaign
    checked = donation_check(
        date=DAY, amount=500_000, channel="cash", fund=books.vnn, campaign=campaign
    )
    assert checked == (500_000, books.vnn, books.cash, "")  # the channel's default account
    gift = donation_check(
        date=DAY,
        amount=None,
        channel="in_kind",
        fund=books.vnn,
        items=[ItemLine("Gạo", Decimal(100), "kg", 1_800_000)],
    )
    assert gift.amount == 1_800_000 and gift.account == books.goods
    direct = donation_check(
        date=DAY, amount=2_000_000, channel="cash", purpose="direct", beneficiary=" Hộ  bà A "
    )
    assert direct == (2_000_000, None, None, "Hộ bà A")
    refusals = [
        ({"amount": 0}, "amount"),
        ({"amount": 10**12}, "amount"),
        ({"date": timezone.localdate() + datetime.timedelta(days=1)}, "date"),
        ({"date": campaign.end_date + datetime.timedelta(days=1)}, "date"),
        ({"account": books.bank}, "account"),
        ({"channel": "crypto"}, "channel"),
    ]
    for change, code in refusals:
        values = {"date": DAY, "amount": 500_000, "channel": "cash", "fund": books.vnn}
        values["campaign"] = campaign
        values.update(change)
        with pytest.raises(DonationError) as error:
            donation_check(**values)
        assert error.value.code == code, change
        with pytest.raises(DonationError):
            books.record(**values)
    assert not Donation.objects.exists()


def test_donor_rules_and_keys_are_the_models(db):
    details = SimpleNamespace(
        source=DonorSource.BUSINESS,
        name="  Công ty  TNHH Đại Hành ",
        representative="",
        address="",
        group_id=None,
        phone="024 3976 1234",
        tax_code="0101234567001",
        note="",
    )
    donor_clean(details)
    assert (details.name, details.tax_code) == ("Công ty TNHH Đại Hành", "0101234567-001")
    donor = Donor.objects.create(
        source=DonorSource.BUSINESS, name=details.name, phone=details.phone
    )
    donor.tax_code = details.tax_code
    donor.save()
    keys = donor_keys(details.name, details.phone, details.tax_code)
    assert keys == (donor.search_key, donor.name_key, donor.phone_key, donor.tax_key)
    assert keys[1] == "cong ty tnhh dai hanh"
    resident = SimpleNamespace(**{**vars(details), "source": DonorSource.RESIDENTS})
    with pytest.raises(DonationError, match="tổ dân phố"):
        donor_clean(resident)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_block_and_concurrent_receipts_never_share_a_number(books):
    """A bulk writer holding a block's lock makes the one-by-one service wait, then go on
    after the block."""
    started, release = threading.Event(), threading.Event()

    def bulk():
        try:
            with transaction.atomic():
                receipt_numbers_reserve(series="VNN", year=2024, count=50)
                started.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=bulk)
    thread.start()
    assert started.wait(timeout=30)
    result = {}

    def one():
        try:
            result["seq"] = books.record().receipt.seq
        finally:
            connection.close()

    single = threading.Thread(target=one)
    single.start()
    single.join(timeout=1)
    assert single.is_alive()  # waiting for the counter's lock
    release.set()
    thread.join(timeout=30)
    single.join(timeout=30)
    assert result["seq"] == 51
    assert Receipt.objects.get().seq == 51
