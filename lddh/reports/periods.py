"""Reporting periods: the campaign month, the first 6 or 9 months of a year, the whole
year (the level above asks for these), or any dates in between."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models

from campaigns.models import Campaign
from lddh.ward.dates import format_date


class Preset(models.TextChoices):
    CAMPAIGN = "campaign", "Tháng cao điểm (thời gian của chiến dịch)"
    SIX_MONTHS = "6m", "6 tháng đầu năm"
    NINE_MONTHS = "9m", "9 tháng đầu năm"
    YEAR = "year", "Cả năm"
    CUSTOM = "custom", "Tự chọn từ ngày … đến ngày …"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    name: str  # "6 tháng đầu năm 2024", "" for custom dates
    campaign: Campaign | None = None

    @property
    def dates(self) -> str:
        return f"Từ ngày {format_date(self.start)} đến ngày {format_date(self.end)}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.dates.lower()})" if self.name else self.dates

    @property
    def slug(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


def period_for(
    preset: str,
    *,
    year: int | None = None,
    campaign: Campaign | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Period:
    """The period of a preset; the form has checked that what the preset needs is there
    (a campaign for the campaign month, a year for the others, two dates for custom)."""
    if preset == Preset.CAMPAIGN:
        assert campaign is not None
        return Period(campaign.start_date, campaign.end_date, campaign.name, campaign)
    if preset == Preset.CUSTOM:
        assert start is not None and end is not None
        return Period(start, end, "")
    assert year is not None
    last_month = {Preset.SIX_MONTHS: 6, Preset.NINE_MONTHS: 9, Preset.YEAR: 12}[preset]
    next_month = datetime.date(year + (last_month == 12), last_month % 12 + 1, 1)
    end = next_month - datetime.timedelta(days=1)
    name = "Năm" if preset == Preset.YEAR else Preset(preset).label
    return Period(datetime.date(year, 1, 1), end, f"{name} {year}")
