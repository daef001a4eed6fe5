import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from campaigns.models import Campaign
from donations import services
from donations.models import (
    MAX_DONATION,
    Donation,
    DonationItem,
    Donor,
    LedgerEntry,
    Receipt,
    ReceiptCounter,
    VoidRequest,
)
from donations.selectors import account_balance, fund_balance
from lddh.ward.models import AppendOnlyError, AuditEvent
from lddh.ward.vocab import DonorSource
from tests.factories import CampaignFactory, DonorFactory

DAY = datetime.date(2024, 10, 20)


def record(books, **kwargs):
    return books.record(**kwargs)


def _nothing_written():
    return (
        Donation.objects.count(),
        Receipt.objects.count(),
        LedgerEntry.objects.count(),
        DonationItem.objects.count(),
    ) == (0, 0, 0, 0)


# --------------------------------------------------------------------------- record


def test_record_writes_donation_receipt_ledger_and_audit_together(books):
    donation = record(books, amount=2_015_000)
    receipt = donation.receipt
    assert receipt.number == "VNN-2024-000001"
    assert receipt.amount == 2_015_000
    assert receipt.amount_words == "Hai triệu không trăm mười lăm nghìn đồng"
    assert receipt.donor_name == "Nguyễn Văn An"
    assert receipt.fund_name == books.vnn.name
    assert len(receipt.token) >= 20
    assert donation.account == books.cash  # cash goes to the cash box by default
    entry = LedgerEntry.objects.get()
    assert (entry.amount, entry.kind, entry.account, entry.fund) == (
        2_015_000,
        LedgerEntry.Kind.RECEIPT,
        books.cash,
        books.vnn,
    )
    assert (entry.donation, entry.receipt, entry.sequence) == (donation, receipt, 1)
    assert AuditEvent.objects.filter(action="donation.record", object_id=str(donation.pk)).exists()
    assert fund_balance(books.vnn) == 2_015_000
    assert account_balance(books.cash) == 2_015_000


def test_numbers_are_consecutive_per_fund_and_year(books):
    numbers = [record(books).receipt.number for _ in range(3)]
    assert numbers == ["VNN-2024-000001", "VNN-2024-000002", "VNN-2024-000003"]
    assert record(books, fund=books.ct, campaign=None).receipt.number == "CT-2024-000001"
    assert (
        record(books, date=datetime.date(2025, 1, 3), campaign=None).receipt.number
        == "VNN-2025-000001"
    )
    assert ReceiptCounter.objects.get(series="VNN", year=2024).last == 3


def test_refused_donation_gives_its_number_back(books):
    record(books)
    with pytest.raises(services.DonationError):
        record(books, account=books.bank)  # cash into the bank account: refused
    assert record(books).receipt.number == "VNN-2024-000002"


def test_ledger_sequence_is_strictly_increasing_per_fund(books):
    for _ in range(3):
        record(books)
    record(books, fund=books.ct, campaign=None)
    assert list(LedgerEntry.objects.filter(fund=books.vnn).values_list("sequence", flat=True)) == [
        1,
        2,
        3,
    ]
    assert LedgerEntry.objects.get(fund=books.ct).sequence == 1


@pytest.mark.parametrize(
    "amount", [0, -1, -500_000, MAX_DONATION + 1, 10**15, "500000", 1.5, True, None]
)
def test_bad_amounts_are_refused_and_write_nothing(books, amount):
    with pytest.raises(services.DonationError) as error:
        record(books, amount=amount)
    assert error.value.code == "amount"
    assert _nothing_written()


def test_the_cap_itself_is_accepted(books):
    assert record(books, amount=MAX_DONATION, channel="bank").amount == MAX_DONATION


def test_closed_campaign_refuses_new_donations(books):
    books.campaign.status = Campaign.Status.CLOSED
    books.campaign.save()
    with pytest.raises(services.DonationError, match="đã kết thúc"):
        record(books)
    assert _nothing_written()


def test_date_outside_campaign_is_refused(books):
    with pytest.raises(services.DonationError, match="nằm ngoài thời gian") as error:
        record(books, date=datetime.date(2024, 11, 19))
    assert error.value.code == "date"
    assert _nothing_written()


def test_date_in_the_future_is_refused(books):
    with pytest.raises(services.DonationError, match="sau hôm nay"):
        record(books, campaign=None, date=datetime.date.today() + datetime.timedelta(days=2))


