"""Balances by fund and account: the ledger's sums equal what the documents say."""

from __future__ import annotations

from django.db.models import (
    Count,
    Min,
    Sum,
)

from donations.models import (
    Account,
    Donation,
    Fund,
    LedgerEntry,
)
from households.models import Support, SupportSource
from lddh.supervision.integrity.base import ERROR, LIMIT, TRANSFER_DOCUMENT, Finding, ledger_link
from lddh.ward.money import format_dong


def _sums(queryset, amount: str = "amount") -> dict[tuple[int, int], int]:
    return {
        (row["fund_id"], row["account_id"]): row["total"]
        for row in queryset.values("fund_id", "account_id").annotate(total=Sum(amount))
    }


def check_balance(funds: dict[int, Fund], accounts: dict[int, Account]) -> list[Finding]:
    """Per fund and account: ledger balance = receipts − voids − payments ± transfers."""
    ledger = _sums(LedgerEntry.objects.all())
    fund_donations = Donation.objects.filter(purpose=Donation.Purpose.FUND)
    receipts = _sums(fund_donations)
    voids = _sums(fund_donations.filter(status=Donation.Status.VOIDED))
    payments = _sums(
        Support.objects.filter(
            status=Support.Status.PAID, source=SupportSource.FUND, amount__gt=0
        ).order_by()
    )
    transfers = _sums(
        LedgerEntry.objects.filter(
            kind__in=[LedgerEntry.Kind.TRANSFER_IN, LedgerEntry.Kind.TRANSFER_OUT]
        )
    )
    findings = []
    keys = set(ledger) | set(receipts) | set(voids) | set(payments) | set(transfers)
    for key in sorted(keys, key=lambda k: (k[0] or 0, k[1] or 0)):
        fund_id, account_id = key
        expected = (
            receipts.get(key, 0) - voids.get(key, 0) - payments.get(key, 0) + transfers.get(key, 0)
        )
        actual = ledger.get(key, 0)
        if expected != actual:
            fund = funds.get(fund_id)
            account = accounts.get(account_id)
            findings.append(
                Finding(
                    "balance",
                    ERROR,
                    f"{fund.code if fund else fund_id} – {account or account_id}: số dư sổ quỹ "
                    f"{format_dong(actual)} khác số tính từ chứng từ {format_dong(expected)}",
                    f"Thu {format_dong(receipts.get(key, 0))} − hủy "
                    f"{format_dong(voids.get(key, 0))} − chi hỗ trợ "
                    f"{format_dong(payments.get(key, 0))} ± chuyển "
                    f"{format_dong(transfers.get(key, 0))}; chênh lệch "
                    f"{format_dong(actual - expected)}.",
                    [ledger_link(fund_id, account_id)],
                )
            )
    # Transfers between accounts of one fund net to zero.
    bad_transfers = (
        LedgerEntry.objects.filter(document_type=TRANSFER_DOCUMENT)
        .values("document_id")
        .annotate(
            n=Count("id"),
            total=Sum("amount"),
            funds=Count("fund", distinct=True),
            fund_id=Min("fund_id"),
            day=Min("date"),
        )
        .exclude(n=2, total=0, funds=1)
        .order_by("document_id")
    )
    for row in bad_transfers[:LIMIT]:
        findings.append(
            Finding(
                "balance",
                ERROR,
                f"Lệnh chuyển nội bộ {row['document_id'][:12]}… không cân "
                f"({row['n']} bút toán, tổng {format_dong(row['total'])})",
                "Một lần chuyển giữa hai tài khoản phải có đúng một bút toán đi và một "
                "bút toán đến cùng số tiền.",
                [ledger_link(row["fund_id"], day=row["day"])],
            )
        )
    return findings
