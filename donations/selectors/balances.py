"""Balances of funds and accounts: sums over the ledger's per-day totals (equal to the
ledger by the supervision check ``day_totals``)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from donations.models import Account, DayTotal, Fund, LedgerEntry
from lddh.ward.compiled import model_rows, value_rows

__all__ = [
    "FundBalances",
    "Movements",
    "account_balance",
    "fund_balance",
    "fund_balances",
    "fund_balances_between",
    "fund_movements",
    "movements_by_fund",
]


def ledger_totals() -> QuerySet[DayTotal]:
    return DayTotal.objects.filter(kind=DayTotal.Kind.LEDGER)


def _sum(qs: QuerySet[DayTotal]) -> int:
    return int(qs.aggregate(s=Coalesce(Sum("amount"), 0))["s"])


def fund_balance(fund: Fund, *, until: datetime.date | None = None) -> int:
    qs = ledger_totals().filter(fund_id=fund.pk)
    if until is not None:
        qs = qs.filter(date__lte=until)
    return _sum(qs)


def account_balance(account: Account, *, fund: Fund | None = None) -> int:
    qs = ledger_totals().filter(account_id=account.pk)
    if fund is not None:
        qs = qs.filter(fund_id=fund.pk)
    return _sum(qs)


@dataclass
class FundBalances:
    fund: Fund
    total: int
    by_account: list[tuple[Account, int]]


def fund_balances() -> list[FundBalances]:
    """Every fund's balance and its split over accounts, in three small queries."""
    # Compiled once per process (lddh/ward/compiled.py): the dashboard shows them.
    funds = model_rows(("funds",), Fund.objects.all)
    accounts = {a.pk: a for a in model_rows(("accounts",), Account.objects.all)}
    rows = value_rows(
        ("fund_balances",),
        lambda: (
            ledger_totals()
            .values_list("fund_id", "account_id")
            .annotate(s=Sum("amount"), c=Sum("n"))
            .order_by("fund_id", "account_id")
        ),
    )
    split: dict[int, list[tuple[Account, int]]] = defaultdict(list)
    for fund_id, account_id, amount, n in rows:
        if n:
            split[fund_id].append((accounts[account_id], int(amount)))
    return [
        FundBalances(fund=f, total=sum(s for _, s in split[f.pk]), by_account=split[f.pk])
        for f in funds
    ]


def fund_balances_between(
    start: datetime.date, end: datetime.date
) -> dict[int, tuple[int, int, int]]:
    """Per fund: (balance until the day before ``start``, until ``end``, in all)."""
    rows = (
        ledger_totals()
        .values_list("fund_id")
        .annotate(
            opening=Coalesce(Sum("amount", filter=Q(date__lt=start)), 0),
            closing=Coalesce(Sum("amount", filter=Q(date__lte=end)), 0),
            current=Coalesce(Sum("amount"), 0),
        )
        .order_by()
    )
    return {fund_id: (int(a), int(b), int(c)) for fund_id, a, b, c in rows}


@dataclass
class Movements:
    """A fund's (or an account's) books over a period, every figure positive and named
    as in the glossary (lddh/ward/figures.py): the balance table adds up on its face,
    closing = opening + received − voided − spent + transfer_in − transfer_out, and
    ``closing`` is summed apart from the movements, so ``adds_up`` checks the books."""

    opening: int = 0
    received: int = 0
    received_count: int = 0
    voided: int = 0  # void reversals dated in the period ("Hủy sau khi ghi")
    voided_count: int = 0
    spent: int = 0
    spent_count: int = 0
    transfer_in: int = 0
    transfer_out: int = 0
    closing: int = 0

    @property
    def computed_closing(self) -> int:
        return (
            self.opening
            + self.received
            - self.voided
            - self.spent
            + self.transfer_in
            - self.transfer_out
        )

    @property
    def adds_up(self) -> bool:
        return self.computed_closing == self.closing


def _movement_sums(start: datetime.date | None, end: datetime.date | None) -> dict:
    inside = Q()
    if start is not None:
        inside &= Q(date__gte=start)
    if end is not None:
        inside &= Q(date__lte=end)

    def total(field: str, condition: Q):
        return Coalesce(Sum(field, filter=condition), 0)

    kind = LedgerEntry.Kind
    return {
        "opening": total("amount", Q(date__lt=start or datetime.date.min)),
        "closing": total("amount", Q(date__lte=end)) if end else total("amount", Q()),
        "received": total("amount", inside & Q(status=kind.RECEIPT)),
        "received_count": total("n", inside & Q(status=kind.RECEIPT)),
        "voided": total("amount", inside & Q(status=kind.VOID)),
        "voided_count": total("n", inside & Q(status=kind.VOID)),
        "spent": total("amount", inside & Q(status=kind.PAYMENT)),
        "spent_count": total("n", inside & Q(status=kind.PAYMENT)),
        "transfer_in": total("amount", inside & Q(status=kind.TRANSFER_IN)),
        "transfer_out": total("amount", inside & Q(status=kind.TRANSFER_OUT)),
    }


def _movements(row: dict) -> Movements:
    return Movements(
        opening=int(row["opening"]),
        received=int(row["received"]),
        received_count=int(row["received_count"]),
        voided=-int(row["voided"]),
        voided_count=int(row["voided_count"]),
        spent=-int(row["spent"]),
        spent_count=int(row["spent_count"]),
        transfer_in=int(row["transfer_in"]),
        transfer_out=-int(row["transfer_out"]),
        closing=int(row["closing"]),
    )


def fund_movements(
    fund: Fund,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    *,
    account: Account | None = None,
) -> Movements:
    """One fund's (or one of its accounts') movements between two days (None: from the
    first entry, up to the last): one aggregate over the ledger's per-day totals."""
    qs = ledger_totals().filter(fund_id=fund.pk)
    if account is not None:
        qs = qs.filter(account_id=account.pk)
    return _movements(qs.aggregate(**_movement_sums(start, end)))


def movements_by_fund(
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    *,
    account: Account | None = None,
) -> dict[int, Movements]:
    """Every fund's movements between two days (or one account's share of them), by
    fund id: one grouped query."""
    qs = ledger_totals()
    if account is not None:
        qs = qs.filter(account_id=account.pk)
    rows = qs.values("fund_id").annotate(**_movement_sums(start, end)).order_by()
    return {row["fund_id"]: _movements(row) for row in rows}