def test_account_must_match_the_channel(books):
    with pytest.raises(services.DonationError, match="không nhận được"):
        record(books, channel="bank", account=books.cash)
    assert record(books, channel="bank").account == books.bank
    assert record(books, channel="treasury").account == books.treasury


def test_fund_donation_needs_an_active_fund(books):
    with pytest.raises(services.DonationError, match="quỹ"):
        record(books, fund=None)
    books.ct.active = False
    books.ct.save()
    with pytest.raises(services.DonationError):
        record(books, fund=books.ct)


def test_board_member_must_belong_to_the_campaign(books):
    other = CampaignFactory(year=2023, status=Campaign.Status.CLOSED)
    stranger = other.board.create(full_name="Lê Văn Bình")
    with pytest.raises(services.DonationError, match="Ban vận động"):
        record(books, credited_board_member=stranger)
    member = books.campaign.board.create(full_name="Trần Thanh Tuấn")
    assert record(books, credited_board_member=member).credited_board_member == member


def test_credits_default_to_the_donors_group_and_organisation(books):
    group = books.world.groups[3]
    org = books.world.organisations[0]
    donor = DonorFactory(source=DonorSource.RESIDENTS, group=group, organisation=org)
    donation = record(books, donor=donor)
    assert (donation.credited_group, donation.credited_organisation) == (group, org)


# --------------------------------------------------------------------------- in kind


def test_in_kind_amount_is_the_sum_of_valuations(books):
    items = [
        services.ItemLine("Gạo tẻ", Decimal("500"), "kg", 7_500_000),
        services.ItemLine("Vở học sinh", Decimal("200"), "quyển", 1_600_000),
    ]
    donation = record(books, channel="in_kind", amount=None, items=items)
    assert donation.amount == 9_100_000
    assert donation.account == books.goods
    assert donation.items.count() == 2
    assert donation.receipt.items[0] == {
        "description": "Gạo tẻ",
        "quantity": "500",
        "unit": "kg",
        "valuation": 7_500_000,
    }
    assert fund_balance(books.vnn) == 9_100_000


@pytest.mark.parametrize(
    "items",
    [
        [],
        [services.ItemLine("Gạo", Decimal("10"), "kg", 0)],
        [services.ItemLine("Gạo", Decimal("10"), "kg", None)],
        [services.ItemLine("Gạo", Decimal("0"), "kg", 100_000)],
        [services.ItemLine("", Decimal("1"), "kg", 100_000)],
    ],
)
def test_in_kind_without_valuation_or_items_is_refused(books, items):
    with pytest.raises(services.DonationError) as error:
        record(books, channel="in_kind", amount=None, items=items)
    assert error.value.code == "items"
    assert _nothing_written()


def test_in_kind_amount_must_equal_the_items(books):
    items = [services.ItemLine("Gạo", Decimal("10"), "kg", 200_000)]
    with pytest.raises(services.DonationError, match="tổng trị giá"):
        record(books, channel="in_kind", amount=300_000, items=items)


def test_items_only_with_in_kind(books):
    with pytest.raises(services.DonationError):
        record(books, items=[services.ItemLine("Gạo", Decimal("1"), "kg", 1_000)])


# --------------------------------------------------------------------------- direct


def test_direct_support_has_its_own_series_and_never_enters_the_fund(books):
    donation = record(
        books, purpose=Donation.Purpose.DIRECT, beneficiary="Hộ bà Nguyễn Thị Hoa, tổ 5"
    )
    assert donation.fund is None and donation.account is None
    assert donation.receipt.number == "HTTT-2024-000001"
    assert "Hỗ trợ trực tiếp cho Hộ bà Nguyễn Thị Hoa" in donation.receipt.purpose_label
    assert not LedgerEntry.objects.exists()
    assert fund_balance(books.vnn) == 0


def test_direct_support_needs_a_beneficiary(books):
    with pytest.raises(services.DonationError, match="hộ được hỗ trợ"):
        record(books, purpose=Donation.Purpose.DIRECT, beneficiary="  ")


def test_beneficiary_only_for_direct_support(books):
    with pytest.raises(services.DonationError):
        record(books, beneficiary="Hộ ông A")


