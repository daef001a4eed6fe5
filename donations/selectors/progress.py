"""A campaign's money in: fund donations (valid receipts only) and, apart, direct
support; a small sum over the per-day totals, whatever the number of donations."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum

from campaigns.models import Campaign
from donations.models import DayTotal, Donation

__all__ = ["CampaignProgress", "campaign_progress", "period_progress", "progress_of"]


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


def valid_donation_totals() -> QuerySet[DayTotal]:
    return DayTotal.objects.filter(kind=DayTotal.Kind.DONATION, status=Donation.Status.VALID)


def progress_of(totals: QuerySet[DayTotal]) -> CampaignProgress:
    """The figures of these per-day totals of valid donations: one GROUP BY over the
    totals' rows (a few per day), folded here."""
    progress = CampaignProgress()
    by_day: dict[datetime.date, int] = defaultdict(int)
    rows = (
        totals.values_list(
            "purpose",
            "source",
            "channel",
            "date",
            "group_id",
            "organisation_id",
            "board_member_id",
        )
        .annotate(s=Sum("amount"), c=Sum("n"))
        .order_by()
    )
    credits = (progress.by_group, progress.by_organisation, progress.by_board_member)
    for purpose, source, channel, day, *credited, amount, n in rows:
        amount, n = int(amount), int(n)
        if not n and not amount:
            continue
        if purpose == Donation.Purpose.DIRECT:
            progress.direct_support_total += amount
            progress.direct_support_count += n
            continue
        progress.total += amount
        progress.count += n
        progress.by_source[source] = progress.by_source.get(source, 0) + amount
        progress.by_channel[channel] = progress.by_channel.get(channel, 0) + amount
        by_day[day] += amount
        for key, target in zip(credited, credits, strict=True):
            if key:
                target[key] = target.get(key, 0) + amount
    progress.by_day = sorted((day, amount) for day, amount in by_day.items() if amount)
    return progress


def campaign_progress(campaign: Campaign) -> CampaignProgress:
    """The campaign's figures: one query over its per-day totals."""
    return progress_of(valid_donation_totals().filter(campaign_id=campaign.pk))


def period_progress(start: datetime.date, end: datetime.date) -> CampaignProgress:
    """Money in between two dates, whatever the campaign (same rules: valid receipts
    only, direct support apart), for a published period report."""
    return progress_of(valid_donation_totals().filter(date__gte=start, date__lte=end))
