"""The staff home: campaign progress against the targets, read through the apps'
selectors in a fixed number of queries whatever the number of donations or groups."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from campaigns.models import Campaign
from campaigns.selectors import (
    active_in,
    board_lines,
    campaigns_list,
    groups_with_targets,
    organisations_with_targets,
    overdue_activities,
)
from donations.models import Donation
from donations.selectors import (
    CampaignProgress,
    PledgeTotals,
    campaign_progress,
    fund_balances,
    pledge_totals,
)
from lddh.ward.access import Access
from lddh.ward.compiled import model_rows
from lddh.ward.vocab import DonorSource


@dataclass
class Line:
    """One row of a progress table: raised against a (possibly missing) target."""

    label: str
    raised: int
    target: int | None = None
    note: str = ""

    @property
    def percent(self) -> int | None:
        return self.raised * 100 // self.target if self.target else None


@dataclass
class Dashboard:
    campaign: Campaign | None
    progress: CampaignProgress = field(default_factory=CampaignProgress)
    groups: list[Line] = field(default_factory=list)
    organisations: list[Line] = field(default_factory=list)
    board: list[Line] = field(default_factory=list)
    sources: list[Line] = field(default_factory=list)
    channels: list[Line] = field(default_factory=list)
    funds: list = field(default_factory=list)
    overdue_count: int = 0
    today: datetime.date | None = None
    pledges: PledgeTotals | None = None

    @property
    def percent(self) -> int:
        target = self.campaign.target if self.campaign else 0
        return self.progress.total * 100 // target if target else 0

    @property
    def days_left(self) -> int | None:
        """Days until the campaign ends, counting today; None when it is not running."""
        if not self.campaign or not self.today or self.today > self.campaign.end_date:
            return None
        if self.today < self.campaign.start_date:
            return (self.campaign.end_date - self.campaign.start_date).days + 1
        return (self.campaign.end_date - self.today).days + 1

    @property
    def daily(self) -> dict:
        """The daily chart's data: labels dd/mm and amounts, also rendered as a table."""
        return {
            "labels": [day.strftime("%d/%m") for day, _ in self.progress.by_day],
            "amounts": [amount for _, amount in self.progress.by_day],
        }


def dashboard_campaigns() -> list[Campaign]:
    """Every campaign, latest first (a ward has one a year): the page's choice list, and
    where ``dashboard_campaign`` picks from."""
    return model_rows(("campaigns",), campaigns_list)


def dashboard_campaign(campaign_id: str | None, campaigns: list[Campaign]) -> Campaign | None:
    """The campaign asked for, else the active one, else the latest."""
    if campaign_id and campaign_id.isdigit():
        chosen = next((c for c in campaigns if c.pk == int(campaign_id)), None)
        if chosen:
            return chosen
    return active_in(campaigns) or next(iter(campaigns), None)


def dashboard_for(access: Access, campaign: Campaign | None) -> Dashboard:
    today = timezone.localdate()
    if campaign is None:
        return Dashboard(campaign=None, today=today)
    # Sums over the per-day totals (a few rows per day): exact at every view, no cache.
    progress = campaign_progress(campaign)
    groups = [
        Line(g.name, progress.by_group.get(g.pk, 0), g.target_amount)
        for g in groups_with_targets(campaign)
        if access.reads_figures or access.can_see_group(g.pk)
    ]
    dashboard = Dashboard(campaign=campaign, progress=progress, groups=groups, today=today)
    if not access.reads_figures:
        return dashboard  # a leader sees their own group's line only
    dashboard.organisations = [
        Line(str(o), progress.by_organisation.get(o.pk, 0), o.target_amount)
        for o in organisations_with_targets(campaign)
    ]
    dashboard.board = [
        Line(name, progress.by_board_member.get(pk, 0), sub_target, note=position)
        for pk, name, position, sub_target in board_lines(campaign)
    ]
    dashboard.sources = [
        Line(label, progress.by_source.get(value, 0))
        for value, label in DonorSource.choices
        if progress.by_source.get(value)
    ]
    dashboard.channels = [
        Line(label, progress.by_channel.get(value, 0))
        for value, label in Donation.Channel.choices
        if progress.by_channel.get(value)
    ]
    dashboard.funds = fund_balances()
    dashboard.overdue_count = overdue_activities(campaign, today).count()
    pledges = pledge_totals(campaign)
    dashboard.pledges = pledges if pledges.count else None
    return dashboard