def test_database_refuses_a_direct_support_with_a_fund(books):
    donation = record(books)
    row = Donation(
        donor=books.donor,
        date=DAY,
        amount=1,
        channel="cash",
        purpose="direct",
        fund=books.vnn,
        account=books.cash,
        entered_by=books.staff,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    assert Donation.objects.get() == donation


# --------------------------------------------------------------------------- idempotency


def test_resubmitted_form_token_returns_the_same_donation(books):
    token = uuid.uuid4()
    first = record(books, form_token=token)
    second = record(books, form_token=token)
    assert first.pk == second.pk
    assert Donation.objects.count() == Receipt.objects.count() == LedgerEntry.objects.count() == 1
    assert ReceiptCounter.objects.get().last == 1
    assert record(books, form_token=uuid.uuid4()).receipt.number == "VNN-2024-000002"


def test_donation_enter_with_new_donor_is_atomic(books):
    books.campaign.status = Campaign.Status.CLOSED
    books.campaign.save()
    with pytest.raises(services.DonationError):
        services.donation_enter(
            actor=books.staff,
            new_donor={"source": DonorSource.INDIVIDUAL, "name": "Trần Văn Mới"},
            date=DAY,
            amount=100_000,
            channel="cash",
            fund=books.vnn,
            campaign=books.campaign,
        )
    assert not Donor.objects.filter(name="Trần Văn Mới").exists()


# --------------------------------------------------------------------------- donors


def test_donor_keys_ignore_diacritics_and_case(books):
    donor = services.donor_create(
        actor=books.staff,
        source=DonorSource.INDIVIDUAL,
        name="  Đỗ Thị  Lan ",
        phone="098-765 4321",
    )
    assert donor.name == "Đỗ Thị Lan"
    assert donor.search_key == "do thi lan 0987654321"
    assert Donor.objects.filter(search_key__icontains="do thi lan").get() == donor
    assert AuditEvent.objects.filter(action="donor.create").count() == 1


def test_duplicate_donor_is_warned_then_created_when_confirmed(books):
    with pytest.raises(services.DuplicateDonorError) as error:
        services.donor_create(
            actor=books.staff, source=DonorSource.INDIVIDUAL, name="nguyen van an",
            phone="0912345678",
        )  # fmt: skip
    assert error.value.matches == [books.donor]
    assert Donor.objects.count() == 1
    services.donor_create(
        actor=books.staff,
        source=DonorSource.INDIVIDUAL,
        name="Nguyễn Văn An",
        phone="0912345678",
        allow_duplicate=True,
    )
    assert Donor.objects.count() == 2


def test_same_tax_code_is_a_duplicate(books):
    services.donor_create(
        actor=books.staff, source=DonorSource.BUSINESS, name="Công ty A", tax_code="0101234567"
    )
    with pytest.raises(services.DuplicateDonorError):
        services.donor_create(
            actor=books.staff, source=DonorSource.BUSINESS, name="Cty B", tax_code="0101 234 567"
        )


def test_same_name_is_a_duplicate_whatever_the_phone(books):
    with pytest.raises(services.DuplicateDonorError) as refused:
        services.donor_create(
            actor=books.staff, source=DonorSource.INDIVIDUAL, name="  nguyen VAN   an "
        )
    assert refused.value.matches == [books.donor]
    services.donor_create(
        actor=books.staff,
        source=DonorSource.INDIVIDUAL,
        name="Nguyễn Văn An",
        allow_duplicate=True,
    )


def test_resident_donor_needs_a_group(books):
    with pytest.raises(services.DonationError, match="tổ dân phố"):
        services.donor_create(actor=books.staff, source=DonorSource.RESIDENTS, name="Bà Tư")


def test_donor_update_is_audited_and_receipts_keep_their_snapshot(books):
    donation = record(books)
    services.donor_update(
        actor=books.staff, donor=books.donor, name="Nguyễn Văn Ân", anonymous=True
    )
    books.donor.refresh_from_db()
    assert books.donor.name_key == "nguyen van an"
    receipt = Receipt.objects.get(pk=donation.receipt.pk)
    assert (receipt.donor_name, receipt.donor_display_name) == ("Nguyễn Văn An", "Nguyễn Văn An")
    event = AuditEvent.objects.get(action="donor.update")
    assert event.before["name"] == "Nguyễn Văn An" and event.after["anonymous"] is True


def test_anonymous_donor_receipt_shows_the_anonymous_display_name(books):
    donor = DonorFactory(name="Phạm Thị Bích", anonymous=True)
    receipt = record(books, donor=donor).receipt
    assert receipt.donor_name == "Phạm Thị Bích"
    assert receipt.donor_display_name == "Nhà hảo tâm giấu tên"


# --------------------------------------------------------------------------- append-only


def test_money_records_cannot_be_changed_or_deleted(books):
    donation = record(books)
    receipt = donation.receipt
    entry = LedgerEntry.objects.get()
    donation.amount = 1
    for action in (
        donation.save,
        donation.delete,
        receipt.delete,
        lambda: receipt.save(),
        entry.save,
        entry.delete,
        lambda: LedgerEntry.objects.update(amount=1),
        lambda: LedgerEntry.objects.all().delete(),
        lambda: Donation.objects.update(amount=1),
        lambda: Receipt.objects.all().delete(),
        lambda: Donor.objects.get().delete(),
    ):
        with pytest.raises(AppendOnlyError):
            action()
    assert Donation.objects.get().amount == 500_000


# --------------------------------------------------------------------------- voids


def test_void_request_needs_a_reason(books):
    donation = record(books)
    with pytest.raises(services.DonationError, match="lý do"):
        services.void_request(actor=books.staff, donation=donation, reason="  ")


def test_only_one_pending_void_request(books):
    donation = record(books)
    services.void_request(actor=books.staff, donation=donation, reason="Nhập sai số tiền")
    with pytest.raises(services.DonationError, match="chờ duyệt"):
        services.void_request(actor=books.committee, donation=donation, reason="Nhập trùng")


def test_person_who_entered_cannot_approve(books):
    donation = record(books, actor=books.committee)
    void = services.void_request(actor=books.staff, donation=donation, reason="Nhập sai số tiền")
    with pytest.raises(services.DonationError, match="đã nhập"):
        services.void_approve(actor=books.committee, void=void)
    void.refresh_from_db()
    assert void.status == VoidRequest.Status.PENDING
    assert Receipt.objects.get().status == Receipt.Status.ISSUED


def test_requester_cannot_approve(books):
    donation = record(books)
    void = services.void_request(actor=books.committee, donation=donation, reason="Nhập trùng")
    with pytest.raises(services.DonationError, match="tự duyệt"):
        services.void_approve(actor=books.committee, void=void)


def test_approved_void_reverses_the_ledger_and_keeps_the_number(books):
    donation = record(books, amount=750_000)
    record(books, amount=250_000)
    void = services.void_request(actor=books.staff, donation=donation, reason="Nhập sai số tiền")
    services.void_approve(actor=books.committee, void=void, note="Đồng ý")
    donation.refresh_from_db()
    receipt = Receipt.objects.get(donation=donation)
    assert donation.status == Donation.Status.VOIDED
    assert receipt.status == Receipt.Status.VOIDED and receipt.voided_at is not None
    assert receipt.number == "VNN-2024-000001"
    reversal = LedgerEntry.objects.get(kind=LedgerEntry.Kind.VOID)
    assert reversal.amount == -750_000 and reversal.reverses.receipt == receipt
    assert fund_balance(books.vnn) == 250_000
    assert account_balance(books.cash) == 250_000
    assert {"donation.void_approve", "receipt.void"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )
    with pytest.raises(services.DonationError, match="đã được quyết định"):
        services.void_approve(actor=books.committee, void=void)
    with pytest.raises(services.DonationError, match="đã bị hủy"):
        services.void_request(actor=books.staff, donation=donation, reason="Lần nữa")


def test_rejected_void_changes_no_money(books):
    donation = record(books)
    void = services.void_request(actor=books.staff, donation=donation, reason="Nhập sai số tiền")
    with pytest.raises(services.DonationError, match="lý do"):
        services.void_reject(actor=books.committee, void=void, reason="")
    services.void_reject(actor=books.committee, void=void, reason="Số tiền đúng với phiếu")
    void.refresh_from_db()
    assert void.status == VoidRequest.Status.REJECTED
    assert fund_balance(books.vnn) == 500_000
    # A new request is possible after a rejection.
    services.void_request(actor=books.staff, donation=donation, reason="Khách đề nghị hủy")


def test_void_of_direct_support_writes_no_ledger(books):
    donation = record(books, purpose="direct", beneficiary="Hộ ông Ba, tổ 2")
    void = services.void_request(actor=books.staff, donation=donation, reason="Nhập nhầm hộ")
    services.void_approve(actor=books.committee, void=void)
    assert not LedgerEntry.objects.exists()
    assert Receipt.objects.get().status == Receipt.Status.VOIDED


def test_corrected_donation_refers_to_the_voided_one(books):
    old = record(books, amount=5_000_000)
    void = services.void_request(actor=books.staff, donation=old, reason="Đúng là 500.000 đ")
    with pytest.raises(services.DonationError, match="đã hủy"):
        record(books, replaces=old)
    services.void_approve(actor=books.committee, void=void)
    new = record(books, replaces=old)
    assert new.receipt.replaces == Receipt.objects.get(donation=old)
    assert new.receipt.number == "VNN-2024-000002"
    with pytest.raises(services.DonationError, match="đã có khoản thay thế"):
        record(books, replaces=old)
    assert fund_balance(books.vnn) == 500_000


# --------------------------------------------------------------------------- money out


def test_pay_out_writes_a_negative_entry(books):
    record(books, amount=1_000_000)
    entry = services.fund_pay_out(
        actor=books.treasurer,
        fund=books.vnn,
        account=books.cash,
        amount=600_000,
        date=DAY,
        document_type="households.support",
        document_id="17",
        description="Hỗ trợ sửa nhà hộ bà H.",
    )
    assert (entry.amount, entry.kind, entry.document_id) == (-600_000, "payment", "17")
    assert fund_balance(books.vnn) == 400_000
    assert AuditEvent.objects.filter(action="fund.pay_out").exists()


def test_pay_out_beyond_the_balance_is_refused(books):
    record(books, amount=1_000_000)
    kwargs = {
        "actor": books.treasurer,
        "fund": books.vnn,
        "account": books.cash,
        "date": DAY,
        "document_type": "households.support",
        "document_id": "1",
        "description": "Hỗ trợ",
    }
    with pytest.raises(services.InsufficientFundsError, match="Không đủ số dư") as error:
        services.fund_pay_out(amount=1_000_001, **kwargs)
    assert isinstance(error.value, services.DonationError)
    # The fund has enough, but not in the bank account.
    with pytest.raises(services.InsufficientFundsError, match="TK Vietcombank"):
        services.fund_pay_out(**{**kwargs, "account": books.bank}, amount=1)
    # Another fund's money is not this fund's.
    with pytest.raises(services.InsufficientFundsError):
        services.fund_pay_out(**{**kwargs, "fund": books.ct}, amount=1)
    for bad in (0, -5, "10"):
        with pytest.raises(services.DonationError):
            services.fund_pay_out(amount=bad, **kwargs)
    services.fund_pay_out(amount=1_000_000, **kwargs)  # the last đồng is fine
    assert fund_balance(books.vnn) == 0
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


def test_direct_support_cannot_be_paid_out(books):
    record(books, purpose="direct", beneficiary="Hộ ông Ba")
    with pytest.raises(services.InsufficientFundsError):
        services.fund_pay_out(
            actor=books.treasurer,
            fund=books.vnn,
            account=books.cash,
            amount=1,
            date=DAY,
            document_type="households.support",
            document_id="1",
            description="x",
        )


def test_transfer_moves_money_between_accounts_only(books):
    record(books, amount=3_000_000)
    out, into = services.account_transfer(
        actor=books.treasurer,
        fund=books.vnn,
        from_account=books.cash,
        to_account=books.bank,
        amount=2_000_000,
        date=DAY,
        note="Nộp tiền mặt vào tài khoản",
    )
    assert out.amount + into.amount == 0 and out.document_id == into.document_id
    assert account_balance(books.cash) == 1_000_000
    assert account_balance(books.bank) == 2_000_000
    assert fund_balance(books.vnn) == 3_000_000
    with pytest.raises(services.InsufficientFundsError):
        services.account_transfer(
            actor=books.treasurer, fund=books.vnn, from_account=books.cash,
            to_account=books.bank, amount=1_000_001, date=DAY, note="",
        )  # fmt: skip
    with pytest.raises(services.DonationError, match="khác nhau"):
        services.account_transfer(
            actor=books.treasurer, fund=books.vnn, from_account=books.cash,
            to_account=books.cash, amount=1, date=DAY, note="",
        )  # fmt: skip


def test_receipt_print_first_is_original_then_copies(books):
    receipt = record(books).receipt
    first = services.receipt_print(actor=books.staff, receipt=receipt)
    second = services.receipt_print(actor=books.committee, receipt=receipt)
    assert (first.is_copy, second.is_copy) == (False, True)
    assert AuditEvent.objects.filter(action="receipt.print").count() == 2
