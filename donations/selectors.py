"""Reads of money in, scoped to the viewer (STYLE.md rule 6), for pages, exports, the
dashboard and reports. Fund totals exclude voided receipts and direct support."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from campaigns.models import Campaign
from donations.models import Account, Donation, Donor, Fund, LedgerEntry, Receipt, VoidRequest
from lddh.ward.access import Access

__all__ = [
    "CampaignProgress",
    "account_balance",
    "campaign_progress",
    "donation_for",
    "donations_for",
    "donor_contributions",
    "donors_for",
    "fund_balance",
    "fund_balances",
    "receipt_by_token",
    "receipts_for",
    "void_requests_for",
]


def _group_scope(access: Access) -> Q | None:
    """None: everything; a Q: a leader's groups; Q(pk__in=[]) for nobody."""
    if access.reads_all:
        return None
    if access.is_leader and access.group_ids:
        ids = sorted(access.group_ids)
        return Q(credited_group__in=ids) | Q(donor__group__in=ids)
    return Q(pk__in=[])


def donations_for(access: Access) -> QuerySet[Donation]:
    """Donations a person may see: the office and readers all, a leader their groups'."""
    scope = _group_scope(access)
    qs = Donation.objects.all()
    return qs if scope is None else qs.filter(scope)


def donation_for(access: Access, pk: int) -> Donation:
    """One donation in the viewer's scope, or 404 (never reveal it exists)."""
    try:
        return (
            donations_for(access)
            .select_related(
                "donor",
                "donor__group",
                "donor__organisation",
                "campaign",
                "fund",
                "account",
                "credited_group",
                "credited_organisation",
                "credited_board_member",
                "receipt",
                "entered_by",
                "replaces__receipt",
            )
            .get(pk=pk)
        )
    except Donation.DoesNotExist:
        raise Http404 from None


def receipts_for(access: Access) -> QuerySet[Receipt]:
    scope = _group_scope(access)
    qs = Receipt.objects.all()
    if scope is None:
        return qs
    ids = sorted(access.group_ids)
    if not (access.is_leader and ids):
        return qs.none()
    return qs.filter(Q(donation__credited_group__in=ids) | Q(donation__donor__group__in=ids))


def donors_for(access: Access) -> QuerySet[Donor]:
    """The donor list is for the office and the readers who see every group."""
    return Donor.objects.all() if access.reads_all else Donor.objects.none()


def void_requests_for(access: Access) -> QuerySet[VoidRequest]:
    return VoidRequest.objects.all() if access.reads_all else VoidRequest.objects.none()


def receipt_by_token(token: str) -> Receipt | None:
    """The receipt behind a QR code; None for an unknown or malformed token."""
    if not token or len(token) > 40:
        return None
    return (
        Receipt.objects.select_related("donation__donor")
        .only(
            "number",
            "date",
            "amount",
            "fund_name",
            "donor_display_name",
            "status",
            "donation__id",
            "donation__donor__id",
            "donation__donor__anonymous",
        )
        .filter(token=token)
        .first()
    )


def donor_contributions(donor: Donor, campaign: Campaign | None) -> QuerySet[Donation]:
    """A donor's valid donations (to the fund and direct support), for the thank-you letter."""
    qs = donor.donations.filter(status=Donation.Status.VALID).select_related("receipt", "fund")
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return qs.order_by("date", "pk")


# --------------------------------------------------------------------------- balances


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


def fund_balances() -> list[FundBalances]:
    """Every fund's balance and its split over accounts, in two queries."""
    funds = list(Fund.objects.all())
    accounts = {a.pk: a for a in Account.objects.all()}
    rows = LedgerEntry.objects.values("fund_id", "account_id").annotate(s=Sum("amount"))
    split: dict[int, list[tuple[Account, int]]] = defaultdict(list)
    for row in rows.order_by("fund_id", "account_id"):
        split[row["fund_id"]].append((accounts[row["account_id"]], row["s"]))
    return [
        FundBalances(fund=f, total=sum(s for _, s in split[f.pk]), by_account=split[f.pk])
        for f in funds
    ]


# --------------------------------------------------------------------------- progress


@dataclass
class CampaignProgress:
    """A campaign's money in: fund donations (valid receipts only) and, apart, direct
    support. Every ``by_*`` maps a key to whole đồng."""

    total: int = 0
    count: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_group: dict[int, int] = field(default_factory=dict)
    by_organisation: dict[int, int] = field(default_factory=dict)
    by_board_member: dict[int, int] = field(default_factory=dict)
    by_day: list[tuple[datetime.date, int]] = field(default_factory=list)
    direct_support_total: int = 0
    direct_support_count: int = 0


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """Four GROUP BY queries whatever the number of donations."""
    valid = Donation.objects.filter(campaign=campaign, status=Donation.Status.VALID)
    progress = CampaignProgress()
    by_day: dict[datetime.date, int] = defaultdict(int)
    rows = (
        valid.values("purpose", "donor__source", "channel", "date")
        .annotate(s=Sum("amount"), n=Count("pk"))
        .order_by()
    )
    for row in rows:
        if row["purpose"] == Donation.Purpose.DIRECT:
            progress.direct_support_total += row["s"]
            progress.direct_support_count += row["n"]
            continue
        progress.total += row["s"]
        progress.count += row["n"]
        source, channel = row["donor__source"], row["channel"]
        progress.by_source[source] = progress.by_source.get(source, 0) + row["s"]
        progress.by_channel[channel] = progress.by_channel.get(channel, 0) + row["s"]
        by_day[row["date"]] += row["s"]
    progress.by_day = sorted(by_day.items())
    fund_only = valid.filter(purpose=Donation.Purpose.FUND)
    for key, target in (
        ("credited_group", progress.by_group),
        ("credited_organisation", progress.by_organisation),
        ("credited_board_member", progress.by_board_member),
    ):
        for row in (
            fund_only.filter(**{f"{key}__isnull": False})
            .values(key)
            .annotate(s=Sum("amount"))
            .order_by()
        ):
            target[row[key]] = row["s"]
    return progress
