"""The money invariant: after any path that moves money, the ledger equals the business
records. A new service that is not walked here fails test_every_service_is_walked."""

import contextlib
import datetime
import uuid
from decimal import Decimal

from django.db.models import Sum

from donations import services
from donations.models import Donation, LedgerEntry, Receipt
from donations.selectors import account_balance, campaign_progress, fund_balance
from lddh.supervision.integrity.day_totals import check_day_totals

DAY = datetime.date(2024, 10, 25)

WALKED = {
    "donation_record",
    "donation_enter",
    "void_request",
    "void_approve",
    "void_reject",
    "fund_pay_out",
    "account_transfer",
    "round_post",
    "statement_line_record",
    "statement_lines_record",
}
NO_MONEY = {
    "DonationError",
    "DuplicateDonorError",
    "InsufficientFundsError",
    "ItemLine",
    "donor_create",
    "donor_duplicates",
    "donor_update",
    "receipt_print",
    # Recomputes the per-day totals from the records; moves no money.
    "rebuild_day_totals",
    # Rounds and bank statements: only round_post and statement_line_record move money
    # (through donation_record); the others prepare drafts or link existing records.
    "BulkEntry",
    "LineInput",
    "RoundError",
    "StatementError",
    "round_check",
    "round_create",
    "round_delete",
    "round_save_lines",
    "round_update",
    "balance_gap_explain",
    "statement_import",
    "statement_import_accept",
    "statement_import_cancel",
    "statement_import_retry",
    "statement_read",
    "statement_upload",
    "statement_line_ignore",
    "statement_line_match",
    # Signing the chain heads reads the ledger and writes the signed heads only.
    "chain_heads_sign",
    # The in-kind stock counts goods: a donation in kind moves its money through
    # donation_record, a support's goods through fund_pay_out; these write quantities.
    "GoodsOut",
    "stock_check_out",
    "stock_take_out",
    "stock_count_record",
    "stock_count_approve",
    "stock_count_reject",
    # Pledges move no money: a payment is a donation (donation_record); these write the
    # promise, its cancellation and the append-only link of a donation to it.
    "PledgeError",
    "pledge_cancel",
    "pledge_create",
    "pledge_enter",
    "pledge_payment_link",
    # Takes the funds' locks in one order for a writer that touches several; writes nothing.
    "lock_funds",
}


def test_every_service_is_walked():
    assert set(services.__all__) == WALKED | NO_MONEY, (
        "A new service: walk it in test_ledger_matches_the_business_records (if it moves "
        "money) or list it in NO_MONEY."
    )


def assert_books_balance(books, payments: dict, transfers: dict):
    """Ledger vs business records, fund by fund and account by account."""
    for donation in Donation.objects.prefetch_related("entries"):
        entries = list(donation.entries.all())
        total = sum(e.amount for e in entries)
        if donation.fund_id is None:
            assert entries == [], f"direct support {donation.pk} must not touch the ledger"
        elif donation.status == Donation.Status.VALID:
            assert total == donation.amount, f"donation {donation.pk}: ledger {total}"
            assert [e.kind for e in entries] == ["receipt"]
        else:
            assert total == 0, f"voided donation {donation.pk} must be reversed"
            assert sorted(e.kind for e in entries) == ["receipt", "void"]
    for fund in (books.vnn, books.ct):
        valid = (
            Donation.objects.filter(fund=fund, status=Donation.Status.VALID).aggregate(
                s=Sum("amount")
            )["s"]
            or 0
        )
        assert fund_balance(fund) == valid - payments.get(fund.code, 0)
    for account in (books.cash, books.bank, books.treasury, books.goods):
        valid = (
            Donation.objects.filter(account=account, status=Donation.Status.VALID).aggregate(
                s=Sum("amount")
            )["s"]
            or 0
        )
        expected = valid - payments.get(account.name, 0) + transfers.get(account.name, 0)
        assert account_balance(account) == expected, account.name
    # Every receipt entry points at a receipt of the same amount; voids reverse one.
    for entry in LedgerEntry.objects.select_related("receipt", "reverses"):
        if entry.kind == "receipt":
            assert entry.receipt.amount == entry.amount
        if entry.kind == "void":
            assert entry.reverses.amount == -entry.amount
    assert LedgerEntry.objects.filter(kind__startswith="transfer").aggregate(s=Sum("amount"))[
        "s"
    ] in (None, 0)
    # The per-day totals (every figure's source) moved with the records.
    assert check_day_totals() == []


