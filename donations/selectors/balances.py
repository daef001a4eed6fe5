"""Balances of funds and accounts, derived from the ledger."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from donations.models import Account, Fund, LedgerEntry
from donations.selectors.totals import BASE_TTL, settled_pk

__all__ = ["FundBalances", "account_balance", "fund_balance", "fund_balances"]


def fund_balance(fund: Fund, *, until: datetime.date | None = None) -> int:
    qs = LedgerEntry.objects.filter(fund=fund)
    if until is not None:
        qs = qs.filter(date__lte=until)
    return qs.aggregate(s=Coalesce(Sum("amount"), 0))["s"]


def account_balance(account: Account, *, fund: Fund | None = None) -> int:
    qs = LedgerEntry.objects.filter(account=account)
    if fund is not None:
        qs = qs.filter(fund=fund)
    return qs.aggregate(s=Coalesce(Sum("amount"), 0))["s"]


@dataclass
class FundBalances:
    fund: Fund
    total: int
    by_account: list[tuple[Account, int]]


def _ledger_sums(entries: QuerySet[LedgerEntry]) -> dict[tuple[int, int], int]:
    rows = entries.values("fund_id", "account_id").annotate(s=Sum("amount")).order_by()
    return {(row["fund_id"], row["account_id"]): row["s"] for row in rows}


def fund_balances(*, incremental: bool = False) -> list[FundBalances]:
    """Every fund's balance and its split over accounts, in three queries.

    ``incremental``: the ledger is append-only, so the sums up to a settled entry are
    kept (cache) and only the entries after it are added (the dashboard at 1.000.000
    entries)."""
    funds = list(Fund.objects.all())
    accounts = {a.pk: a for a in Account.objects.all()}
    if incremental:
        base = cache.get("money:ledger-base")
        if base is None:
            upto = settled_pk(LedgerEntry)
            base = (upto, _ledger_sums(LedgerEntry.objects.filter(pk__lte=upto)))
            cache.set("money:ledger-base", base, BASE_TTL)
        upto, sums = base
        sums = dict(sums)
        for key, amount in _ledger_sums(LedgerEntry.objects.filter(pk__gt=upto)).items():
            sums[key] = sums.get(key, 0) + amount
    else:
        sums = _ledger_sums(LedgerEntry.objects.all())
    split: dict[int, list[tuple[Account, int]]] = defaultdict(list)
    for (fund_id, account_id), amount in sorted(sums.items()):
        split[fund_id].append((accounts[account_id], amount))
    return [
        FundBalances(fund=f, total=sum(s for _, s in split[f.pk]), by_account=split[f.pk])
        for f in funds
    ]
