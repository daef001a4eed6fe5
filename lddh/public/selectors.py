"""Reads of the public pages: the campaign shown, its figures (from the same selectors
as the back office, so they are equal by construction and tested to be), and the
published reports. The figures are sums over the per-day totals, a fixed number of
small queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from campaigns.models import Campaign
from donations.models import Donation, Fund
from donations.selectors import (
    CampaignProgress,
    campaign_progress,
    fund_balances_between,
    pledge_totals,
)
from households.selectors.public import Spending, spending
from lddh.public.models import PublishedReport
from lddh.ward.vocab import DonorSource


@dataclass(frozen=True)
class Line:
    label: str
    amount: int
    share: int = 0  # percent of the total, for the bars

    @classmethod
    def of(cls, label: str, amount: int, total: int) -> Line:
        return cls(label, amount, amount * 100 // total if total else 0)


@dataclass(frozen=True)
class FundLine:
    name: str
    opening: int  # the day before the campaign started
    closing: int | None  # at the campaign's end, once it has ended
    current: int


@dataclass
class Disclosure:
    """Everything the home and year pages show about one campaign."""

    target: int
    progress: CampaignProgress
    sources: list[Line]
    channels: list[Line]
    spending: Spending
    funds: list[FundLine]
    months: list[datetime.date]
    as_of: datetime.datetime
    consented: list = field(default_factory=list)
    pledges: object = None  # PledgeTotals (figures only, never a name), None without any

    @property
    def percent(self) -> int:
        return self.progress.total * 100 // self.target if self.target else 0

    @property
    def bar_percent(self) -> int:
        return min(self.percent, 100)

    @property
    def daily(self) -> dict:
        return {
            "labels": [day.strftime("%d/%m") for day, _ in self.progress.by_day],
            "amounts": [amount for _, amount in self.progress.by_day],
        }


# ---------------------------------------------------------------- which campaign


def public_campaigns() -> QuerySet[Campaign]:
    """Campaigns residents may see: a draft plan is not published."""
    return Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-start_date", "-pk")


def current_campaign() -> Campaign | None:
    """The active campaign, else the latest one."""
    campaigns = public_campaigns()
    return campaigns.filter(status=Campaign.Status.ACTIVE).first() or campaigns.first()


def campaign_of_year(year: int) -> Campaign | None:
    if not 1900 <= year <= 2999:
        return None
    return public_campaigns().filter(year=year).first()


def public_years() -> list[int]:
    return sorted(set(public_campaigns().values_list("year", flat=True)), reverse=True)


# ---------------------------------------------------------------- the figures


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def build_disclosure(campaign: Campaign) -> Disclosure:
    """The figures: sums over the per-day totals (a few rows per day, never a pass over
    the donations), so they are exact at every build."""
    progress = campaign_progress(campaign)
    balances = fund_balances_between(campaign.start_date, campaign.end_date)
    paid = spending(campaign=campaign)
    today = timezone.localdate()
    ended = campaign.end_date < today
    funds = []
    for fund in Fund.objects.order_by("order", "pk"):
        opening, closing, current = balances.get(fund.pk, (0, 0, 0))
        funds.append(
            FundLine(
                name=fund.name,
                opening=opening,
                closing=closing if ended else None,
                current=current,
            )
        )
    last = max(
        [campaign.end_date]
        + [day for day, _ in progress.by_day[-1:]]
        + [d for d in [paid.last_day] if d]
    )
    pledges = pledge_totals(campaign)
    return Disclosure(
        pledges=pledges if pledges.count else None,
        target=campaign.target,
        progress=progress,
        sources=[
            Line.of(label, progress.by_source[value], progress.total)
            for value, label in DonorSource.choices
            if progress.by_source.get(value)
        ],
        # Every channel, even at 0: cash donors must see that cash is counted.
        channels=[
            Line.of(label, progress.by_channel.get(value, 0), progress.total)
            for value, label in Donation.Channel.choices
        ],
        spending=paid,
        funds=funds,
        months=_months(campaign.start_date, min(last, max(today, campaign.start_date))),
        as_of=timezone.now(),
    )


def disclosure(campaign: Campaign) -> Disclosure:
    """The campaign's figures, built afresh (the anonymous pages are cached whole, see
    lddh.public.cache)."""
    return build_disclosure(campaign)


# ---------------------------------------------------------------- publications


def published_reports() -> QuerySet[PublishedReport]:
    return PublishedReport.objects.only(
        "pk",
        "title",
        "period_start",
        "period_end",
        "size",
        "sha256",
        "published_at",
        "file",
        "chain_heads",
    ).order_by("-published_at", "-pk")


def published_report(sha256: str) -> PublishedReport | None:
    return PublishedReport.objects.filter(sha256=sha256).first()


def published_chain_heads() -> list[dict]:
    """The chain heads printed on every published report, oldest first: the supervision
    check compares the ledger with each of them."""
    return list(
        PublishedReport.objects.order_by("published_at", "pk").values(
            "title", "published_at", "chain_heads"
        )
    )
