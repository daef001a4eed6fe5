"""Balances of funds and accounts: sums over the ledger's per-day totals (equal to the
ledger by the supervision check ``day_totals``)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from donations.models import Account, DayTotal, Fund

__all__ = [
    "FundBalances",
    "account_balance",
    "fund_balance",
    "fund_balances",
    "fund_balances_between",
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
    funds = list(Fund.objects.all())
    accounts = {a.pk: a for a in Account.objects.all()}
    rows = (
        ledger_totals()
        .values_list("fund_id", "account_id")
        .annotate(s=Sum("amount"), c=Sum("n"))
        .order_by("fund_id", "account_id")
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
