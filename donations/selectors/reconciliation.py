"""Bank credits of a period against the donations recorded on that account."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from donations.models import Account, Donation, StatementLine

__all__ = ["Reconciliation", "matched_donations_q", "reconciliation", "unmatched_donations"]


@dataclass
class Reconciliation:
    """Bank credits of a period against the donations recorded on that account."""

    account: Account
    start: datetime.date
    end: datetime.date
    credit_total: int = 0
    credit_count: int = 0
    matched_total: int = 0
    matched_count: int = 0
    unmatched_total: int = 0
    unmatched_count: int = 0
    ignored_total: int = 0
    ignored_count: int = 0
    debit_total: int = 0
    donation_total: int = 0
    donation_count: int = 0
    donation_matched_total: int = 0
    donation_unmatched_total: int = 0
    donation_unmatched_count: int = 0

    @property
    def donation_credits(self) -> int:
        """Bank credits that are (or may be) donations: all but the ignored ones."""
        return self.credit_total - self.ignored_total

    @property
    def difference(self) -> int:
        """Positive: the bank received more than was recorded as donations."""
        return self.donation_credits - self.donation_total


def matched_donations_q() -> Q:
    """Donations a bank line accounts for: matched directly, or through their round."""
    return (
        Q(bank_line__isnull=False)
        | Q(round_line__round__bank_line__isnull=False)
        | Q(collection_round__bank_line__isnull=False)
    )


def reconciliation(account: Account, start: datetime.date, end: datetime.date) -> Reconciliation:
    """Three GROUP BY queries for any period."""
    result = Reconciliation(account=account, start=start, end=end)
    lines = StatementLine.objects.filter(account=account, date__range=(start, end))
    for row in (
        lines.values("status")
        .annotate(
            c=Coalesce(Sum("credit"), 0),
            d=Coalesce(Sum("debit"), 0),
            n=Count("pk", filter=Q(credit__gt=0)),
        )
        .order_by()
    ):
        result.credit_total += row["c"]
        result.credit_count += row["n"]
        result.debit_total += row["d"]
        if row["status"] == StatementLine.Status.MATCHED:
            result.matched_total, result.matched_count = row["c"], row["n"]
        elif row["status"] == StatementLine.Status.UNMATCHED:
            result.unmatched_total, result.unmatched_count = row["c"], row["n"]
        else:
            result.ignored_total, result.ignored_count = row["c"], row["n"]
    donations = Donation.objects.filter(
        account=account, status=Donation.Status.VALID, date__range=(start, end)
    )
    totals = donations.aggregate(s=Coalesce(Sum("amount"), 0), n=Count("pk"))
    result.donation_total, result.donation_count = totals["s"], totals["n"]
    open_totals = unmatched_donations(account, start, end).aggregate(
        s=Coalesce(Sum("amount"), 0), n=Count("pk")
    )
    result.donation_unmatched_total = open_totals["s"]
    result.donation_unmatched_count = open_totals["n"]
    result.donation_matched_total = result.donation_total - result.donation_unmatched_total
    return result


def unmatched_donations(account: Account, start: datetime.date, end: datetime.date):
    return Donation.objects.filter(
        account=account, status=Donation.Status.VALID, date__range=(start, end)
    ).exclude(matched_donations_q())