def test_ledger_matches_the_business_records(books):
    payments: dict = {}
    transfers: dict = {}

    def check():
        assert_books_balance(books, payments, transfers)

    base = {"actor": books.staff, "date": DAY, "campaign": books.campaign}
    a = services.donation_record(
        donor=books.donor, amount=3_000_000, channel="cash", fund=books.vnn, **base
    )
    check()
    services.donation_record(
        donor=books.donor, amount=10_000_000, channel="bank", fund=books.vnn, **base
    )
    services.donation_record(
        donor=books.donor, amount=2_000_000, channel="treasury", fund=books.ct, **base
    )
    services.donation_record(
        donor=books.donor,
        amount=None,
        channel="in_kind",
        fund=books.vnn,
        items=[services.ItemLine("Gạo", Decimal(100), "kg", 1_500_000)],
        **base,
    )
    services.donation_record(
        donor=books.donor,
        amount=4_000_000,
        channel="cash",
        purpose="direct",
        beneficiary="Hộ bà Lan, tổ 4",
        **base,
    )
    token = uuid.uuid4()
    services.donation_enter(
        donor=None,
        new_donor={"source": "business", "name": "Công ty TNHH Hoa Mai", "tax_code": "0109998887"},
        amount=5_000_000,
        channel="bank",
        fund=books.vnn,
        form_token=token,
        **base,
    )
    services.donation_enter(
        donor=books.donor,
        amount=5_000_000,
        channel="bank",
        fund=books.vnn,
        form_token=token,
        **base,
    )  # fmt: skip  - resubmission: no second donation
    check()

    void = services.void_request(actor=books.staff, donation=a, reason="Nhập sai số tiền")
    check()
    services.void_approve(actor=books.committee, void=void)
    check()
    b = services.donation_record(
        donor=books.donor, amount=300_000, channel="cash", fund=books.vnn, replaces=a, **base
    )
    rejected = services.void_request(actor=books.staff, donation=b, reason="Khách muốn hủy")
    services.void_reject(actor=books.committee, void=rejected, reason="Không có căn cứ")
    check()

    services.account_transfer(
        actor=books.treasurer,
        fund=books.vnn,
        from_account=books.bank,
        to_account=books.cash,
        amount=6_000_000,
        date=DAY,
        note="Rút tiền về két để chi",
    )
    transfers[books.bank.name] = -6_000_000
    transfers[books.cash.name] = 6_000_000
    check()
    services.fund_pay_out(
        actor=books.treasurer,
        fund=books.vnn,
        account=books.cash,
        amount=6_300_000,
        date=DAY,
        document_type="households.support",
        document_id="1",
        description="Sửa nhà",
    )
    payments.update({"VNN": 6_300_000, books.cash.name: 6_300_000})
    check()
    with contextlib.suppress(services.InsufficientFundsError):
        services.fund_pay_out(
            actor=books.treasurer, fund=books.vnn, account=books.cash, amount=1, date=DAY,
            document_type="households.support", document_id="2", description="Quá số dư",
        )  # fmt: skip
    check()

    # The dashboard's figures agree with the ledger: receipts net of voids.
    progress = campaign_progress(books.campaign)
    receipts_in = LedgerEntry.objects.filter(kind__in=["receipt", "void"]).aggregate(
        s=Sum("amount")
    )["s"]
    assert (
        progress.total
        == receipts_in
        == 3_000_000 - 3_000_000 + 10_000_000 + 2_000_000 + (1_500_000 + 5_000_000 + 300_000)
    )
    assert (progress.direct_support_total, progress.direct_support_count) == (4_000_000, 1)
    assert Receipt.objects.count() == Donation.objects.count() == 7

    # A collection round posted per line and one posted as a single receipt, then a bank
    # credit recorded as a donation in one step: the ledger still equals the records.
    from donations.models import BankLayout, CollectionRound, StatementLine
    from tests.factories import make_round, statement_csv

    for mode in CollectionRound.ReceiptMode.values:
        round = make_round(
            actor=books.staff, group=books.world.groups[3], campaign=books.campaign,
            lines=[("Đinh Văn An", "200.000"), ("Lê Thị Hoa", "150.000")], receipt_mode=mode,
        )  # fmt: skip
        services.round_post(actor=books.staff, round=round)
        check()
    services.statement_import(
        actor=books.staff,
        account=books.bank,
        layout=BankLayout.objects.get(name__startswith="Mẫu chung"),
        data=statement_csv(
            [
                ("25/10/2024", "FT9", "", "750.000", "", "UNG HO"),
                ("26/10/2024", "FT10", "", "120.000", "", "IBFT LE VAN HUNG chuyen tien"),
                ("26/10/2024", "FT11", "", "80.000", "", "R51118 Royal City"),
            ]
        ),
        filename="sao-ke.csv",
    )
    services.statement_line_record(
        actor=books.staff, line=StatementLine.objects.get(reference="FT9"), donor=books.donor,
        fund=books.vnn,
    )  # fmt: skip
    check()
    # Two more bank credits recorded together.
    services.statement_lines_record(
        actor=books.staff,
        entries=[
            services.BulkEntry(
                line=StatementLine.objects.get(reference="FT10"), name="Le Van Hung"
            ),
            services.BulkEntry(
                line=StatementLine.objects.get(reference="FT11"), name="Nhà hảo tâm"
            ),
        ],
        fund=books.vnn,
    )
    check()
    assert (
        LedgerEntry.objects.filter(kind="receipt").count() == 6 + 2 + 1 + 1 + 2
    )  # before, per line, single, bank line, two bank lines at once
