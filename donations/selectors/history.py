"""A donor's gifts across campaigns and calendar years: the history on the donor page and
the yearly statement. Voided gifts are shown as voided and never counted."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from campaigns.models import Campaign
from donations.models import Donation, Donor

__all__ = ["CampaignHistory", "donor_history", "donor_statement_gifts", "donor_statement_years"]


@dataclass
class CampaignHistory:
    """One campaign (or the gifts outside any campaign) in a donor's history."""

    campaign: Campaign | None
    gifts: list[Donation] = field(default_factory=list)

    @property
    def valid(self) -> list[Donation]:
        return [gift for gift in self.gifts if not gift.is_voided]

    @property
    def count(self) -> int:
        return len(self.valid)

    @property
    def total(self) -> int:
        return sum(gift.amount for gift in self.valid)

    @property
    def voided_count(self) -> int:
        return len(self.gifts) - self.count


def donor_history(donor: Donor) -> list[CampaignHistory]:
    """Every gift of the donor grouped by campaign, newest campaign first; gifts outside
    any campaign come last. Within a campaign, gifts are in date order."""
    gifts = donor.donations.select_related("receipt", "campaign", "fund").order_by("date", "pk")
    groups: dict[int | None, CampaignHistory] = {}
    for gift in gifts:
        key = gift.campaign_id
        if key not in groups:
            groups[key] = CampaignHistory(campaign=gift.campaign)
        groups[key].gifts.append(gift)
    return sorted(
        groups.values(),
        key=lambda group: (
            group.campaign is not None,
            group.campaign.start_date if group.campaign else None,
        ),
        reverse=True,
    )


def donor_statement_years(donor: Donor) -> list[int]:
    """The calendar years in which the donor has a valid gift, newest first."""
    dates = donor.donations.filter(status=Donation.Status.VALID).dates("date", "year", order="DESC")
    return [day.year for day in dates]


def donor_statement_gifts(donor: Donor, year: int) -> QuerySet[Donation]:
    """The donor's valid gifts dated in the calendar year, for the yearly statement."""
    return (
        donor.donations.filter(status=Donation.Status.VALID, date__year=year)
        .select_related("receipt", "fund", "campaign")
        .order_by("date", "pk")
    )
