"""The fund ledger: every movement of money is one append-only entry, written under
the fund's row lock; pay-outs and transfers refuse to overdraw."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from donations.models import Account, Donation, Fund, LedgerEntry, Receipt
from donations.models.books import GENESIS_HASH, ledger_hash
from donations.services import totals
from donations.services.common import DonationError, InsufficientFundsError
from lddh.ward.audit import AuditAction, log_event
from lddh.ward.money import format_dong


def lock_fund(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().get(pk=fund.pk)


def lock_funds(fund_ids) -> None:
    """The row locks of several funds, in primary-key order: a writer that will touch
    funds and stock items takes every fund first (funds → stock items, everywhere)."""
    pks = sorted({pk for pk in fund_ids if pk is not None})
    if pks:
        list(Fund.objects.select_for_update().filter(pk__in=pks).order_by("pk").values("pk"))


def ledger_write(
    *,
    actor,
    fund: Fund,
    account: Account,
    amount: int,
    kind: str,
    date: datetime.date,
    document_type: str,
    document_id: str,
    description: str = "",
    donation: Donation | None = None,
    receipt: Receipt | None = None,
    reverses: LedgerEntry | None = None,
) -> LedgerEntry:
    """Append one entry, chained to the fund's previous entry by its hash. The caller
    holds the fund's row lock (see lock_fund), so the previous entry cannot change under
    us: sequence and hash are taken together."""
    last = (
        LedgerEntry.objects.filter(fund=fund)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    sequence, previous = last if last is not None else (0, GENESIS_HASH)
    entry = LedgerEntry(
        fund=fund,
        sequence=sequence + 1,
        account=account,
        amount=amount,
        kind=kind,
        date=date,
        donation=donation,
        receipt=receipt,
        reverses=reverses,
        document_type=document_type,
        document_id=document_id,
        description=description[:300],
        created_by=actor,
        created_at=timezone.now(),
    )
    entry.hash = ledger_hash(previous, entry.chain_values())
    entry.save(force_insert=True)
    totals.entry_added(entry)
    return entry


def _balance(**filters) -> int:
    return LedgerEntry.objects.filter(**filters).aggregate(s=Coalesce(Sum("amount"), 0))["s"]


# --------------------------------------------------------------------------- money out


def _check_out(amount: object, date: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise DonationError("Số tiền chi phải là số nguyên đồng lớn hơn 0.", code="amount")
    if not isinstance(date, datetime.date) or date > timezone.localdate():
        raise DonationError("Ngày chi không hợp lệ hoặc sau hôm nay.", code="date")
    return amount


def _refuse_overdraft(fund: Fund, account: Account, amount: int) -> None:
    fund_balance = _balance(fund=fund)
    if fund_balance < amount:
        raise InsufficientFundsError(
            f"Không đủ số dư: {fund.name} còn {format_dong(fund_balance)}, "
            f"không chi được {format_dong(amount)}.",
            code="insufficient_fund",
        )
    account_balance = _balance(fund=fund, account=account)
    if account_balance < amount:
        raise InsufficientFundsError(
            f"Không đủ số dư: {account.name} của {fund.name} còn "
            f"{format_dong(account_balance)}, không chi được {format_dong(amount)}.",
            code="insufficient_account",
        )


@transaction.atomic
def fund_pay_out(
    *,
    actor,
    fund: Fund,
    account: Account,
    amount: int,
    date: datetime.date,
    document_type: str,
    document_id: str,
    description: str,
) -> LedgerEntry:
    """Pay money out of a fund (support paid by the households app). Refused with
    InsufficientFundsError when the fund's or the account's balance would go negative;
    the fund's row lock makes two racing payments of the last đồng see each other."""
    amount = _check_out(amount, date)
    if not document_type or not str(document_id):
        raise DonationError("Khoản chi phải dẫn chiếu chứng từ.", code="document")
    fund = lock_fund(fund)
    _refuse_overdraft(fund, account, amount)
    entry = ledger_write(
        actor=actor,
        fund=fund,
        account=account,
        amount=-amount,
        kind=LedgerEntry.Kind.PAYMENT,
        date=date,
        document_type=document_type,
        document_id=str(document_id),
        description=description,
    )
    log_event(
        actor=actor,
        action=AuditAction.FUND_PAY_OUT,
        obj=entry,
        after={
            "fund": fund.code,
            "account": account.pk,
            "amount": amount,
            "document": f"{document_type}:{document_id}",
        },
        note=description,
    )
    return entry


@transaction.atomic
def account_transfer(
    *,
    actor,
    fund: Fund,
    from_account: Account,
    to_account: Account,
    amount: int,
    date: datetime.date,
    note: str,
) -> tuple[LedgerEntry, LedgerEntry]:
    """Move a fund's money between its accounts (e.g. depositing the cash box at the
    bank): two entries that sum to zero, refused when the source account would go
    negative."""
    amount = _check_out(amount, date)
    if from_account.pk == to_account.pk:
        raise DonationError("Tài khoản chuyển đi và chuyển đến phải khác nhau.", code="account")
    if not to_account.active:
        raise DonationError(f"“{to_account.name}” không còn sử dụng.", code="account")
    fund = lock_fund(fund)
    _refuse_overdraft(fund, from_account, amount)
    transfer_id = uuid.uuid4().hex
    text = note.strip() or f"Chuyển từ {from_account.name} sang {to_account.name}"
    out = ledger_write(
        actor=actor,
        fund=fund,
        account=from_account,
        amount=-amount,
        kind=LedgerEntry.Kind.TRANSFER_OUT,
        date=date,
        document_type="donations.transfer",
        document_id=transfer_id,
        description=text,
    )
    into = ledger_write(
        actor=actor,
        fund=fund,
        account=to_account,
        amount=amount,
        kind=LedgerEntry.Kind.TRANSFER_IN,
        date=date,
        document_type="donations.transfer",
        document_id=transfer_id,
        description=text,
    )
    log_event(
        actor=actor,
        action=AuditAction.FUND_TRANSFER,
        obj=out,
        after={
            "fund": fund.code,
            "from": from_account.pk,
            "to": to_account.pk,
            "amount": amount,
            "transfer": transfer_id,
        },
        note=text,
    )
    return out, into
