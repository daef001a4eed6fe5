"""A campaign's money in: fund donations (valid receipts only) and, apart, direct support."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, QuerySet, Sum

from campaigns.models import Campaign
from donations.models import Donation
from donations.selectors.totals import BASE_TTL, cached, money_fingerprint, settled_pk

__all__ = [
    "CampaignProgress",
    "campaign_progress",
    "campaign_progress_fast",
    "key_range",
    "merge_progress",
    "progress_of",
]


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


def key_range(qs: QuerySet, after: int | None, upto: int | None) -> QuerySet:
    """The rows whose primary key is in (after, upto]; either bound may be left open."""
    if after is not None:
        qs = qs.filter(pk__gt=after)
    if upto is not None:
        qs = qs.filter(pk__lte=upto)
    return qs


def progress_of(valid: QuerySet) -> CampaignProgress:
    """Totals, sources, channels and days of these donations in one GROUP BY query
    (direct support apart); no credits per group, organisation or board member."""
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
    return progress


def campaign_progress(
    campaign: Campaign, *, pk_gt: int | None = None, pk_lte: int | None = None
) -> CampaignProgress:
    """Four GROUP BY queries whatever the number of donations (optionally only the
    donations with ids in (pk_gt, pk_lte], for the incremental dashboard)."""
    valid = key_range(
        Donation.objects.filter(campaign=campaign, status=Donation.Status.VALID), pk_gt, pk_lte
    )
    progress = progress_of(valid)
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


def merge_progress(*parts: CampaignProgress) -> CampaignProgress:
    """The figures of several disjoint sets of donations added up."""
    merged = CampaignProgress()
    by_day: dict[datetime.date, int] = defaultdict(int)
    for part in parts:
        merged.total += part.total
        merged.count += part.count
        merged.direct_support_total += part.direct_support_total
        merged.direct_support_count += part.direct_support_count
        for target, source in (
            (merged.by_source, part.by_source),
            (merged.by_channel, part.by_channel),
            (merged.by_group, part.by_group),
            (merged.by_organisation, part.by_organisation),
            (merged.by_board_member, part.by_board_member),
        ):
            for key, amount in source.items():
                target[key] = target.get(key, 0) + amount
        for day, amount in part.by_day:
            by_day[day] += amount
    merged.by_day = sorted(by_day.items())
    return merged


def campaign_progress_fast(campaign: Campaign, *, fingerprint: str | None = None):
    """``campaign_progress`` for the dashboard at 1.000.000 donations.

    A base (every settled donation, up to some id) is computed once and kept; each view
    adds the donations after it (an id range: a few rows). A void changes an old row, so
    a decided void request starts a new base. Exact at once for totals, channels, days,
    groups, organisations and board members; a donor moved to another source shows in
    the source breakdown when the base is recomputed (at most BASE_TTL)."""
    fingerprint = fingerprint if fingerprint is not None else money_fingerprint()
    void_stamp = hashlib.sha256(fingerprint.split("|")[3].encode()).hexdigest()[:16]

    def build() -> CampaignProgress:
        key = f"money:progress-base:{campaign.pk}:{void_stamp}"
        base = cache.get(key)
        if base is None:
            upto = settled_pk(Donation)
            base = (upto, campaign_progress(campaign, pk_lte=upto))
            cache.set(key, base, BASE_TTL)
        upto, progress = base
        return merge_progress(progress, campaign_progress(campaign, pk_gt=upto))

    return cached(f"campaign-progress:{campaign.pk}", build, fingerprint=fingerprint)
